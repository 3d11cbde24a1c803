"""Hostile input in the sign-up and invitation forms: a clear message or safe storage, never a 500,
never rendered unescaped."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from portal.forms import InvitationForm, SignupForm
from portal.models import Company, Invitation, Membership, NafCode, PendingSignup, Region, User
from portal.services import invite_colleague
from tests.portal.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

MARKUP = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert(document.cookie)</script>"
SQL = "'; DROP TABLE portal_user; --"
CONTROL = ["\x00", "\x07", "\u202e", "\u2066", "\ufeff"]


def signup_data(**overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": "claire@example.fr",
        "password1": "une-phrase-de-passe-solide",
        "password2": "une-phrase-de-passe-solide",
        "company_name": "Forges de l'Ouest",
        "siret": "91234567500017",
        "naf_division": NafCode.objects.get(code="25").pk,
        "headcount_band": "50-249",
        "region": Region.objects.get(code="53").pk,
        "language": "fr",
    }
    data.update(overrides)
    return data


def post(client, url, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def assert_not_live(html, payload, shown=True):
    """The payload appears only escaped: no tag or attribute of it reaches the page."""
    assert "<img src=x" not in html
    assert "<script>alert" not in html
    if shown and payload in (MARKUP, SCRIPT):
        assert "&lt;" in html


@pytest.mark.parametrize("payload", [MARKUP, SCRIPT, SQL])
@pytest.mark.parametrize("field", ["first_name", "last_name", "company_name"])
def test_markup_in_names_is_stored_as_text_and_shown_escaped(client, payload, field):
    response = post(client, reverse("portal:signup"), signup_data(**{field: payload}))
    assert response.status_code == 302
    assert getattr(PendingSignup.objects.get(), field) == payload

    link = re.search(r"(/inscription/confirmer/\S+/)", mail.outbox[0].body).group(1)
    assert_not_live(client.get(link).content.decode(), payload, shown=field == "company_name")
    client.post(link)
    company = Company.objects.get()
    page = client.get(reverse("portal:company_detail", args=[company.pk])).content.decode()
    assert_not_live(page, payload)
    owner = User.objects.get()
    assert (company.name if field == "company_name" else getattr(owner, field)) == payload


@pytest.mark.parametrize("payload", [MARKUP, SCRIPT, SQL, "a@b@c", "x" * 300 + "@example.fr"])
def test_hostile_email_at_signup_is_refused_with_a_message_and_shown_escaped(client, payload):
    response = client.post(reverse("portal:signup"), signup_data(email=payload))
    assert response.status_code == 200
    assert response.context["form"].has_error("email")
    assert_not_live(response.content.decode(), payload)
    assert not PendingSignup.objects.exists()


@pytest.mark.parametrize("payload", [MARKUP, SQL, "9" * 5000])
def test_hostile_siret_is_refused_with_a_message(client, payload):
    response = client.post(reverse("portal:signup"), signup_data(siret=payload))
    assert response.status_code == 200
    assert response.context["form"].has_error("siret")
    assert_not_live(response.content.decode(), payload)


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["first_name", "last_name", "company_name"])
def test_control_characters_are_refused_with_a_message(client, char, field):
    response = client.post(reverse("portal:signup"), signup_data(**{field: f"Du{char}pont"}))
    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert not PendingSignup.objects.exists()


def test_letters_of_every_script_and_joiners_pass():
    form = SignupForm(
        data=signup_data(first_name="Zoë-Anaïs", last_name="Nguyễn 王 می\u200cخواهم", company_name="Œuvres & Fils")
    )
    assert form.is_valid(), form.errors


def test_a_one_megabyte_name_is_refused_with_a_message(client):
    response = client.post(reverse("portal:signup"), signup_data(first_name="A" * 1_000_000))
    assert response.status_code == 200
    assert response.context["form"].has_error("first_name", "max_length")


def test_a_ten_megabyte_body_is_a_400_not_a_500(client):
    response = client.post(reverse("portal:signup"), signup_data(company_name="A" * 10_000_000))
    assert response.status_code == 400
    assert not PendingSignup.objects.exists()


# --- Invitations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [MARKUP, SCRIPT, SQL, "x" * 10_000, "col\x00league@example.fr"])
def test_hostile_invitation_address_is_refused_with_a_message(client, owner, company, payload):
    client.force_login(owner)
    response = client.post(reverse("portal:company_detail", args=[company.pk]), {"email": payload})
    assert response.status_code == 200
    assert response.context["form"].has_error("email")
    assert_not_live(response.content.decode(), payload)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("payload", [MARKUP, SCRIPT])
def test_invited_person_with_markup_in_their_name_is_shown_escaped(client, owner, company, payload):
    _invitation, token = invite_colleague(company=company, email="new@example.fr", by=owner)
    response = client.post(
        reverse("portal:accept_invitation", args=[token]),
        {"first_name": payload, "last_name": payload, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="new@example.fr").user.first_name == payload
    client.force_login(owner)
    assert_not_live(client.get(reverse("portal:company_detail", args=[company.pk])).content.decode(), payload)


def test_control_characters_in_an_invited_name_are_refused(client, owner, company):
    _invitation, token = invite_colleague(company=company, email="new@example.fr", by=owner)
    response = client.post(
        reverse("portal:accept_invitation", args=[token]),
        {"first_name": "Léa\u202e", "last_name": "Morel", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("first_name", "control_characters")
    assert not User.objects.filter(email="new@example.fr").exists()


# --- Property: whatever the text, the forms answer with errors or clean data, never an exception ---------

TEXT = st.text(max_size=300)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first_name=TEXT, last_name=TEXT, company_name=TEXT, siret=TEXT, email=TEXT)
def test_signup_form_never_breaks(first_name, last_name, company_name, siret, email):
    form = SignupForm(
        data=signup_data(
            first_name=first_name, last_name=last_name, company_name=company_name, siret=siret, email=email
        )
    )
    if form.is_valid():
        for field in ("first_name", "last_name", "company_name"):
            value = form.cleaned_data[field]
            assert 0 < len(value) <= form.fields[field].max_length
            assert "\x00" not in value
        assert form.cleaned_data["siret"].isdigit() and len(form.cleaned_data["siret"]) == 14
    else:
        assert form.errors


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=TEXT)
def test_invitation_form_never_breaks(company, email):
    form = InvitationForm(data={"email": email}, company=company)
    if form.is_valid():
        assert "@" in form.cleaned_data["email"]
    else:
        assert form.errors
