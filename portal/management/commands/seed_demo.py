from django.core.management.base import BaseCommand

from portal.demo import DEMO_ACCOUNTS, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo company and one demo account per role (idempotent)."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (e-mail / password):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<30} {account.email:<40} {account.password}")
