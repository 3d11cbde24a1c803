import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import global_settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.models import Company, Membership, NafCode, PendingSignup, Region, User
from tests.portal.factories import CompanyFactory, UserFactory, valid_siret

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": "claire.dupont@forges-de-l-ouest.fr",
        "password1": "une-phrase-de-passe-solide",
        "password2": "une-phrase-de-passe-solide",
        "company_name": "Forges de l'Ouest",
        "siret": "912 345 675 00017",
        "naf_division": NafCode.objects.get(code="25").pk,
        "headcount_band": "50-249",
        "region": Region.objects.get(code="53").pk,
        "language": "fr",
    }
    data.update(overrides)
    return data


def post_signup(client, **overrides):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mails leave after the commit
        return client.post(reverse("portal:signup"), signup_data(**overrides))


def assert_nothing_created():
    assert not User.objects.filter(email="claire.dupont@forges-de-l-ouest.fr").exists()
    assert not Company.objects.filter(name="Forges de l'Ouest").exists()
    assert not PendingSignup.objects.exists()


def confirmation_path(message):
    return re.search(r"https?://[^/]+(/inscription/confirmer/\S+/)", message.body).group(1)


def test_signup_sends_a_confirmation_link_and_creates_nothing_yet(client, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # what production stores (the suite's hash is cheap)
    response = post_signup(client)

    assert response.status_code == 302
    assert response.url == reverse("portal:signup_sent")
    assert not User.objects.exists() and not Company.objects.exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire.dupont@forges-de-l-ouest.fr"]
    assert "Forges de l'Ouest" in mail.outbox[0].body
    pending = PendingSignup.objects.get()
    assert pending.password_hash.startswith(("pbkdf2_", "argon2", "bcrypt", "scrypt"))
    assert confirmation_path(mail.outbox[0]).split("/")[-2] not in pending.token_hash
    assert "une-phrase-de-passe-solide" not in str(PendingSignup.objects.values().get())


def test_the_link_creates_user_company_and_owner_membership_and_logs_in(client):
    post_signup(client)
    link = confirmation_path(mail.outbox[0])

    page = client.get(link)  # a mail scanner following the link uses nothing up
    assert page.status_code == 200
    assert not User.objects.exists()

    response = client.post(link)
    company = Company.objects.get(siret="91234567500017")
    user = User.objects.get(email="claire.dupont@forges-de-l-ouest.fr")
    assert user.check_password("une-phrase-de-passe-solide")
    assert (user.first_name, user.last_name) == ("Claire", "Dupont")
    assert Membership.objects.get(user=user, company=company).role == Membership.Role.OWNER
    assert response.status_code == 302
    assert response.url == reverse("portal:my_company")
    assert client.get(reverse("portal:company_detail", args=[company.pk])).status_code == 200


def test_the_link_works_once(client):
    post_signup(client)
    link = confirmation_path(mail.outbox[0])
    client.post(link)
    client.logout()

    again = client.post(link)
    assert again.status_code == 410
    assert "déjà été utilisé" in again.content.decode()
    assert User.objects.count() == 1 and Company.objects.count() == 1


def test_the_link_expires(client, settings):
    post_signup(client)
    link = confirmation_path(mail.outbox[0])
    later = timezone.now() + timedelta(hours=settings.SIGNUP_CONFIRMATION_VALIDITY_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.post(link)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert not User.objects.exists()


def test_a_forged_link_is_refused(client):
    response = client.get(reverse("portal:signup_confirm", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert not User.objects.exists()


def test_two_pending_signups_for_one_siret_the_second_link_explains(client):
    post_signup(client)
    post_signup(client, email="autre@forges-de-l-ouest.fr")
    first, second = (confirmation_path(message) for message in mail.outbox)
    client.post(first)
    client.logout()

    response = client.post(second)
    assert response.status_code == 409
    assert Company.objects.count() == 1
    assert not User.objects.filter(email="autre@forges-de-l-ouest.fr").exists()


def test_signup_page_is_public_and_in_french_by_default(client):
    response = client.get(reverse("portal:signup"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("91234567500018", "siret_checksum"),
        ("9123456750001", "siret_length"),
        ("9123456750001A", "siret_format"),
    ],
)
def test_invalid_siret_is_explained_and_nothing_is_created(client, siret, code):
    response = post_signup(client, siret=siret)
    assert response.status_code == 200
    assert response.context["form"].has_error("siret", code)
    assert_nothing_created()


def test_checksum_error_message_tells_what_to_do(client):
    response = post_signup(client, siret="91234567500018")
    assert "clé de contrôle de ce SIRET est incorrecte" in response.content.decode()


def test_duplicate_siret_is_refused_with_a_pointer_to_the_owner(client):
    CompanyFactory(siret="91234567500017")
    response = post_signup(client)
    assert response.context["form"].has_error("siret", "duplicate_siret")
    assert not User.objects.filter(email="claire.dupont@forges-de-l-ouest.fr").exists()


def test_duplicate_email_is_not_revealed_and_its_owner_is_told_by_email(client):
    existing = UserFactory(email="claire.dupont@forges-de-l-ouest.fr")
    fresh = post_signup(client, email="someone.new@forges-de-l-ouest.fr", siret=valid_siret(900))
    mail.outbox.clear()

    response = post_signup(client, email="Claire.Dupont@Forges-de-l-Ouest.fr")

    # The visitor sees exactly what a new address gets: no hint that an account exists.
    assert response.status_code == fresh.status_code == 302
    assert response.url == fresh.url == reverse("portal:signup_sent")
    # Nothing is created for the second attempt.
    assert not Company.objects.exists()
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["someone.new@forges-de-l-ouest.fr"]
    assert User.objects.get() == existing
    # The address's owner is told, with ways in, and no confirmation link is sent.
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == ["claire.dupont@forges-de-l-ouest.fr"]
    assert reverse("login") in notice.body and reverse("password_reset") in notice.body
    assert "/inscription/confirmer/" not in notice.body


def test_mismatched_passwords_change_nothing(client):
    response = post_signup(client, password2="une-autre-phrase-de-passe")
    assert response.context["form"].has_error("password2", "password_mismatch")
    assert_nothing_created()


def test_weak_password_is_refused_by_django_validators(client):
    response = post_signup(client, password1="12345678", password2="12345678")
    assert response.context["form"].errors["password2"]
    assert_nothing_created()


def test_division_must_be_a_manufacturing_division_not_a_section(client):
    response = post_signup(client, naf_division=NafCode.objects.get(code="C").pk)
    assert response.context["form"].has_error("naf_division")
    assert_nothing_created()


def test_factory_sirets_are_valid():
    from stdnum.fr import siret

    assert all(siret.is_valid(valid_siret(n)) for n in range(50))


def test_a_new_owner_lands_on_the_call_to_start_the_diagnostic(client):
    post_signup(client)
    client.post(confirmation_path(mail.outbox[0]))
    company = Company.objects.get(siret="91234567500017")

    page = client.get(reverse("portal:my_company"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("portal:company_detail", args=[company.pk])
    assert page.context["first_step"].url == reverse("diagnostics:start", args=[company.pk])
