import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.demo import DEMO_ACCOUNTS, EXPERT, OFFICER, SME, STAFF
from portal.models import Company, Membership, User

pytestmark = pytest.mark.django_db

EXPECTED_LANDING = {
    SME.email: "portal:my_company",
    OFFICER.email: "regions:my_region",
    EXPERT.email: "experts:my_assignments",
    STAFF.email: "regions:national",
}


def test_seed_demo_prints_one_login_per_role(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.email in output
        assert account.password in output


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    counts = (User.objects.count(), Company.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Company.objects.count(), Membership.objects.count()) == counts


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.role)
def test_each_demo_login_lands_in_its_own_space(client, account):
    call_command("seed_demo")
    assert client.login(username=account.email, password=account.password)
    response = client.get(reverse("home"))
    assert response.url == reverse(EXPECTED_LANDING[account.email])
    assert client.get(response.url, follow=True).status_code == 200
