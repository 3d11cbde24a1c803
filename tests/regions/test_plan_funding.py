"""The action plan names the open programmes of the company's region that may fund it, with their rate."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from diagnostics import services as diagnostics_services
from tests.diagnostics.factories import PublishedReferentialFactory, answer_all
from tests.portal.factories import OwnerFactory
from tests.regions.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_plan_page_names_a_programme_with_its_funding_rate_and_dates_in_french(client):
    PublishedReferentialFactory(axes=2, questions=2)
    programme = ProgrammeFactory(name="Industrie 4.0 Bretagne", funding_rate=Decimal("50"))
    owner = OwnerFactory(company__region=programme.region)
    draft = diagnostics_services.start_diagnostic(company=owner.company, by=owner.user)
    answer_all(draft, level=1, by=owner.user)
    diagnostic = diagnostics_services.submit_diagnostic(diagnostic=draft, by=owner.user)
    client.force_login(owner.user)
    page = client.get(reverse("diagnostics:plan", args=[diagnostic.pk]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Industrie 4.0 Bretagne" in page
    assert "finance 50\u202f% du coût" in page
    with override("fr"):
        assert date_format(programme.end_date, "DATE_FORMAT") in page
