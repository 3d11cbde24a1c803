"""SIRET checks with python-stdnum, each failure explained in the user's language; text hygiene."""

import unicodedata

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
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in JOINERS for char in value or ""):
        raise ValidationError(
            _("Remove the invisible control characters from this field (they are often pasted by mistake)."),
            code="control_characters",
        )
