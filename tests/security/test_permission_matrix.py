"""The permission matrix (tests/security/permission_matrix.py) against the whole URLconf.

- every URL pattern of the project has rows in the matrix, or an explained exclusion;
- each row: every role gets the expected status (GET as is; POST with a CSRF token, rolled back);
- every URL that accepts POST has POST rows (the others answer POST with 405);
- for every URL accepting POST: a GET by any role changes no table, and a POST without a CSRF
  token is refused (403) and changes no table;
- the API's table (`API_MATRIX`): every role with a token of each scope gets the expected status;
  a GET changes nothing; an endpoint without write rows refuses writes (405); its lists show no
  one outside the role's scope.

One scenario (tests/security/scenario.py) serves the whole module; each test runs in a savepoint.
"""

from collections import defaultdict
from urllib.parse import parse_qs, urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.security.permission_matrix import (
    ANY,
    API_DATA,
    API_MATRIX,
    API_NOT_SHOWN,
    EXCLUDED,
    GET,
    GET_MAY_WRITE,
    LOGIN,
    MATRIX,
    NOT_SHOWN,
    POST,
    POST_DATA,
    READ,
    ROLES,
    WRITE,
)
from tests.storage_support import served_status

pytestmark = [pytest.mark.django_db, pytest.mark.files_of_the_module]

# Matrix role name -> scenario role name.
SCENARIO_ROLE = {
    "anon": None,
    "owner": "owner",
    "member": "member",
    "other": "other_company",
    "expert": "expert",
    "oexpert": "other_expert",
    "officer": "officer",
    "oofficer": "other_officer",
    "staff": "staff",
    # Not columns of the matrix: the superuser is checked against the user without a role, row by row.
    "superuser": "superuser",
    "no_role": "no_role",
}
REDIRECTS = {301, 302, 303, 307, 308}
SESSION_TABLE = "portal.usersession"  # the session store's table (portal.sessions)


# --- the URLconf -----------------------------------------------------------------------------------


