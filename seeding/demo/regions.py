"""Demo content of the regions app, run by `manage.py seed_demo` (idempotent): an open programme in the
demo company's region (Bretagne) with the demo company enrolled and accepted."""

from datetime import date
from decimal import Decimal

from experts.models import Assignment
from regions import services
from regions.models import Enrolment, EnrolmentAssignment, Programme

DEMO_PROGRAMME = "Bretagne Industrie du Futur 2026"


def seed_demo_programme(accounts):
    company, officer, sme = accounts["company"], accounts["officer"], accounts["sme"]
    region = company.region
    programme = Programme.objects.filter(region=region, name=DEMO_PROGRAMME).first()
    if programme is None:
        programme = services.create_programme(
            region=region,
            by=officer,
            budget=Decimal("600000"),
            name=DEMO_PROGRAMME,
            description=(
                "Accompagnement des PME industrielles bretonnes vers l'industrie du futur : "
                "diagnostic, visites d'experts référencés et plan d'actions."
            ),
            start_date=date(2026, 1, 1),
            end_date=date(max(2027, date.today().year + 1), 12, 31),
            tranches={date.today().year: Decimal("600000")},  # the demo's decisions are taken today
            cap_per_company=Decimal("30000"),
            target_companies=40,
            eligible_headcount_bands=["10-49", "50-249"],
            status=Programme.Status.OPEN,
        )
    elif programme.status != Programme.Status.OPEN:
        programme = services.set_programme_status(programme=programme, status=Programme.Status.OPEN, by=officer)
    if programme.end_date < date.today():  # keep the demo open whenever it is run
        programme = services.update_programme(
            programme=programme, by=officer, end_date=date(date.today().year + 1, 12, 31)
        )

    enrolment = Enrolment.objects.filter(programme=programme, company=company, status__in=Enrolment.LIVE).first()
    if enrolment is None:
        enrolment = services.apply_to_programme(
            programme=programme,
            company=company,
            requested_amount=Decimal("25000"),
            motivation="Automatiser le contrôle qualité de la ligne d'usinage et former deux techniciens.",
            by=sme,
        )
    if enrolment.status == Enrolment.Status.APPLIED:
        enrolment = services.start_review(enrolment=enrolment, by=officer)
    if enrolment.status == Enrolment.Status.UNDER_REVIEW:
        enrolment = services.accept_enrolment(
            enrolment=enrolment, amount=Decimal("20000"), by=officer, comment="Projet solide, priorité régionale."
        )
    # The demo expert's mission at the demo company books its visits on this enrolment.
    for assignment in Assignment.objects.filter(
        company=company, status__in=Assignment.LIVE, enrolment_link__isnull=True
    ):
        EnrolmentAssignment.objects.create(enrolment=enrolment, assignment=assignment, created_by=officer)
    return programme
