import pytest
from django.urls import reverse

from portal.models import Company, Membership, NafCode, Region, User
from tests.portal.factories import CompanyFactory, UserFactory, valid_siret

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": "claire.dupont@forges-de-l-ouest.fr",
        "password1": "une-phrase-de-passe-solide",
        "password2": "une-phrase-de-passe-solide",
        "company_name": "Forges de l'Ouest",
        "siret": "912 345 675 00017",
        "naf_division": NafCode.objects.get(code="25").pk,
        "headcount_band": "50-249",
        "region": Region.objects.get(code="53").pk,
        "language": "fr",
    }
    data.update(overrides)
    return data


def post_signup(client, **overrides):
    return client.post(reverse("portal:signup"), signup_data(**overrides))


def assert_nothing_created():
    assert not User.objects.filter(email="claire.dupont@forges-de-l-ouest.fr").exists()
    assert not Company.objects.filter(name="Forges de l'Ouest").exists()


def test_signup_creates_user_company_and_owner_membership_and_logs_in(client):
    response = post_signup(client)

    company = Company.objects.get(siret="91234567500017")
    user = User.objects.get(email="claire.dupont@forges-de-l-ouest.fr")
    assert Membership.objects.get(user=user, company=company).role == Membership.Role.OWNER
    assert response.status_code == 302
    assert response.url == reverse("portal:my_company")
    assert client.get(reverse("portal:company_detail", args=[company.pk])).status_code == 200


def test_signup_page_is_public_and_in_french_by_default(client):
    response = client.get(reverse("portal:signup"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("91234567500018", "siret_checksum"),
        ("9123456750001", "siret_length"),
        ("9123456750001A", "siret_format"),
    ],
)
def test_invalid_siret_is_explained_and_nothing_is_created(client, siret, code):
    response = post_signup(client, siret=siret)
    assert response.status_code == 200
    assert response.context["form"].has_error("siret", code)
    assert_nothing_created()


def test_checksum_error_message_tells_what_to_do(client):
    response = post_signup(client, siret="91234567500018")
    assert "clé de contrôle de ce SIRET est incorrecte" in response.content.decode()


def test_duplicate_siret_is_refused_with_a_pointer_to_the_owner(client):
    CompanyFactory(siret="91234567500017")
    response = post_signup(client)
    assert response.context["form"].has_error("siret", "duplicate_siret")
    assert not User.objects.filter(email="claire.dupont@forges-de-l-ouest.fr").exists()


def test_duplicate_email_is_refused_whatever_its_case(client):
    UserFactory(email="claire.dupont@forges-de-l-ouest.fr")
    response = post_signup(client, email="Claire.Dupont@Forges-de-l-Ouest.fr")
    assert response.context["form"].has_error("email", "duplicate_email")
    assert not Company.objects.filter(name="Forges de l'Ouest").exists()


def test_mismatched_passwords_change_nothing(client):
    response = post_signup(client, password2="une-autre-phrase-de-passe")
    assert response.context["form"].has_error("password2", "password_mismatch")
    assert_nothing_created()


def test_weak_password_is_refused_by_django_validators(client):
    response = post_signup(client, password1="12345678", password2="12345678")
    assert response.context["form"].errors["password2"]
    assert_nothing_created()


def test_division_must_be_a_manufacturing_division_not_a_section(client):
    response = post_signup(client, naf_division=NafCode.objects.get(code="C").pk)
    assert response.context["form"].has_error("naf_division")
    assert_nothing_created()


def test_factory_sirets_are_valid():
    from stdnum.fr import siret

    assert all(siret.is_valid(valid_siret(n)) for n in range(50))
