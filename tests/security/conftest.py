import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from portal.api import tokens
from portal.models import ApiToken
from regions.opendata.release import publish_release
from tests.portal.two_factor import force_login_with_second_factor
from tests.security.scenario import build_scenario
from tests.storage_support import with_fresh_prefix


@pytest.fixture(scope="module")
def scenario(request, django_db_setup, django_db_blocker):
    """One scenario per module, built once in a transaction rolled back after the module's last test.

    Each role logs in once here (officers and staff pass the second factor, as the suite's
    `force_login` does) and gets an API token of each scope; the tests reuse the session cookies
    and the tokens. Each test still runs in its own
    savepoint (the `db` fixture), so what a test's requests write is undone before the next one."""
    files = settings.STORAGES
    if settings.OBJECT_STORAGE:  # the module's tests read the files the scenario wrote (files_of_the_module)
        request.getfixturevalue("_object_store_of_the_suite")
        files = with_fresh_prefix(files)
    with override_settings(STORAGES=files), django_db_blocker.unblock(), transaction.atomic():
        built = build_scenario()
        for role, user in built.users.items():
            client = Client()
            force_login_with_second_factor(client, user)
            built.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            for scope in ApiToken.Scope.values:
                built.tokens[role, scope] = tokens.create_token(user=user, name=scope, scope=scope, days=30).key
        built.objects["owner_token"] = ApiToken.objects.filter(user=built.users["owner"]).first()
        publish_release()  # the open-data files answer from the latest release
        built.objects["referential_code"] = built.objects["referential"].code
        built.objects["referential_version"] = built.objects["referential"].version
        yield built
        transaction.set_rollback(True)
