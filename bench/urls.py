"""Bench-only URLconf: the project's URLs plus the FLOOR page. Never the project's ROOT_URLCONF; the
page-cost benchmark switches to it in-process (override_settings), so the floor is no public URL."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    """The cheapest page the portal can serve: the base template, behind the whole middleware stack
    (session, login required, second factor, CSP…) and the context processors."""
    return render(request, "base.html")


urlpatterns = [
    path("__bench__/floor/", floor, name="bench_floor"),
    path("", include("portal.urls")),
]
