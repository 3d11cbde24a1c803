"""French typography in templates: `{{ _("Regions:")|typo }}` or `{% filter typo %}…{% endfilter %}`.

French puts a narrow no-break space (U+202F) before : ; ! and ? (a plain space would let the sign
start a line; no space at all is English). English text is left as written."""

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

NARROW_NO_BREAK_SPACE = "\u202f"
# An HTML entity (&amp;, &#39;) is kept whole; otherwise a : ; ! ? that closes a word, with or without
# a space before it, and followed by a space, a tag, an entity or the end of the text (not "http://"
# or "10:30").
_SIGN = re.compile(r"(&#?\w+;)|(?<=\S)[ \u00a0\u202f]?([:;!?])(?=[\s<&]|$)")


def french_typography(text):
    return _SIGN.sub(lambda match: match.group(1) or NARROW_NO_BREAK_SPACE + match.group(2), text)


@register.filter(is_safe=True)
def typo(value):
    """The text with French spacing before : ; ! ? when the active language is French."""
    text = str(value)
    if not (get_language() or "").startswith("fr"):
        return value
    fixed = french_typography(text)
    if hasattr(value, "__html__"):
        return mark_safe(fixed)
    return fixed
