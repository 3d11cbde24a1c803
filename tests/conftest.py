import os

import pytest
from django.core.cache import cache

from portal.celery import app as celery_app
from tests.portal.factories import OwnerFactory, RegionOfficerFactory, StaffFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")


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
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


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
