"""Empty lists of the regions app and the company's diagnostics say what to do next, with the link."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def empty_state(response):
    page = response.content.decode()
    assert response.status_code == 200
    return page.split('class="empty-state')[1].split("</div>")[0]


def test_an_officer_without_programmes_is_offered_to_create_one(client, officer):
    client.force_login(officer)
    assert reverse("regions:programme_create") in empty_state(client.get(reverse("regions:my_region")))


def test_the_national_view_without_programmes_says_who_creates_them(client, staff):
    client.force_login(staff)
    assert reverse("regions:programme_create") not in empty_state(client.get(reverse("regions:national")))


def test_a_company_without_open_programmes_is_sent_to_its_diagnostics(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("regions:company_programmes"))
    assert reverse("diagnostics:company_diagnostics", args=[company.pk]) in empty_state(response)


def test_an_officer_without_shared_diagnostics_is_sent_to_their_programmes(client, officer):
    client.force_login(officer)
    assert reverse("regions:my_region") in empty_state(client.get(reverse("regions:shared_diagnostics")))


def test_a_company_without_diagnostic_is_told_to_start_one_on_its_list(client, owner, company):
    client.force_login(owner)
    response = client.get(reverse("diagnostics:company_diagnostics", args=[company.pk]))
    assert "button above" in empty_state(response) or "bouton ci-dessus" in empty_state(response)


def test_an_audit_trail_filter_without_match_offers_every_entry(client, officer):
    client.force_login(officer)
    response = client.get(reverse("regions:audit_trail"), {"action": "nothing.matches"})
    assert f'href="{reverse("regions:audit_trail")}"' in empty_state(response)
