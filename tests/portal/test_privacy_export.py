"""A member downloads all the company's data as a zip; nobody else can; every model pointing at a
company or a user is covered by an export mapping or listed as excluded with its reason."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from portal.models import Company, User
from portal.privacy import NOT_EXPORTED, exported_models
from tests.portal.privacy_support import PDF, populated_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated():
    return populated_company()


def _download(client, user, company):
    client.force_login(user)
    return client.post(reverse("portal:company_export", args=[company.pk]))


def _archive(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_a_member_downloads_the_company_data_as_a_zip(client, populated):
    response = _download(client, populated.member, populated.company)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    names = set(_archive(response).namelist())
    assert {"export.json", "company.json", "diagnostics.json", "experts.json", "regions.json"} <= names


def test_the_export_holds_the_company_its_members_and_invitations(client, populated):
    archive = _archive(_download(client, populated.owner, populated.company))

    data = json.loads(archive.read("company.json"))
    assert data["company"]["siret"] == populated.company.siret
    assert {member["email"] for member in data["members"]} == {populated.owner.email, populated.member.email}
    assert [invitation["email"] for invitation in data["invitations"]] == ["invitee.privacy@usine-privee.fr"]


def test_the_export_holds_the_diagnostics_with_answers_scores_and_the_pdf(client, populated):
    archive = _archive(_download(client, populated.member, populated.company))

    diagnostics = json.loads(archive.read("diagnostics.json"))["diagnostics"]
    assert [d["id"] for d in diagnostics] == [populated.diagnostic.pk]
    assert diagnostics[0]["overall_score"] == "2.50"
    assert diagnostics[0]["answers"][0]["comment"].startswith("Voir avec Anatole")
    pdf_name = diagnostics[0]["reports"][0]["file"]
    assert pdf_name.startswith("reports/") and archive.read(pdf_name) == PDF


def test_the_export_holds_enrolments_expenses_assignments_visits_and_reviews(client, populated):
    archive = _archive(_download(client, populated.member, populated.company))

    enrolments = json.loads(archive.read("regions.json"))["enrolments"]
    assert enrolments[0]["committed_amount"] == "8000.00"
    assert [expense["amount"] for expense in enrolments[0]["expenses"]] == ["1200.00"]
    assignments = json.loads(archive.read("experts.json"))["assignments"]
    assert assignments[0]["visits"][0]["cost"] == "800.00"
    assert assignments[0]["review"]["actions"][0]["owner"] == "A. Brisebarre"


def test_the_export_does_not_hold_another_company_data(client, populated, other_company_member):
    other = other_company_member.memberships.get().company

    archive = _archive(_download(client, populated.member, populated.company))

    assert other.siret not in archive.read("company.json").decode()
    assert other_company_member.email not in archive.read("company.json").decode()


def test_a_missing_pdf_is_listed_instead_of_failing_the_export(client, populated):
    populated.report.file.storage.delete(populated.report.file.name)

    archive = _archive(_download(client, populated.member, populated.company))

    assert json.loads(archive.read("export.json"))["missing_files"] != []


@pytest.mark.parametrize("role", ["other_company_member", "officer", "expert", "staff", "plain_user"])
def test_anyone_outside_the_company_gets_404_on_its_data_pages(client, populated, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.post(reverse("portal:company_export", args=[populated.company.pk])).status_code == 404
    assert client.get(reverse("portal:company_data", args=[populated.company.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, populated):
    for name in ("portal:company_export", "portal:company_data"):
        response = client.post(reverse(name, args=[populated.company.pk]))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_export_is_downloaded_with_a_post_only(client, populated):
    client.force_login(populated.member)

    assert client.get(reverse("portal:company_export", args=[populated.company.pk])).status_code == 405


def test_the_data_page_offers_the_download_to_a_member_and_the_closure_to_owners_only(client, populated):
    client.force_login(populated.member)
    member_page = client.get(reverse("portal:company_data", args=[populated.company.pk]))
    client.force_login(populated.owner)
    owner_page = client.get(reverse("portal:company_data", args=[populated.company.pk]))

    close_url = reverse("portal:company_close", args=[populated.company.pk])
    assert member_page.status_code == 200 and close_url not in member_page.content.decode()
    assert reverse("portal:company_export", args=[populated.company.pk]) in member_page.content.decode()
    assert close_url in owner_page.content.decode()


def _points_at_company_or_user(model):
    return any(
        isinstance(field, models.ForeignKey) and field.related_model in (Company, User)
        for field in model._meta.concrete_fields
    )


def test_every_model_pointing_at_a_company_or_a_user_is_exported_or_excluded_with_a_reason():
    covered = exported_models() | set(NOT_EXPORTED)
    models_pointing = {model._meta.label for model in apps.get_models() if _points_at_company_or_user(model)}

    assert models_pointing - covered == set(), "add an export mapping (portal.privacy) or a reason in NOT_EXPORTED"


def test_no_model_is_both_exported_and_excluded_and_every_exclusion_has_a_reason():
    assert exported_models() & set(NOT_EXPORTED) == set()
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


def test_the_company_page_links_members_to_their_data_but_not_staff(client, populated, staff):
    url = reverse("portal:company_data", args=[populated.company.pk])
    client.force_login(populated.member)
    member_page = client.get(reverse("portal:company_detail", args=[populated.company.pk])).content.decode()
    client.force_login(staff)
    staff_page = client.get(reverse("portal:company_detail", args=[populated.company.pk])).content.decode()

    assert url in member_page
    assert url not in staff_page


def test_the_export_lists_who_outside_the_company_viewed_its_diagnostics(client, populated, officer):
    from diagnostics.models import DiagnosticAccess

    DiagnosticAccess.objects.create(
        diagnostic=populated.diagnostic, company=populated.company, user=officer, kind="officer", what="results"
    )

    archive = _archive(_download(client, populated.member, populated.company))

    accesses = json.loads(archive.read("diagnostics.json"))["accesses_from_outside"]
    assert [(access["user_id"], access["what"]) for access in accesses] == [(officer.pk, "results")]
