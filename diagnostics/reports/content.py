"""What the PDF report says, and the fingerprint of what it is made from.

`report_content(diagnostic)` reads the submitted diagnostic's score snapshot and what surrounds it
(answers and comments, the action plan, and the figures frozen at submit: the peer group and the
next steps of the apps above, see `snapshot`) in the company's language, and returns a tree of frozen
dataclasses holding only strings and numbers: what the templates print.

`report_inputs(diagnostic)` lists the same inputs cheaply, for `content_hash`: the immutable ones by
identity (a published referential version never changes, nor does a submitted diagnostic's snapshot
or previous diagnostic), the others by value (answers and comments, the company, the frozen figures,
the T0/T1/T2 labels of the trend's diagnostics), with the layout's fingerprint (templates, stylesheet, fonts, translations, this code). The same
inputs give the same hash, so asking again for an unchanged report renders nothing; since the peer
group and the next steps are frozen, peers submitting or experts taking work change nothing either.

A fixed number of queries whatever the size of the referential or of the population.
"""

import hashlib
import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from diagnostics.action_plan import action_plan, axis_scores, strengths_and_weaknesses
from diagnostics.calibration import calibration_gap
from diagnostics.exceptions import ReportUnavailable
from diagnostics.extensions import report_reviews_for
from diagnostics.models import (
    Answer,
    Axis,
    Diagnostic,
    LevelDescriptor,
    MaturityBand,
    Module,
    Question,
    Recommendation,
)
from diagnostics.reports.document import (
    ActionEntry,
    AxisSection,
    AxisSummary,
    BandEntry,
    DivergenceRow,
    Figure,
    NextStepEntry,
    NextStepsBlock,
    QuestionEntry,
    ReportContent,
    ReviewAxisRow,
    ReviewBlock,
    TrendColumn,
    TrendRow,
    TrendTable,
)
from diagnostics.reports.roadmap import report_roadmap, roadmap_inputs
from diagnostics.reports.snapshot import frozen_figures
from diagnostics.selectors import divergence_for
from diagnostics.selectors.trend import company_trend

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE_DIR = BASE_DIR / "templates" / "diagnostics" / "report"
STATIC_DIR = BASE_DIR / "static"
STYLESHEET = STATIC_DIR / "css" / "report.css"
FONT_DIR = STATIC_DIR / "fonts"
# The code that turns the inputs into the document: a change there changes every report.
CODE_FILES = [
    Path(__file__),
    Path(__file__).with_name("document.py"),
    Path(__file__).with_name("html.py"),
    Path(__file__).with_name("roadmap.py"),
    BASE_DIR / "diagnostics" / "radar.py",
]
STRENGTHS = PRIORITIES = 3
# The trend table of the PDF holds the company's most recent diagnostics only: a column each, on one page.
REPORT_TREND_COLUMNS = 6


def _figure(value):
    if value is None:
        return Figure(value=None, text=_("not applicable"))
    value = Decimal(value)
    return Figure(value=str(value), text=formats.number_format(value, decimal_pos=2))


def _signed(gap):
    if gap is None:
        return "–"
    text = formats.number_format(abs(gap), decimal_pos=2)
    return f"+{text}" if gap > 0 else f"−{text}" if gap < 0 else text


def _reviews(diagnostic, axes, scores):
    """The expert reviews the apps above give (`extensions.report_reviews_for`), each with, per axis,
    the self-assessed score, the expert's and the calibration gap (`calibration.calibration_gap`)."""
    blocks = []
    for review in report_reviews_for(diagnostic):
        gaps = calibration_gap({axis.code: scores.get(axis.code) for axis in axes}, review.axes)
        rows = tuple(
            ReviewAxisRow(
                title=axis.title,
                self_score=_figure(scores.get(axis.code)),
                validated=_figure(review.axes[axis.code]) if review.axes.get(axis.code) is not None else None,
                gap=_signed(gaps.get(axis.code)),
            )
            for axis in axes
        )
        submitted = date.fromisoformat(review.submitted_on)
        blocks.append(
            ReviewBlock(
                expert=review.expert,
                organisation=review.organisation,
                submitted_on=formats.date_format(submitted, "DATE_FORMAT"),
                summary=review.summary,
                rows=rows,
            )
        )
    return tuple(blocks)


