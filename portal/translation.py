"""Content stored in French and English columns (`<name>_fr`, `<name>_en`), read in the active language."""

from django.utils.translation import get_language


def translated(field):
    """A read-only property: `<field>_en` when English is active (French when it is empty), else `<field>_fr`."""

    def getter(self):
        french = getattr(self, f"{field}_fr")
        if (get_language() or "fr").startswith("en"):
            return getattr(self, f"{field}_en") or french
        return french

    getter.__doc__ = f"{field} in the active language"
    return property(getter)
