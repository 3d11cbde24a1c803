"""The Alliance staff's referential pages: load an uploaded YAML file as a draft, publish, retire.

The file is checked completely by the same functions as the `load_referential` command (limits,
syntax, schema, rules across items) before anything is written; the lifecycle moves are
`diagnostics.models.referential.LIFECYCLE`'s, through the services of `services.referential`.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from diagnostics import selectors
from diagnostics.rules import can_curate_referentials
from diagnostics.services.referential import load_referential_document, publish_referential, retire_referential
from diagnostics.validation import read_referential_file
from portal.errors import NotAllowed


def _check_curator(by):
    if not can_curate_referentials.test(by):
        raise NotAllowed(_("Only Alliance staff may manage the referential versions."))


@transaction.atomic
def load_uploaded_referential(*, upload, by):
    """Check the uploaded file, then load it as a draft (a draft of the same version is replaced; a
    published or retired version is left as it is). Raises `ReferentialInvalid` with every problem."""
    _check_curator(by)
    document = read_referential_file(upload, theme_codes=selectors.theme_codes())
    return load_referential_document(
        document=document, by=by, comment=_("Uploaded from %(file)s.") % {"file": upload.name}
    )


def publish_version(*, referential, by, comment=""):
    """Publish a complete draft (Alliance staff); raises `ReferentialInvalid` if it is incomplete."""
    _check_curator(by)
    return publish_referential(referential=referential, by=by, comment=comment)


def retire_version(*, referential, by, comment=""):
    """Retire a published version (Alliance staff): no new diagnostic starts on it."""
    _check_curator(by)
    return retire_referential(referential=referential, by=by, comment=comment)
