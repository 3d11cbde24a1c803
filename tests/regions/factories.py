"""Factories of the regions tests. Programmes and enrolments go through the services, so every row
they make has its ledger entries and transitions, and reconciles.

    ProgrammeFactory()                                   # open, Bretagne (53), budget 100,000, cap 10,000
    ProgrammeFactory(budget=Decimal("50000"), status="draft", eligible_naf_codes=["C"])
    EnrolmentFactory(programme=p)                        # a new company of the region applies (5,000 EUR)
    EnrolmentFactory(programme=p, status="accepted", committed=Decimal("8000"))
    SubmittedDiagnosticFactory(company=c, overall_score=Decimal("2.40"))
"""

import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from diagnostics.models import Diagnostic, Referential
from portal.models import NafCode, Region
from regions import services
from regions.models import Enrolment, Expense, Programme
from tests.portal.factories import CompanyFactory, OwnerFactory, RegionOfficerFactory, UserFactory


def bretagne():
    return Region.objects.get(code="53")


def an_officer(region=None):
    return RegionOfficerFactory(region=region or bretagne()).user


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    region = factory.LazyFunction(bretagne)
    name = factory.Sequence(lambda n: f"Programme {n}")
    description = "Accompagnement vers l'industrie du futur."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=335))
    status = Programme.Status.OPEN
    budget = Decimal("100000")
    cap_per_company = Decimal("10000")
    target_companies = 10

    @classmethod
    def _create(cls, model_class, *args, region, budget, eligible_naf_codes=(), by=None, tranches=None, **fields):
        codes = [NafCode.objects.get(code=code) if isinstance(code, str) else code for code in eligible_naf_codes]
        this_year = timezone.localdate().year
        if tranches is None and fields["start_date"].year <= this_year <= fields["end_date"].year:
            # The whole budget on this year's tranche, whatever the day the tests run (acceptances draw on it).
            tranches = {this_year: budget}
        return services.create_programme(
            region=region, budget=budget, by=by, eligible_naf_codes=codes, tranches=tranches, **fields
        )


class ReferentialStubFactory(factory.django.DjangoModelFactory):
    """An empty referential version: enough for a diagnostic row to point at."""

    class Meta:
        model = Referential
        django_get_or_create = ["code", "version"]

    code = "regions-tests"
    version = "1"
    title_fr = "Référentiel de test"
    title_en = "Test referential"
    description_fr = "Test."
    description_en = "Test."


class SubmittedDiagnosticFactory(factory.django.DjangoModelFactory):
    """A submitted diagnostic with its score snapshot; the company's latest unless is_latest=False.

    A raw row, not `diagnostics.services.submit_diagnostic`: the regions tests need a given score
    snapshot (eligibility thresholds, bands) on a stub referential without questions, which the
    service would compute from answers instead. The submit service is tested in tests/diagnostics."""

    class Meta:
        model = Diagnostic

    company = factory.SubFactory(CompanyFactory)
    referential = factory.SubFactory(ReferentialStubFactory)
    status = Diagnostic.Status.SUBMITTED
    started_by = factory.SubFactory(UserFactory)
    submitted_by = factory.SelfAttribute("started_by")
    submitted_at = factory.LazyFunction(timezone.now)
    overall_score = Decimal("2.00")
    band = factory.LazyAttribute(lambda d: int(d.overall_score))
    scores = factory.LazyAttribute(lambda d: {"overall": str(d.overall_score), "band": d.band, "axes": {}})
    is_latest = True

    @classmethod
    def _create(cls, model_class, *args, **fields):
        if fields.get("is_latest"):
            Diagnostic.objects.filter(company=fields["company"], is_latest=True).update(is_latest=False)
        return super()._create(model_class, *args, **fields)


