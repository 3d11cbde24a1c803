from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from regions.opendata.release import publish_release


class Command(BaseCommand):
    help = "Publish the open-data aggregates now (beat does it every night), under statistical secrecy."

    def handle(self, *args, **options):
        release = publish_release()
        refreshed = sum(
            1 for table in release.document["tables"].values() if table["as_of"] == release.document["published_at"]
        )
        self.stdout.write(
            _("Published the release of %(date)s: %(refreshed)s of %(count)s tables refreshed.")
            % {
                "date": release.published_at.isoformat(),
                "refreshed": refreshed,
                "count": len(release.document["tables"]),
            }
        )
