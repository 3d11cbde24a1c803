import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Company, Membership, User
from portal.security import current_token, secret_for_humans
from seeding.demo.accounts import DEMO_ACCOUNTS, EXPERT, OFFICER, SME, STAFF

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
    response = client.post(reverse("login"), {"username": account.email, "password": account.password})
    assert response.status_code == 302
    if account.two_factor:  # officers and staff type the code of the printed key's authenticator
        device = TOTPDevice.objects.get(user__email=account.email, confirmed=True)
        assert client.get(reverse("home"), follow=True).redirect_chain[-1][0].startswith(reverse("portal:otp_verify"))
        assert client.post(reverse("portal:otp_verify"), {"token": current_token(device)}).status_code == 302
    response = client.get(reverse("home"))
    assert response.url == reverse(EXPECTED_LANDING[account.email])
    assert client.get(response.url, follow=True).status_code == 200


def test_seed_demo_prints_the_authenticator_keys_of_officer_and_staff(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    for account in (OFFICER, STAFF):
        device = TOTPDevice.objects.get(user__email=account.email, confirmed=True)
        assert secret_for_humans(device) in first
        assert device.config_url in first
    assert first == second  # the keys stay the same, so a tester's app keeps working
    assert TOTPDevice.objects.count() == 2
