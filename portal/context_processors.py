from django.utils.functional import SimpleLazyObject

from portal.spaces import spaces_for


def spaces(request):
    """The role spaces for the navigation bar, computed only when a template reads them."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"user_spaces": SimpleLazyObject(lambda: spaces_for(user))}
