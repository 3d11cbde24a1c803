"""Part 1, the volume: company owners, companies, memberships, submitted diagnostics, their answers and axis
scores, inserted in bulk (COPY on PostgreSQL)."""

import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from diagnostics.models import (
    Answer,
    AxisScore,
    Diagnostic,
    ModuleDecision,
)
from portal.models import Company, Membership, NafCode, Region, User
from seeding import peer_companies as peers
from seeding.national.data_set import CHUNK_COMPANIES, DIAGNOSTICS_PER_COMPANY, owner_email


class BulkWriter:
    """Insert rows given as tuples of column values: COPY on PostgreSQL, executemany elsewhere.

    Columns the caller does not give but that have a default get it (one value for every row), so a
    field added later with a default does not break the seed.
    """

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.inserted = Counter()

    def next_id(self, model):
        with connection.cursor() as cursor:
            table, pk = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
            cursor.execute(f"SELECT MAX({pk}) FROM {table}")
            return (cursor.fetchone()[0] or 0) + 1

    def insert(self, model, columns, rows):
        fields = [model._meta.get_field(name) for name in columns]
        given = {f.column for f in fields}
        extra = [
            f
            for f in model._meta.concrete_fields
            if f.column not in given and not f.primary_key and f.has_default() and not f.null
        ]
        constants = tuple(f.get_default() for f in extra)
        fields += extra
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        json_columns = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        count = 0
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        row = row + constants
                        if json_columns:
                            row = list(row)
                            for i in json_columns:
                                row[i] = None if row[i] is None else json.dumps(row[i])
                        copy.write_row(row)
                        count += 1
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
                batch = []
                for row in rows:
                    row = row + constants
                    batch.append(tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)))
                    if len(batch) >= 2000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.inserted[model._meta.label] += count
        return count

    def analyze(self, models_):
        """Give the planner statistics of the rows just loaded (still uncommitted: autovacuum cannot see
        them), or the services that follow would plan sequential scans over millions of rows."""
        if self.postgresql:
            with connection.cursor() as cursor:
                for model in models_:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    @contextmanager
    def without_foreign_key_triggers(self):
        """On PostgreSQL, as pg_restore --disable-triggers does: the foreign keys of the rows loaded in
        bulk are not checked row by row (Django's constraints are deferred, so the checks of millions of
        rows would pile up until the commit). The ids are consistent by construction, and SQLite checks
        every key at commit in the tests. Needs a superuser; otherwise the keys are checked as usual."""
        if not self.postgresql:
            yield
            return
        replica = False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
            replica = True
        except DatabaseError:
            pass
        try:
            yield
        finally:
            if replica:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = origin")

    def reset_sequences(self, models_):
        """After rows with explicit ids: the next id of each table follows the largest one (as loaddata does)."""
        statements = connection.ops.sequence_reset_sql(no_style(), models_)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


# --- part 1: companies and diagnostics, in bulk -----------------------------------------------------

BULK_MODELS = [User, Company, Membership, Diagnostic, Answer, AxisScore, ModuleDecision]
LARGE_TABLES = [Answer._meta.label, AxisScore._meta.label]  # counted as written, not with COUNT(*)


@dataclass
class CompanyFacts:
    """What the services part needs to know of a created company."""

    pk: int
    owner_id: int
    region: str
    division: str
    band: str
    latest_diagnostic_id: int
    latest_overall: Decimal
    latest_axes: dict  # axis code -> score (Decimal or None)