def _covered_modules(referential, diagnostic):
    """The titles of the modules the score snapshot covers, in the referential's order (one query)."""
    codes = (diagnostic.scores or {}).get("coverage", {}).get("modules", [])
    modules = Module.objects.filter(referential=referential, code__in=codes).order_by("order", "pk")
    return tuple(module.title for module in modules)


def _answer_label(level):
    return _("not applicable") if level is None else _("level %(level)s") % {"level": level}


def _divergence(diagnostic, answers):
    """The questions the respondents answered two levels apart or more (two queries)."""
    rows = []
    for block in divergence_for(diagnostic):
        for item in block.questions:
            if not item.diverges:
                continue
            kept = answers.get(item.question.pk)
            rows.append(
                DivergenceRow(
                    code=item.question.code,
                    text=item.question.text,
                    spread=item.spread,
                    answers=tuple(_respondent_line(answer) for answer in item.answers),
                    kept=_answer_label(None if kept is None else kept.level),
                )
            )
    return tuple(rows)


def _respondent_line(answer):
    who = f"{answer.name} ({answer.function})" if answer.function else answer.name
    return _("%(who)s: %(answer)s") % {
        "who": who,
        "answer": _answer_label(None if answer.not_applicable else answer.level),
    }


def _weight(weight):
    """A weight as the file writes it, localised: 1, 1,25, 0,75."""
    decimals = max(0, -Decimal(weight).normalize().as_tuple().exponent)
    return formats.number_format(Decimal(weight), decimal_pos=decimals)


def _score_text(score):
    return "–" if score is None else formats.number_format(Decimal(score), decimal_pos=2)


def _history_up_to(diagnostic, axes):
    """The company's diagnostics up to this one (the results page's trend, cut at it), oldest first.

    A report is the document of one diagnostic, readable by whoever may see that diagnostic (an expert,
    a region it was shared with): it shows the history that led to it, as it already shows the previous
    diagnostic, never the diagnostics submitted after it. Empty when this one is the first.
    """
    points = company_trend(diagnostic, axes=axes)
    current = next((index for index, point in enumerate(points) if point.is_current), None)
    return points[: current + 1] if current else []


def _trend(diagnostic, axes):
    """The trend table (turned a quarter so that the diagnostics are the columns), its most recent
    columns only; None when this diagnostic is the company's first."""
    points = _history_up_to(diagnostic, axes)[-REPORT_TREND_COLUMNS:]
    if not points:
        return None
    columns = tuple(
        TrendColumn(submitted_on=_date(point.submitted_at), label=point.label, is_current=point.is_current)
        for point in points
    )
    overall = TrendRow(title=_("Overall"), scores=tuple(_score_text(point.overall) for point in points))
    by_axis = tuple(
        TrendRow(title=axis.title, scores=tuple(_score_text(point.axes[index][1]) for point in points))
        for index, axis in enumerate(axes)
    )
    return TrendTable(columns=columns, rows=(overall, *by_axis))


def _trend_inputs(diagnostic):
    """What the trend table is made from: the company's diagnostics (their scores never change) and labels."""
    return [[point.diagnostic_id, point.label] for point in _history_up_to(diagnostic, axes=[])]


