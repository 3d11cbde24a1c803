"""Factories of the experts app.

ExpertFactory()                                  # a profile, not referenced
ReferencedExpertFactory(capacity=1)              # referenced until a year from now
ReferencedExpertFactory(axes={"AX1": 3}, themes={"digital-iot": 2}, regions=["53"], languages=["fr"])
AssignmentFactory(expert=..., company=...)       # proposed, with its first history row
AssignmentFactory(status="in_progress")          # history rows up to that status
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from diagnostics.models import TechnologyTheme
from experts.models import (
    Accreditation,
    AccreditationTransition,
    Assignment,
    AssignmentTransition,
    Expert,
    ExpertLanguage,
    ExpertSkill,
)
from portal.models import Region
from tests.portal.factories import CompanyFactory, StaffFactory, UserFactory

# The path of statuses an assignment goes through to reach each status.
PATHS = {
    Assignment.Status.PROPOSED: [],
    Assignment.Status.ACCEPTED: [Assignment.Status.ACCEPTED],
    Assignment.Status.DECLINED: [Assignment.Status.DECLINED],
    Assignment.Status.IN_PROGRESS: [Assignment.Status.ACCEPTED, Assignment.Status.IN_PROGRESS],
    Assignment.Status.DONE: [Assignment.Status.ACCEPTED, Assignment.Status.IN_PROGRESS, Assignment.Status.DONE],
    Assignment.Status.CANCELLED: [Assignment.Status.CANCELLED],
}


def accredit(expert, status=Accreditation.Status.REFERENCED, valid_until=None, by=None):
    """Give an expert an accreditation directly, telling nobody: the accreditation service checks who
    may decide and enqueues an e-mail, and is tested on its own (tests/experts/test_accreditation.py);
    the history row is marked told so that the outbox's sweeper leaves it alone."""
    valid_until = valid_until or timezone.localdate() + timedelta(days=365)
    Accreditation.objects.update_or_create(
        expert=expert, defaults={"status": status, "valid_until": valid_until, "changed_by": by}
    )
    AccreditationTransition.objects.create(
        expert=expert, to_status=status, valid_until=valid_until, by=by, notified_at=timezone.now()
    )
    return expert


def add_skills(expert, axes=None, themes=None):
    for code, level in (axes or {}).items():
        ExpertSkill.objects.create(expert=expert, axis_code=code, level=level)
    for code, level in (themes or {}).items():
        ExpertSkill.objects.create(expert=expert, theme=TechnologyTheme.objects.get(code=code), level=level)


class ExpertUserFactory(UserFactory):
    """A user without a usable password: hashing one costs half a second, and tests log in with force_login."""

    password = "!"


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.SubFactory(ExpertUserFactory)
    organisation = factory.Sequence(lambda n: f"Cabinet {n}")
    bio = "Accompagnement des PME industrielles."
    day_rate = Decimal("800.00")
    capacity = 2

    @factory.post_generation
    def axes(self, create, extracted, **kwargs):
        if create and extracted:
            add_skills(self, axes=extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            add_skills(self, themes=extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(Region.objects.filter(code__in=extracted))

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            ExpertLanguage.objects.bulk_create(ExpertLanguage(expert=self, code=code) for code in extracted)


class ReferencedExpertFactory(ExpertFactory):
    @factory.post_generation
    def accreditation(self, create, extracted, **kwargs):
        if create:
            accredit(self, **(extracted or {}))


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment in `status` with its history rows, written raw, not through `experts.services`:
    proposing checks the expert's accreditation, capacity and the company's region, and every move
    enqueues an e-mail; the tests that use this factory set up one state to test something else
    (pages, rules, reviews), and the services are tested on their own (tests/experts/test_assignments.py).
    The rows are marked told (`notified_at`) so that the outbox's sweeper leaves them alone."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    expert = factory.SubFactory(ReferencedExpertFactory)
    company = factory.SubFactory(CompanyFactory)
    proposed_by = factory.SubFactory(StaffFactory, password="!")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, status=Assignment.Status.PROPOSED, **kwargs):
        assignment = model_class.objects.create(*args, **kwargs)
        told = timezone.now()  # rows made here tell nobody: the outbox's sweeper leaves them alone
        AssignmentTransition.objects.create(
            assignment=assignment,
            from_status="",
            to_status=Assignment.Status.PROPOSED,
            by=assignment.proposed_by,
            notified_at=told,
        )
        previous = Assignment.Status.PROPOSED
        for step in PATHS[status]:
            AssignmentTransition.objects.create(
                assignment=assignment, from_status=previous, to_status=step, by=assignment.expert.user, notified_at=told
            )
            previous = step
        extra = {"decline_reason": "Pas disponible."} if status == Assignment.Status.DECLINED else {}
        Assignment.objects.filter(pk=assignment.pk).update(status=status, **extra)
        assignment.refresh_from_db()
        return assignment
