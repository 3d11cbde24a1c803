from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diagnostics import selectors, services
from diagnostics.exceptions import ReferentialInvalid
from diagnostics.validation import read_referential_file


class Command(BaseCommand):
    help = (
        "Check a referential YAML file completely, then load it as a draft (published with --publish). "
        "If the file has any problem, every problem is printed and nothing is written. "
        "A version already published is left unchanged, so the command can run at every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the referential YAML file")
        parser.add_argument("--publish", action="store_true", help="publish the version once loaded")

    def handle(self, *args, file, publish, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": path})
        try:
            document = read_referential_file(path, theme_codes=selectors.theme_codes())
            outcome = services.load_referential_document(
                document=document, publish=publish, comment=_("Loaded from %(file)s.") % {"file": path.name}
            )
        except ReferentialInvalid as error:
            for problem in error.problems:
                where = f"{path}:{problem.line}" if problem.line else str(path)
                self.stderr.write(f"{where}: {problem.place}: {problem.message}")
            raise CommandError(
                ngettext(
                    "%(count)d problem in %(file)s; nothing was loaded.",
                    "%(count)d problems in %(file)s; nothing was loaded.",
                    len(error.problems),
                )
                % {"count": len(error.problems), "file": path}
            ) from error
        self._report(outcome)

    def _report(self, outcome):
        referential = outcome.referential
        names = {"code": referential.code, "version": referential.version, "status": referential.get_status_display()}
        if outcome.action == services.LoadAction.ALREADY_LOCKED:
            self.stdout.write(_("%(code)s %(version)s is already %(status)s; nothing changed.") % names)
            if outcome.differs:
                self.stderr.write(
                    self.style.WARNING(
                        _(
                            "Warning: the file differs from %(code)s %(version)s as %(status)s, which can no longer "
                            "change. Give the file a new version to publish its changes."
                        )
                        % names
                    )
                )
            return
        sizes = {
            "axes": referential.axes.count(),
            "questions": referential.questions.count(),
        }
        if outcome.action == services.LoadAction.REPLACED_DRAFT:
            message = _(
                "Replaced the draft %(code)s %(version)s: %(axes)s axes, %(questions)s questions; now %(status)s."
            )
        else:
            message = _("Loaded %(code)s %(version)s: %(axes)s axes, %(questions)s questions; now %(status)s.")
        self.stdout.write(self.style.SUCCESS(message % {**names, **sizes}))
