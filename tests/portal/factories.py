import factory
from stdnum import luhn

from portal.models import Company, Membership, NafCode, Region, RegionOfficer, User

DEFAULT_PASSWORD = "correct-horse-battery-42"


def valid_siret(n):
    """A SIRET that passes the Luhn checks: a SIREN built from n, establishment 00001."""
    siren_base = f"{(10_000_000 + n) % 100_000_000:08d}"
    siren = siren_base + luhn.calc_check_digit(siren_base)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffFactory(UserFactory):
    is_staff = True


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Usine {n}")
    siret = factory.Sequence(valid_siret)
    naf_division = factory.LazyFunction(lambda: NafCode.objects.get(code="25"))
    headcount_band = "10-49"
    region = factory.LazyFunction(lambda: Region.objects.get(code="53"))
    language = "fr"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.MEMBER


class OwnerFactory(MembershipFactory):
    role = Membership.Role.OWNER


class RegionOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionOfficer

    user = factory.SubFactory(UserFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="53"))


def as_request_user(user):
    """`user` as a request sees it (`request.user`): loaded by the authentication backend with its
    viewer (`portal.viewer`), so that the rules cost no query to learn who they are."""
    from portal.auth import PortalBackend

    return PortalBackend().get_user(user.pk)
