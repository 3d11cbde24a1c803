import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.portal.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_by_email_lands_in_the_role_space(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": DEFAULT_PASSWORD}, follow=True)
    assert response.redirect_chain[0][0] == reverse("home")
    assert response.wsgi_request.user == owner


def test_wrong_password_keeps_the_visitor_out_with_a_message(client, owner):
    response = client.post(reverse("login"), {"username": owner.email, "password": "wrong-password"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].non_field_errors()


def test_logout_is_a_post_and_ends_the_session(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:my_company")).status_code == 302


def test_password_reset_sends_a_link_that_works_once(client):
    user = UserFactory(email="forgot@example.fr")
    response = client.post(reverse("password_reset"), {"email": "forgot@example.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/compte/reset/\S+/)", mail.outbox[0].body).group(1)

    form_url = client.get(link).url  # Django swaps the token for a session marker
    new_password = "un-nouveau-mot-de-passe-sur"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)

    client.logout()
    reused = client.get(link, follow=True)
    assert reused.context["validlink"] is False


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.fr"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_email_is_the_login_and_is_unique_whatever_its_case():
    from portal.models import User

    user = User.objects.create_user(email="Mixed.Case@Example.FR", password=DEFAULT_PASSWORD)
    assert user.email == "mixed.case@example.fr"
    assert User.USERNAME_FIELD == "email"


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_reference_data_holds_18_regions_and_the_manufacturing_divisions():
    from portal.models import NafCode, Region

    assert Region.objects.count() == 18
    assert Region.objects.get(code="53").label_fr == "Bretagne"
    divisions = NafCode.objects.filter(level="division").values_list("code", flat=True)
    assert sorted(divisions) == [str(n) for n in range(10, 34)]
    assert NafCode.objects.filter(level="section").count() == 21
    assert NafCode.objects.get(code="25").section.code == "C"
