"""A company with something in every part of its data, for the GDPR tests (export, closure)."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from diagnostics.models import Answer, Report
from experts.models import ExpertReview, ReviewAction, ReviewAxis, Visit
from portal.models import Invitation, Membership, PendingSignup
from regions import services
from tests.experts.factories import AssignmentFactory
from tests.portal.factories import MembershipFactory, OwnerFactory, UserFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, SubmittedDiagnosticFactory, an_officer, book

PDF = b"%PDF-1.4\n% test report\n%%EOF\n"


@dataclass
class PopulatedCompany:
    company: object
    owner: object
    member: object
    diagnostic: object
    report: object
    enrolment: object
    assignment: object
    programme: object
    erased_emails: list = field(default_factory=list)
    erased_names: list = field(default_factory=list)


def populated_company():
    """Owner Zéphyrine Quintavalle and member Anatole Brisebarre of a company with a submitted diagnostic
    (answers with comments naming them, a ready PDF report), an invitation, a sign-up request, an
    accepted enrolment with an expense, and a done assignment with a visit and a submitted review."""
    owner = OwnerFactory(
        user__email="zephyrine.quintavalle@usine-privee.fr",
        user__first_name="Zéphyrine",
        user__last_name="Quintavalle",
        company__name="Forges Quintavalle",
    )
    company = owner.company
    member = MembershipFactory(
        company=company,
        user=UserFactory(email="anatole.brisebarre@usine-privee.fr", first_name="Anatole", last_name="Brisebarre"),
    ).user
    owner = owner.user

    diagnostic = SubmittedDiagnosticFactory(company=company, started_by=owner, overall_score=Decimal("2.50"))
    question = _any_question(diagnostic)
    Answer.objects.create(
        diagnostic=diagnostic,
        question=question,
        level=2,
        comment="Voir avec Anatole Brisebarre (anatole.brisebarre@usine-privee.fr)",
        answered_by=member,
        answered_at=timezone.now(),
    )
    report = Report(diagnostic=diagnostic, content_hash="a" * 64, language="fr", requested_by=owner)
    report.file.save(f"reports/{diagnostic.pk}/{'a' * 64}.pdf", ContentFile(PDF), save=False)
    report.status = Report.Status.READY
    report.sha256 = "b" * 64
    report.rendered_at = timezone.now()
    report.save()

    Invitation.objects.create(
        company=company,
        email="invitee.privacy@usine-privee.fr",
        token_hash="c" * 64,
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=14),
    )
    PendingSignup.objects.create(
        email=owner.email,
        password_hash="",
        first_name="Zéphyrine",
        last_name="Quintavalle",
        company_name=company.name,
        siret=company.siret,
        naf_division=company.naf_division,
        headcount_band=company.headcount_band,
        region=company.region,
        token_hash="d" * 64,
        expires_at=timezone.now(),
        confirmed_at=timezone.now(),
    )

    programme = ProgrammeFactory(region=company.region)
    officer = an_officer(programme.region)
    enrolment = EnrolmentFactory(
        programme=programme,
        company=company,
        motivation="Projet porté par Zéphyrine Quintavalle.",
        status="accepted",
        committed=Decimal("8000"),
        by=owner,
        officer=officer,
    )
    enrolment.transitions.filter(to_status="under_review").update(comment="Appel avec Zéphyrine Quintavalle.")
    book(enrolment, Decimal("1200"), by=officer, label="Atelier de lancement")

    assignment = AssignmentFactory(company=company, diagnostic=diagnostic, status="done")
    Visit.objects.create(
        assignment=assignment,
        date=timezone.localdate(),
        days=Decimal("1"),
        summary="Visite avec Anatole Brisebarre, responsable production.",
        day_rate=Decimal("800"),
        cost=Decimal("800"),
        logged_by=assignment.expert.user,
    )
    review = ExpertReview.objects.create(
        assignment=assignment,
        diagnostic=diagnostic,
        status=ExpertReview.Status.SUBMITTED,
        summary="Bonne dynamique portée par Zéphyrine Quintavalle.",
        submitted_at=timezone.now(),
        submitted_by=assignment.expert.user,
    )
    ReviewAxis.objects.create(review=review, axis_code="AX1", validated_level=2, comment="Conforme.")
    ReviewAction.objects.create(
        review=review, recommendation="Former les opérateurs.", owner="A. Brisebarre", due_date=timezone.localdate()
    )
    assert Membership.objects.filter(company=company).count() == 2
    return PopulatedCompany(
        company=company,
        owner=owner,
        member=member,
        diagnostic=diagnostic,
        report=report,
        enrolment=enrolment,
        assignment=assignment,
        programme=programme,
        erased_emails=[owner.email, member.email, "invitee.privacy@usine-privee.fr"],
        erased_names=["Zéphyrine", "Quintavalle", "Anatole", "Brisebarre"],
    )


def _any_question(diagnostic):
    from tests.diagnostics.factories import QuestionFactory

    return QuestionFactory()


def programme_totals():
    from regions.models import Programme

    return list(Programme.objects.order_by("pk").values_list("pk", "budget", "committed_total", "spent_total"))


def reconciles():
    return services.reconcile().ok
