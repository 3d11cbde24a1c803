"""SIRET checks with python-stdnum, each failure explained in the user's language; text hygiene."""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.fr import siret


def clean_siret(value):
    """Return the SIRET as 14 digits, or raise a ValidationError saying what is wrong with it."""
    compact = siret.compact(value or "")
    try:
        return siret.validate(compact)
    except InvalidLength:
        raise ValidationError(
            _("A SIRET has exactly 14 digits; this one has %(count)d."),
            code="siret_length",
            params={"count": len(compact)},
        ) from None
    except InvalidFormat:
        raise ValidationError(_("A SIRET contains digits only (spaces are allowed)."), code="siret_format") from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "This SIRET fails its check digit: a digit is probably mistyped. Copy it from your Kbis or from annuaire-entreprises.data.gouv.fr."
            ),
            code="siret_checksum",
        ) from None
    except InvalidComponent:
        raise ValidationError(_("The SIREN part of this SIRET is not valid."), code="siret_component") from None


def validate_siret(value):
    clean_siret(value)


JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of spelling in some scripts


def validate_printable(value):
    """Refuse invisible control and direction-override characters in a name (they garble e-mails,
    reports and exports, and can disguise a name); ordinary letters of any script pass."""
    # Each distinct character once: a pasted 10 MB value is checked in a fraction of a second.
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in JOINERS for char in set(value or "")):
        raise ValidationError(
            _("Remove the invisible control characters from this field (they are often pasted by mistake)."),
            code="control_characters",
        )


# Bidirectional embedding, override and isolate controls: they reorder how text is displayed and can
# make a comment read differently from what it says ("Trojan Source"); marks (LRM, RLM) stay allowed.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TEXT_WHITESPACE = {"\t", "\n", "\r"}


def validate_text(value):
    """Free text of several lines: tabs and line breaks pass; other control characters and the
    direction overrides are refused, with the same message as in a name."""
    if any(
        (unicodedata.category(char) == "Cc" and char not in TEXT_WHITESPACE) or char in BIDI_CONTROLS
        for char in set(value or "")
    ):
        raise ValidationError(
            _("Remove the invisible control characters from this field (they are often pasted by mistake)."),
            code="control_characters",
        )


EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def validate_plausible_date(value):
    """A date typed in a form (programme period, visit, expense, due date…) lies between 2000 and 2100:
    year 1 or 9999 is a typing slip, and would break date arithmetic and reports further on."""
    if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )
