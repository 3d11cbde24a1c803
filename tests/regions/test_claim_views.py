"""Payment claims' pages for every role: the company submits from its enrolment's page and follows
its claims; the region's officers (and staff) list the claims to process, certify, reject and record
payments; invoices only through the permission-checked view. Others get 404 (outside their scope)
or 403 (an action that is not theirs)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Region
from regions import services
from regions.models import PaymentClaim
from tests.portal.factories import RegionOfficerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, claim, invoice
from tests.storage_support import downloaded, served_status

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "plain_user",
    "owner",
    "member",
    "other_company_member",
    "expert",
    "officer",
    "other_officer",
    "staff",
]


@pytest.fixture
def other_officer(db):
    return RegionOfficerFactory(region=Region.objects.get(code="11")).user


@pytest.fixture
def funded(company, officer):
    """The owner's company, in progress with 8,000 EUR committed, in the officer's region."""
    return EnrolmentFactory(
        programme=ProgrammeFactory(), company=company, status="in_progress", committed=Decimal("8000")
    )


@pytest.fixture
def submitted(funded):
    return claim(funded, Decimal("3000"))


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def status_of(client, user, url, method="get", data=None):
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {}).status_code


# --- who sees what ----------------------------------------------------------------------------------

SEES_THE_CLAIM = {"owner": 200, "member": 200, "officer": 200, "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_claim_page(client, request, submitted, role):
    expected = 302 if role == "anonymous" else SEES_THE_CLAIM.get(role, 404)
    assert status_of(client, user_for(request, role), reverse("regions:claim_detail", args=[submitted.pk])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_invoice_download(client, request, submitted, role):
    url = reverse("regions:invoice_download", args=[submitted.invoices.get().pk])
    user = user_for(request, role)
    if user is None:
        assert client.get(url).status_code == 302  # to the login page
        return
    client.force_login(user)
    # Served from the disk, or a redirect to a presigned URL of the object store that serves it.
    assert served_status(client.get(url)) == SEES_THE_CLAIM.get(role, 404)


def test_the_invoice_downloaded_is_the_one_sent(client, owner, submitted):
    client.force_login(owner)
    content, headers = downloaded(client.get(reverse("regions:invoice_download", args=[submitted.invoices.get().pk])))
    assert content.startswith(b"%PDF-1.4")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("plain_user", 403),
        ("owner", 403),
        ("expert", 403),
        ("officer", 200),
        ("other_officer", 200),
        ("staff", 200),
    ],
)
def test_claims_to_process_page(client, request, submitted, role, expected):
    assert status_of(client, user_for(request, role), reverse("regions:claims_to_process")) == expected


def test_claims_to_process_lists_only_the_officers_regions(client, officer, other_officer, submitted):
    client.force_login(other_officer)
    assert submitted.enrolment.company.name not in client.get(reverse("regions:claims_to_process")).content.decode()
    client.force_login(officer)
    assert submitted.enrolment.company.name in client.get(reverse("regions:claims_to_process")).content.decode()


def test_claims_to_process_reads_a_fixed_number_of_queries(client, officer, funded, django_assert_max_num_queries):
    for _ in range(12):
        claim(funded, Decimal("100"))
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("regions:claims_to_process"))
    assert response.content.decode().count(reverse("regions:claim_detail", args=[funded.claims.first().pk])) == 1
    assert len(response.context["page"].object_list) == 12


def test_the_enrolment_page_lists_the_claims_in_a_fixed_number_of_queries(
    client, owner, funded, django_assert_max_num_queries
):
    claim(funded, Decimal("100"), status="paid")
    client.force_login(owner)
    url = reverse("regions:enrolment_detail", args=[funded.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        client.get(url)
    baseline = len(captured)
    for _ in range(5):
        claim(funded, Decimal("100"), status="paid")
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.content.decode().count("/demandes-de-paiement/") >= 6


# --- the company submits ----------------------------------------------------------------------------


def _claim_data(amount="2 500,00", files=None):
    return {"amount": amount, "description": "Cellule robotisée", "invoices": files or [invoice()]}


def test_a_member_submits_a_claim_from_the_enrolment_page(client, member, funded):
    client.force_login(member)
    page = client.get(reverse("regions:enrolment_detail", args=[funded.pk])).content.decode()
    assert reverse("regions:claim_submit", args=[funded.pk]) in page
    response = client.post(reverse("regions:claim_submit", args=[funded.pk]), _claim_data())
    made = PaymentClaim.objects.get(enrolment=funded)
    assert response.status_code == 302 and response["Location"] == reverse("regions:claim_detail", args=[made.pk])
    assert made.amount_claimed == Decimal("2500") and made.invoices.count() == 1


def test_several_invoices_are_sent_at_once(client, owner, funded):
    client.force_login(owner)
    files = [invoice("f1.pdf"), invoice("f2.pdf", b"%PDF-1.4\n% 2\n")]
    client.post(reverse("regions:claim_submit", args=[funded.pk]), _claim_data(files=files))
    assert PaymentClaim.objects.get(enrolment=funded).invoices.count() == 2


def test_a_claim_above_the_commitment_is_a_form_error_saying_by_how_much(client, owner, funded, english):
    client.force_login(owner)
    response = client.post(reverse("regions:claim_submit", args=[funded.pk]), _claim_data("9000"))
    assert response.status_code == 400
    assert "1,000 EUR too much" in response.content.decode()
    assert not PaymentClaim.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("other_company_member", 404),
        ("expert", 404),
        ("officer", 403),
        ("other_officer", 404),
        ("staff", 403),
    ],
)
def test_only_the_company_submits(client, request, funded, role, expected):
    assert (
        status_of(
            client, user_for(request, role), reverse("regions:claim_submit", args=[funded.pk]), "post", _claim_data()
        )
        == expected
    )
    assert not PaymentClaim.objects.exists()


def test_the_company_gets_no_decision_form(client, owner, submitted):
    client.force_login(owner)
    page = client.get(reverse("regions:claim_detail", args=[submitted.pk])).content.decode()
    assert reverse("regions:claim_action", args=[submitted.pk, "certify"]) not in page


# --- the officer decides and pays -------------------------------------------------------------------


def _act(client, user, claim, action, data):
    client.force_login(user)
    return client.post(reverse("regions:claim_action", args=[claim.pk, action]), data)


def test_the_officer_certifies_then_records_the_payment(client, officer, submitted):
    response = _act(client, officer, submitted, "certify", {"amount": "2 800,00"})
    assert response.status_code == 302
    response = _act(
        client, officer, submitted, "pay", {"paid_on": timezone.localdate().isoformat(), "reference": "VIR-9"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.certified_amount, submitted.payment.reference) == (
        "paid",
        Decimal("2800"),
        "VIR-9",
    )


def test_the_officer_rejects_with_a_reason(client, officer, submitted):
    _act(client, officer, submitted, "reject", {"reason": "Facture illisible."})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("rejected", "Facture illisible.")


def test_a_rejection_without_reason_is_a_form_error(client, officer, submitted, english):
    response = _act(client, officer, submitted, "reject", {"reason": ""})
    assert response.status_code == 400
    assert PaymentClaim.objects.get(pk=submitted.pk).status == "submitted"


def test_certifying_above_the_commitment_shows_the_excess(client, officer, funded, english):
    first, second = claim(funded, Decimal("5000")), claim(funded, Decimal("4000"))
    services.certify_claim(claim=first, amount=Decimal("5000"), by=officer)
    response = _act(client, officer, second, "certify", {"amount": "4000"})
    assert response.status_code == 409
    assert "1,000 EUR too much" in response.content.decode()
    assert PaymentClaim.objects.get(pk=second.pk).status == "submitted"


def test_a_second_certification_says_already_decided(client, officer, funded, english):
    made = claim(funded, Decimal("1000"), status="certified")
    response = _act(client, officer, made, "reject", {"reason": "Non."})
    assert response.status_code == 409
    assert "already been decided" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("owner", 403),
        ("member", 403),
        ("other_company_member", 404),
        ("expert", 404),
        ("other_officer", 404),
        ("officer", 302),
        ("staff", 302),
    ],
)
@pytest.mark.parametrize(("action", "data"), [("certify", {"amount": "1000"}), ("reject", {"reason": "Non."})])
def test_only_the_regions_officers_and_staff_decide(client, request, submitted, role, expected, action, data):
    url = reverse("regions:claim_action", args=[submitted.pk, action])
    assert status_of(client, user_for(request, role), url, "post", data) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("owner", 403), ("other_company_member", 404), ("other_officer", 404), ("officer", 302), ("staff", 302)],
)
def test_only_the_regions_officers_and_staff_record_payments(client, request, funded, role, expected):
    made = claim(funded, Decimal("1000"), status="certified")
    data = {"paid_on": timezone.localdate().isoformat(), "reference": "VIR-1"}
    assert (
        status_of(client, user_for(request, role), reverse("regions:claim_action", args=[made.pk, "pay"]), "post", data)
        == expected
    )


def test_claim_actions_are_posts(client, officer, submitted):
    client.force_login(officer)
    assert client.get(reverse("regions:claim_action", args=[submitted.pk, "certify"])).status_code == 405
