"""The retention purge: abandoned drafts, expired invitations and sign-up requests, expired sessions;
and a report's PDF leaves the storage with its row."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from diagnostics.models import Answer, Diagnostic, Report
from portal.models import Invitation, PendingSignup, UserSession
from portal.tasks import purge_expired_data
from tests.diagnostics.factories import DiagnosticFactory
from tests.portal.factories import OwnerFactory

pytestmark = pytest.mark.django_db


def _old(days):
    return timezone.now() - timedelta(days=days)


def _draft(*, started_days_ago, answered_days_ago=None):
    company = OwnerFactory().company
    diagnostic = DiagnosticFactory(company=company)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(started_at=_old(started_days_ago))
    if answered_days_ago is not None:
        Answer.objects.create(
            diagnostic=diagnostic,
            question=diagnostic.referential.questions.first(),
            level=2,
            answered_by=diagnostic.started_by,
            answered_at=_old(answered_days_ago),
        )
    return diagnostic


def _invitation(*, expired_days_ago, accepted=False):
    company = OwnerFactory().company
    owner = company.memberships.get().user
    return Invitation.objects.create(
        company=company,
        email=f"invite{expired_days_ago}{accepted}@example.fr",
        token_hash=f"{expired_days_ago}{accepted}".ljust(64, "0"),
        invited_by=owner,
        expires_at=_old(expired_days_ago),
        accepted_at=timezone.now() if accepted else None,
        accepted_by=owner if accepted else None,
    )


def _signup(*, expired_days_ago):
    company = OwnerFactory().company
    return PendingSignup.objects.create(
        email=f"signup{expired_days_ago}@example.fr",
        password_hash="x",
        first_name="A",
        last_name="B",
        company_name="C",
        siret=company.siret,
        naf_division=company.naf_division,
        headcount_band=company.headcount_band,
        region=company.region,
        token_hash=str(expired_days_ago).ljust(64, "1"),
        expires_at=_old(expired_days_ago),
    )


def _purge():
    out = StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue()


def test_a_draft_untouched_past_the_retention_delay_is_deleted_with_its_answers():
    draft = _draft(
        started_days_ago=settings.RETENTION_DRAFT_DAYS + 1, answered_days_ago=settings.RETENTION_DRAFT_DAYS + 1
    )

    output = _purge()

    assert not Diagnostic.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(diagnostic_id=draft.pk).exists()
    assert "draft_diagnostics: 1 deleted" in output


def test_a_draft_answered_recently_is_kept_even_if_started_long_ago():
    draft = _draft(started_days_ago=settings.RETENTION_DRAFT_DAYS + 100, answered_days_ago=3)

    _purge()

    assert Diagnostic.objects.filter(pk=draft.pk).exists()


def test_the_draft_delay_is_read_from_the_settings(settings):
    settings.RETENTION_DRAFT_DAYS = 10
    draft = _draft(started_days_ago=11)

    _purge()

    assert not Diagnostic.objects.filter(pk=draft.pk).exists()


def test_a_submitted_diagnostic_is_never_purged():
    from tests.regions.factories import SubmittedDiagnosticFactory

    submitted = SubmittedDiagnosticFactory()
    Diagnostic.objects.filter(pk=submitted.pk).update(started_at=_old(settings.RETENTION_DRAFT_DAYS * 3))

    _purge()

    assert Diagnostic.objects.filter(pk=submitted.pk).exists()


def test_an_invitation_expired_past_the_delay_is_deleted_and_a_recent_or_accepted_one_kept():
    old = _invitation(expired_days_ago=settings.RETENTION_EXPIRED_INVITATION_DAYS + 1)
    recent = _invitation(expired_days_ago=1)
    accepted = _invitation(expired_days_ago=settings.RETENTION_EXPIRED_INVITATION_DAYS + 1, accepted=True)

    _purge()

    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, accepted.pk}
    assert old.pk not in set(Invitation.objects.values_list("pk", flat=True))


def test_a_sign_up_request_expired_past_the_delay_is_deleted_and_a_recent_one_kept():
    old = _signup(expired_days_ago=settings.RETENTION_EXPIRED_SIGNUP_DAYS + 1)
    recent = _signup(expired_days_ago=1)

    _purge()

    assert list(PendingSignup.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_expired_sessions_are_cleared():
    UserSession.objects.create(session_key="expired", session_data="", expire_date=_old(1))
    UserSession.objects.create(session_key="current", session_data="", expire_date=timezone.now() + timedelta(days=1))

    _purge()

    assert list(UserSession.objects.values_list("session_key", flat=True)) == ["current"]


def test_the_beat_task_runs_the_same_purge():
    draft = _draft(started_days_ago=settings.RETENTION_DRAFT_DAYS + 1)

    counts = purge_expired_data.delay().get()

    assert counts["draft_diagnostics"] == 1
    assert not Diagnostic.objects.filter(pk=draft.pk).exists()


def test_beat_schedules_the_purge_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-data"]

    assert entry["task"] == "portal.purge_expired"
    assert entry["schedule"] == timedelta(days=1)


def test_a_report_file_leaves_the_storage_with_its_row(django_capture_on_commit_callbacks):
    from tests.regions.factories import SubmittedDiagnosticFactory

    report = Report(diagnostic=SubmittedDiagnosticFactory(), content_hash="e" * 64, language="fr")
    report.file.save("reports/retention-test.pdf", ContentFile(b"%PDF"), save=False)
    report.save()
    storage, name = report.file.storage, report.file.name

    with django_capture_on_commit_callbacks(execute=True):
        report.delete()

    assert not storage.exists(name)


def test_a_report_file_stays_when_the_deletion_is_rolled_back():
    from django.db import transaction

    from tests.regions.factories import SubmittedDiagnosticFactory

    report = Report(diagnostic=SubmittedDiagnosticFactory(), content_hash="f" * 64, language="fr")
    report.file.save("reports/retention-rollback.pdf", ContentFile(b"%PDF"), save=False)
    report.save()
    storage, name, pk = report.file.storage, report.file.name, report.pk

    with pytest.raises(RuntimeError), transaction.atomic():
        report.delete()
        raise RuntimeError

    assert storage.exists(name) and Report.objects.filter(pk=pk).exists()
