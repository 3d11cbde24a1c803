"""Results of a submitted diagnostic (being written: issue 4)."""

from django.http import Http404


def results(request, pk):
    raise Http404
