"""Extension points of the diagnostics app, filled by the apps above it from `AppConfig.ready()`.

`diagnostics` never imports `experts` or `regions`; they plug in here:
- access rules: who else may see a company's diagnostics (assigned experts, regional officers);
- results panels: extra sections on the results page (the expert's validated review, programmes);
- next steps: sections of the PDF report's "next steps" (matching experts, eligible programmes).
- on submit: work to start once a submitted diagnostic is committed (the PDF report).
- viewer roles: how an outside viewer is named in the company's access log (an expert's organisation).
- report reviews: the submitted expert reviews the PDF report prints, with the calibration gap.
- measurement labels: which diagnostics of a company measure it around a programme's support (T0, T1, T2).
- plan editors: who edits and validates a diagnostic's action plan as the company's expert (experts);
- funding: the programmes that may fund the action plan, with their rate when known (regions).
"""

from dataclasses import dataclass, field

_access_rules = []
_results_panels = []
_next_steps = []


def _register(registry, callback):
    if callback not in registry:
        registry.append(callback)
    return callback


def register_diagnostic_access(rule):
    """`rule(user)` returns a Q over Diagnostic for the extra diagnostics the user may see, or None."""
    return _register(_access_rules, rule)


def diagnostic_access_filters(user):
    return [q for q in (rule(user) for rule in _access_rules) if q is not None]


@dataclass(frozen=True)
class ResultsPanel:
    """A section of the results page; with an `anchor` (the id of its heading) and a `contents_label`,
    it is listed in the page's contents ("On this page")."""

    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100
    anchor: str = ""
    contents_label: str = ""


def register_results_panel(provider):
    """`provider(request, diagnostic, *, axes)` returns a ResultsPanel to show on the results page, or None.

    `axes`: the diagnostic's referential axes in order, as the results page read them (None: not read)."""
    return _register(_results_panels, provider)


def results_panels_for(request, diagnostic, *, axes=None):
    panels = [panel for panel in (provider(request, diagnostic, axes=axes) for provider in _results_panels) if panel]
    return sorted(panels, key=lambda panel: panel.order)


@dataclass(frozen=True)
class NextStepItem:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class NextStepsSection:
    title: str
    items: list
    order: int = 100


def register_next_steps(provider):
    """`provider(diagnostic)` returns a NextStepsSection for the report, or None (the section is left out)."""
    return _register(_next_steps, provider)


def next_steps_for(diagnostic):
    sections = [section for section in (provider(diagnostic) for provider in _next_steps) if section and section.items]
    return sorted(sections, key=lambda section: section.order)


_on_submit = []


def register_on_submit(callback):
    """`callback(diagnostic_id)` runs after the transaction that submitted a diagnostic commits (e.g. render the PDF)."""
    return _register(_on_submit, callback)


def on_submit_callbacks():
    return list(_on_submit)


@dataclass(frozen=True)
class ViewerRole:
    """How a viewer from outside the company is named in its access log: `kind` is one of
    `DiagnosticAccess.Kind` ("expert", ...), `organisation` the organisation they act for."""

    kind: str
    organisation: str = ""


_viewer_roles = []


def register_viewer_role(describer):
    """`describer(user)` returns a ViewerRole for users the app above knows (e.g. an expert and their
    organisation), or None. Asked only for viewers who are neither staff nor regional officers."""
    return _register(_viewer_roles, describer)


def viewer_role_for(user):
    for describer in _viewer_roles:
        role = describer(user)
        if role is not None:
            return role
    return None


@dataclass(frozen=True)
class ReportReview:
    """A submitted expert review as the PDF report prints it: who, when (ISO date), the overall opinion and
    the expert's score per axis ({axis code: "2.50" or None}, text so that the report's hash reads it)."""

    expert: str
    organisation: str
    submitted_on: str
    summary: str
    axes: dict


_report_reviews = []


def register_report_reviews(provider):
    """`provider(diagnostic)` returns the list of `ReportReview` of the diagnostic's submitted expert reviews."""
    return _register(_report_reviews, provider)


def report_reviews_for(diagnostic):
    return [review for provider in _report_reviews for review in provider(diagnostic)]


_measurement_labels = []


def register_measurement_labels(provider):
    """`provider(company_id, submitted)` returns {diagnostic id: label} for the company's measurement
    points; `submitted` lists (id, submission date) of its submitted diagnostics."""
    return _register(_measurement_labels, provider)


def measurement_labels_for(company_id, submitted):
    labels = {}
    for provider in _measurement_labels:
        labels.update(provider(company_id, submitted))
    return labels


_plan_editors = []


def register_plan_editors(rule):
    """`rule(user)` returns a Q over Diagnostic for the plans the user may edit and validate as the
    company's expert (experts: the diagnostic of their accepted or in-progress assignment), or None."""
    return _register(_plan_editors, rule)


def plan_editor_filters(user):
    return [q for q in (rule(user) for rule in _plan_editors) if q is not None]


@dataclass(frozen=True)
class FundingOffer:
    """A programme that may fund the company's plan: its name, the share of the cost it pays (a Decimal
    percentage, None when the programme does not say) and one line of detail."""

    name: str
    rate: object = None
    detail: str = ""


_funding = []


def register_funding(provider):
    """`provider(diagnostic)` returns the FundingOffers open to the diagnostic's company (regions: the
    open programmes of its region it may apply to), or an empty list."""
    return _register(_funding, provider)


def funding_for(diagnostic):
    return [offer for provider in _funding for offer in (provider(diagnostic) or [])]
