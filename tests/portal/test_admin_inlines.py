"""The admin's tabular inlines name each field of a row (screen readers otherwise announce a nameless
box in every cell) and the column of the recorded entry; the admin loads the portal's own styles."""

import re

import pytest
from django.urls import reverse

from tests.portal.factories import OwnerFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def change_page(client):
    company = OwnerFactory().company
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:portal_company_change", args=[company.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_field_of_an_inline_row_is_named_by_its_column(change_page):
    for name in ("memberships-0-user", "memberships-0-role", "memberships-0-DELETE"):
        field = re.search(rf'<[^>]+name="{name}"[^>]*>', change_page).group(0)
        assert re.search(r'aria-label="[^"]+"', field), field


def test_the_recorded_entry_column_has_a_header(change_page):
    assert re.search(r'<th class="original"><span class="visually-hidden">\w', change_page)


def test_the_admin_loads_the_portal_admin_styles(change_page):
    assert "/static/css/admin.css" in change_page
