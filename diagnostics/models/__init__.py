"""Models of the diagnostics app, one module per part: the versioned referential first."""

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

__all__ = [
    "DEFAULT_REFERENTIAL_CODE",
    "LEVELS",
    "TARGET_LEVELS",
    "Axis",
    "LevelDescriptor",
    "MaturityBand",
    "Question",
    "QuestionTheme",
    "Recommendation",
    "Referential",
    "ReferentialTransition",
    "Scale",
    "TechnologyTheme",
]
