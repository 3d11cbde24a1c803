"""The shared maturity referential, versioned.

A `Referential` version is built as a draft, then published, then one day retired. Its content
(bands, axes, questions, level descriptors, recommendations, question themes) can change only while
the version is a draft: each content model is a `locking.ReferentialPart`, which raises
`ReferentialLocked` on any write once its referential is published or retired.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diagnostics.exceptions import IllegalTransition, ReferentialLocked
from diagnostics.models.locking import LOCKED_MESSAGE, ReferentialPart
from portal.rules import is_alliance_staff
from portal.translation import translated
from portal.workflow import START, Move, TransitionRecord, Workflow

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
CONTENT_CODE_PATTERN = r"^[A-Z][A-Z0-9-]*$"
RECOMMENDATION_CODE_PATTERN = r"^[A-Z][A-Z0-9-]*/[1-5]$"
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.-]*$"
LEVELS = range(6)
TARGET_LEVELS = range(1, 6)
MIN_WEIGHT = Decimal("0.01")
DEFAULT_REFERENTIAL_CODE = "industrie-du-futur"


validate_slug_code = RegexValidator(SLUG_PATTERN, _("Use lower-case letters, digits and hyphens."))
validate_content_code = RegexValidator(
    CONTENT_CODE_PATTERN, _("Start with an upper-case letter; then upper-case letters, digits and hyphens.")
)
validate_version = RegexValidator(VERSION_PATTERN, _("Use letters, digits, dots and hyphens, e.g. 2026.1."))


def weight_field():
    return models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(MIN_WEIGHT)],
        help_text=_("A number greater than 0, at most two decimals."),
    )


class Scale(models.TextChoices):
    """The three-step scale of a recommendation's effort and impact."""

    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class ReferentialQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(status=Referential.Status.DRAFT)

    def locked(self):
        """Published and retired versions: their content is frozen."""
        return self.exclude(status=Referential.Status.DRAFT)

    def published(self):
        return self.filter(status=Referential.Status.PUBLISHED)

    def public(self):
        """Versions anybody may read: published and retired ones."""
        return self.filter(status__in=[Referential.Status.PUBLISHED, Referential.Status.RETIRED])

    def update(self, **kwargs):
        if self.locked().exists():
            raise ReferentialLocked(LOCKED_MESSAGE)
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.locked().exists():
            raise ReferentialLocked(LOCKED_MESSAGE)
        return super().delete()

    delete.queryset_only = True


class Referential(models.Model):
    """One version of a maturity referential. Only drafts change; services move it along its lifecycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    LIFECYCLE_FIELDS = frozenset({"status", "published_at", "retired_at"})

    code = models.CharField(_("code"), max_length=40, validators=[validate_slug_code])
    version = models.CharField(_("version"), max_length=20, validators=[validate_version])
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    title = translated("title")
    description = translated("description")

    objects = ReferentialQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-created_at", "-pk"]
        verbose_name = _("referential version")
        verbose_name_plural = _("referential versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_referential_code_version"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "retired"]), name="referential_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="referential_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="retired", retired_at__isnull=False) | (~Q(status="retired") & Q(retired_at=None)),
                name="referential_retired_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        stored = self._stored_status()
        if stored is None:
            if self.status != self.Status.DRAFT:
                raise IllegalTransition(_("A referential version starts as a draft."))
        elif self.status != stored:
            if not LIFECYCLE.allows(stored, self.status):
                raise IllegalTransition(
                    _("A %(from)s referential version cannot become %(to)s.") % {"from": stored, "to": self.status}
                )
            update_fields = kwargs.get("update_fields")
            if stored != self.Status.DRAFT and (
                update_fields is None or not set(update_fields) <= self.LIFECYCLE_FIELDS
            ):
                raise ReferentialLocked(LOCKED_MESSAGE)
        elif stored != self.Status.DRAFT:
            raise ReferentialLocked(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored_status()
        if stored is not None and stored != self.Status.DRAFT:
            raise ReferentialLocked(LOCKED_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_locked(self):
        return not self.is_draft

    def _stored_status(self):
        if self._state.adding or self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()


class ReferentialTransition(TransitionRecord):
    """The lifecycle history of a referential version: who moved it, when, from which status to which."""

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=10, choices=Referential.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Referential.Status.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("referential transition")
        verbose_name_plural = _("referential transitions")

    def __str__(self):
        return f"{self.referential}: {self.from_status or '-'} → {self.to_status}"


def _lifecycle_refusal(current, target, referential):
    return IllegalTransition(
        gettext("%(referential)s cannot go from %(from)s to %(to)s.")
        % {
            "referential": f"{referential.code} {referential.version}",
            "from": Referential.Status(current).label,
            "to": Referential.Status(target).label,
        }
    )


# A version's lifecycle, the only moves there are: draft → published → retired; retired is final.
# Staff make them (the staff's referential pages, the admin, `load_referential`); `Referential.save`
# refuses any other change of status.
LIFECYCLE = Workflow(
    model=Referential,
    record=ReferentialTransition,
    record_fields=lambda referential: {"referential": referential},
    moves=[
        Move("create", (START,), Referential.Status.DRAFT),
        Move("publish", (Referential.Status.DRAFT,), Referential.Status.PUBLISHED, _("Publish"), is_alliance_staff),
        Move(
            "retire",
            (Referential.Status.PUBLISHED,),
            Referential.Status.RETIRED,
            _("Retire"),
            is_alliance_staff,
            style="outline-danger",
        ),
    ],
    refusal=_lifecycle_refusal,
    url=lambda referential, move: reverse(f"diagnostics:referential_{move.name}", args=[referential.pk]),
)


class MaturityBand(ReferentialPart):
    """The name of an overall maturity level, 0 to 5."""

    parent_field = "referential"
    referential_lookup = "referential"

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="bands")
    level = models.PositiveSmallIntegerField(_("level"), validators=[MaxValueValidator(5)])
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"))

    name = translated("name")
    description = translated("description")

    class Meta:
        ordering = ["level"]
        verbose_name = _("maturity band")
        verbose_name_plural = _("maturity bands")
        constraints = [
            models.UniqueConstraint(fields=["referential", "level"], name="unique_band_level"),
            models.CheckConstraint(condition=Q(level__gte=0, level__lte=5), name="band_level_0_to_5"),
        ]

    def __str__(self):
        return f"{self.level} – {self.name}"


class Axis(ReferentialPart):
    """An axis of the referential (strategy, production technologies, people…), weighted in the overall score."""

    parent_field = "referential"
    referential_lookup = "referential"

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="axes")
    code = models.CharField(_("code"), max_length=40, validators=[validate_content_code])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_en = models.TextField(_("description (English)"))
    weight = weight_field()
    # Why the axis weighs what it does in the overall score (optional: versions before 2026.2 have none).
    weight_rationale_fr = models.TextField(_("weight rationale (French)"), blank=True)
    weight_rationale_en = models.TextField(_("weight rationale (English)"), blank=True)

    title = translated("title")
    description = translated("description")
    weight_rationale = translated("weight_rationale")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["referential", "code"], name="unique_axis_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="axis_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"
