"""The diagnostics' step of the release job (`manage.py release`): a new deployment gets the shipped
referential, published, so that companies can start a diagnostic at once; a deployment where a
version is published already (shipped or authored by the Alliance) is left as it is."""

import io

from django.conf import settings
from django.core.management import call_command

from diagnostics import selectors

SHIPPED_REFERENTIAL = settings.BASE_DIR / "diagnostics" / "referentials" / "industrie-du-futur.yaml"


def publish_shipped_referential_if_none(write):
    published = selectors.current_published_referential()
    if published is not None:
        write(f"referential {published.code} {published.version} is published; the shipped file is not loaded")
        return
    call_command("load_referential", str(SHIPPED_REFERENTIAL), publish=True, stdout=io.StringIO())
    published = selectors.current_published_referential()
    write(f"published the shipped referential {published.code} {published.version}")
