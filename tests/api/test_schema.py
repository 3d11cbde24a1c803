"""Schemathesis against the API's OpenAPI schema: every operation, with valid and invalid data, as an
anonymous visitor and with tokens of several roles. No answer may be a server error, and every answer
(status, headers, body) must be one the schema documents.

The data: the permission matrix's scenario (tests/security/scenario.py). Generated ids rarely name a
row, so half of the valid cases are pointed at the scenario's objects (a draft to answer, an
application to decide), the other half keep their generated ids (404s).
"""

import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.api import tokens
from tests.security.scenario import build_scenario

EXAMPLES_PER_OPERATION = 10


# Loaded when the module is collected (the schema view reads no database). Not through
# `schemathesis.pytest.from_fixture`: its lazy loading does not run under pytest 9.2 (it sets a node
# attribute pytest renamed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=EXAMPLES_PER_OPERATION,
)
ACCEPTED_STATUSES = {401, 403, 404, 409, 429}


def valid_data_is_refused_only_by_a_business_rule(ctx, response, case):
    """Schemathesis's `positive_data_acceptance`, except that a 400 from a service is accepted: a
    well-formed request may break a rule the schema cannot state (“not applicable” where the question
    does not allow it, an amount above the cap), and the services answer 400 with their own error
    code (portal.errors). A 400 from the serializers (`invalid`) on valid data still fails."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 400 or status >= 500 or status in ACCEPTED_STATUSES:
        return None
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        code = None
    if status == 400 and code not in (None, "invalid"):
        return None
    raise AssertionError(f"Valid data refused with {status} ({code}): {response.text[:300]}")


@pytest.fixture(autouse=True)
def _connection_kept_between_calls():
    """Schemathesis calls the WSGI application directly, so the end of each request would close the
    database connection that holds the test's transaction (on PostgreSQL the next query then fails
    with "the connection is closed"). Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def scenario(db, settings):
    """The matrix's scenario, with a read-and-write token for each role (`scenario.tokens[role]`)."""
    settings.API_TOKEN_RATE = settings.API_ANONYMOUS_RATE = "100000/hour"
    built = build_scenario()
    for role, user in built.users.items():
        built.tokens[role] = tokens.create_token(user=user, name="schema", scope="write", days=30).key
    return built


def _real_objects(scenario):
    return {
        "/api/v1/diagnostics/{id}/": {"id": scenario.a_submitted.pk},
        "/api/v1/diagnostics/{id}/answers/": {"id": scenario.a_draft.pk},
        "/api/v1/diagnostics/{id}/answers/{question}/": {"id": scenario.a_draft.pk, "question": "AX1-1"},
        "/api/v1/referentials/{code}/{version}/": {
            "code": scenario.referential.code,
            "version": scenario.referential.version,
        },
        "/api/v1/experts/{id}/": {"id": scenario.expert_a.pk},
        "/api/v1/programmes/{id}/": {"id": scenario.programme_a.pk},
        "/api/v1/enrolments/{id}/": {"id": scenario.enrolment_a.pk},
    }


def _check(case, scenario, role):
    """Call the case as `role` (a read-and-write token; no token for None) and validate the answer."""
    headers = {} if role is None else {"Authorization": f"Bearer {scenario.tokens[role]}"}
    real = _real_objects(scenario)
    path_template = case.operation.path
    if path_template.startswith("/api/v1/enrolments/{id}/") and path_template not in real:
        real[path_template] = {"id": scenario.enrolment_a.pk}
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and path_template in real and zlib.crc32(repr(case.path_parameters).encode()) % 2 == 0:
        case.path_parameters.update(real[path_template])
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_data_is_refused_only_by_a_business_rule],
    )


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_calls_answer_as_the_schema_says(case, scenario):
    _check(case, scenario, None)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_a_company_owner_calls_answer_as_the_schema_says(case, scenario):
    _check(case, scenario, "owner")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_an_officer_calls_answer_as_the_schema_says(case, scenario):
    _check(case, scenario, "officer")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_staff_calls_answer_as_the_schema_says(case, scenario):
    _check(case, scenario, "staff")
