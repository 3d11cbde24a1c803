"""PDF reports: content, tagging, idempotent rendering, bounded attempts, the sweeper, e-mail, hook."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from pypdf.generic import NameObject

from diagnostics import services
from diagnostics.models import Answer, Axis, Diagnostic, Report
from diagnostics.reports import content as report_content_module
from diagnostics.reports import fetcher, pdf
from diagnostics.reports.content import content_hash, report_content, report_inputs
from diagnostics.reports.html import report_html
from diagnostics.services import report as reports
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.diagnostics.report_support import pdf_reader, pdf_text, submit
from tests.portal.factories import MembershipFactory
from tests.storage_support import stored_report_names


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Reports are written under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class WorkerDied(BaseException):
    """What a killed worker looks like from inside the render: nothing after it runs."""


@pytest.fixture
def diagnostic(company, owner):
    return submit(company, owner, comments={"AX2-1": "Nous avons un ERP depuis 2019."})


def render(diagnostic):
    report = reports.request_report(diagnostic)
    return reports.render_report(report.pk, notify=False)


def test_pdf_has_the_company_every_axis_the_overall_level_and_the_first_action(diagnostic):
    report = render(diagnostic)
    assert report.status == Report.Status.READY
    data = report.file.read()
    text = pdf_text(data)
    content = report_content(diagnostic)

    assert diagnostic.company.name in text
    for axis in Axis.objects.filter(referential=diagnostic.referential):
        assert axis.title_fr in text
    assert f"{content.overall.text} / 5" in text
    assert f"Niveau {diagnostic.band} – {content.band_name}" in text
    assert content.first_action.action in text
    assert "Nous avons un ERP depuis 2019." in text
    assert "Feuille de route" in text
    assert content.roadmap.horizons[0].actions[0].action in text
    # cover, contents, summary, radar, three axes, roadmap, action plan, glossary
    assert report.page_count == len(pdf_reader(data).pages) == 10


def test_pdf_is_tagged_with_its_language_and_title(diagnostic):
    report = render(diagnostic)
    data = report.file.read()
    reader = pdf_reader(data)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert NameObject("/StructTreeRoot") in catalog
    assert catalog["/Lang"] == "fr"
    assert reader.metadata.title == f"Rapport d'autodiagnostic de maturité – {diagnostic.company.name}"
    assert report.sha256 and report.size == len(data) and report.render_seconds > 0


def test_report_follows_the_company_language(company, owner):
    company.language = "en"
    company.save()
    report = render(submit(company, owner))
    data = report.file.read()
    reader, text = pdf_reader(data), pdf_text(data)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert report.language == "en"
    assert "Executive summary" in text and "Axis AX1" in text and "Synthèse" not in text


def test_fonts_come_from_our_static_files_and_are_embedded(diagnostic):
    log = []
    with mock.patch("diagnostics.reports.pdf.static_url_fetcher", lambda: fetcher.static_url_fetcher(log=log)):
        report = render(diagnostic)
    assert log and all(served and url.startswith(fetcher.BASE_URL) for url, served in log)
    assert {url.rsplit("/", 1)[1] for url, _served in log} >= {"report.css", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"}
    reader = pdf_reader(report.file.read())
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts)


MALICIOUS = (
    "<img src=file:///etc/passwd> <b>gras</b> <link rel=stylesheet href=http://evil.example/x.css> "
    "<style>body{background:url(http://evil.example/bg.png)}</style> url(http://evil.example/font.ttf) "
    "<script>alert(1)</script> </blockquote><h2>Faux titre</h2>"
)


def test_a_malicious_comment_is_printed_as_text_and_fetches_nothing(company, owner):
    diagnostic = submit(company, owner, comments={"AX1-1": MALICIOUS})
    html = report_html(report_content(diagnostic))
    assert "&lt;img src=file:///etc/passwd&gt;" in html and "<img src=file" not in html
    assert "<script>" not in html and "&lt;/blockquote&gt;&lt;h2&gt;Faux titre" in html
    log = []
    with mock.patch("diagnostics.reports.pdf.static_url_fetcher", lambda: fetcher.static_url_fetcher(log=log)):
        report = render(diagnostic)
    text = pdf_text(report.file.read())
    for fragment in [
        "<img src=file:///etc/passwd>",
        "<b>gras</b>",
        "url(http://evil.example/font.ttf)",
        "<script>alert(1)</script>",
    ]:
        assert fragment in text
    assert all(served and url.startswith(fetcher.BASE_URL) for url, served in log)
    assert not any("passwd" in url or "evil" in url for url, _served in log)


def test_the_fetcher_refuses_what_escaping_would_have_let_through():
    """Second line of defence: even unescaped markup cannot reach a file or the network."""
    log = []
    rendered = pdf.html_to_pdf(
        '<html lang="fr"><head><title>t</title><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        "<style>@import url(file:///etc/hostname); p{background:url(file:///etc/passwd)}</style></head>"
        '<body><p>x</p><img src="file:///etc/passwd"><img src="../../manage.py"></body></html>',
        url_fetcher=fetcher.static_url_fetcher(log=log),
    )
    assert rendered.page_count == 1
    refused = {url for url, served in log if not served}
    assert {"http://127.0.0.1:9/x.css", "file:///etc/hostname", "file:///etc/passwd"} <= refused
    assert not any(served for _url, served in log)


# --- Idempotency -------------------------------------------------------------------------------


def test_rendering_twice_gives_one_row_and_one_file(diagnostic, media_root):
    first = render(diagnostic)
    rendered_at = first.rendered_at
    again = reports.request_report(diagnostic)
    assert again.pk == first.pk and again.status == Report.Status.READY
    second = reports.render_report(first.pk, notify=False)  # a duplicate delivery
    assert second.rendered_at == rendered_at
    assert Report.objects.count() == 1
    assert stored_report_names(diagnostic.pk) == [f"reports/{diagnostic.pk}/{first.sha256}.pdf"]
    assert first.file.name == f"reports/{diagnostic.pk}/{first.sha256}.pdf"


def test_same_inputs_are_not_enqueued_again(diagnostic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report = reports.request_report(diagnostic)
    assert len(callbacks) == 1
    reports.render_report(report.pk, notify=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assert reports.request_report(diagnostic).pk == report.pk
    assert callbacks == []


def test_content_hash_is_stable_and_follows_the_inputs(diagnostic):
    first = content_hash(report_inputs(diagnostic))
    assert content_hash(report_inputs(diagnostic)) == first
    diagnostic.company.name = "Usine renommée"
    diagnostic.company.save()
    renamed = content_hash(report_inputs(diagnostic))
    assert renamed != first
    Answer.objects.filter(diagnostic=diagnostic, question__code="AX1-1").update(comment="Corrigé par l'admin.")
    commented = content_hash(report_inputs(diagnostic))
    assert commented != renamed
    with mock.patch.object(report_content_module, "layout_fingerprint", return_value="another layout"):
        assert content_hash(report_inputs(diagnostic)) != commented


def test_new_inputs_make_a_new_report_and_keep_the_old_file(diagnostic):
    old = render(diagnostic)
    diagnostic.company.name = "Usine renommée"
    diagnostic.company.save()
    new = render(diagnostic)
    assert new.pk != old.pk and new.content_hash != old.content_hash
    assert reports.latest_ready_report(diagnostic).pk == new.pk
    assert "Usine renommée" in pdf_text(new.file.read())
    assert old.file.storage.exists(old.file.name)


def test_a_draft_has_no_report(company, owner):
    draft = DiagnosticFactory(company=company, started_by=owner)
    with pytest.raises(reports.ReportError):
        reports.request_report(draft)
    assert not Report.objects.exists()


# --- Attempts, errors, retries -----------------------------------------------------------------


def test_a_render_that_kills_its_worker_is_failed_after_three_attempts(diagnostic, media_root):
    report = reports.request_report(diagnostic)
    with mock.patch("diagnostics.reports.pdf.html_to_pdf", side_effect=WorkerDied):
        for attempt in range(1, Report.MAX_ATTEMPTS + 1):
            with pytest.raises(WorkerDied):
                reports.render_report(report.pk)
            report.refresh_from_db()
            assert (report.status, report.attempts) == (Report.Status.RENDERING, attempt)
        failed = reports.render_report(report.pk)  # the fourth delivery gives up instead of looping
    assert failed.status == Report.Status.FAILED and failed.attempts == 3
    assert "3" in failed.error and not failed.file
    assert stored_report_names(diagnostic.pk) == []
    # Nothing more happens on further deliveries, until someone asks again.
    assert reports.render_report(report.pk).status == Report.Status.FAILED
    assert reports.request_report(diagnostic).attempts == 0
    assert reports.render_report(report.pk, notify=False).status == Report.Status.READY


def test_a_worker_lost_once_ends_ready_exactly_once(diagnostic, media_root):
    report = reports.request_report(diagnostic)
    real = pdf.html_to_pdf
    deaths = iter([WorkerDied()])

    def dies_once(html, **kwargs):
        death = next(deaths, None)
        if death:
            raise death
        return real(html, **kwargs)

    with mock.patch("diagnostics.reports.pdf.html_to_pdf", dies_once):
        with pytest.raises(WorkerDied):
            reports.render_report(report.pk)
        done = reports.render_report(report.pk)  # the redelivered message
        again = reports.render_report(report.pk)  # and a duplicate
    assert (done.status, done.attempts) == (Report.Status.READY, 2)
    assert again.rendered_at == done.rendered_at and again.attempts == 2
    assert Report.objects.count() == 1
    assert stored_report_names(diagnostic.pk) == [done.file.name]


def test_a_layout_error_fails_at_once_without_retry(diagnostic):
    report = reports.request_report(diagnostic)
    with mock.patch("diagnostics.reports.pdf.html_to_pdf", side_effect=ValueError("layout exploded")):
        failed = reports.render_report(report.pk)
    assert failed.status == Report.Status.FAILED and failed.attempts == 1
    assert failed.error == "ValueError: layout exploded"


def test_storage_trouble_is_transient_then_failed_after_three_attempts(diagnostic):
    report = reports.request_report(diagnostic)
    with mock.patch("diagnostics.services.report._store", side_effect=reports.TransientReportError("disk full")):
        for attempt in (1, 2):
            with pytest.raises(reports.TransientReportError):
                reports.render_report(report.pk)
            report.refresh_from_db()
            assert (report.status, report.attempts) == (Report.Status.QUEUED, attempt)
        with pytest.raises(reports.TransientReportError):
            reports.render_report(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and report.error == "TransientReportError: disk full"


def test_the_task_retries_transient_errors_only():
    task = __import__("diagnostics.tasks", fromlist=["render_report_task"]).render_report_task
    assert set(task.autoretry_for) == set(reports.TRANSIENT_ERRORS)
    assert task.acks_late and task.reject_on_worker_lost and task.retry_backoff
    assert task.max_retries == Report.MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_missing_report_id_is_a_no_op():
    assert reports.render_report(987654) is None


# --- Enqueueing, the sweeper ---------------------------------------------------------------------


def test_request_enqueues_the_id_after_commit_on_the_reports_queue(diagnostic, django_capture_on_commit_callbacks):
    with mock.patch("diagnostics.tasks.render_report_task.apply_async") as apply_async:
        with django_capture_on_commit_callbacks() as callbacks:
            report = reports.request_report(diagnostic)
            apply_async.assert_not_called()
        for callback in callbacks:
            callback()
    apply_async.assert_called_once()
    assert apply_async.call_args.args[0] == (report.pk,)
    from portal.celery import app

    assert app.amqp.router.route({}, "diagnostics.render_report")["queue"].name == "reports"


def test_a_broker_outage_leaves_the_report_queued(diagnostic, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    with (
        mock.patch("diagnostics.tasks.render_report_task.apply_async", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = reports.request_report(diagnostic)
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED and report.attempts == 0


def test_sweeper_enqueues_what_is_stuck_and_requests_what_is_missing(company, owner, other_company_member):
    now = timezone.now()
    stuck_queued = reports.request_report(submit(company, owner))
    Report.objects.filter(pk=stuck_queued.pk).update(enqueued_at=now - timedelta(minutes=10))
    fresh = reports.request_report(submit(other_company_member.memberships.get().company, other_company_member))
    stuck_rendering = Report.objects.create(
        diagnostic=fresh.diagnostic, content_hash="b" * 64, language="fr", status="rendering", attempts=1,
        started_at=now - timedelta(hours=1), enqueued_at=now - timedelta(hours=1),
    )  # fmt: skip
    Report.objects.create(
        diagnostic=fresh.diagnostic, content_hash="c" * 64, language="fr", status="failed", attempts=3,
        enqueued_at=now - timedelta(hours=1),
    )  # fmt: skip
    without_report = submit(MembershipFactory(role="owner").company, owner)
    Report.objects.filter(diagnostic=without_report).delete()

    with (
        mock.patch("diagnostics.tasks.render_report_task.apply_async") as apply_async,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda func, *a, **k: func()),
    ):
        enqueued = reports.requeue_stuck_reports()
    created = Report.objects.get(diagnostic=without_report)
    assert sorted(enqueued) == sorted([stuck_queued.pk, stuck_rendering.pk, created.pk])
    assert sorted(call.args[0][0] for call in apply_async.call_args_list) == sorted(enqueued)
    stuck_queued.refresh_from_db()
    assert stuck_queued.enqueued_at > now - timedelta(seconds=5)  # not picked again by the next sweep at once


def test_the_first_sweep_after_an_upgrade_requests_a_bounded_batch_oldest_first(owner):
    """Diagnostics submitted before reports existed: a few per sweep, never the whole backlog at once."""
    referential = PublishedReferentialFactory(axes=1, questions=1)
    backlog = [submit(MembershipFactory(role="owner").company, owner, referential=referential) for _ in range(25)]
    Report.objects.all().delete()
    with (
        mock.patch("diagnostics.tasks.render_report_task.apply_async") as apply_async,
        mock.patch("django.db.transaction.on_commit", side_effect=lambda func, *a, **k: func()),
    ):
        first = reports.requeue_stuck_reports()
    assert len(first) == reports.SWEEP_NEW_BATCH == 20 and apply_async.call_count == 20
    oldest = sorted(backlog, key=lambda diagnostic: (diagnostic.submitted_at, diagnostic.pk))[:20]
    assert set(Report.objects.values_list("diagnostic_id", flat=True)) == {diagnostic.pk for diagnostic in oldest}


def test_a_render_is_stuck_a_minute_past_the_hard_time_limit(settings):
    assert timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60) == reports.RENDERING_DEADLINE
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_TASK_TIME_LIMIT + 60


def test_sweeper_renders_a_report_left_queued(diagnostic, django_capture_on_commit_callbacks):
    """Eager tasks (the embedded default): the sweep renders what a lost message left queued."""
    from kombu.exceptions import OperationalError

    with (
        mock.patch("diagnostics.tasks.render_report_task.apply_async", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = reports.request_report(diagnostic)
    Report.objects.filter(pk=report.pk).update(enqueued_at=timezone.now() - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.requeue_stuck_reports() == [report.pk]
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.attempts == 1


def test_beat_runs_the_sweeper(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-reports"]
    assert entry["task"] == "diagnostics.requeue_stuck_reports"
    from portal.celery import app

    assert "diagnostics.requeue_stuck_reports" in app.tasks


# --- Submit hook, e-mail -------------------------------------------------------------------------


def test_submitting_renders_the_report_and_emails_every_member(company, owner, django_capture_on_commit_callbacks):
    colleague = MembershipFactory(company=company).user
    referential = PublishedReferentialFactory(axes=3, questions=2)
    draft = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(draft, level=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_diagnostic(diagnostic=draft, by=owner)
    report = Report.objects.get(diagnostic=draft)
    assert report.status == Report.Status.READY and report.requested_by == owner
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, colleague.email])
    message = mail.outbox[0]
    assert company.name in message.subject and "prêt" in message.subject
    assert f"/diagnostics/{draft.pk}/resultats/" in message.body


def test_the_submit_hook_never_fails_the_submit(company, owner, django_capture_on_commit_callbacks):
    draft = DiagnosticFactory(company=company, started_by=owner)
    answer_all(draft, level=2)
    with (
        mock.patch("diagnostics.services.report.report_inputs", side_effect=RuntimeError("bug")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.submit_diagnostic(diagnostic=draft, by=owner)
    draft.refresh_from_db()
    assert draft.status == "submitted" and not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        reports.requeue_stuck_reports()  # the sweeper requests it
    assert Report.objects.get(diagnostic=draft).status == Report.Status.READY


def test_ready_email_is_sent_once_per_member_in_the_company_language(company, owner):
    company.language = "en"
    company.save()
    report = render(submit(company, owner))
    assert reports.notify_report_ready(report.pk) == 1
    assert mail.outbox[0].subject == f"Your diagnostic report is ready – {company.name}"
    assert "10 pages" in mail.outbox[0].body  # with the roadmap


# --- seed_demo -----------------------------------------------------------------------------------


def test_the_demo_step_renders_the_demo_report_once_the_seed_committed(
    company, owner, django_capture_on_commit_callbacks
):
    from seeding.demo.report import seed_demo_report

    accounts, out = {"company": company, "sme": owner}, io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_report(accounts, out=out)
    assert "skipped" in out.getvalue()  # nothing submitted yet
    diagnostic = submit(company, owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_demo_report(accounts, out=out)
        assert not Report.objects.exists()  # not before the seed commits: later steps change the next steps
    assert len(callbacks) == 1
    first = Report.objects.get()
    assert first.status == Report.Status.READY and first.diagnostic == diagnostic and "rendered" in out.getvalue()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_demo_report(accounts, out=out)
    assert len(callbacks) == 1  # no render enqueued: the ready report is reused
    assert Report.objects.get().rendered_at == first.rendered_at


@pytest.mark.django_db(transaction=True)
def test_seed_demo_leaves_the_demo_diagnostic_with_its_rendered_report(media_root):
    from django.core.management import call_command

    from seeding.demo.accounts import DEMO_SIRET

    referential = settings.BASE_DIR / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
    call_command("load_referential", str(referential), "--publish", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    diagnostic = Diagnostic.objects.get(company__siret=DEMO_SIRET, is_latest=True)
    report = reports.latest_ready_report(diagnostic)
    assert report is not None and report.page_count > 10
    assert reports.request_report(diagnostic).pk == report.pk  # it matches the seeded data as they end up
    assert diagnostic.company.name in pdf_text(report.file.read())
