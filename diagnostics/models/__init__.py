"""Models of the diagnostics app, one module per part: the versioned referential first."""

from diagnostics.models.access import DiagnosticAccess
from diagnostics.models.diagnostic import Answer, AxisScore, Diagnostic
from diagnostics.models.peers import PeerCell
from diagnostics.models.plan import ActionPlan, PlanAction
from diagnostics.models.referential import (
    DEFAULT_REFERENTIAL_CODE,
    LEVELS,
    TARGET_LEVELS,
    Axis,
    LevelDescriptor,
    MaturityBand,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    ReferentialTransition,
    Scale,
    TechnologyTheme,
)
from diagnostics.models.report import Report

__all__ = [
    "ActionPlan",
    "PlanAction",
    "Answer",
    "AxisScore",
    "Diagnostic",
    "DiagnosticAccess",
    "DEFAULT_REFERENTIAL_CODE",
    "LEVELS",
    "TARGET_LEVELS",
    "Axis",
    "LevelDescriptor",
    "MaturityBand",
    "PeerCell",
    "Question",
    "QuestionTheme",
    "Recommendation",
    "Referential",
    "ReferentialTransition",
    "Report",
    "Scale",
    "TechnologyTheme",
]
