"""A company's diagnostics and the questionnaire (being written: issue 4)."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404


company_diagnostics = start = detail = axis_page = autosave = review = submit = _not_yet
