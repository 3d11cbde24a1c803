"""`make bench` prepares its database: on a fresh server it creates it; on a data set without stored peer
figures it stores them, so that the pages measured with every cache cleared read them as in production."""

import secrets

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from bench.__main__ import create_database_if_missing, prepare_database
from diagnostics.models import PeerPublication
from tests.diagnostics.factories import PublishedReferentialFactory
from tests.diagnostics.test_results import add_peers, profile_of
from tests.portal.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_data_set_without_stored_peer_figures_gets_them():
    referential = PublishedReferentialFactory(axes=2, questions=3)
    company = CompanyFactory()
    add_peers(referential, [profile_of(company)] * 6)
    PeerPublication.objects.all().delete()

    done = prepare_database(companies=10)

    assert PeerPublication.objects.get().referential_code == referential.code
    assert f"peer figures of {referential.code} stored" in done


def test_stored_peer_figures_are_left_as_they_are():
    referential = PublishedReferentialFactory(axes=2, questions=3)
    company = CompanyFactory()
    add_peers(referential, [profile_of(company)] * 6)
    generation = PeerPublication.objects.get().generation

    assert prepare_database(companies=10) == "existing data set"
    assert PeerPublication.objects.get().generation == generation


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark's database server is PostgreSQL")
def test_a_missing_database_is_created_once():
    url = settings.DATABASES["default"]
    name = f"bench_fresh_{secrets.token_hex(4)}"
    server_url = f"postgres://{url['USER']}@{url['HOST']}:{url['PORT']}"
    try:
        assert create_database_if_missing(f"{server_url}/{name}") is True
        assert create_database_if_missing(f"{server_url}/{name}") is False
        with psycopg.connect(f"{server_url}/{name}") as created:
            assert created.execute("SELECT current_database()").fetchone() == (name,)
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
