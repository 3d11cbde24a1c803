"""Filters of the API's lists, stricter than a page's form: a caller learns of a mistake (400)
instead of getting an unfiltered list.

- a parameter given twice, empty, or holding a NUL character is refused;
- a boolean is `true` or `false`;
- an id (`IdFilter`) is a whole number the database can hold.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

MAX_ID = 999_999_999_999_999_999  # fits a 64-bit integer column
BOOLEANS = ("true", "false")


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A row's id."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class StrictFilters:
    """Mix into an API FilterSet (before it): the checks of the module's docstring."""

    def _problem(self, name, values):
        if len(values) > 1:
            return _("Give this parameter once.")
        value = values[0]
        if value == "":
            return _("Give a value, or leave the parameter out.")
        if "\x00" in value:
            return _("Remove the NUL character from this value.")
        if isinstance(self.filters[name], django_filters.BooleanFilter) and value not in BOOLEANS:
            return _("Give true or false.")
        return None

    def is_valid(self):
        super().is_valid()
        for name in self.filters:
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
            values = [value for value in values if value is not None]
            problem = self._problem(name, values) if values else None
            if problem:
                self.form.add_error(name, problem)
        return not self.form.errors
