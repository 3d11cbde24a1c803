"""Health checks of the portal's own pieces, beside django-health-check's database and cache checks."""

import dataclasses
import datetime

from django.core.files.storage import storages
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from portal.storage import describe_storage_problem


@dataclasses.dataclass
class FileStorage(HealthCheck):
    """The file storage `alias` answers and lets the portal write, read and delete an object; the
    error names what is wrong (missing bucket, refused keys, unreachable endpoint, full disk)."""

    alias: str = "default"
    timeout = datetime.timedelta(seconds=20)

    def run(self):
        problem = describe_storage_problem(storages[self.alias])
        if problem:
            raise ServiceUnavailable(problem)
