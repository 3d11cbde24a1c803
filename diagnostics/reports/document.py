"""The report's content as a tree of frozen dataclasses holding only strings and numbers: what the
templates print (`content.report_content` builds it)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A 0..5 score: `value` for the radar ("2.45"), `text` formatted in the report's language ("2,45")."""

    value: str | None
    text: str


@dataclass(frozen=True)
class AxisSummary:
    code: str
    title: str
    score: Figure


@dataclass(frozen=True)
class QuestionEntry:
    code: str
    text: str
    level_label: str  # "Level 3" or "Not applicable"
    descriptor: str  # what the chosen level says is true in the company ("" when not applicable)
    comment: str  # the company's comment, raw user text: the template escapes it


@dataclass(frozen=True)
class AxisSection:
    code: str
    title: str
    description: str
    score: Figure
    peers: Figure | None
    previous: Figure | None
    questions: tuple
    weight: str = ""  # the axis's weight in the overall score, localised ("1,25")
    weight_rationale: str = ""  # why it weighs that much ("" for versions before 2026.2)


@dataclass(frozen=True)
class ActionEntry:
    rank: int
    action: str
    axis_title: str
    question_code: str
    question_text: str
    current_level: int
    target_level: int
    effort: str
    impact: str


@dataclass(frozen=True)
class NextStepEntry:
    title: str
    detail: str


@dataclass(frozen=True)
class NextStepsBlock:
    title: str
    items: tuple


@dataclass(frozen=True)
class ReviewAxisRow:
    title: str
    self_score: Figure
    validated: Figure | None
    gap: str  # self minus expert, signed ("+0,50", "−1,00", "0,00"), "–" when either side is missing


@dataclass(frozen=True)
class ReviewBlock:
    """A submitted expert review: who and when, the overall opinion, and per axis the calibration gap."""

    expert: str
    organisation: str
    submitted_on: str
    summary: str
    rows: tuple


@dataclass(frozen=True)
class DivergenceRow:
    """A question on which the company's respondents are two levels apart or more: who answered what,
    and the answer the company kept (the consensus)."""

    code: str
    text: str
    spread: int
    answers: tuple  # "Name (function): level 3", in the respondents' order
    kept: str


@dataclass(frozen=True)
class TrendColumn:
    """One diagnostic of the company in the report's trend table: its date and its T0/T1/T2 label."""

    submitted_on: str
    label: str
    is_current: bool


@dataclass(frozen=True)
class TrendRow:
    title: str  # "Overall", or an axis's title
    scores: tuple  # one per column, localised ("–" where that diagnostic has none)


@dataclass(frozen=True)
class TrendTable:
    """The company's scores over its diagnostics: a column per diagnostic, a row for the overall score and each axis."""

    columns: tuple
    rows: tuple


@dataclass(frozen=True)
class BandEntry:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class ReportContent:
    language: str
    title: str
    company_name: str
    siret: str
    activity: str
    region: str
    headcount: str
    referential_title: str
    referential_version: str
    submitted_on: str
    overall: Figure
    band_level: int
    band_name: str
    band_description: str
    previous_overall: Figure | None
    previous_submitted_on: str
    figures_on: str  # the date the peer group and the next steps were taken (at submit, or updated since)
    peer_group: str  # which group the benchmark used, "" when no group is large enough
    peer_companies: int
    peer_overall: Figure | None
    strengths: tuple
    priorities: tuple
    axes: tuple
    actions: tuple
    next_steps: tuple
    bands: tuple
    reviews: tuple = ()
    divergence: tuple = ()  # DivergenceRow: where the respondents disagree (several respondents only)
    has_modules: bool = False  # whether the version has deep-dive modules: the report then states the coverage
    covered_modules: tuple = ()  # the titles of the modules the score covers besides the core
    roadmap: object = None  # reports.roadmap.Roadmap: the action plan on one page, None without a plan
    trend: object = None  # TrendTable of the company's diagnostics up to this one, None when it is the first

    @property
    def first_action(self):
        return self.actions[0] if self.actions else None
