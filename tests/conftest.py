import logging
import os
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from diagnostics.reference_data import load_technology_themes
from portal.celery import app as celery_app
from portal.reference_data import load_reference_data
from tests.portal.factories import OwnerFactory, RegionOfficerFactory, StaffFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
# Each app's reference-data loader (also run by its data migration), re-run for transactional tests.
REFERENCE_DATA_LOADERS = [load_reference_data, load_technology_themes]


@pytest.fixture(autouse=True)
def _root_logger_level_restored():
    """An in-process Celery worker (`start_worker`) sets the root logger's level to its own (ERROR): put
    back after each test, or a later test in the same process would see no warning logged."""
    root = logging.getLogger()
    level = root.level
    yield
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test starts after a flush emptied the tables the data migrations filled."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for load in REFERENCE_DATA_LOADERS:
            load(apps)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """Files the suite writes (PDF reports rendered on submit) go to a temporary folder, not var/media;
    the static root is an empty temporary folder too (the settings create no folder; whitenoise wants one)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture(scope="session")
def _object_store_of_the_suite(_media_in_a_temporary_folder):
    """STORAGES on an S3-compatible server: the configured one (STORAGE_URL, CI's PostgreSQL pass), or
    one started in this process for the tests that need object storage on every pass."""
    from django.conf import settings
    from django.core.files.storage import storages

    from portal.storage import ensure_bucket
    from tests import objectstore
    from tests.storage_support import object_storage_settings

    if settings.OBJECT_STORAGE:
        ensure_bucket(storages["reports"])
        yield settings.STORAGES
        return
    with objectstore.running_server() as (host, port):
        setting = object_storage_settings(f"http://{host}:{port}", "portal-tests", "suite")
        from django.test import override_settings

        with override_settings(STORAGES=setting):
            ensure_bucket(storages["reports"])
        yield setting


@pytest.fixture(autouse=True)
def _files_of_this_test(request, settings):
    """On object storage each test writes under a prefix of its own, so no test sees another's files;
    the suite's bucket is made before the first test that writes one, whichever runs first. Tests marked
    `files_of_the_module` read files a module-scoped fixture wrote under the module's own prefix."""
    from tests.storage_support import with_fresh_prefix

    if settings.OBJECT_STORAGE and not request.node.get_closest_marker("files_of_the_module"):
        request.getfixturevalue("_object_store_of_the_suite")
        settings.STORAGES = with_fresh_prefix(settings.STORAGES)


@pytest.fixture
def object_storage(settings, _object_store_of_the_suite):
    """This test's files on the S3-compatible server, on every pass (SQLite included)."""
    from tests.storage_support import with_fresh_prefix

    settings.STORAGES = with_fresh_prefix(_object_store_of_the_suite)
    return settings.STORAGES


@pytest.fixture(scope="session", autouse=True)
def _a_cache_of_this_test_process():
    """Under pytest-xdist each test process gets a Redis database of its own for the cache: the
    suite's `cache.clear()` empties a whole database and must not pull another process's entries away."""
    from django.conf import settings
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not (REDIS_URL and worker.startswith("gw")):
        yield
        return
    location = urlsplit(settings.CACHES["default"]["LOCATION"])._replace(path=f"/{1 + int(worker[2:])}").geturl()
    with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": location}}):
        yield


def pytest_collection_modifyitems(config, items):
    # Real-worker tests share one broker database: under pytest-xdist they run one after the other in
    # the same test process (`--dist loadgroup`).
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("real_worker"):
            item.add_marker(pytest.mark.xdist_group("real_worker"))


@pytest.fixture(autouse=True)
def _isolated_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in-process unless a test asks for the real worker (marker `real_worker`)."""
    if request.node.get_closest_marker("real_worker"):
        if not REDIS_URL:
            pytest.skip("needs REDIS_URL and a real Celery worker")
        # Each real-worker test starts from the configured app on empty queues: an earlier test may
        # have pointed the app elsewhere (broker outage, test queues), and messages it left behind (a
        # render whose rows were rolled back) would otherwise hold up this test's worker.
        _reset_celery_app()
        celery_app.control.purge()
        yield
        celery_app.control.purge()
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _reset_celery_app():
    from django.conf import settings

    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    celery_app.conf.task_routes = settings.CELERY_TASK_ROUTES
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)
    celery_app.amqp.queues._consume_from = None  # a worker started with -Q narrows it for the process
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def owner(db):
    return OwnerFactory().user


@pytest.fixture
def company(owner):
    return owner.memberships.get().company


@pytest.fixture
def member(company):
    from tests.portal.factories import MembershipFactory

    return MembershipFactory(company=company).user


@pytest.fixture
def other_company_member(db):
    return OwnerFactory().user


@pytest.fixture
def officer(db):
    return RegionOfficerFactory().user


@pytest.fixture
def expert(db):
    from experts.models import Expert

    return Expert.objects.create(user=UserFactory(), organisation="Cabinet Test").user


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def plain_user(db):
    return UserFactory()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "second_factor_unverified: client.force_login leaves the second factor unverified"
    )


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(request, monkeypatch):
    """Officers and staff must pass a second factor (TOTP) before their pages; a session opened with
    `client.force_login` counts as having passed it, unless the test is marked
    `second_factor_unverified`. See tests/portal/two_factor.py for the helpers."""
    if request.node.get_closest_marker("second_factor_unverified"):
        return
    from django.test import Client

    from tests.portal.two_factor import force_login_with_second_factor

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture
def login_verified():
    """`login_verified(client, user)`: force_login plus a passed second factor; returns the device."""
    from tests.portal.two_factor import login_verified

    return login_verified
