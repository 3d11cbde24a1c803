"""Form widgets of the portal."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A <select> written in Python instead of one template rendered per option: the dashboards' and the
    directory's filters list dozens of programmes, regions, sectors and themes on every cold render.
    The markup is the one `forms.Select` renders, but for the whitespace between options."""

    def _options(self, options):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
        )

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, self._options(options)))
            else:
                groups.append(self._options(options))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )
