"""Profiles and accreditations: the expert keeps their profile; Alliance staff register and reference experts."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnostics.models import TechnologyTheme
from experts.exceptions import InvalidInput, NotAllowed
from experts.models import (
    LANGUAGE_CHOICES,
    MAX_CAPACITY,
    Accreditation,
    Expert,
    ExpertLanguage,
    ExpertSkill,
    SkillLevel,
)
from experts.models.profile import validate_axis_code
from experts.rules import can_edit_profile, can_manage_accreditations
from experts.selectors import forget_directory_labels
from experts.workflows import ACCREDITATION
from portal.models import User

LANGUAGE_CODES = {code for code, _name in LANGUAGE_CHOICES}


def _check_levels(levels):
    for level in levels:
        if level not in SkillLevel.values:
            raise InvalidInput(_("A skill level is 1, 2 or 3."))


@transaction.atomic
def update_profile(
    *,
    expert,
    by,
    organisation,
    bio="",
    regions=(),
    languages=(),
    day_rate=Decimal("0"),
    capacity,
    axis_skills=None,
    theme_skills=None,
):
    """Replace the expert's profile: texts, regions served, languages, day rate, capacity and skills.

    `axis_skills` maps axis codes to levels 1-3, `theme_skills` technology themes (or their ids) to
    levels; both replace the current skills. Only the expert may do it. Validates everything first.
    """
    if not can_edit_profile.test(by, expert):
        raise NotAllowed(_("Only the expert may edit their profile."))
    axis_skills = dict(axis_skills or {})
    theme_skills = {getattr(theme, "pk", theme): level for theme, level in (theme_skills or {}).items()}
    organisation = (organisation or "").strip()
    if not organisation:
        raise InvalidInput(_("Give your organisation."))
    if day_rate is None or Decimal(day_rate) < 0:
        raise InvalidInput(_("The day rate cannot be negative."))
    if capacity is None or not 0 <= int(capacity) <= MAX_CAPACITY:
        raise InvalidInput(_("The capacity is between 0 and %(max)s assignments.") % {"max": MAX_CAPACITY})
    unknown_languages = set(languages) - LANGUAGE_CODES
    if unknown_languages:
        raise InvalidInput(_("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(unknown_languages))})
    for code in axis_skills:
        try:
            validate_axis_code(code)
        except Exception as error:
            raise InvalidInput(_("Unknown axis code: %(code)s.") % {"code": code}) from error
    _check_levels(axis_skills.values())
    _check_levels(theme_skills.values())
    known_themes = set(TechnologyTheme.objects.filter(pk__in=theme_skills).values_list("pk", flat=True))
    if known_themes != set(theme_skills):
        raise InvalidInput(_("Unknown technology theme."))

    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    expert.organisation = organisation
    expert.bio = (bio or "").strip()
    expert.day_rate = Decimal(day_rate)
    expert.capacity = int(capacity)
    expert.save(update_fields=["organisation", "bio", "day_rate", "capacity", "updated_at"])
    expert.regions.set(regions)
    ExpertLanguage.objects.filter(expert=expert).delete()
    ExpertLanguage.objects.bulk_create(ExpertLanguage(expert=expert, code=code) for code in sorted(set(languages)))
    ExpertSkill.objects.filter(expert=expert).delete()
    ExpertSkill.objects.bulk_create(
        [ExpertSkill(expert=expert, axis_code=code, level=level) for code, level in sorted(axis_skills.items())]
        + [ExpertSkill(expert=expert, theme_id=pk, level=level) for pk, level in sorted(theme_skills.items())]
    )
    forget_directory_labels()  # an axis code declared for the first time joins the directory's choices
    return expert


@transaction.atomic
def register_expert(*, email, first_name, last_name, organisation, by):
    """Give a person a (not yet referenced) expert profile; creates their account if they have none.

    A new account has no password: the accreditation e-mail tells them how to choose one. Staff only.
    """
    if not can_manage_accreditations.test(by):
        raise NotAllowed(_("Only Alliance staff may register experts."))
    email = (email or "").strip().lower()
    organisation = (organisation or "").strip()
    if not email or not organisation:
        raise InvalidInput(_("Give the expert's e-mail address and organisation."))
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name.strip(), last_name=last_name.strip())
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if Expert.objects.filter(user=user).exists():
        raise InvalidInput(_("%(email)s already has an expert profile.") % {"email": email})
    return Expert.objects.create(user=user, organisation=organisation)


@transaction.atomic
def change_accreditation(*, expert, by, status, valid_until=None, comment="", notify=True):
    """Reference, renew, suspend or expire an expert: a move of `experts.workflows.ACCREDITATION`.

    The expert row is locked, so that a suspension and an acceptance never interleave. Referencing
    needs a validity date from today on; suspending keeps the current date unless given; expiring ends
    the accreditation yesterday at the latest (an expired accreditation's date is always past).
    Staff only. The expert is told by e-mail once the transaction commits.
    """
    if not can_manage_accreditations.test(by):
        raise NotAllowed(_("Only Alliance staff may change accreditations."))
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    current = Accreditation.objects.filter(expert=expert).first()
    if current is None:
        current = Accreditation(expert=expert, status=Accreditation.NONE)
    ACCREDITATION.check(current, status)
    last_valid_day = timezone.localdate() - timedelta(days=1)
    if valid_until is None:
        if status == Accreditation.Status.REFERENCED or current.pk is None:
            raise InvalidInput(_("Give the date until which the expert is referenced."))
        valid_until = current.valid_until
        if status == Accreditation.Status.EXPIRED:
            # Expired today: its last valid day was yesterday, so the date shown beside "expired" is past.
            valid_until = min(valid_until, last_valid_day)
    if status == Accreditation.Status.EXPIRED and valid_until > last_valid_day:
        raise InvalidInput(_("An expired accreditation ends before today: give an earlier date, or leave it empty."))
    if status == Accreditation.Status.REFERENCED and valid_until < timezone.localdate():
        raise InvalidInput(_("A referenced expert's validity date cannot be in the past."))
    changes = {"valid_until": valid_until, "changed_by": by, "changed_at": timezone.now()}
    current.comment = (comment or "").strip()
    if current.pk is None:
        current.status = status
        for name, value in changes.items():
            setattr(current, name, value)
        current.save()
        ACCREDITATION.start(current, by=by, comment=current.comment, notify=notify, at=current.changed_at)
    else:
        ACCREDITATION.move(current, status, by=by, comment=current.comment, notify=notify, **changes)
    return current
