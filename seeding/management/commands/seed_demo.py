from django.core.management.base import BaseCommand

from portal.models import User
from portal.security import secret_for_humans
from seeding.demo import DEMO_ACCOUNTS, demo_device, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo company and one demo account per role (idempotent)."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Demo logins (e-mail / password):"))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<30} {account.email:<40} {account.password}")
        two_factor = [account for account in DEMO_ACCOUNTS if account.two_factor]
        if two_factor:
            self.stdout.write(
                "Officers and staff also type a code from an authenticator app (TOTP) after the password."
                " Add these keys to an app (FreeOTP, Aegis, Google Authenticator…), by hand or from the URL:"
            )
            for account in two_factor:
                device = demo_device(User.objects.get(email=account.email))
                self.stdout.write(f"  {account.role:<30} key {secret_for_humans(device)}")
                self.stdout.write(f"  {'':<30} {device.config_url}")
