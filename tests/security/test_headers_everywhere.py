"""The Content-Security-Policy and the Permissions-Policy on every URL pattern of the project.

The URLconf is walked as the permission matrix walks it (a new pattern is checked without anyone
adding it here). Each pattern is requested as a role the matrix lets in (200 when one role gets it,
so the page itself is rendered), or with its arguments filled in for the patterns the matrix leaves
out (Django's admin, the development media view, the language switch, the health check). Every
answer, a page, a redirect or an error, must carry both policies; every HTML page a role gets must
hold no style attribute nor <style> element, which that policy would refuse.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.permission_matrix import GET, POST, ROLES
from tests.security.test_permission_matrix import ROWS, client_for, send, url_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.files_of_the_module]

PERMISSIONS_DENIED = ("camera", "microphone", "geolocation", "payment", "usb")
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
# Patterns the matrix leaves out, requested here with their arguments filled in: method and role.
UNLISTED = {"set_language": (POST, "anon"), "health": (GET, "anon")}
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
PATTERNS = url_patterns()


def check_policies(response, where):
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {name: values for name, *values in (part.split() for part in csp.split(";") if part.strip())}
    assert directives.get("style-src") == ["'self'"], f"{where}: style-src {directives.get('style-src')}"
    assert directives.get("script-src") == ["'self'"], f"{where}: script-src {directives.get('script-src')}"
    assert "'unsafe-inline'" not in csp, where
    policy = response.headers.get("Permissions-Policy", "")
    for feature in PERMISSIONS_DENIED:
        assert f"{feature}=()" in policy, f"{where}: Permissions-Policy {policy!r} lacks {feature}=()"


def check_no_inline_style(response, where):
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found = INLINE_STYLE.findall(content.decode("utf-8", errors="replace"))
    assert not found, f"{where}: {len(found)} inline style(s) the policy refuses"


def matrix_request(scenario, rows):
    """(role, row) of a matrix row: a GET row before a POST one, a role that gets 200 before others."""
    rows = sorted(rows, key=lambda row: row.method != GET)
    for row in rows:
        for role in ROLES:
            if row.expected[role] == 200:
                return role, row
    return next(role for role in ROLES if role != "anon"), rows[0]


def filled_route(route):
    """A path for a pattern the matrix does not list: every argument replaced by 1."""
    path = ARGUMENT.sub("1", route).lstrip("^").rstrip("$")
    return "/" + path.replace("\\", "")


def request_unlisted(key, route, scenario):
    method, role = UNLISTED.get(key, (GET, "staff" if key.startswith("admin:") else "anon"))
    client = client_for(scenario, role) if role != "anon" else Client(raise_request_exception=False)
    path = filled_route(route)
    if method == GET:
        return client.get(path)
    with transaction.atomic():
        response = client.post(path, {"language": "fr", "next": "/"})
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("key", "route"), PATTERNS, ids=[key for key, _route in PATTERNS])
def test_every_pattern_answers_with_both_policies(scenario, key, route):
    rows = [row for row in ROWS if row.name == key]
    if rows:
        role, row = matrix_request(scenario, rows)
        response = send(client_for(scenario, role), row, row.url(scenario))
        where = f"{row.method} {row.url(scenario)} as {role}"
        check_no_inline_style(response, where)
    else:
        response = request_unlisted(key, route, scenario)
        where = f"{key} ({filled_route(route)})"
    check_policies(response, where)


def test_the_walk_covers_the_pages_of_each_app():
    keys = {key for key, _route in PATTERNS}
    assert {"home", "diagnostics:results", "regions:dashboard", "experts:assignment", "admin:index"} <= keys
    assert len(keys) > 80


def test_the_policies_are_checked_on_an_error_page_too(client):
    check_policies(client.get("/no-such-page/"), "404")


def test_a_page_with_an_inline_style_would_be_caught():
    class Page:
        status_code = 200
        streaming = False
        content = b'<p style="color:red">x</p>'

        def get(self, _name, _default=""):
            return "text/html; charset=utf-8"

    with pytest.raises(AssertionError, match="inline style"):
        check_no_inline_style(Page(), "a page")


def test_the_radar_page_is_rendered_without_inline_styles(scenario):
    response = client_for(scenario, "owner").get(reverse("diagnostics:results", args=[scenario.a_submitted.pk]))
    assert response.status_code == 200
    assert 'class="radar"' in response.content.decode()
    check_no_inline_style(response, "the results page")