PATH = {
    Enrolment.Status.APPLIED: [],
    Enrolment.Status.SENT_BACK: ["send_back"],
    Enrolment.Status.UNDER_REVIEW: ["review"],
    Enrolment.Status.ACCEPTED: ["review", "accept"],
    Enrolment.Status.REFUSED: ["review", "refuse"],
    Enrolment.Status.IN_PROGRESS: ["review", "accept", "start"],
    Enrolment.Status.COMPLETED: ["review", "accept", "start", "complete"],
    Enrolment.Status.WITHDRAWN: ["withdraw"],
}


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An application made through the service, then moved along the workflow up to `status`."""

    class Meta:
        model = Enrolment

    programme = factory.SubFactory(ProgrammeFactory)
    company = factory.LazyAttribute(lambda e: OwnerFactory(company__region=e.programme.region).company)
    requested_amount = Decimal("5000")
    motivation = "Robotiser la ligne d'usinage."

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        programme,
        company,
        requested_amount,
        motivation,
        status="applied",
        committed=None,
        by=None,
        officer=None,
    ):
        applicant = by or company.memberships.select_related("user").first().user
        if committed is not None:  # an officer commits at most the aid asked for
            requested_amount = max(requested_amount, committed)
        enrolment = services.apply_to_programme(
            programme=programme, company=company, requested_amount=requested_amount, motivation=motivation, by=applicant
        )
        officer = officer or an_officer(programme.region)
        for step in PATH[status]:
            if step == "review":
                enrolment = services.start_review(enrolment=enrolment, by=officer)
            elif step == "send_back":
                enrolment = services.send_back_enrolment(enrolment=enrolment, message="Joindre un devis.", by=officer)
            elif step == "accept":
                amount = committed if committed is not None else requested_amount
                enrolment = services.accept_enrolment(enrolment=enrolment, amount=amount, by=officer)
            elif step == "refuse":
                enrolment = services.refuse_enrolment(enrolment=enrolment, reason="Hors périmètre.", by=officer)
            elif step == "start":
                enrolment = services.start_enrolment(enrolment=enrolment, by=officer)
            elif step == "complete":
                enrolment = services.complete_enrolment(enrolment=enrolment, by=officer)
            elif step == "withdraw":
                enrolment = services.withdraw_enrolment(enrolment=enrolment, by=applicant)
        return enrolment


def book(enrolment, amount, *, by=None, kind=Expense.Kind.OTHER, label="Frais", source_reference=""):
    return services.book_expense(
        enrolment=enrolment,
        kind=kind,
        amount=amount,
        label=label,
        incurred_on=timezone.localdate(),
        by=by,
        source_reference=source_reference,
    )


def stored_document(enrolment, *, content=b"%PDF-1.4\n% test\n", kind="quote", name="devis.pdf", by=None):
    """A document already in an application's file, whatever the application's status now (the
    service adds documents while the application is open to changes only)."""
    from django.core.files.base import ContentFile

    from regions.models import EnrolmentDocument

    digest = hashlib.sha256(content).hexdigest()
    document = EnrolmentDocument(
        enrolment=enrolment,
        kind=kind,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=digest,
        uploaded_by=by,
    )
    document.file.save(f"applications/{enrolment.pk}/{digest}.pdf", ContentFile(content), save=False)
    document.save()
    return document


PDF_INVOICE = b"%PDF-1.4\n% facture\n"


def invoice(name="facture.pdf", content=PDF_INVOICE):
    """An uploaded invoice, as a form hands it to the service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def claim(enrolment, amount=Decimal("1000"), *, status="submitted", certified=None, by=None, officer=None):
    """A payment claim made through the services, moved up to `status` (certified at `certified`,
    the amount claimed by default; paid today under a reference "VIR-<pk>")."""
    member = by or enrolment.company.memberships.select_related("user").first().user
    made = services.submit_claim(
        enrolment=enrolment, amount=amount, description="Cellule robotisée", invoices=[invoice()], by=member
    )
    officer = officer or an_officer(enrolment.programme.region)
    if status == "rejected":
        made = services.reject_claim(claim=made, reason="Facture illisible.", by=officer)
    if status in ("certified", "paid"):
        made = services.certify_claim(claim=made, amount=certified or amount, by=officer)
    if status == "paid":
        made = services.record_payment(claim=made, paid_on=timezone.localdate(), reference=f"VIR-{made.pk}", by=officer)
    return made


def waiting_and_certified_claims(enrolment):
    """On a funded enrolment: a claim waiting for the officer's decision (1,000 EUR) and one certified
    (500 EUR), waiting for its payment; the claims' pages drawn with their forms."""
    officer = enrolment.programme.region.officers.select_related("user").first().user
    return claim(enrolment, Decimal("1000"), officer=officer), claim(
        enrolment, Decimal("500"), status="certified", officer=officer
    )
