from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from diagnostics import selectors
from diagnostics.documents import dump_yaml, referential_to_document


class Command(BaseCommand):
    help = "Write a referential version in the YAML format that load_referential reads (to stdout, or to -o FILE)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the referential's code, e.g. industrie-du-futur")
        parser.add_argument("version", help="the version, e.g. 2026.1")
        parser.add_argument("-o", "--output", help="the file to write (default: standard output)")

    def handle(self, *args, code, version, output, **options):
        referential = selectors.referential_with_content(code, version)
        if referential is None:
            raise CommandError(
                _("No referential %(code)s with version %(version)s.") % {"code": code, "version": version}
            )
        text = dump_yaml(referential_to_document(referential))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(_("Wrote %(file)s.") % {"file": output})
        else:
            self.stdout.write(text, ending="")