def seed_companies(writer, rng, content, *, count, password_hash, now, facts):
    """Owners, companies, memberships, diagnostics, answers and axis scores, CHUNK_COMPANIES at a time."""
    divisions = dict(NafCode.objects.filter(level=NafCode.Level.DIVISION).values_list("code", "pk"))
    regions = dict(Region.objects.values_list("code", "pk"))
    next_user = writer.next_id(User)
    next_company = writer.next_id(Company)
    next_diagnostic = writer.next_id(Diagnostic)
    sirens = rng.sample(range(*peers.RANDOM_SIREN_RANGE), count)
    referential_id = content.referential.pk
    index = 0
    while index < count:
        size = min(CHUNK_COMPANIES, count - index)
        profiles = peers.random_profiles(rng, size)
        sirets = [peers.siret_for(number) for number in sirens[index : index + size]]
        counts = rng.choices(list(DIAGNOSTICS_PER_COMPANY), weights=list(DIAGNOSTICS_PER_COMPANY.values()), k=size)
        planned = peers.plan_companies(content, rng, profiles, sirets, counts=counts, now=now)
        users, companies, memberships, diagnostics, answers, axis_scores = [], [], [], [], [], []
        decisions = []  # the deep-dive modules each diagnostic opened (their questions are answered)
        for plan in planned:
            index += 1
            user_id, company_id = next_user, next_company
            next_user += 1
            next_company += 1
            first_start = plan.diagnostics[0].submitted_at - peers.DAYS_TO_FILL_IN
            joined = first_start - timedelta(days=rng.randint(1, 60))
            users.append(
                (
                    user_id,
                    password_hash,
                    False,
                    plan.owner_first_name,
                    plan.owner_last_name,
                    False,
                    True,
                    joined,
                    owner_email(index),
                    "fr",
                )
            )
            companies.append(
                (
                    company_id,
                    plan.name,
                    plan.siret,
                    divisions[plan.profile.division],
                    plan.profile.band,
                    regions[plan.profile.region],
                    "fr",
                    joined,
                )
            )
            memberships.append((user_id, company_id, Membership.Role.OWNER.value, joined))
            previous_id = None
            last = len(plan.diagnostics) - 1
            for position, planned_diagnostic in enumerate(plan.diagnostics):
                diagnostic_id = next_diagnostic
                next_diagnostic += 1
                snapshot = content.score(planned_diagnostic.levels)
                submitted_at = planned_diagnostic.submitted_at
                diagnostics.append(
                    (
                        diagnostic_id,
                        company_id,
                        referential_id,
                        Diagnostic.Status.SUBMITTED.value,  # plain str: psycopg dumps enums by name
                        user_id,
                        submitted_at - peers.DAYS_TO_FILL_IN,
                        user_id,
                        submitted_at,
                        previous_id,
                        snapshot.as_json(),
                        snapshot.overall,
                        snapshot.band,
                        position == last,
                    )
                )
                answered_at = submitted_at - timedelta(days=1)
                for question_id, level in planned_diagnostic.levels.items():
                    answers.append((diagnostic_id, question_id, level, level is None, "", user_id, answered_at))
                for code in sorted(content.opened_modules(planned_diagnostic.levels)):
                    decisions.append((diagnostic_id, content.module_ids[code], True, user_id, answered_at))
                for code, axis in snapshot.axes.items():
                    axis_scores.append((diagnostic_id, code, axis.score))
                previous_id = diagnostic_id
                if position == last:
                    facts.append(
                        CompanyFacts(
                            pk=company_id,
                            owner_id=user_id,
                            region=plan.profile.region,
                            division=plan.profile.division,
                            band=plan.profile.band,
                            latest_diagnostic_id=diagnostic_id,
                            latest_overall=snapshot.overall,
                            latest_axes={code: axis.score for code, axis in snapshot.axes.items()},
                        )
                    )
        writer.insert(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "preferred_language",
            ],
            users,
        )
        writer.insert(
            Company,
            ["id", "name", "siret", "naf_division", "headcount_band", "region", "language", "created_at"],
            companies,
        )
        writer.insert(Membership, ["user", "company", "role", "created_at"], memberships)
        writer.insert(
            Diagnostic,
            [
                "id",
                "company",
                "referential",
                "status",
                "started_by",
                "started_at",
                "submitted_by",
                "submitted_at",
                "previous",
                "scores",
                "overall_score",
                "band",
                "is_latest",
            ],
            diagnostics,
        )
        writer.insert(
            Answer,
            ["diagnostic", "question", "level", "not_applicable", "comment", "answered_by", "answered_at"],
            answers,
        )
        writer.insert(AxisScore, ["diagnostic", "axis_code", "score"], axis_scores)
        writer.insert(ModuleDecision, ["diagnostic", "module", "opened", "decided_by", "decided_at"], decisions)
    writer.reset_sequences(BULK_MODELS)
    writer.analyze(BULK_MODELS)
