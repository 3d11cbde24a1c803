from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.release import release_steps
from portal.storage import describe_storage_problem, ensure_bucket


class Command(BaseCommand):
    help = (
        "The release job of a deployment (run once, before the web and worker processes): migrate, "
        "collectstatic, check the file storage (creating a missing bucket with --create-bucket), publish "
        "the shipped referential when no version is published, then check --deploy. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-bucket",
            action="store_true",
            help="create the object storage's bucket when it does not exist (a new deployment)",
        )

    def handle(self, *args, create_bucket, **options):
        self.stdout.write("release: migrate")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("release: collectstatic")
        call_command("collectstatic", interactive=False, verbosity=0)
        self._storage(create_bucket)
        for step in release_steps():
            step(lambda text: self.stdout.write(f"release: {text}"))
        self.stdout.write("release: check --deploy")
        call_command("check", deploy=True, fail_level="ERROR")
        self.stdout.write(self.style.SUCCESS("release: done"))

    def _storage(self, create_bucket):
        aliases = ["default", "reports"] if "reports" in settings.STORAGES else ["default"]
        for alias in aliases:
            storage = storages[alias]
            if create_bucket and ensure_bucket(storage):
                self.stdout.write(f"release: created the bucket {storage.bucket_name}")
            problem = describe_storage_problem(storage)
            if problem:
                raise CommandError(f"The file storage '{alias}' is not usable: {problem}")
        self.stdout.write("release: file storage answers")
