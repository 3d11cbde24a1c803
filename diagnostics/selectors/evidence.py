"""Reads of the evidence attached to answers, scoped like the diagnostics they belong to."""

from collections import defaultdict

from django.db.models import Prefetch

from diagnostics.models import Answer, Evidence, LevelDescriptor, Question
from diagnostics.selectors.diagnostic import diagnostics_visible_to


def evidence_by_question(diagnostic_pk, question_pks=None):
    """{question pk: [Evidence, oldest first]} for a diagnostic, on the given questions or all (one query)."""
    evidence = Evidence.objects.filter(answer__diagnostic_id=diagnostic_pk).select_related("answer")
    if question_pks is not None:
        evidence = evidence.filter(answer__question_id__in=list(question_pks))
    grouped = defaultdict(list)
    for item in evidence.order_by("added_at", "pk"):
        grouped[item.answer.question_id].append(item)
    return dict(grouped)


def visible_evidence(user, *, diagnostic_pk, evidence_pk):
    """One piece of evidence of the diagnostic `diagnostic_pk`, if `user` may see that diagnostic, with its
    answer, question and diagnostic; else None (one query). Another company's evidence is simply not found."""
    return (
        Evidence.objects.filter(
            pk=evidence_pk,
            answer__diagnostic_id=diagnostic_pk,
            answer__diagnostic__in=diagnostics_visible_to(user).filter(pk=diagnostic_pk).values("pk"),
        )
        .select_related("answer__diagnostic__company", "answer__question")
        .first()
    )


def diagnostic_question(diagnostic, question_pk):
    """The question `question_pk` of the diagnostic's referential version, with its axis and level
    descriptors, or None (two queries)."""
    return (
        Question.objects.filter(pk=question_pk, referential_id=diagnostic.referential_id)
        .select_related("axis")
        .prefetch_related(Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")))
        .first()
    )


def answer_of(diagnostic, question):
    """The company's answer to `question` in `diagnostic`, or None (one query)."""
    return Answer.objects.filter(diagnostic=diagnostic, question=question).select_related("answered_by").first()
