import pytest
from django.utils import translation

from diagnostics.services import submit_diagnostic
from tests.diagnostics.factories import DiagnosticFactory, PublishedReferentialFactory, answer_all
from tests.experts.factories import accredit

# The self-assessment of `submitted_diagnostic`: AX1 weakest, then AX3, then AX2 (levels per axis).
SELF_LEVELS = {"AX1": 1, "AX2": 4, "AX3": 2}


@pytest.fixture
def english():
    """Messages in English (the project's default language is French)."""
    with translation.override("en"):
        yield


@pytest.fixture
def expert_profile(expert):
    """The `expert` role's profile, referenced for a year."""
    return accredit(expert.expert_profile)


@pytest.fixture
def referential(db):
    """A published referential of three axes (AX1, AX2, AX3) of two questions each."""
    return PublishedReferentialFactory(axes=3, questions=2)


@pytest.fixture
def submitted_diagnostic(company, owner, referential):
    """The company's submitted self-diagnostic: AX1 at 1, AX2 at 4, AX3 at 2."""
    diagnostic = DiagnosticFactory(company=company, referential=referential, started_by=owner)
    answer_all(diagnostic, level=lambda question: SELF_LEVELS[question.axis.code])
    return submit_diagnostic(diagnostic=diagnostic, by=owner)
