"""One mapping from a service error to HTTP (portal.errors.http_status), used by every view (portal.http)."""

import pytest
import rules
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from diagnostics.exceptions import DiagnosticNotDraft, ReferentialInvalid
from experts.exceptions import CapacityReached
from portal.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError, SignupLinkError, http_status
from portal.http import ServiceErrorMiddleware, allowed, found, reported
from regions.exceptions import AlreadyDecided, BudgetExhausted, InvalidAmount


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed("no"), 403),
        (InvalidInput("no"), 400),
        (IllegalTransition("no"), 409),
        (ServiceError("no"), 400),
        (SignupLinkError("expired"), 410),
        (AlreadyDecided("decided"), 409),
        (InvalidAmount("too much"), 400),
        (BudgetExhausted(left=1, asked=2), 409),
        (CapacityReached("full"), 409),
        (DiagnosticNotDraft("submitted"), 409),
        (ReferentialInvalid(["a", "b"]), 400),
    ],
)
def test_each_error_answers_with_its_status(error, status):
    assert http_status(error) == status


def test_the_apps_share_one_illegal_transition():
    from diagnostics.exceptions import IllegalTransition as in_diagnostics
    from experts.exceptions import IllegalTransition as in_experts
    from regions.exceptions import IllegalTransition as in_regions

    assert in_diagnostics is in_experts is in_regions is IllegalTransition


def test_found_is_a_404_for_what_the_selector_did_not_find():
    with pytest.raises(Http404):
        found(None)
    assert found("object") == "object"


def test_allowed_is_a_403_when_the_rule_says_no():
    yes, no = rules.always_allow, rules.always_deny
    allowed(yes, None)
    with pytest.raises(PermissionDenied):
        allowed(no, None)


def request_with_messages():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_reported_shows_a_refusal_and_swallows_it():
    request = request_with_messages()
    with reported(request) as outcome:
        raise IllegalTransition("Déjà décidé.")
    assert not outcome.ok and outcome.status == 409
    assert [str(message) for message in get_messages(request)] == ["Déjà décidé."]


def test_reported_puts_a_refusal_on_the_form_when_given():
    from django import forms

    form = forms.Form(data={})
    form.is_valid()
    with reported(request_with_messages(), form) as outcome:
        raise InvalidInput("Montant invalide.")
    assert not outcome.ok
    assert form.non_field_errors() == ["Montant invalide."]


def test_reported_turns_not_allowed_into_a_403():
    with pytest.raises(PermissionDenied), reported(request_with_messages()):
        raise NotAllowed("Non.")


def test_reported_lets_other_exceptions_through():
    with pytest.raises(ZeroDivisionError), reported(request_with_messages()):
        1 / 0  # noqa: B018


def test_a_call_that_goes_through_is_ok():
    with reported(request_with_messages()) as outcome:
        pass
    assert outcome.ok and outcome.status == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status"), [(IllegalTransition("Déjà décidé."), 409), (InvalidInput("Montant invalide."), 400)]
)
def test_a_service_error_no_view_caught_answers_with_its_status_and_message(error, status, rf):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = ServiceErrorMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == status
    assert error.message in response.content.decode()


@pytest.mark.django_db
def test_not_allowed_no_view_caught_is_a_403(rf):
    request = rf.get("/")
    response = ServiceErrorMiddleware(lambda r: None).process_exception(request, NotAllowed("Non."))
    assert response.status_code == 403


def test_other_exceptions_are_left_to_django(rf):
    assert ServiceErrorMiddleware(lambda r: None).process_exception(rf.get("/"), ValueError("bug")) is None
