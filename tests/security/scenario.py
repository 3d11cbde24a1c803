"""The one scenario the permission matrix runs against: every URL kwarg can be filled from it.

Two regions: Bretagne ("53", region A) and Auvergne-Rhône-Alpes ("84", region B). In each, a company
with a draft and a submitted diagnostic (company A's has a ready PDF report), an open programme the
company is accepted in with one expense, and an expert assignment. Company A's submitted diagnostic and its
draft each carry a PDF as evidence on their first answer. Company A also has an earlier
submitted diagnostic, attached to neither its application nor its assignment; company E (Bretagne)
was refused by the region's programme, its diagnostic attached to that application; region A has
a programme closed for good too (programme S), with its PDF closing statement. The roles of the matrix are seen
from company A:

- owner, member: company A's owner and plain member;
- other_company: the owner of company B (another company, another region);
- expert: the expert assigned to company A (in progress, one visit, a draft review);
- other_expert: a referenced expert assigned to company B only;
- officer: an officer of region A; other_officer: an officer of region B;
- staff: Alliance staff (second factor passed, as the suite's `force_login` does);
- superuser: a Django superuser with no portal role (not staff, no company, no post, no profile);
  no_role: a signed-in user with no role at all, what the superuser must get on every page.

Everything goes through the factories (tests/*/factories.py) and the services they use.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from diagnostics.models import Report
from diagnostics.services import attach_evidence_file, set_region_sharing, submit_diagnostic
from diagnostics.services import report as reports
from experts import services as experts_services
from experts.models import Assignment, ConflictOfInterest
from portal import services as portal_services
from portal.models import InboxMessage, Region
from portal.notifications import Recipient, send_each
from regions import services as regions_services
from regions.services.statements import render_statement
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.experts.factories import AssignmentFactory, ReferencedExpertFactory
from tests.portal.factories import MembershipFactory, OwnerFactory, RegionOfficerFactory, StaffFactory, UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, book, claim, stored_document

ROLES = (
    "anonymous",
    "owner",
    "member",
    "other_company",
    "expert",
    "other_expert",
    "officer",
    "other_officer",
    "staff",
    "superuser",
    "no_role",
)


@dataclass
class Scenario:
    users: dict = field(default_factory=dict)  # role -> user (no entry for anonymous)
    objects: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)  # role -> session key, filled by the fixture
    tokens: dict = field(default_factory=dict)  # (role, "read" or "write") -> API token key, filled by the fixture

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def _submitted(company, owner, referential, *, evidence=None):
    """A submitted diagnostic; with `evidence` (a list), a PDF attached to its first answer while it was
    a draft is appended to the list."""
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=lambda question: 1 + question.order % 4, by=owner)
    if evidence is not None:
        evidence.append(_evidence(diagnostic, owner))
    return submit_diagnostic(diagnostic=diagnostic, by=owner)


def _evidence(diagnostic, owner):
    return attach_evidence_file(
        diagnostic=diagnostic,
        question=diagnostic.referential.questions.order_by("pk").first(),
        upload=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n% evidence\n", content_type="application/pdf"),
        by=owner,
    )


def _ready_report(diagnostic, by):
    """A ready report row with a small file (rendering a real PDF is the report tests' business)."""
    report = reports.request_report(diagnostic, by=by, enqueue=False)
    content = b"%PDF-1.4\n% matrix\n"
    report.file.save(f"matrix-{diagnostic.pk}.pdf", ContentFile(content), save=False)
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.size = len(content)
    report.page_count = 1
    report.status = Report.Status.READY
    report.rendered_at = timezone.now()
    report.save()
    return report


def build_scenario():
    region_a = Region.objects.get(code="53")
    region_b = Region.objects.get(code="84")
    referential = PublishedReferentialFactory(axes=3, questions=2)

    owner_a = OwnerFactory(company__region=region_a, company__name="Usine A")
    company_a = owner_a.company
    member_a = MembershipFactory(company=company_a)
    owner_b = OwnerFactory(company__region=region_b, company__name="Usine B")
    company_b = owner_b.company

    officer_a = RegionOfficerFactory(region=region_a).user
    officer_b = RegionOfficerFactory(region=region_b).user
    staff = StaffFactory()

    a_earlier = _submitted(company_a, owner_a.user, referential)
    evidence = []
    a_submitted = _submitted(company_a, owner_a.user, referential, evidence=evidence)
    report = _ready_report(a_submitted, owner_a.user)
    a_draft = DiagnosticFactory(company=company_a, referential=referential, started_by=owner_a.user)
    evidence.append(_evidence(a_draft, owner_a.user))
    b_submitted = _submitted(company_b, owner_b.user, referential)
    b_draft = DiagnosticFactory(company=company_b, referential=referential, started_by=owner_b.user)
    report_b = _ready_report(b_submitted, owner_b.user)

    # Two more companies of region A that applied nowhere: C shared its diagnostic with the region's
    # officers, D did not (the default); the expert is only proposed to D (not accepted).
    owner_c = OwnerFactory(company__region=region_a, company__name="Usine C")
    c_shared = set_region_sharing(
        diagnostic=_submitted(owner_c.company, owner_c.user, referential), shared=True, by=owner_c.user
    )
    owner_d = OwnerFactory(company__region=region_a, company__name="Usine D")
    d_private = _submitted(owner_d.company, owner_d.user, referential)

    programme_a = ProgrammeFactory(region=region_a, budget=Decimal("100000"), name="Programme Bretagne")
    programme_b = ProgrammeFactory(region=region_b, budget=Decimal("100000"), name="Programme Auvergne")
    # Region A's programme closed for good, its PDF closing statement drawn.
    programme_s = regions_services.settle_programme(
        programme=ProgrammeFactory(region=region_a, budget=Decimal("50000"), name="Programme soldé"), by=officer_a
    )
    render_statement(programme_s.closing_statement.pk)
    enrolment_a = EnrolmentFactory(
        programme=programme_a, company=company_a, status="in_progress", committed=Decimal("8000"), officer=officer_a
    )
    enrolment_b = EnrolmentFactory(
        programme=programme_b, company=company_b, status="in_progress", committed=Decimal("8000"), officer=officer_b
    )
    owner_e = OwnerFactory(company__region=region_a, company__name="Usine E")
    e_refused = _submitted(owner_e.company, owner_e.user, referential)
    enrolment_e = EnrolmentFactory(programme=programme_a, company=owner_e.company, status="refused", officer=officer_a)
    expense_a = book(enrolment_a, Decimal("500"), by=officer_a)
    expense_b = book(enrolment_b, Decimal("500"), by=officer_b)
    document_a = stored_document(enrolment_a, by=owner_a.user)
    document_b = stored_document(enrolment_b, by=owner_b.user)
    claim_a = claim(enrolment_a, Decimal("1000"), by=owner_a.user, officer=officer_a)
    claim_b = claim(enrolment_b, Decimal("1000"), by=owner_b.user, officer=officer_b)

    expert = ReferencedExpertFactory(regions=["53"], axes={"AX1": 3})
    other_expert = ReferencedExpertFactory(regions=["84"], axes={"AX1": 3})
    assignment_a = AssignmentFactory(
        expert=expert,
        company=company_a,
        proposed_by=officer_a,
        diagnostic=a_submitted,
        status=Assignment.Status.IN_PROGRESS,
    )
    assignment_b = AssignmentFactory(
        expert=other_expert,
        company=company_b,
        proposed_by=officer_b,
        diagnostic=b_submitted,
        status=Assignment.Status.ACCEPTED,
    )
    assignment_d = AssignmentFactory(expert=expert, company=owner_d.company, proposed_by=officer_a)
    visit_a = experts_services.log_visit(
        assignment=assignment_a,
        by=expert.user,
        date=timezone.localdate(),
        days=Decimal("1"),
        summary="Visite de l'atelier.",
    )
    review_a = experts_services.save_review_draft(
        assignment=assignment_a, by=expert.user, levels={"AX1": 2}, summary="Brouillon."
    )
    _invitation, invitation_token = portal_services.invite_colleague(
        company=company_a, email="invitee@example.fr", by=owner_a.user
    )
    send_each([Recipient.of(owner_a.user)], lambda recipient: ("Candidature reçue", "Votre candidature est reçue."))
    _pending, signup_token = portal_services.request_signup(
        email="new-sme@example.fr",
        password="correct-horse-battery-42",
        first_name="Nouvelle",
        last_name="Entreprise",
        company_name="Usine Nouvelle",
        siret="73282932000074",
        naf_division=company_a.naf_division,
        headcount_band="10-49",
        region=region_a,
        language="fr",
    )

    return Scenario(
        users={
            "owner": owner_a.user,
            "member": member_a.user,
            "other_company": owner_b.user,
            "expert": expert.user,
            "other_expert": other_expert.user,
            "officer": officer_a,
            "other_officer": officer_b,
            "staff": staff,
            "superuser": UserFactory(is_superuser=True, is_staff=False),
            "no_role": UserFactory(),
        },
        objects={
            "region_a": region_a,
            "region_b": region_b,
            "referential": referential,
            "question": referential.questions.order_by("pk").first(),
            "company_a": company_a,
            "owner_message": InboxMessage.objects.get(recipient=owner_a.user),
            "company_b": company_b,
            "a_earlier": a_earlier,
            "a_submitted": a_submitted,
            "a_draft": a_draft,
            "a_submitted_evidence": evidence[0],
            "a_draft_evidence": evidence[1],
            "b_submitted": b_submitted,
            "a_action": a_submitted.action_plan.actions.order_by("pk").first(),
            "b_action": b_submitted.action_plan.actions.order_by("pk").first(),
            "b_draft": b_draft,
            "company_c": owner_c.company,
            "c_shared": c_shared,
            "company_d": owner_d.company,
            "d_private": d_private,
            "company_e": owner_e.company,
            "e_refused": e_refused,
            "enrolment_e": enrolment_e,
            "report": report,
            "report_b": report_b,
            "programme_a": programme_a,
            "programme_b": programme_b,
            "programme_s": programme_s,
            "enrolment_a": enrolment_a,
            "enrolment_b": enrolment_b,
            "expense_a": expense_a,
            "expense_b": expense_b,
            "document_a": document_a,
            "document_b": document_b,
            "claim_a": claim_a,
            "claim_b": claim_b,
            "invoice_a": claim_a.invoices.get(),
            "invoice_b": claim_b.invoices.get(),
            "expert_a": expert,
            "conflict_a": ConflictOfInterest.objects.create(expert=expert, siren="732829320", note="Former employer"),
            "expert_b": other_expert,
            "assignment_a": assignment_a,
            "assignment_b": assignment_b,
            "assignment_d": assignment_d,
            "visit_a": visit_a,
            "review_a": review_a,
            "invitation_token": invitation_token,
            "signup_token": signup_token,
        },
    )
