"""Hostile input in every form of the portal: a clear message or safe storage, never an exception (a
500), never markup that runs (rendered pages escape it).

Two layers:
- every form, fed by Hypothesis strategies (script tags, SQL fragments, a 10 MB string, control
  characters including NUL and the right-to-left override, negative, huge and many-digit amounts,
  dates of year 1, 9999 and beyond, empty and blank values): `is_valid()` never raises; when it
  accepts, the cleaned values are storable (no NUL, within the length, amounts finite and within
  the field's bounds, dates between 2000 and 2100); when it refuses, each error is a message;
- a representative set of views, posted as the role that may use them with the test client: the
  answer is never a 500, hostile text is stored as text and shown escaped.
(The sign-up and invitation views have their own tests in tests/portal/test_hostile_input.py.)
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics.forms import AnswerForm
from experts import forms as expert_forms
from experts.models import Accreditation, Assignment, Visit
from portal.forms import InvitationForm, InvitedAccountForm, SignupForm, TokenForm
from portal.models import NafCode, Region
from portal.validators import EARLIEST_DATE, LATEST_DATE
from regions import forms as region_forms
from regions.models import Enrolment, Expense, Programme

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(document.cookie)</script>"
MARKUP = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE portal_user; --"
TEN_MB = "A" * (10 * 1024 * 1024)
CONTROL = ["\x00", "a\x00b", "\x07", "\x1b[31m", "\u202e", "abc\u202edcba", "\u2066x\u2069", "\ufeff", "\x7f"]

# --- Strategies --------------------------------------------------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(
        [SCRIPT, MARKUP, SQL, "", " ", "\t\n \r", TEN_MB, "x" * 5001, "{{ 7*7 }}", "{% debug %}", "%s%n", "é" * 201]
        + CONTROL
    ),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=40),
)
hostile_amount = st.one_of(
    st.sampled_from(
        [
            "-1",
            "-0.01",
            "0",
            "0.001",
            "1.005",
            "1e400",
            "-1e400",
            "1E-400",
            "9" * 30,
            "9" * 5000,
            "99999999999999.99",
            "999999999999.999",
            "0." + "1" * 60,
            "NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "12,50",
            "1 000",
            "1_000",
            "٣",
            "",
            " ",
            "\x00",
            "5\x00",
            SCRIPT,
            SQL,
        ]
    ),  # fmt: skip
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
hostile_integer = st.one_of(
    st.sampled_from(["-1", "9" * 5000, "1e10", "1.5", "0x10", "", "\x00", SCRIPT]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
hostile_date = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "0000-00-00",
            "2026-02-30",
            "1899-12-31",
            "2101-01-01",
            "31/12/9999",
            "-0001-01-01",
            "",
            " ",
            "\x00",
            "2026-01-01\x00",
            SCRIPT,
            SQL,
            "9" * 5000,
        ]
    ),  # fmt: skip
    st.dates().map(date.isoformat),
)


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def assert_safe(form):
    """The form answers (no exception); accepted values are storable, refusals are messages."""
    if form.is_valid():
        for name, value in form.cleaned_data.items():
            assert_storable(form.fields.get(name), value)
        return True
    assert form.errors
    for errors in form.errors.values():
        assert all(isinstance(message, str) and message.strip() for message in errors)
    return False


def assert_storable(field, value):
    if isinstance(value, str):
        assert "\x00" not in value
        if getattr(field, "max_length", None):
            assert len(value) <= field.max_length
        if not isinstance(getattr(field, "widget", None), forms.PasswordInput):  # a password may hold anything
            assert "\u202e" not in value
    elif isinstance(value, Decimal):
        assert value.is_finite()
        if getattr(field, "decimal_places", None) is not None:
            assert -value.as_tuple().exponent <= field.decimal_places
        if getattr(field, "max_value", None) is not None:
            assert value <= field.max_value
        if getattr(field, "min_value", None) is not None:
            assert value >= field.min_value
    elif isinstance(value, int) and not isinstance(value, bool):
        assert getattr(field, "min_value", None) is None or value >= field.min_value
        assert getattr(field, "max_value", None) is None or value <= field.max_value
    elif isinstance(value, date) and isinstance(field, forms.DateField):
        assert EARLIEST_DATE <= value <= LATEST_DATE


# --- Portal forms ------------------------------------------------------------------------------------


def signup_data(**overrides):
    return {
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
    } | overrides


@SETTINGS
@given(name=hostile_text, company_name=hostile_text, siret=hostile_text, email=hostile_text, band=hostile_text)
def test_signup_form_with_siret(name, company_name, siret, email, band):
    form = SignupForm(
        data=signup_data(first_name=name, company_name=company_name, siret=siret, email=email, headcount_band=band)
    )
    if assert_safe(form):
        assert form.cleaned_data["siret"].isdigit()


@SETTINGS
@given(email=hostile_text)
def test_invitation_form(company, email):
    assert_safe(InvitationForm(data={"email": email}, company=company))


@SETTINGS
@given(first_name=hostile_text, last_name=hostile_text, password=hostile_text)
def test_invited_account_form(first_name, last_name, password):
    data = {"first_name": first_name, "last_name": last_name, "password1": password, "password2": password}
    assert_safe(InvitedAccountForm(data=data, invited_email="new@example.fr"))


@SETTINGS
@given(username=hostile_text, password=hostile_text)
def test_login_form(username, password):
    request = RequestFactory().post("/compte/login/")
    assert_safe(AuthenticationForm(request, data={"username": username, "password": password}))


@SETTINGS
@given(email=hostile_text)
def test_password_reset_forms(plain_user, email):
    assert_safe(PasswordResetForm(data={"email": email}))
    assert_safe(SetPasswordForm(plain_user, data={"new_password1": email, "new_password2": email}))


@SETTINGS
@given(token=hostile_text)
def test_second_factor_form(token):
    form = TokenForm(data={"token": token})
    if assert_safe(form):
        assert form.cleaned_data["token"].isdigit() and len(form.cleaned_data["token"]) == 6


# --- Diagnostics: questionnaire answer and comment ----------------------------------------------------

QUESTION = SimpleNamespace(pk=7, allows_not_applicable=True)


@SETTINGS
@given(choice=hostile_text | st.sampled_from(["0", "5", "6", "-1", "na", "NA"]), comment=hostile_text)
def test_answer_form(choice, comment):
    form = AnswerForm({"q7-choice": choice, "q7-comment": comment}, question=QUESTION)
    if assert_safe(form):
        assert form.cleaned_data["level"] in {None, 0, 1, 2, 3, 4, 5}


# --- Experts -----------------------------------------------------------------------------------------


@SETTINGS
@given(
    organisation=hostile_text,
    bio=hostile_text,
    day_rate=hostile_amount,
    capacity=hostile_integer,
    skill=hostile_text | st.sampled_from(["0", "1", "5", "6"]),
)
def test_expert_profile_form(organisation, bio, day_rate, capacity, skill):
    form = expert_forms.ProfileForm(
        data={
            "organisation": organisation,
            "bio": bio,
            "day_rate": day_rate,
            "capacity": capacity,
            "languages": ["fr"],
            "axis_AX1": skill,
        },
        axes=[("AX1", "Stratégie")],
    )
    assert_safe(form)


@SETTINGS
@given(status=hostile_text | st.just("referenced"), valid_until=hostile_date, comment=hostile_text)
def test_accreditation_form(status, valid_until, comment):
    form = expert_forms.AccreditationForm(data={"status": status, "valid_until": valid_until, "comment": comment})
    assert_safe(form)


@SETTINGS
@given(email=hostile_text, first_name=hostile_text, last_name=hostile_text, organisation=hostile_text)
def test_register_expert_form(email, first_name, last_name, organisation):
    data = {"email": email, "first_name": first_name, "last_name": last_name, "organisation": organisation}
    assert_safe(expert_forms.RegisterExpertForm(data=data))


@SETTINGS
@given(expert=hostile_integer | st.just("1"), due_date=hostile_date, brief=hostile_text)
def test_assignment_proposal_forms(expert, due_date, brief):
    proposal = SimpleNamespace(expert=SimpleNamespace(pk=1, name="Léa Morel", organisation="Cabinet"), reason="")
    data = {"expert": expert, "due_date": due_date, "brief": brief}
    assert_safe(expert_forms.ProposeForm(data=data, proposals=[proposal]))
    assert_safe(region_forms.ProposeExpertForm(data=data, experts=[SimpleNamespace(pk=1)]))


@SETTINGS
@given(reason=hostile_text)
def test_decline_and_cancel_reason_form(reason):
    assert_safe(expert_forms.ReasonForm(data={"reason": reason}))
    assert_safe(expert_forms.ReasonForm(data={"reason": reason}, required=False))


@SETTINGS
@given(visit_date=hostile_date, days=hostile_amount, summary=hostile_text)
def test_visit_form(visit_date, days, summary):
    assert_safe(expert_forms.VisitForm(data={"date": visit_date, "days": days, "summary": summary}))


@SETTINGS
@given(
    summary=hostile_text,
    level=hostile_text | st.sampled_from(["0", "5", "6"]),
    comment=hostile_text,
    recommendation=hostile_text,
    owner=hostile_text,
    due_date=hostile_date,
    total_forms=hostile_integer,
)
def test_review_form_and_actions(summary, level, comment, recommendation, owner, due_date, total_forms):
    axis = SimpleNamespace(code="AX1")
    assert_safe(
        expert_forms.ReviewForm(
            data={"summary": summary, "level_AX1": level, "comment_AX1": comment}, axes=[axis], self_scores={}
        )
    )
    formset = expert_forms.ActionFormSet(
        data={
            "actions-TOTAL_FORMS": total_forms,
            "actions-INITIAL_FORMS": "0",
            "actions-0-recommendation": recommendation,
            "actions-0-owner": owner,
            "actions-0-due_date": due_date,
        },
        prefix="actions",
    )
    if formset.is_valid():
        for form in formset:
            for name, value in form.cleaned_data.items():
                assert_storable(form.fields[name], value)
    else:
        assert formset.errors or formset.non_form_errors()


# --- Regions -----------------------------------------------------------------------------------------


@SETTINGS
@given(
    name=hostile_text,
    description=hostile_text,
    start=hostile_date,
    end=hostile_date,
    budget=hostile_amount,
    cap=hostile_amount,
    target=hostile_integer,
    level=hostile_amount,
)
def test_programme_form_create_and_edit(programme, name, description, start, end, budget, cap, target, level):
    region = programme.region
    data = {
        "region": region.pk,
        "name": name,
        "description": description,
        "start_date": start,
        "end_date": end,
        "budget": budget,
        "cap_per_company": cap,
        "target_companies": target,
        "max_overall_level": level,
        "eligible_headcount_bands": ["10-49"],
    }
    form = region_forms.ProgrammeForm(data=data, regions=Region.objects.filter(pk=region.pk))
    if assert_safe(form):
        assert form.cleaned_data["cap_per_company"] <= form.cleaned_data["budget"]
        assert form.cleaned_data["start_date"] <= form.cleaned_data["end_date"]
    form = region_forms.ProgrammeForm(data=data, regions=Region.objects.none(), programme=programme)
    if assert_safe(form):
        assert form.cleaned_data["budget"] >= programme.committed_total


@pytest.fixture
def programme(db):
    from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

    programme = ProgrammeFactory(budget=Decimal("1000"), cap_per_company=Decimal("500"))
    EnrolmentFactory(programme=programme, status="accepted", requested_amount=Decimal("400"), committed=Decimal("400"))
    programme.refresh_from_db()
    return programme


STUB_PROGRAMME = SimpleNamespace(
    cap_per_company=Decimal("10000"), remaining=Decimal("90000"), funding_rate=Decimal("50")
)


@SETTINGS
@given(
    amount=hostile_amount,
    motivation=hostile_text,
    diagnostic=hostile_integer,
    eligible_cost=hostile_amount,
    outside_aid=hostile_amount,
)
def test_enrolment_application_form(amount, motivation, diagnostic, eligible_cost, outside_aid):
    data = {
        "requested_amount": amount,
        "motivation": motivation,
        "diagnostic": diagnostic,
        "eligible_cost": eligible_cost,
        "declared_outside_aid": outside_aid,
    }
    form = region_forms.ApplicationForm(data=data, programme=STUB_PROGRAMME, diagnostics=Enrolment.objects.none())
    if assert_safe(form):
        assert Decimal("0.01") <= form.cleaned_data["requested_amount"] <= Decimal("10000")
        assert form.cleaned_data["eligible_cost"] is None or form.cleaned_data["eligible_cost"] >= Decimal("0.01")
        assert form.cleaned_data["declared_outside_aid"] >= 0


@SETTINGS
@given(message=hostile_text, decision=hostile_text, reason=hostile_text, ids=hostile_integer)
def test_send_back_and_batch_decision_forms(message, decision, reason, ids):
    if assert_safe(region_forms.SendBackForm(data={"message": message})):
        assert message.strip()
    form = region_forms.BatchDecisionForm(
        data={"decision": decision, "enrolments": [ids], "reason": reason}, enrolment_ids=[1, 2]
    )
    if assert_safe(form):
        assert form.cleaned_data["decision"] in ("accept", "refuse")
        assert set(form.cleaned_data["enrolments"]) <= {1, 2}


@SETTINGS
@given(amount=hostile_amount, comment=hostile_text, reason=hostile_text)
def test_accept_refuse_and_comment_forms(amount, comment, reason):
    form = region_forms.AcceptForm(data={"amount": amount, "comment": comment}, programme=STUB_PROGRAMME)
    if assert_safe(form):
        assert Decimal("0.01") <= form.cleaned_data["amount"] <= Decimal("10000")
    if assert_safe(region_forms.RefuseForm(data={"reason": reason})):
        assert region_forms.RefuseForm(data={"reason": reason}).is_valid() and reason.strip()
    assert_safe(region_forms.CommentForm(data={"comment": comment}))


@SETTINGS
@given(amount=hostile_amount, label=hostile_text, incurred_on=hostile_date, kind=hostile_text, reason=hostile_text)
def test_expense_and_cancellation_forms(amount, label, incurred_on, kind, reason):
    data = {"amount": amount, "label": label, "incurred_on": incurred_on, "kind": kind}
    assert_safe(region_forms.ExpenseForm(data=data))
    assert_safe(region_forms.CancelExpenseForm(data={"reason": reason}))


# --- Named cases: the message the user reads ----------------------------------------------------------


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_a_date_out_of_range_is_refused_with_a_message(english, value):
    form = region_forms.ExpenseForm(data={"amount": "10", "label": "Frais", "incurred_on": value, "kind": "other"})
    assert not form.is_valid()
    assert form.errors["incurred_on"] == ["Enter a date between 2000 and 2100."]


def test_an_amount_with_too_many_digits_is_refused_with_a_message_not_a_database_overflow(english):
    form = region_forms.ExpenseForm(
        data={"amount": "1" + "0" * 20, "label": "Frais", "incurred_on": "2026-01-02", "kind": "other"}
    )
    assert not form.is_valid()
    assert "amount" in form.errors
    form = region_forms.ExpenseForm(
        data={"amount": "10.001", "label": "Frais", "incurred_on": "2026-01-02", "kind": "other"}
    )
    assert form.errors["amount"] == ["Ensure that there are no more than 2 decimal places."]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\u202e", "\u2066"], ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_in_free_text_are_refused_with_a_message(english, char):
    form = expert_forms.VisitForm(data={"date": "2026-01-02", "days": "1", "summary": f"Visite{char} faite"})
    assert not form.is_valid()
    assert form.errors["summary"]


def test_line_breaks_tabs_and_letters_of_every_script_pass_in_free_text():
    summary = "Ligne 1\r\nLigne 2\tencore – Œuvre, 王, می\u200cخواهم, \u200fעברית"
    form = expert_forms.VisitForm(data={"date": "2026-01-02", "days": "1", "summary": summary})
    assert form.is_valid(), form.errors


# --- Through the views, as the role that may post -----------------------------------------------------


@pytest.fixture
def english(settings):
    from django.utils import translation

    with translation.override("en"):
        yield


def assert_escaped(html, payload=SCRIPT):
    assert payload not in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("username", [SCRIPT, "a\x00b@example.fr", TEN_MB[: 2 * 1024 * 1024], SQL, "\u202e"])
def test_login_with_hostile_username_never_breaks(client, username):
    response = client.post(reverse("login"), {"username": username, "password": "x"})
    assert response.status_code in {200, 400, 429}
    assert_escaped(response.content.decode())


@pytest.mark.parametrize("email", [SCRIPT, "a\x00b@example.fr", SQL])
def test_password_reset_with_hostile_address_never_breaks(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code in {200, 302}
    assert_escaped(response.content.decode())


@pytest.fixture
def draft(company, owner):
    from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory

    referential = PublishedReferentialFactory(axes=1, questions=1)
    return DiagnosticFactory(company=company, referential=referential, started_by=owner)


@pytest.mark.parametrize(("comment", "saved"), [(SCRIPT, True), (SQL, True), ("a\x00b", False), ("x" * 5001, False)])
def test_questionnaire_comment_is_stored_as_text_or_refused(client, owner, draft, comment, saved):
    question = draft.referential.questions.get()
    client.force_login(owner)
    response = client.post(
        reverse("diagnostics:autosave", args=[draft.pk, question.pk]),
        {f"q{question.pk}-choice": "2", f"q{question.pk}-comment": comment},
    )
    assert response.status_code == (200 if saved else 400)
    assert [answer.comment for answer in draft.answers.all()] == ([comment] if saved else [])
    page = client.get(reverse("diagnostics:axis", args=[draft.pk, question.axis.code])).content.decode()
    assert_escaped(page, comment if saved else SCRIPT)
    if comment == SCRIPT:
        assert "&lt;script&gt;" in page


@pytest.fixture
def expert_profile(expert):
    from tests.experts.factories import accredit

    return accredit(expert.expert_profile)


def test_expert_profile_with_markup_is_stored_and_shown_escaped(client, expert, expert_profile):
    client.force_login(expert)
    response = client.post(
        reverse("experts:edit_profile"),
        {"organisation": SCRIPT, "bio": MARKUP, "day_rate": "-5", "capacity": "9" * 5000, "languages": ["fr"]},
    )
    assert response.status_code == 200  # amounts refused with messages, nothing saved
    assert response.context["form"].errors.keys() >= {"day_rate", "capacity"}
    assert_escaped(response.content.decode())
    response = client.post(
        reverse("experts:edit_profile"),
        {"organisation": SCRIPT, "bio": MARKUP, "day_rate": "900", "capacity": "3", "languages": ["fr"]},
    )
    assert response.status_code == 302
    expert_profile.refresh_from_db()
    assert (expert_profile.organisation, expert_profile.bio) == (SCRIPT, MARKUP)
    assert_escaped(client.get(reverse("experts:profile", args=[expert_profile.pk])).content.decode())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "0001-01-01", "days": "1", "summary": "ok"}, "date"),
        ({"date": "9999-12-31", "days": "1", "summary": "ok"}, "date"),
        ({"date": "TODAY", "days": "1e400", "summary": "ok"}, "days"),
        ({"date": "TODAY", "days": "-1", "summary": "ok"}, "days"),
        ({"date": "TODAY", "days": "1", "summary": "a\x00b"}, "summary"),
        ({"date": "TODAY", "days": "1", "summary": "\u202eevil"}, "summary"),
    ],
)
def test_visit_log_refuses_hostile_values_with_a_message(client, expert, expert_profile, company, officer, data, field):
    from tests.experts.factories import AssignmentFactory

    assignment = AssignmentFactory(
        expert=expert_profile, company=company, proposed_by=officer, status=Assignment.Status.IN_PROGRESS
    )
    client.force_login(expert)
    data = {key: timezone.localdate().isoformat() if value == "TODAY" else value for key, value in data.items()}
    response = client.post(reverse("experts:log_visit", args=[assignment.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert not Visit.objects.exists()


def test_visit_summary_with_markup_is_shown_escaped(client, expert, expert_profile, company, officer):
    from tests.experts.factories import AssignmentFactory

    assignment = AssignmentFactory(
        expert=expert_profile, company=company, proposed_by=officer, status=Assignment.Status.IN_PROGRESS
    )
    client.force_login(expert)
    data = {"date": timezone.localdate().isoformat(), "days": "1", "summary": SCRIPT}
    assert client.post(reverse("experts:log_visit", args=[assignment.pk]), data).status_code == 302
    assert Visit.objects.get().summary == SCRIPT
    assert_escaped(client.get(reverse("experts:assignment", args=[assignment.pk])).content.decode())


@pytest.mark.parametrize("search", ["\x00", SCRIPT, SQL, "%", "_", "\\"])
def test_assignment_search_with_hostile_text_never_breaks(client, staff, search):
    client.force_login(staff)
    response = client.get(reverse("experts:assignments"), {"company": search})
    assert response.status_code == 200
    assert_escaped(response.content.decode())


def programme_data(**overrides):
    today = timezone.localdate()
    return {
        "region": Region.objects.get(code="53").pk,
        "name": "Robotique 2026",
        "description": "",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=300)).isoformat(),
        "budget": "100000",
        "cap_per_company": "10000",
        "target_companies": "10",
    } | overrides


@pytest.fixture
def region_officer(db):
    from tests.regions.factories import an_officer

    return an_officer()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"budget": "-1"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"budget": "9" * 30}, "budget"),
        ({"budget": "100000.001"}, "budget"),
        ({"budget": "NaN"}, "budget"),
        ({"cap_per_company": "-0.01"}, "cap_per_company"),
        ({"cap_per_company": "200000"}, "cap_per_company"),
        ({"target_companies": "9" * 5000}, "target_companies"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"end_date": "10000-01-01"}, "end_date"),
        ({"name": "a\x00b"}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"description": "\u202e"}, "description"),
    ],
)
def test_programme_creation_refuses_hostile_values_with_a_message(client, region_officer, overrides, field):
    client.force_login(region_officer)
    response = client.post(reverse("regions:programme_create"), programme_data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].has_error(field)
    assert not Programme.objects.exists()


def test_programme_with_markup_is_stored_and_shown_escaped(client, region_officer):
    client.force_login(region_officer)
    response = client.post(reverse("regions:programme_create"), programme_data(name=SCRIPT, description=MARKUP))
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert (programme.name, programme.description) == (SCRIPT, MARKUP)
    assert_escaped(client.get(reverse("regions:programme_detail", args=[programme.pk])).content.decode())
    assert_escaped(client.get(reverse("regions:my_region")).content.decode())
    assert_escaped(client.get(reverse("regions:dashboard")).content.decode())


@pytest.mark.parametrize("amount", ["-1", "0", "1e400", "10000.01", "NaN", "9" * 5000, SCRIPT])
def test_application_refuses_hostile_amounts_with_a_message(client, owner, company, amount):
    from tests.regions.factories import ProgrammeFactory

    programme = ProgrammeFactory(region=company.region)
    client.force_login(owner)
    response = client.post(
        reverse("regions:apply", args=[programme.pk]), {"requested_amount": amount, "motivation": "Robotiser."}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("requested_amount")
    assert not Enrolment.objects.exists()


def test_application_motivation_with_markup_is_stored_and_shown_escaped_to_the_officer(client, owner, company):
    from tests.regions.factories import ProgrammeFactory, an_officer

    programme = ProgrammeFactory(region=company.region)
    client.force_login(owner)
    response = client.post(
        reverse("regions:apply", args=[programme.pk]), {"requested_amount": "5000", "motivation": SCRIPT}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.motivation == SCRIPT
    client.force_login(an_officer(company.region))
    assert_escaped(client.get(reverse("regions:enrolment_detail", args=[enrolment.pk])).content.decode())


@pytest.fixture
def under_review(company):
    from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

    return EnrolmentFactory(programme=ProgrammeFactory(region=company.region), company=company, status="under_review")


@pytest.mark.parametrize("amount", ["-5", "0", "1e400", "10000.01", "0.001", "Infinity", "\x00"])
def test_accepting_refuses_hostile_amounts_with_a_message(client, region_officer, under_review, amount):
    client.force_login(region_officer)
    response = client.post(reverse("regions:enrolment_action", args=[under_review.pk, "accept"]), {"amount": amount})
    assert response.status_code in {200, 400}
    under_review.refresh_from_db()
    assert under_review.status == Enrolment.Status.UNDER_REVIEW
    assert under_review.committed_amount == 0


@pytest.mark.parametrize(("reason", "refused"), [(SCRIPT, True), (" ", False), ("a\x00b", False), ("x" * 2001, False)])
def test_refusal_reason_is_stored_as_text_or_refused(client, region_officer, under_review, owner, reason, refused):
    client.force_login(region_officer)
    response = client.post(reverse("regions:enrolment_action", args=[under_review.pk, "refuse"]), {"reason": reason})
    assert response.status_code in {200, 302, 400}
    under_review.refresh_from_db()
    assert (under_review.status == Enrolment.Status.REFUSED) == refused
    if refused:
        assert_escaped(client.get(reverse("regions:enrolment_detail", args=[under_review.pk])).content.decode())
        client.force_login(owner)
        assert_escaped(client.get(reverse("regions:my_applications")).content.decode())


@pytest.mark.parametrize(
    ("data", "booked"),
    [
        ({"amount": "-10", "label": "Frais"}, False),
        ({"amount": "1e400", "label": "Frais"}, False),
        ({"amount": "10", "label": "Frais", "incurred_on": "0001-01-01"}, False),
        ({"amount": "10", "label": "a\x00b"}, False),
        ({"amount": "10", "label": "x" * 201}, False),
        ({"amount": "10", "label": SCRIPT}, True),
    ],
)
def test_expense_refuses_hostile_values_or_stores_text(client, region_officer, company, data, booked):
    from tests.regions.factories import EnrolmentFactory, ProgrammeFactory

    enrolment = EnrolmentFactory(
        programme=ProgrammeFactory(region=company.region),
        company=company,
        status="in_progress",
        committed=Decimal("5000"),
    )
    client.force_login(region_officer)
    data = {"incurred_on": timezone.localdate().isoformat(), "kind": "other"} | data
    response = client.post(reverse("regions:expense_create", args=[enrolment.pk]), data)
    assert response.status_code in {200, 302, 400}
    assert Expense.objects.exists() == booked
    if booked:
        assert Expense.objects.get().label == SCRIPT
        assert_escaped(client.get(reverse("regions:enrolment_detail", args=[enrolment.pk])).content.decode())


def test_accreditation_with_a_date_of_year_9999_is_refused_with_a_message(client, staff, expert, expert_profile):
    client.force_login(staff)
    before = Accreditation.objects.count()
    response = client.post(
        reverse("experts:edit_accreditation", args=[expert_profile.pk]),
        {"status": "suspended", "valid_until": "9999-12-31", "comment": SCRIPT},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("valid_until")
    assert Accreditation.objects.count() == before
    assert_escaped(response.content.decode())


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("diagnostics:referential", {"version": "\x00"}),
        ("diagnostics:referential", {"version": SCRIPT}),
        ("experts:directory", {"q": "\x00", "region": "\x00", "axis": SCRIPT, "language": "\x00"}),
        ("experts:directory", {"q": TEN_MB[:100_000], "theme": "9" * 5000}),
    ],
)
def test_public_pages_with_hostile_query_strings_never_break(client, url, params):
    response = client.get(reverse(url), params)
    assert response.status_code in {200, 404}
    assert_escaped(response.content.decode())


@pytest.mark.parametrize(
    "params",
    [
        {"applied_from": "0001-01-01", "applied_to": "9999-12-31"},
        {"applied_from": "\x00", "status": "\x00", "size": SCRIPT},
        {"programme": "9" * 5000, "sector": "-1", "region": "\x00"},
        {"page": "\x00"},
        {"page": "9" * 5000},
    ],
)
def test_dashboard_filters_with_hostile_values_never_break(client, region_officer, params):
    client.force_login(region_officer)
    for kind in ("dashboard", "export"):
        args = ["candidatures", "csv"] if kind == "export" else []
        response = client.get(reverse(f"regions:{kind}", args=args), params)
        assert response.status_code == 200
        if kind == "dashboard":
            assert_escaped(response.content.decode())


def test_the_lockout_key_of_a_hostile_login_fits_the_attempt_log():
    # django-axes stores it in a 255-character column; PostgreSQL refuses NUL bytes.
    from portal.security import login_username

    assert login_username(None, {"username": "A" * 10_000}) == "a" * 254
    assert login_username(None, {"username": "Lea\x00@Example.fr "}) == "lea@example.fr"
    assert login_username(None, {"username": "\x00"}) is None
