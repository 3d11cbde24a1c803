"""Reads of the staff's referential pages: every version whatever its status (staff only: the views
check `rules.can_curate_referentials` first), its content as a document, its history."""

from django.db.models import Count

from diagnostics.documents import referential_to_document
from diagnostics.models import Referential, ReferentialTransition
from diagnostics.selectors.referential import current_published_referential, with_content


def referential_versions():
    """Every version, drafts included, by code then latest first, with its number of axes and questions (one query)."""
    return Referential.objects.annotate(
        axis_count=Count("axes", distinct=True), question_count=Count("questions", distinct=True)
    ).order_by("code", "-created_at", "-pk")


def referential_version(pk):
    """One version whatever its status, or None."""
    return Referential.objects.filter(pk=pk).first()


def version_document(referential):
    """The whole content of a version as a document (the file format); seven queries."""
    return referential_to_document(with_content(Referential.objects.filter(pk=referential.pk)).get())


def published_counterpart(referential):
    """The version a draft would replace: the current published version of the same code, unless it is this one."""
    published = current_published_referential(referential.code)
    return None if published is None or published.pk == referential.pk else published


def version_history(referential):
    return ReferentialTransition.objects.filter(referential=referential).select_related("by").order_by("-at", "-pk")
