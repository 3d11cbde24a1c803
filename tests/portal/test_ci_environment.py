"""CI's second pass must really run on PostgreSQL + Redis + object storage: `.ci/run` says so in CI_EXPECT_DATABASE,
CI_EXPECT_REDIS and CI_EXPECT_OBJECT_STORAGE, and these tests fail if the settings did not receive DATABASE_URL,
REDIS_URL or STORAGE_URL (a Makefile that assigns those names, even for another target, stops make
from passing them on)."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.skipif(not os.environ.get("CI_EXPECT_DATABASE"), reason="only when .ci/run names the database")
def test_the_suite_runs_on_the_database_ci_asked_for():
    assert connection.vendor == os.environ["CI_EXPECT_DATABASE"]


@pytest.mark.skipif(not os.environ.get("CI_EXPECT_REDIS"), reason="only when .ci/run asks for Redis")
def test_the_suite_runs_with_the_redis_broker_ci_asked_for():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.skipif(not os.environ.get("CI_EXPECT_OBJECT_STORAGE"), reason="only when .ci/run asks for object storage")
def test_the_suite_keeps_its_files_in_the_object_storage_ci_asked_for():
    from django.core.files.storage import storages

    from portal.storage import ObjectStorage

    assert settings.OBJECT_STORAGE
    assert isinstance(storages["reports"], ObjectStorage)
    assert isinstance(storages["default"], ObjectStorage)
