"""What keeps a published or retired referential version unchanged, row by row.

Every row of a referential's content is a `ReferentialPart`: it names its parent FK and the path to
its referential, and refuses `save()`, `delete()` and the queryset writes (`update`, `delete`,
`bulk_create`, `bulk_update`) once that referential is no longer a draft.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnostics.exceptions import ReferentialLocked

DRAFT = "draft"  # Referential.Status.DRAFT
LOCKED_MESSAGE = _("This referential version is published or retired: it cannot be changed. Derive a new draft.")


class ReferentialPartQuerySet(models.QuerySet):
    """Queryset writes that refuse to touch the content of a published or retired version."""

    def locked(self):
        return self.exclude(**{f"{self.model.referential_lookup}__status": DRAFT})

    def _refuse_locked_rows(self):
        if self.locked().exists():
            raise ReferentialLocked(LOCKED_MESSAGE)

    def update(self, **kwargs):
        self._refuse_locked_rows()
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        self._refuse_locked_rows()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_locked_parents(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        self.model.refuse_locked_parents(objs)
        self.filter(pk__in=[obj.pk for obj in objs])._refuse_locked_rows()
        return super().bulk_update(objs, fields, *args, **kwargs)


class ReferentialPart(models.Model):
    """A row of a referential's content. Subclasses name their parent FK and the path to the referential."""

    parent_field = ""
    referential_lookup = ""

    objects = ReferentialPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._is_locked():
            raise ReferentialLocked(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self._state.adding and type(self).objects.filter(pk=self.pk).locked().exists():
            raise ReferentialLocked(LOCKED_MESSAGE)
        return super().delete(*args, **kwargs)

    @classmethod
    def refuse_locked_parents(cls, objs):
        field = cls._meta.get_field(cls.parent_field)
        parent_ids = {getattr(obj, field.attname) for obj in objs} - {None}
        if parent_ids and field.related_model.objects.filter(pk__in=parent_ids).locked().exists():
            raise ReferentialLocked(LOCKED_MESSAGE)

    def _is_locked(self):
        stored_locked = (
            not self._state.adding and self.pk is not None and type(self).objects.filter(pk=self.pk).locked().exists()
        )
        parent_id = getattr(self, self._meta.get_field(self.parent_field).attname)
        parent_model = self._meta.get_field(self.parent_field).related_model
        parent_locked = parent_id is not None and parent_model.objects.filter(pk=parent_id).locked().exists()
        return stored_locked or parent_locked

    def clean(self):
        super().clean()
        if self._is_locked():
            raise ValidationError(LOCKED_MESSAGE)
