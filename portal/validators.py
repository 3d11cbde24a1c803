"""SIRET checks with python-stdnum, each failure explained in the user's language."""

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
