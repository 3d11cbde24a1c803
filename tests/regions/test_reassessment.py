"""The re-assessment cycle around a programme's support: T0 the diagnostic applied with, T1 at the end
of the support, T2 months later; the invitations on the due dates; the trend on the results page."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostics import services as diagnostics_services
from regions.models import Reassessment
from regions.services.reassessment import add_months, measurement_points, send_due_invitations
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.portal.factories import MembershipFactory, OwnerFactory
from tests.regions.factories import EnrolmentFactory, ProgrammeFactory, an_officer


def _submit(company, by, level=2):
    draft = diagnostics_services.start_diagnostic(company=company, by=by)
    answer_all(draft, level=level, by=by)
    return diagnostics_services.submit_diagnostic(diagnostic=draft, by=by)


# --- the pure parts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 12, date(2027, 11, 15)),
        (date(2026, 12, 3), 2, date(2027, 2, 3)),
    ],
)
def test_add_months_keeps_the_day_within_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_t0_is_the_diagnostic_applied_with_and_t1_t2_the_first_after_each_due_date():
    submitted = [
        (1, date(2026, 1, 10)),
        (2, date(2026, 6, 1)),
        (3, date(2026, 9, 1)),
        (4, date(2027, 7, 1)),
        (5, date(2027, 9, 1)),
    ]
    due = {"T1": date(2026, 5, 20), "T2": date(2027, 5, 20)}
    assert measurement_points(applied_with=1, due=due, submitted=submitted) == {1: "T0", 2: "T1", 4: "T2"}


def test_no_t1_when_the_company_did_not_reassess_before_t2_was_due():
    submitted = [(1, date(2026, 1, 10)), (4, date(2027, 7, 1))]
    due = {"T1": date(2026, 5, 20), "T2": date(2027, 5, 20)}
    assert measurement_points(applied_with=1, due=due, submitted=submitted) == {1: "T0", 4: "T2"}


def test_before_completion_only_t0_is_known():
    assert measurement_points(applied_with=7, due={}, submitted=[(7, date(2026, 1, 1)), (8, date(2026, 2, 1))]) == {
        7: "T0"
    }


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    days=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=8, unique=True),
    t1=st.integers(min_value=0, max_value=900),
    gap=st.integers(min_value=1, max_value=500),
)
def test_each_label_names_at_most_one_diagnostic_and_follows_its_due_date(days, t1, gap):
    start = date(2026, 1, 1)
    submitted = [(pk, start + timedelta(days=day)) for pk, day in enumerate(days, start=1)]
    due = {"T1": start + timedelta(days=t1), "T2": start + timedelta(days=t1 + gap)}
    points = measurement_points(applied_with=1, due=due, submitted=submitted)
    labels = list(points.values())
    assert len(labels) == len(set(labels))
    on = dict(submitted)
    for pk, label in points.items():
        if label == "T1":
            assert due["T1"] <= on[pk] < due["T2"]
        if label == "T2":
            assert on[pk] >= due["T2"]


# --- scheduling and inviting ----------------------------------------------------------------------


@pytest.mark.django_db
def test_completing_the_support_schedules_t1_now_and_t2_months_later(settings):
    settings.REASSESSMENT_T2_MONTHS = 6
    enrolment = EnrolmentFactory(status="completed")
    due = dict(Reassessment.objects.filter(enrolment=enrolment).values_list("point", "due_on"))
    today = timezone.localdate()
    assert due == {"T1": today, "T2": add_months(today, 6)}


@pytest.mark.django_db
def test_an_enrolment_still_in_progress_has_no_reassessment():
    enrolment = EnrolmentFactory(status="in_progress")
    assert not Reassessment.objects.filter(enrolment=enrolment).exists()


@pytest.mark.django_db
def test_each_member_is_invited_once_when_the_reassessment_is_due():
    enrolment = EnrolmentFactory(status="completed")
    colleague = MembershipFactory(company=enrolment.company).user
    mail.outbox.clear()
    assert send_due_invitations() == 1  # T1, due today; T2 later
    owner = enrolment.company.memberships.get(role="owner").user
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, colleague.email])
    invitation = mail.outbox[0]
    assert "Mesurez vos progrès" in invitation.subject
    assert reverse("diagnostics:company_diagnostics", args=[enrolment.company_id]) in invitation.body
    assert send_due_invitations() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_t2_is_sent_on_its_due_date_not_before():
    enrolment = EnrolmentFactory(status="completed")
    send_due_invitations()
    mail.outbox.clear()
    t2 = Reassessment.objects.get(enrolment=enrolment, point="T2")
    assert send_due_invitations(today=t2.due_on - timedelta(days=1)) == 0
    assert send_due_invitations(today=t2.due_on) == 1
    assert "T2" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_company_that_reassessed_already_is_not_asked_again():
    referential = PublishedReferentialFactory(axes=2, questions=2)
    programme = ProgrammeFactory()
    owner = OwnerFactory(company__region=programme.region)
    _submit(owner.company, owner.user)
    enrolment = EnrolmentFactory(programme=programme, company=owner.company, status="completed")
    _submit(owner.company, owner.user)
    mail.outbox.clear()
    assert send_due_invitations() == 0
    assert mail.outbox == []
    assert Reassessment.objects.get(enrolment=enrolment, point="T1").invited_at is not None
    assert referential.pk


@pytest.mark.django_db
def test_the_invitation_is_scheduled_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["invite-reassessments"]
    assert entry["task"] == "regions.send_reassessment_invitations"


# --- the trend on the results page ----------------------------------------------------------------


@pytest.fixture
def measured_company(db):
    """A company that applied with a diagnostic (T0), completed its support and re-assessed (T1)."""
    PublishedReferentialFactory(axes=2, questions=2)
    programme = ProgrammeFactory()
    owner = OwnerFactory(company__region=programme.region)
    t0 = _submit(owner.company, owner.user, level=1)
    EnrolmentFactory(
        programme=programme, company=owner.company, status="completed", officer=an_officer(programme.region)
    )
    t1 = _submit(owner.company, owner.user, level=3)
    return owner, t0, t1


def test_the_results_page_shows_every_diagnostic_with_its_measurement_point(client, measured_company):
    owner, t0, t1 = measured_company
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:results", args=[t1.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Évolution dans le temps" in page
    trend = page[page.index('id="trend"') :]
    trend = trend[: trend.index("</section>")]
    assert ">T0<" in trend and ">T1<" in trend
    assert reverse("diagnostics:results", args=[t0.pk]) in trend
    assert "1,00" in trend and "3,00" in trend


def test_the_trend_draws_the_overall_maturity_of_each_diagnostic_above_its_table(client, measured_company):
    owner, t0, t1 = measured_company
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:results", args=[t1.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    trend = page[page.index('id="trend"') :]
    chart = trend[trend.index('aria-labelledby="trend-chart-title trend-chart-desc"') : trend.index("</svg>")]
    assert chart.count("<circle") == 2
    assert ">1,00<" in chart and ">3,00<" in chart
    assert f">T0 {timezone.localtime(t0.submitted_at):%m/%Y}<" in chart
    assert trend.index("</svg>") < trend.index("<table")


def test_the_companys_diagnostics_page_draws_its_maturity_over_time(client, measured_company):
    owner, t0, t1 = measured_company
    _submit(owner.company, owner.user, level=2)
    diagnostics_services.start_diagnostic(company=owner.company, by=owner.user)  # a draft: not drawn
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:company_diagnostics", args=[owner.company.pk])).content.decode()
    chart = page[page.index('aria-labelledby="trend-chart-title trend-chart-desc"') : page.index("</svg>")]
    assert chart.count("<circle") == 3
    assert chart.index(">1,00<") < chart.index(">3,00<") < chart.index(">2,00<")  # oldest first


def test_one_submitted_diagnostic_draws_no_chart_on_the_companys_page(client, db):
    PublishedReferentialFactory(axes=2, questions=2)
    owner = OwnerFactory()
    _submit(owner.company, owner.user)
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:company_diagnostics", args=[owner.company.pk])).content.decode()
    assert "trend-chart-title" not in page


def test_a_new_submission_appears_in_the_trend_at_once(client, measured_company):
    owner, _t0, t1 = measured_company
    client.force_login(owner.user)
    client.get(reverse("diagnostics:results", args=[t1.pk]))  # the history is cached
    t2 = _submit(owner.company, owner.user, level=4)
    page = client.get(reverse("diagnostics:results", args=[t2.pk])).content.decode()
    trend = page[page.index('id="trend"') :]
    assert reverse("diagnostics:results", args=[t1.pk]) in trend and "4,00" in trend


def test_the_regions_officer_does_not_get_the_companys_history(client, measured_company):
    from diagnostics.services import set_region_sharing

    owner, _t0, t1 = measured_company
    set_region_sharing(diagnostic=t1, shared=True, by=owner.user)
    client.force_login(an_officer(owner.company.region))
    response = client.get(reverse("diagnostics:results", args=[t1.pk]))
    assert response.status_code == 200
    assert 'id="trend"' not in response.content.decode()


def test_a_company_with_one_diagnostic_has_no_trend(client, db):
    PublishedReferentialFactory(axes=2, questions=2)
    owner = OwnerFactory()
    only = _submit(owner.company, owner.user)
    client.force_login(owner.user)
    assert 'id="trend"' not in client.get(reverse("diagnostics:results", args=[only.pk])).content.decode()


def test_the_diagnostic_applied_with_is_never_also_t1():
    submitted = [(1, date(2026, 5, 20)), (2, date(2026, 5, 20))]
    assert measurement_points(applied_with=1, due={"T1": date(2026, 5, 20)}, submitted=submitted) == {1: "T0", 2: "T1"}


def test_the_next_diagnostic_shows_how_far_the_previous_plan_went(client, measured_company):
    from diagnostics.models import PlanAction

    owner, t0, t1 = measured_company
    actions = list(PlanAction.objects.filter(plan__diagnostic=t0).order_by("pk"))
    assert len(actions) >= 3
    PlanAction.objects.filter(pk__in=[actions[0].pk, actions[1].pk]).update(status=PlanAction.Status.DONE)
    PlanAction.objects.filter(pk=actions[2].pk).update(status=PlanAction.Status.DROPPED)
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:results", args=[t1.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    progress = page[page.index('id="previous-plan-progress"') :].split("</p>")[0]
    assert f"2 actions réalisées sur {len(actions) - 1}" in " ".join(progress.split())


@pytest.mark.django_db
def test_the_diagnostic_applied_with_does_not_count_as_a_reassessment():
    PublishedReferentialFactory(axes=2, questions=2)
    programme = ProgrammeFactory()
    owner = OwnerFactory(company__region=programme.region)
    _submit(owner.company, owner.user)  # T0, submitted the day the support ends
    EnrolmentFactory(programme=programme, company=owner.company, status="completed")
    mail.outbox.clear()
    assert send_due_invitations() == 1