def _date(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _diagnostic_with_context(diagnostic_id):
    return (
        Diagnostic.objects.select_related(
            "company__naf_division__section", "company__region", "referential", "previous"
        )
        .filter(pk=diagnostic_id)
        .first()
    )


def _axes(referential_id):
    """The referential's axes with their questions, level descriptors and recommendations (four queries)."""
    questions = Question.objects.order_by("order", "pk").prefetch_related(
        Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("target_level")),
    )
    return list(
        Axis.objects.filter(referential_id=referential_id)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def report_content(diagnostic):
    """The report's content for a submitted diagnostic (or its id), in its company's language."""
    diagnostic_id = diagnostic if isinstance(diagnostic, int) else diagnostic.pk
    diagnostic = _diagnostic_with_context(diagnostic_id)
    if diagnostic is None or diagnostic.is_draft or not diagnostic.scores:
        raise ReportUnavailable(f"diagnostic {diagnostic_id} is not submitted")
    language = diagnostic.company.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _build(diagnostic, language)


def _build(diagnostic, language):
    company = diagnostic.company
    referential = diagnostic.referential
    axes = _axes(referential.pk)
    answers = {
        answer.question_id: answer for answer in Answer.objects.filter(diagnostic=diagnostic).order_by("question_id")
    }
    bands = list(MaturityBand.objects.filter(referential=referential).order_by("level"))
    band = next((b for b in bands if b.level == diagnostic.band), None)
    scores = axis_scores(diagnostic)
    previous = diagnostic.previous if diagnostic.previous_id and diagnostic.previous.scores else None
    previous_scores = axis_scores(previous) if previous else {}
    figures = frozen_figures(diagnostic)
    peers = figures.peers

    strengths, _weakest = strengths_and_weaknesses(axes, scores, count=STRENGTHS)
    plan = action_plan(axes, answers)
    actions = tuple(
        ActionEntry(
            rank=rank,
            action=item.recommendation.action,
            axis_title=item.axis.title,
            question_code=item.question.code,
            question_text=item.question.text,
            current_level=item.current_level,
            target_level=item.recommendation.target_level,
            effort=str(item.recommendation.get_effort_display()),
            impact=str(item.recommendation.get_impact_display()),
        )
        for rank, item in enumerate(plan, start=1)
    )

    has_modules = any(question.module_id for axis in axes for question in axis.questions.all())
    sections = []
    for axis in axes:
        questions = []
        for question in axis.questions.all():
            answer = answers.get(question.pk)
            if answer is None and question.module_id is not None:
                continue  # a question of a module the company did not open or answer
            if answer is None or answer.level is None:
                level_label, descriptor = _("Not applicable"), ""
            else:
                level_label = _("Level %(level)s") % {"level": answer.level}
                descriptor = next((d.description for d in question.levels.all() if d.level == answer.level), "")
            questions.append(
                QuestionEntry(
                    code=question.code,
                    text=question.text,
                    level_label=level_label,
                    descriptor=descriptor,
                    comment=(answer.comment if answer else "").strip(),
                )
            )
        peer_score = peers.axes.get(axis.code) if peers else None
        sections.append(
            AxisSection(
                code=axis.code,
                title=axis.title,
                description=axis.description,
                score=_figure(scores.get(axis.code)),
                peers=_figure(peer_score) if peer_score is not None else None,
                previous=_figure(previous_scores[axis.code]) if previous_scores.get(axis.code) is not None else None,
                questions=tuple(questions),
                weight=_weight(axis.weight),
                weight_rationale=axis.weight_rationale,
            )
        )

    next_steps = tuple(
        NextStepsBlock(title=title, items=tuple(NextStepEntry(title=item, detail=detail) for item, detail in items))
        for title, items in figures.next_steps
    )

    return ReportContent(
        language=language,
        title=_("Maturity self-diagnostic report – %(company)s") % {"company": company.name},
        company_name=company.name,
        siret=company.siret,
        activity=f"{company.naf_division.code} – {company.naf_division.label}",
        region=company.region.label,
        headcount=str(company.get_headcount_band_display()),
        referential_title=referential.title,
        referential_version=referential.version,
        submitted_on=_date(diagnostic.submitted_at),
        overall=_figure(diagnostic.overall_score),
        band_level=diagnostic.band,
        band_name=band.name if band else "",
        band_description=band.description if band else "",
        previous_overall=_figure(previous.overall_score) if previous else None,
        previous_submitted_on=_date(previous.submitted_at) if previous else "",
        figures_on=_date(figures.taken_at),
        peer_group=str(peers.rung.label) if peers else "",
        peer_companies=peers.companies if peers else 0,
        peer_overall=_figure(peers.overall) if peers else None,
        strengths=tuple(AxisSummary(code=a.code, title=a.title, score=_figure(s)) for a, s in strengths),
        priorities=actions[:PRIORITIES],
        axes=tuple(sections),
        actions=actions,
        next_steps=next_steps,
        bands=tuple(BandEntry(level=b.level, name=b.name, description=b.description) for b in bands),
        has_modules=has_modules,
        covered_modules=_covered_modules(referential, diagnostic) if has_modules else (),
        reviews=_reviews(diagnostic, axes, scores),
        divergence=_divergence(diagnostic, answers),
        roadmap=report_roadmap(diagnostic, figures.funding),
        trend=_trend(diagnostic, axes),
    )


def report_inputs(diagnostic):
    """Everything the report of a submitted diagnostic (or its id) is made from, as JSON-ready values.

    Three queries, plus those of the expert reviews' provider (the frozen figures are stored on the
    diagnostic; a diagnostic without them gets them now, see `snapshot.frozen_figures`).
    """
    diagnostic_id = diagnostic if isinstance(diagnostic, int) else diagnostic.pk
    diagnostic = _diagnostic_with_context(diagnostic_id)
    if diagnostic is None or diagnostic.is_draft or not diagnostic.scores:
        raise ReportUnavailable(f"diagnostic {diagnostic_id} is not submitted")
    company = diagnostic.company
    language = company.language or settings.LANGUAGE_CODE
    figures = frozen_figures(diagnostic)
    return {
        "language": language,
        "time_zone": settings.TIME_ZONE,
        "diagnostic": [diagnostic.pk, diagnostic.referential_id, diagnostic.previous_id, diagnostic.scores],
        "submitted_at": diagnostic.submitted_at.isoformat(),
        "company": [
            company.name,
            company.siret,
            company.headcount_band,
            [company.naf_division.code, company.naf_division.label_fr, company.naf_division.label_en],
            [company.region.code, company.region.label_fr, company.region.label_en],
        ],
        "answers": list(
            Answer.objects.filter(diagnostic_id=diagnostic.pk)
            .order_by("question_id")
            .values_list("question_id", "level", "not_applicable", "comment")
        ),
        # The submitted expert reviews (a review submitted after the report makes a new one).
        "reviews": [asdict(review) for review in report_reviews_for(diagnostic)],
        # What the report prints of them: the day they were taken, not the instant.
        "figures": {
            "taken_on": timezone.localtime(figures.taken_at).date().isoformat(),
            "peers": figures.stored["peers"],
            "next_steps": figures.stored["next_steps"],
            "funding": figures.stored.get("funding", []),
        },
        "roadmap": roadmap_inputs(diagnostic),
        "trend": _trend_inputs(diagnostic),
    }


@cache
def layout_fingerprint(language):
    """A digest of what shapes the PDF besides the data: templates, stylesheet, fonts, the language's
    compiled translations, the report code and WeasyPrint's version.

    Computed once per process and language (a deployment changes these files and restarts the processes).
    """
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(version("weasyprint").encode())
    files = sorted(TEMPLATE_DIR.glob("*.html")) + [STYLESHEET] + sorted(FONT_DIR.glob("*.ttf")) + CODE_FILES
    files += [Path(path) / language / "LC_MESSAGES" / "django.mo" for path in settings.LOCALE_PATHS]
    for path in files:
        digest.update(path.name.encode())
        if path.exists():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_hash(inputs):
    """SHA-256 of a report's inputs (`report_inputs`) and of its layout's fingerprint."""
    payload = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{layout_fingerprint(inputs['language'])}\n{payload}".encode()).hexdigest()
