"""Empty lists of the experts app say what to do next, with the link, instead of an empty table."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def empty_state(response):
    page = response.content.decode()
    assert response.status_code == 200
    return page.split('class="empty-state')[1].split("</div>")[0]


def test_an_expert_without_missions_is_sent_to_their_profile(client, expert, expert_profile):
    client.force_login(expert)
    assert reverse("experts:edit_profile") in empty_state(client.get(reverse("experts:my_assignments")))


def test_an_officer_without_assignments_is_sent_to_the_company_search(client, officer):
    client.force_login(officer)
    assert 'href="#company-search"' in empty_state(client.get(reverse("experts:assignments")))


def test_an_empty_status_filter_offers_every_assignment(client, officer):
    client.force_login(officer)
    response = client.get(reverse("experts:assignments"), {"status": "done"})
    assert f'href="{reverse("experts:assignments")}"' in empty_state(response)


def test_a_directory_search_without_match_offers_to_clear_the_filters(client, owner):
    client.force_login(owner)
    response = client.get(reverse("experts:directory"), {"q": "personne-ne-porte-ce-nom"})
    assert f'href="{reverse("experts:directory")}"' in empty_state(response)
