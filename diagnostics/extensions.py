"""Extension points of the diagnostics app, filled by the apps above it from `AppConfig.ready()`.

`diagnostics` never imports `experts` or `regions`; they plug in here:
- access rules: who else may see a company's diagnostics (assigned experts, regional officers);
- results panels: extra sections on the results page (the expert's validated review, programmes);
- next steps: sections of the PDF report's "next steps" (matching experts, eligible programmes).
- on submit: work to start once a submitted diagnostic is committed (the PDF report).
- viewer roles: how an outside viewer is named in the company's access log (an expert's organisation).
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
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


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
