"""The admin's tabular inline, accessible: each field of a row is named by its column's label.

Django's tabular inline shows the labels once, as column headers, and draws the fields without a
label of their own, which leaves a screen reader announcing a nameless box in every cell."""

from django.contrib import admin


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # after the formset's own fields (deletion, ordering)
                for field in form.fields.values():
                    field.widget.attrs.setdefault("aria-label", str(field.label))

        return LabelledFormSet
