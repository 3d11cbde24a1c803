"""The demo company and one demo account per role, the first part of `manage.py seed_demo` (idempotent)."""

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Company, Membership, NafCode, Region, RegionOfficer, User

DEMO_PASSWORD = "demo-industrie-2026"
DEMO_SIRET = "91234567500017"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str = DEMO_PASSWORD
    two_factor: bool = False  # officers and staff must type a code from an authenticator app


SME = DemoAccount("SME manager", "pme@demo.industrie-du-futur.fr")
OFFICER = DemoAccount("Regional officer (Bretagne)", "region@demo.industrie-du-futur.fr", two_factor=True)
EXPERT = DemoAccount("Expert", "expert@demo.industrie-du-futur.fr")
STAFF = DemoAccount("Alliance staff", "alliance@demo.industrie-du-futur.fr", two_factor=True)
DEMO_ACCOUNTS = [SME, OFFICER, EXPERT, STAFF]


def _account(demo, **fields):
    user, _created = User.objects.update_or_create(email=demo.email, defaults=fields)
    user.set_password(demo.password)
    user.save(update_fields=["password"])
    if demo.two_factor:
        demo_device(user)
    return user


def demo_device(user):
    """The demo account's authenticator: made once with a random key, kept on later runs so that a
    tester's authenticator app keeps working; `seed_demo` prints its key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)


def seed_demo_accounts():
    """Create or refresh the demo company and accounts; running it twice changes nothing more.

    Returns the accounts the later steps build on: the company, and the SME manager, the officer and
    the expert (users)."""
    sme = _account(SME, first_name="Camille", last_name="Martin")
    company, _created = Company.objects.update_or_create(
        siret=DEMO_SIRET,
        defaults={
            "name": "Atelier Mécanique de Démonstration",
            "naf_division": NafCode.objects.get(code="25"),
            "headcount_band": "10-49",
            "region": Region.objects.get(code="53"),
            "language": "fr",
        },
    )
    Membership.objects.update_or_create(user=sme, company=company, defaults={"role": Membership.Role.OWNER})

    officer = _account(OFFICER, first_name="Yann", last_name="Le Goff")
    RegionOfficer.objects.get_or_create(user=officer, region=Region.objects.get(code="53"))

    expert = _account(EXPERT, first_name="Nadia", last_name="Benali")
    _account(STAFF, first_name="Alex", last_name="Durand", is_staff=True, is_superuser=True)

    return {"company": company, "sme": sme, "officer": officer, "expert": expert}
