"""How a referential's problems are told: one `Problem` per place, values quoted short, places written
as in the YAML (`axes[2].questions[3]`). Shared by every check of `diagnostics.validation`."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a referential document, at one place."""

    line: int | None
    place: str
    message: str

    def __str__(self):
        if self.line is None:
            return f"{self.place}: {self.message}"
        return _("%(place)s: %(message)s (line %(line)s)") % {
            "place": self.place,
            "message": self.message,
            "line": self.line,
        }


def shown(value, limit=60):
    """A value quoted in a message, cut to `limit` characters: a problem line stays a line."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(values, limit=20):
    """Known values listed in a message: the first `limit`, then how many more."""
    values = [str(value) for value in values]
    text = ", ".join(values[:limit])
    if len(values) > limit:
        text += " " + _("(and %(count)d more)") % {"count": len(values) - limit}
    return text


def place_of(path):
    """`["axes", 2, "questions", 3]` → `axes[2].questions[3]`; the top level is `(top level)`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{shown(part)}" if text else shown(part)
    return text or _("(top level)")


def mappings(value):
    """The (index, mapping) pairs of a list, skipping what the schema already reports as malformed."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]
