"""The regions' forms write their figures in the user's language: limits in errors, amounts, scores and dates."""

from decimal import Decimal

import pytest

from diagnostics.models import Diagnostic
from portal.models import Region
from regions.forms import AcceptForm, ApplicationForm, ProgrammeForm
from tests.regions.factories import ProgrammeFactory, SubmittedDiagnosticFactory

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_the_cap_in_the_acceptance_error_is_written_in_french(french):
    programme = ProgrammeFactory(cap_per_company=Decimal("15000"))
    form = AcceptForm({"amount": "20000"}, programme=programme)
    assert not form.is_valid()
    assert form.errors["amount"] == [f"Assurez-vous que cette valeur est inférieure ou égale à 15{NBSP}000,00."]


def test_the_programme_form_prefills_its_amounts_in_french(french):
    programme = ProgrammeFactory(budget=Decimal("150000"), cap_per_company=Decimal("12000"))
    form = ProgrammeForm(programme=programme, regions=Region.objects.filter(pk=programme.region_id))
    assert f'value="150{NBSP}000,00"' in str(form["budget"])
    assert f'value="12{NBSP}000,00"' in str(form["cap_per_company"])


def test_the_attached_diagnostic_reads_its_score_and_date_in_french(french):
    programme = ProgrammeFactory()
    diagnostic = SubmittedDiagnosticFactory(overall_score=Decimal("2.03"))
    form = ApplicationForm(programme=programme, diagnostics=Diagnostic.objects.all())
    label = form.fields["diagnostic"].label_from_instance(diagnostic)
    assert "global 2,03 / 5" in label
    assert diagnostic.submitted_at.date().isoformat() not in label
