"""Empty lists of the portal say what to do next, with the link."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_user_without_api_tokens_is_sent_to_the_form_that_makes_one(client, owner):
    client.force_login(owner)
    page = client.get(reverse("portal:api_tokens")).content.decode()
    assert 'href="#create-title"' in page.split('class="empty-state')[1].split("</div>")[0]