def url_patterns(patterns=None, namespaces=(), prefix=""):
    """Every URL pattern of the project: (key, route), the key being "namespace:name" ("namespace:route"
    for an unnamed pattern)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            found += url_patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            key = ":".join((*namespaces, pattern.name or route))
            found.append((key, route))
    return found


def _excluded(key, route):
    namespace = key.split(":")[0] + ":*" if ":" in key else None
    return key in EXCLUDED or namespace in EXCLUDED or route in EXCLUDED


def _known_names():
    return {key for key, _route in url_patterns()}


# --- the rows ----------------------------------------------------------------------------------------


class Row:
    def __init__(self, name, label, kwargs, method, *statuses):
        assert len(statuses) == len(ROLES), (
            f"{name} ({label}, {method}): {len(statuses)} statuses for {len(ROLES)} roles"
        )
        self.name, self.label, self.kwargs_spec, self.method = name, label, kwargs, method
        self.expected = dict(zip(ROLES, statuses, strict=True))

    @property
    def id(self):
        return f"{self.name}[{self.label}]{self.method}"

    def kwargs(self, scenario):
        values = {}
        for pair in filter(None, self.kwargs_spec.split(";")):
            key, value = pair.split("=", 1)
            obj = scenario.objects.get(value, value)
            values[key] = getattr(obj, "pk", obj)
        return values

    def url(self, scenario):
        return reverse(self.name, kwargs=self.kwargs(scenario))

    def data(self):
        return POST_DATA.get((self.name, self.label), {})


class ApiRow(Row):
    def __init__(self, name, label, kwargs, method, scope, *statuses):
        super().__init__(name, label, kwargs, method, *statuses)
        self.scope = scope

    @property
    def id(self):
        return f"{self.name}[{self.label}]{self.method}:{self.scope}"

    @property
    def scopes(self):
        return (READ, WRITE) if self.scope == ANY else (self.scope,)

    def data(self):
        return API_DATA.get((self.name, self.label), {})


ROWS = [Row(*row) for row in MATRIX]
API_ROWS = [ApiRow(*row) for row in API_MATRIX]
API_WRITE_NAMES = {row.name for row in API_ROWS if row.method != GET}
API_GET_ONLY_ROWS = [row for row in API_ROWS if row.name not in API_WRITE_NAMES]
POST_ROWS = [row for row in ROWS if row.method == POST]
NAMES_WITH_POST = {row.name for row in POST_ROWS}
GET_ONLY_ROWS = [row for row in ROWS if row.name not in NAMES_WITH_POST]
# One row per URL accepting POST (url name, object), for the GET and CSRF checks.
POST_TARGETS = list({(row.name, row.label): row for row in POST_ROWS}.values())


def _fail_unless_routed(row):
    """A row whose URL is gone from the URLconf fails: the table must describe the project as it is."""
    if row.name not in _known_names():
        pytest.fail(f"{row.name} is in the matrix but not in the URLconf: remove its row")


# --- clients -------------------------------------------------------------------------------------------


def client_for(scenario, role, **options):
    """A client of the role: the session opened for it by the `scenario` fixture (second factor passed
    for officers and staff), no session for the anonymous visitor."""
    client = Client(raise_request_exception=False, **options)
    session_key = scenario.sessions.get(SCENARIO_ROLE[role])
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def api_client_for(scenario, role, scope):
    """A client of the role calling the API with its token of `scope` (no token for the anonymous visitor)."""
    client = APIClient()
    key = scenario.tokens.get((SCENARIO_ROLE[role], scope))
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def api_send(client, row, url):
    if row.method == GET:
        return client.get(url)
    with transaction.atomic():
        response = getattr(client, row.method.lower())(url, row.data(), format="json")
        transaction.set_rollback(True)
    return response


def observed(response):
    """The response as the matrix writes it: the status, LOGIN for a redirect to the login page that
    comes back to the page asked for."""
    if response.status_code in REDIRECTS:
        location = urlparse(response["Location"])
        if location.netloc:  # a file download answered by a presigned URL of the object store
            return served_status(response)
        if location.path == reverse("login"):
            back = parse_qs(location.query).get("next", [""])[0]
            return LOGIN if back == response.request["PATH_INFO"] else "login without next"
        return 302
    return response.status_code


def _describe(response):
    if response.status_code in REDIRECTS:
        return f" -> {response['Location']}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        return f" ({exc_info[0].__name__}: {exc_info[1]})"
    return ""


def send(client, row, url):
    if row.method == GET:
        return client.get(url)
    with transaction.atomic():
        response = client.post(url, row.data())
        transaction.set_rollback(True)
    return response


def table_state():
    """Every row of every table (sessions and the tables a GET may write to left out by the callers)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        state[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list())
    return state


def changed_tables(before, after, ignore=()):
    return sorted(label for label in before if label not in ignore and before[label] != after[label])


# --- the tests ---------------------------------------------------------------------------------------------


def test_every_url_pattern_has_a_row_or_an_exclusion():
    covered = {row.name for row in ROWS} | {row.name for row in API_ROWS}
    missing = [
        f"{key}  (route {route!r})" for key, route in url_patterns() if key not in covered and not _excluded(key, route)
    ]
    assert not missing, (
        "URL patterns without a row in tests/security/permission_matrix.py (add a row per role, or an "
        "exclusion with its reason):\n  " + "\n  ".join(missing)
    )


def test_no_row_is_written_twice():
    ids = [row.id for row in ROWS + API_ROWS]
    assert not {row_id for row_id in ids if ids.count(row_id) > 1}


