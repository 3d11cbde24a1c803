"""Models of the diagnostics app, one module per part: the versioned referential first."""

from diagnostics.models.access import DiagnosticAccess
from diagnostics.models.diagnostic import Answer, AxisScore, Diagnostic
from diagnostics.models.evidence import Evidence
from diagnostics.models.modules import Module, ModuleDecision, ModuleRule
from diagnostics.models.peers import PeerCell, PeerPublication, PublishedPeerGroup
from diagnostics.models.plan import ActionPlan, PlanAction
from diagnostics.models.questions import LevelDescriptor, Question, QuestionTheme, Recommendation
from diagnostics.models.referential import (
    DEFAULT_REFERENTIAL_CODE,
    LEVELS,
    TARGET_LEVELS,
    Axis,
    MaturityBand,
    Referential,
    ReferentialTransition,
    Scale,
)
from diagnostics.models.report import Report
from diagnostics.models.respondents import ConsensusDecision, Respondent, RespondentAnswer, RespondentFunction
from diagnostics.models.themes import TechnologyTheme

__all__ = [
    "ActionPlan",
    "PlanAction",
    "Answer",
    "ConsensusDecision",
    "Respondent",
    "RespondentAnswer",
    "RespondentFunction",
    "AxisScore",
    "Diagnostic",
    "Evidence",
    "DiagnosticAccess",
    "DEFAULT_REFERENTIAL_CODE",
    "LEVELS",
    "TARGET_LEVELS",
    "Axis",
    "LevelDescriptor",
    "MaturityBand",
    "Module",
    "ModuleDecision",
    "ModuleRule",
    "PeerCell",
    "PeerPublication",
    "PublishedPeerGroup",
    "Question",
    "QuestionTheme",
    "Recommendation",
    "Referential",
    "ReferentialTransition",
    "Report",
    "Scale",
    "TechnologyTheme",
]
