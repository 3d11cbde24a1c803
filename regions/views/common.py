from django.core.exceptions import PermissionDenied
from django.http import Http404


def found(obj):
    """The object a scoped selector returned, or a 404: outside the user's scope, it does not exist."""
    if obj is None:
        raise Http404
    return obj


def allowed(rule, user, *args):
    """A 403 unless the rule lets the user act."""
    if not rule.test(user, *args):
        raise PermissionDenied