def test_every_exclusion_has_a_reason():
    assert all(isinstance(reason, str) and len(reason) > 20 for reason in EXCLUDED.values())


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_role_gets_the_expected_status(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    mismatches = []
    for role in ROLES:
        response = send(client_for(scenario, role), row, url)
        got = observed(response)
        if got != row.expected[role]:
            mismatches.append(f"{role:>9}: expected {row.expected[role]}, got {got}{_describe(response)}")
    assert not mismatches, f"{row.method} {url} ({row.name}, {row.label}):\n  " + "\n  ".join(mismatches)


REFUSED = {403, 404}
SIGNED_IN_ROLES_BUT_STAFF = [role for role in ROLES if role not in ("anon", "staff")]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_a_superuser_without_a_portal_role_gets_what_a_user_without_a_role_gets(scenario, row):
    """The rules never let a superuser through (no `has_perm`): on every row, a Django superuser who
    holds no portal role gets the status a signed-in user without any role gets, and is refused
    wherever every signed-in role but staff is refused."""
    _fail_unless_routed(row)
    url = row.url(scenario)
    superuser = send(client_for(scenario, "superuser"), row, url)
    no_role = send(client_for(scenario, "no_role"), row, url)
    assert observed(superuser) == observed(no_role), (
        f"{row.method} {url} ({row.name}, {row.label}): the superuser got {observed(superuser)}{_describe(superuser)}, "
        f"a user without a role {observed(no_role)}{_describe(no_role)}"
    )
    if all(row.expected[role] in REFUSED for role in SIGNED_IN_ROLES_BUT_STAFF):
        assert observed(superuser) in REFUSED, f"{row.method} {url}: the superuser got {observed(superuser)}"


@pytest.mark.parametrize("row", GET_ONLY_ROWS, ids=lambda row: row.id)
def test_a_url_without_post_rows_refuses_post(scenario, row):
    """A URL that accepts POST must say so in the matrix (POST rows), so that the POST checks run on it."""
    _fail_unless_routed(row)
    url = row.url(scenario)
    for role in ("owner", "staff"):
        with transaction.atomic():
            response = client_for(scenario, role).post(url)
            transaction.set_rollback(True)
        assert response.status_code == 405, (
            f"POST {url} ({row.name}) as {role} answered {response.status_code}, not 405: it accepts POST, "
            "so the matrix needs POST rows for it"
        )


@pytest.mark.parametrize("row", POST_TARGETS, ids=lambda row: f"{row.name}[{row.label}]")
def test_a_get_changes_nothing(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    ignore = {table for table, (names, _reason) in GET_MAY_WRITE.items() if names == "*" or row.name in names}
    with transaction.atomic():
        first = table_state()
        for role in ROLES:
            client_for(scenario, role).get(url)
        changed = changed_tables(first, table_state(), ignore=ignore)
        transaction.set_rollback(True)
    if not changed:
        return
    # Something changed: again role by role from the same state (a savepoint each), to say who.
    changes = defaultdict(list)
    for role in ROLES:
        with transaction.atomic():
            before = table_state()
            client_for(scenario, role).get(url)
            for label in changed_tables(before, table_state(), ignore=ignore):
                changes[label].append(role)
            transaction.set_rollback(True)
    pytest.fail(
        f"GET {url} ({row.name}) changed {', '.join(changed)}: "
        + ", ".join(f"{label} as {', '.join(roles)}" for label, roles in changes.items())
    )


@pytest.mark.parametrize("row", POST_TARGETS, ids=lambda row: f"{row.name}[{row.label}]")
def test_a_post_without_csrf_token_is_refused(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    clients = {role: client_for(scenario, role, enforce_csrf_checks=True) for role in ROLES}
    before = table_state()
    statuses = {role: client.post(url, row.data()).status_code for role, client in clients.items()}
    after = table_state()
    refused = {role: status for role, status in statuses.items() if status != 403}
    assert not refused, f"POST {url} ({row.name}) without a CSRF token was not refused: {refused}"
    assert not changed_tables(before, after, ignore={SESSION_TABLE})


def _not_shown_params():
    for name, kwargs, role, text, control, *known_hole in NOT_SHOWN:
        marks = [pytest.mark.xfail(strict=True, reason=known_hole[0])] if known_hole else []
        yield pytest.param(name, kwargs, role, text, control, marks=marks, id=f"{name}[{kwargs}]-{role}")


@pytest.mark.parametrize(("name", "kwargs", "role", "text", "control"), list(_not_shown_params()))
def test_a_page_shows_nothing_outside_the_role_scope(scenario, name, kwargs, role, text, control):
    row = Row(name, "list", kwargs, GET, *[None] * len(ROLES))
    _fail_unless_routed(row)
    url = row.url(scenario)
    if control is not None:
        seen = client_for(scenario, control).get(url)
        assert seen.status_code == 200 and text in _text(seen), f"{control} should find {text!r} on {url}"
    response = client_for(scenario, role).get(url)
    assert response.status_code == 200
    assert text not in _text(response), f"{role} finds {text!r} on {url}, outside their scope"


def _text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


# --- the API -------------------------------------------------------------------------------------------------


def test_every_api_endpoint_has_rows_for_both_token_scopes():
    scopes = defaultdict(set)
    for row in API_ROWS:
        scopes[row.name].update(row.scopes)
    assert {name for name, found in scopes.items() if found != {READ, WRITE}} == set()


@pytest.mark.parametrize("row", API_ROWS, ids=lambda row: row.id)
def test_each_role_and_token_scope_gets_the_expected_status_from_the_api(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    mismatches = []
    for scope in row.scopes:
        for role in ROLES:
            response = api_send(api_client_for(scenario, role, scope), row, url)
            if response.status_code != row.expected[role]:
                body = response.content[:200].decode(errors="replace")
                mismatches.append(
                    f"{role:>9} ({scope}): expected {row.expected[role]}, got {response.status_code} {body}"
                )
    assert not mismatches, f"{row.method} {url} ({row.name}, {row.label}):\n  " + "\n  ".join(mismatches)


@pytest.mark.parametrize("row", [row for row in API_ROWS if row.method == GET], ids=lambda row: row.id)
def test_an_api_read_changes_nothing(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    ignore = {table for table, (names, _reason) in GET_MAY_WRITE.items() if names == "*" or row.name in names}
    with transaction.atomic():
        before = table_state()
        for role in ROLES:
            for scope in (READ, WRITE):
                api_client_for(scenario, role, scope).get(url)
        changed = changed_tables(before, table_state(), ignore=ignore)
        transaction.set_rollback(True)
    assert not changed, f"GET {url} ({row.name}) changed {', '.join(changed)}"


@pytest.mark.parametrize("row", API_GET_ONLY_ROWS, ids=lambda row: row.id)
def test_an_api_endpoint_without_write_rows_refuses_writes(scenario, row):
    _fail_unless_routed(row)
    url = row.url(scenario)
    for method in ("post", "put", "patch", "delete"):
        with transaction.atomic():
            response = getattr(api_client_for(scenario, "staff", WRITE), method)(url, {}, format="json")
            transaction.set_rollback(True)
        assert response.status_code == 405, f"{method.upper()} {url} ({row.name}) answered {response.status_code}"


@pytest.mark.parametrize(
    ("name", "kwargs", "role", "text", "control"),
    API_NOT_SHOWN,
    ids=[f"{name}-{role}-{text}" for name, _kwargs, role, text, _control in API_NOT_SHOWN],
)
def test_an_api_list_shows_nothing_outside_the_role_scope(scenario, name, kwargs, role, text, control):
    row = ApiRow(name, "list", kwargs, GET, READ, *[None] * len(ROLES))
    _fail_unless_routed(row)
    url = row.url(scenario) + "?page_size=200"
    if control is not None:
        seen = api_client_for(scenario, control, READ).get(url)
        assert seen.status_code == 200 and text in seen.content.decode(), f"{control} should find {text!r} in {url}"
    response = api_client_for(scenario, role, READ).get(url)
    assert response.status_code == 200
    assert text not in response.content.decode(), f"{role} finds {text!r} in {url}, outside their scope"
