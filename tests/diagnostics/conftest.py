from pathlib import Path

import pytest
from django.utils import translation

HERE = Path(__file__).resolve().parent
SMALL_REFERENTIAL = HERE / "fixtures" / "small-referential.yaml"
MALFORMED = HERE / "malformed"


@pytest.fixture
def english():
    """Messages in English (the project's default language is French)."""
    with translation.override("en"):
        yield


@pytest.fixture
def small_referential_file():
    return SMALL_REFERENTIAL
