"""Health check of the reports' files: a ready report whose PDF is gone from the storage is reported,
never silently produced again."""

import dataclasses
import datetime

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from diagnostics.models import Report
from diagnostics.models.report import report_storage
from portal.storage import STORAGE_ERRORS


@dataclasses.dataclass
class ReportFiles(HealthCheck):
    """The files of the `recent` latest ready reports are all in the storage (one HEAD request each)."""

    recent: int = 20
    timeout = datetime.timedelta(seconds=20)

    def run(self):
        storage = report_storage()
        rows = Report.objects.ready().order_by("-rendered_at", "-pk").values_list("pk", "file")[: self.recent]
        try:
            missing = [pk for pk, name in rows if not storage.exists(name)]
        except STORAGE_ERRORS as error:
            raise ServiceUnavailable(f"the reports' storage cannot be read: {error}") from error
        if missing:
            listed = ", ".join(f"#{pk}" for pk in missing)
            raise ServiceUnavailable(f"{len(missing)} ready report(s) have no file in the storage: {listed}")
