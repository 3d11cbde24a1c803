"""Reads of the referential. Published and retired versions are public; drafts are for the admin only."""

import re

from django.db.models import Prefetch

from diagnostics.documents import referential_to_document
from diagnostics.models import (
    DEFAULT_REFERENTIAL_CODE,
    Axis,
    LevelDescriptor,
    Module,
    ModuleRule,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    TechnologyTheme,
)
from diagnostics.models.referential import SLUG_PATTERN, VERSION_PATTERN


def with_content(referentials, *, recommendations=True):
    """Referentials with their bands, axes, questions, levels, themes and (unless told not to) recommendations.

    Nine queries in all (eight without recommendations), whatever the size of the referential: the
    modules and their opening rules (with the rule's core question) take two.
    """
    prefetches = [
        Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")),
        Prefetch("theme_links", queryset=QuestionTheme.objects.select_related("theme").order_by("order", "pk")),
    ]
    if recommendations:
        prefetches.append(
            Prefetch(
                "recommendations", queryset=Recommendation.objects.select_related("theme").order_by("target_level")
            )
        )
    questions = Question.objects.select_related("module").prefetch_related(*prefetches).order_by("order", "pk")
    return referentials.prefetch_related(
        "bands",
        Prefetch(
            "modules",
            queryset=Module.objects.order_by("order", "pk").prefetch_related(
                Prefetch("rules", queryset=ModuleRule.objects.select_related("question").order_by("order", "pk"))
            ),
        ),
        Prefetch(
            "axes", queryset=Axis.objects.order_by("order", "pk").prefetch_related(Prefetch("questions", questions))
        ),
    )


def current_published_referential(code=DEFAULT_REFERENTIAL_CODE):
    """The most recently published version of the referential `code`, or None when none is published."""
    return Referential.objects.published().filter(code=code).order_by("-published_at", "-pk").first()


def public_referential(code=DEFAULT_REFERENTIAL_CODE, version=None):
    """A published or retired version with all its content (the current published one without `version`), or None."""
    if version is None:
        referentials = Referential.objects.published().filter(code=code).order_by("-published_at", "-pk")
    else:
        referentials = Referential.objects.public().filter(code=code, version=version)
    return with_content(referentials, recommendations=False).first()


def _looks_like(pattern, value, max_length):
    """Whether `value` can be a code or version at all (anything else matches nothing, without a query)."""
    return isinstance(value, str) and len(value) <= max_length and re.fullmatch(pattern, value) is not None


def public_version(code, version):
    """A published or retired version (its row only), or None."""
    if not (_looks_like(SLUG_PATTERN, code, 40) and _looks_like(VERSION_PATTERN, version, 20)):
        return None
    return Referential.objects.public().filter(code=code, version=version).first()


def public_referential_document(code, version):
    """The whole content of a published or retired version as a document (the open referential's file
    format: `documents.referential_to_document`), or None. Seven queries whatever its size."""
    if not (_looks_like(SLUG_PATTERN, code, 40) and _looks_like(VERSION_PATTERN, version, 20)):
        return None
    referential = with_content(Referential.objects.public().filter(code=code, version=version)).first()
    return None if referential is None else referential_to_document(referential)


def public_versions(code=DEFAULT_REFERENTIAL_CODE):
    """Every published or retired version of `code`, latest first."""
    return Referential.objects.public().filter(code=code).order_by("-published_at", "-pk")


def referential_with_content(code, version):
    """One version, whatever its status, with its content (for exports), or None."""
    return with_content(Referential.objects.filter(code=code, version=version)).first()


def theme_codes():
    return set(TechnologyTheme.objects.values_list("code", flat=True))
