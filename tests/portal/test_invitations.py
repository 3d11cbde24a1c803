from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Invitation, Membership
from portal.services import invite_colleague
from tests.portal.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, owner, company, email="colleague@example.fr"):
    client.force_login(owner)
    response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": email})
    client.logout()
    return response


def test_owner_invites_a_colleague_by_email(client, owner, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, owner, company)
    assert response.status_code == 302
    invitation = Invitation.objects.get(company=company)
    assert invitation.email == "colleague@example.fr"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.fr"]
    assert company.name in mail.outbox[0].subject


def test_only_a_hash_of_the_token_is_stored(owner, company):
    invitation, token = invite_colleague(company=company, email="x@example.fr", by=owner)
    assert token not in invitation.token_hash
    assert invitation.token_hash == Invitation.hash_token(token)


def test_member_who_is_not_owner_may_not_invite(client, member, company):
    client.force_login(member)
    response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": "x@example.fr"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_member_sees_the_company_but_not_the_invitation_form(client, member, company):
    client.force_login(member)
    response = client.get(reverse("portal:company_detail", args=[company.pk]))
    assert response.status_code == 200
    assert response.context["form"] is None


def test_inviting_an_existing_member_is_refused(client, owner, member, company):
    client.force_login(owner)
    response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": member.email})
    assert response.context["form"].has_error("email", "already_member")
    assert not Invitation.objects.exists()


def test_new_person_accepts_by_creating_an_account(client, owner, company):
    _invitation, token = invite_colleague(company=company, email="new@example.fr", by=owner)
    response = client.post(
        reverse("portal:accept_invitation", args=[token]),
        {"first_name": "Léa", "last_name": "Morel", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new@example.fr")
    assert membership.company == company
    assert membership.role == Membership.Role.MEMBER


def test_existing_user_accepts_when_logged_in_with_the_invited_address(client, owner, company):
    colleague = UserFactory(email="existing@example.fr")
    _invitation, token = invite_colleague(company=company, email="existing@example.fr", by=owner)
    client.force_login(colleague)
    response = client.post(reverse("portal:accept_invitation", args=[token]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, company=company).exists()


def test_logged_in_user_with_another_address_cannot_take_the_invitation(client, owner, company):
    intruder = UserFactory(email="intruder@example.fr")
    _invitation, token = invite_colleague(company=company, email="someone@example.fr", by=owner)
    client.force_login(intruder)
    client.post(reverse("portal:accept_invitation", args=[token]))
    assert not Membership.objects.filter(user=intruder).exists()
    assert Invitation.objects.get().accepted_at is None


def test_expired_invitation_is_refused_and_changes_nothing(client, owner, company):
    _invitation, token = invite_colleague(company=company, email="late@example.fr", by=owner)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.post(
            reverse("portal:accept_invitation", args=[token]),
            {"first_name": "A", "last_name": "B", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
        )
    assert response.status_code == 410
    assert "expiré" in response.content.decode()
    assert not Membership.objects.filter(user__email="late@example.fr").exists()


def test_invitation_still_works_the_day_before_it_expires(client, owner, company):
    _invitation, token = invite_colleague(company=company, email="ontime@example.fr", by=owner)
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        response = client.get(reverse("portal:accept_invitation", args=[token]))
    assert response.status_code == 200


def test_reused_invitation_is_refused(client, owner, company):
    _invitation, token = invite_colleague(company=company, email="once@example.fr", by=owner)
    url = reverse("portal:accept_invitation", args=[token])
    data = {"first_name": "A", "last_name": "B", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD}
    assert client.post(url, data).status_code == 302
    client.logout()
    response = client.post(url, data)
    assert response.status_code == 410
    assert "déjà été utilisée" in response.content.decode()
    assert Membership.objects.filter(user__email="once@example.fr").count() == 1


def test_unknown_token_is_refused(client):
    response = client.get(reverse("portal:accept_invitation", args=["not-a-token"]))
    assert response.status_code == 410


def test_invited_address_with_an_account_is_asked_to_log_in(client, owner, company):
    UserFactory(email="has-account@example.fr")
    _invitation, token = invite_colleague(company=company, email="has-account@example.fr", by=owner)
    response = client.get(reverse("portal:accept_invitation", args=[token]))
    assert response.context["form"] is None
    assert reverse("login") in response.content.decode()
