"""An owner closes the company's account: personal data are erased everywhere, the company is
pseudonymised, the aggregates and the regions' budget records stay as they were."""

import pytest
from django.apps import apps
from django.db.models import Q
from django.urls import reverse

from diagnostics.models import Answer, Diagnostic, Report
from portal.models import Company, Invitation, Membership, PendingSignup, User, UserSession
from portal.privacy.closure import ClosureRefused, close_company, text_columns
from tests.portal.factories import MembershipFactory, OwnerFactory
from tests.portal.privacy_support import populated_company, programme_totals, reconciles

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated():
    return populated_company()


def _close(client, populated, confirmation=None, understood="on"):
    client.force_login(populated.owner)
    data = {"confirmation": populated.company.name if confirmation is None else confirmation}
    if understood:
        data["understood"] = understood
    return client.post(reverse("portal:company_close", args=[populated.company.pk]), data)


def _rows_containing(tokens):
    """(table.column, token) for every text column of every table holding one of the tokens."""
    found = []
    for model, field in text_columns():
        for token in tokens:
            if model._base_manager.filter(Q(**{f"{field.name}__icontains": token})).exists():
                found.append((f"{model._meta.label}.{field.name}", token))
    return found


def test_before_closure_the_scan_finds_the_names_and_e_mails(populated):
    """The scan below can fail: it finds the people before the closure."""
    found = {column for column, _token in _rows_containing(populated.erased_emails + populated.erased_names)}

    assert {"portal.User.email", "diagnostics.Answer.comment", "regions.Enrolment.motivation"} <= found


def test_after_closure_no_text_column_of_any_table_holds_an_erased_e_mail_or_name(client, populated):
    response = _close(client, populated)

    assert response.status_code == 302
    assert _rows_containing(populated.erased_emails + populated.erased_names) == []


def test_closure_leaves_the_programmes_totals_unchanged_and_reconciled(client, populated):
    totals = programme_totals()

    _close(client, populated)

    assert programme_totals() == totals
    assert reconciles()


def test_closure_pseudonymises_the_company_and_keeps_its_scores(client, populated):
    _close(client, populated)

    company = Company.objects.get(pk=populated.company.pk)
    assert company.name == f"Entreprise fermée #{company.pk}"
    assert company.siret.startswith("F") and len(company.siret) == 14
    diagnostic = Diagnostic.objects.get(pk=populated.diagnostic.pk)
    assert diagnostic.is_latest and diagnostic.overall_score == populated.diagnostic.overall_score
    assert Answer.objects.get(diagnostic=diagnostic).level == 2


def test_closure_deactivates_and_anonymises_the_members_and_ends_their_sessions(client, populated):
    client.force_login(populated.member)  # the member's session
    _close(client, populated)

    for user in User.objects.filter(pk__in=[populated.owner.pk, populated.member.pk]):
        assert not user.is_active and not user.has_usable_password()
        assert (user.first_name, user.last_name) == ("", "")
    assert not Membership.objects.filter(company=populated.company).exists()
    assert not UserSession.objects.filter(user__in=[populated.owner, populated.member]).exists()


def test_closure_deletes_invitations_sign_up_requests_and_report_files(
    client, populated, django_capture_on_commit_callbacks
):
    storage, name = populated.report.file.storage, populated.report.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        _close(client, populated)

    assert not Invitation.objects.filter(company=populated.company).exists()
    assert not PendingSignup.objects.filter(email__icontains="quintavalle").exists()
    assert not Report.objects.filter(pk=populated.report.pk).exists()
    assert not storage.exists(name)


def test_closure_writes_one_audit_entry_with_ids_only(client, populated):
    from portal import audit
    from portal.models import AuditEntry

    _close(client, populated)

    entry = AuditEntry.objects.get(action="company.closed")
    assert (entry.subject_pk, entry.by_id) == (str(populated.company.pk), populated.owner.pk)
    assert audit.decoded(entry.after)["accounts_anonymised"] == sorted([populated.owner.pk, populated.member.pk])
    assert "@" not in entry.after and "Quintavalle" not in entry.after
    assert audit.verify_chain()[0] == []


def test_a_member_of_another_company_keeps_the_account_and_loses_only_this_seat(client, populated):
    other = OwnerFactory().company
    MembershipFactory(company=other, user=populated.member)

    _close(client, populated)

    member = User.objects.get(pk=populated.member.pk)
    assert member.is_active and member.email == "anatole.brisebarre@usine-privee.fr"
    assert list(member.memberships.values_list("company_id", flat=True)) == [other.pk]


def test_the_owner_is_logged_out_and_told_the_account_is_closed(client, populated):
    response = _close(client, populated)

    assert response["Location"] == reverse("home")
    page = client.get(response["Location"])
    assert "_auth_user_id" not in client.session
    assert "closed" in page.content.decode() or "fermé" in page.content.decode()


@pytest.mark.parametrize(
    "confirmation, understood",
    [("Forges Quintavall", "on"), ("", "on"), ("Forges Quintavalle", None), ("x" * 10_000, "on")],
)
def test_a_wrong_confirmation_changes_nothing(client, populated, confirmation, understood):
    response = _close(client, populated, confirmation=confirmation, understood=understood)

    assert response.status_code == 200
    company = Company.objects.get(pk=populated.company.pk)
    assert company.name == "Forges Quintavalle"
    assert Membership.objects.filter(company=company).count() == 2
    assert User.objects.get(pk=populated.owner.pk).is_active


def test_the_confirmation_ignores_case_and_spaces(client, populated):
    _close(client, populated, confirmation="  forges   QUINTAVALLE ")

    assert Company.objects.get(pk=populated.company.pk).name.startswith("Entreprise fermée")


def test_a_member_who_is_not_owner_gets_403_and_nothing_changes(client, populated):
    client.force_login(populated.member)
    url = reverse("portal:company_close", args=[populated.company.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmation": populated.company.name, "understood": "on"}).status_code == 403
    assert Company.objects.get(pk=populated.company.pk).name == "Forges Quintavalle"


@pytest.mark.parametrize("role", ["other_company_member", "officer", "expert", "staff", "plain_user"])
def test_anyone_outside_the_company_gets_404_on_the_closure(client, populated, role, request):
    client.force_login(request.getfixturevalue(role))
    url = reverse("portal:company_close", args=[populated.company.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmation": populated.company.name, "understood": "on"}).status_code == 404
    assert Company.objects.get(pk=populated.company.pk).name == "Forges Quintavalle"


def test_the_owner_sees_the_confirmation_page(client, populated):
    client.force_login(populated.owner)

    response = client.get(reverse("portal:company_close", args=[populated.company.pk]))

    assert response.status_code == 200 and "Forges Quintavalle" in response.content.decode()


def test_a_closed_company_cannot_be_closed_twice(populated):
    company = close_company(company=populated.company, by=populated.owner, confirmation="Forges Quintavalle")

    with pytest.raises(ClosureRefused):
        close_company(company=company, by=populated.owner, confirmation=company.name)


def test_the_scan_covers_every_model_with_a_text_column():
    scanned = {model._meta.label for model, _field in text_columns()}

    assert {"portal.User", "portal.Company", "diagnostics.Answer", "regions.LedgerEntry"} <= scanned
    assert len(scanned) >= len([m for m in apps.get_models() if m._meta.label == "portal.User"])
