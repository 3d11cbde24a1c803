"""Reads of the regions app, scoped to the user."""

from portal.models import Region


def regions_of_officer(user):
    """The regions whose programmes the officer runs."""
    return Region.objects.filter(officers__user=user)
