"""National-scale data for benchmarks and dashboards: `manage.py seed_national --companies N`.

Two parts, in one transaction:

1. **Bulk** (the volume): company owners, companies spread over the 18 regions, NAF divisions
   10-33 and headcount bands in INSEE-like proportions (`diagnostics.peers`' weights), owner
   memberships, 1 to 3 *submitted* diagnostics per company (2 on average) over the last years on the published
   referential, their 40 answers each and their score snapshot computed by the one scoring function
   (`diagnostics.scoring.compute_scores`, through `peers.ReferentialContent.score`), and the
   `AxisScore` rows the peer benchmarks sum. Rows carry explicit ids and go in with PostgreSQL's
   COPY (psycopg 3 `cursor.copy()`), or with `executemany` on SQLite; the id sequences are reset
   afterwards, as `loaddata` does.
2. **Services** (the money and the workflows, a few thousand rows): ~300 experts (registered,
   profiled and accredited by the experts services), 2-4 programmes per region, applications
   spread over every status, decisions committing money within the budget and the cap, experts
   proposed from enrolments, visits whose cost is booked on the enrolment, other expenses, reviews
   and completions releasing what was not spent. Every row of that part is written by the same
   services as the pages, so the budget ledger's hash chains, the running totals and the audit
   trails are exactly what the application writes (`reconcile_budgets` reports nothing). The
   e-mails and tasks those services schedule after commit are dropped: the seed tells nobody.

Deterministic for a given `seed` (dates are relative to the day it runs). Refuses a database that
already has users, companies, experts or programmes unless it is cleared first (`clear_database`).
"""

import json
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from diagnostics import peers
from diagnostics.models import (
    Answer,
    Axis,
    AxisScore,
    Diagnostic,
    LevelDescriptor,
    MaturityBand,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    ReferentialTransition,
    TechnologyTheme,
)
from diagnostics.peer_publication import peer_cells_cache_key
from diagnostics.selectors.referential import current_published_referential
from experts import services as experts_services
from experts.models import Accreditation, Expert
from portal.models import Company, Membership, NafCode, Region, RegionOfficer, User
from portal.security import secret_for_humans
from regions import services
from regions.models import Enrolment, EnrolmentTransition, Programme

NATIONAL_PASSWORD = "national-industrie-2026"
EMAIL_DOMAIN = "national.industrie-du-futur.example"
STAFF_EMAIL = f"alliance@{EMAIL_DOMAIN}"
REFERENTIAL_FILE = Path(settings.BASE_DIR) / "diagnostics" / "referentials" / "industrie-du-futur.yaml"

CHUNK_COMPANIES = 5000  # companies planned and written per round (bounds the memory used)
# Two diagnostics per company on average: the national scale the dashboards are measured at is
# 50,000 companies and 100,000 diagnostics (a first assessment, then one or two re-assessments).
DIAGNOSTICS_PER_COMPANY = {1: 30, 2: 40, 3: 30}
DEFAULT_EXPERTS = 300
ENROLMENT_SHARE = Decimal("0.05")  # of a region's companies apply to one of its programmes…
# …up to this many per programme: every application runs through the services (~80 queries from
# application to completion with an expert and visits), the one part whose cost is per row.
MAX_APPLICANTS_PER_PROGRAMME = 40
EXPERT_PER_ENROLMENT = 0.75  # share of funded enrolments an expert is proposed from
# What becomes of an application, in plausible proportions.
FATES = {
    "applied": 10,
    "under_review": 12,
    "refused": 10,
    "accepted": 13,
    "in_progress": 30,
    "completed": 18,
    "withdrawn": 7,
}
CAPS = [Decimal(v) for v in (10_000, 15_000, 20_000, 25_000, 30_000, 40_000)]
VISIT_DAYS = [Decimal(v) for v in ("0.5", "1", "1", "1.5", "2")]
# Programme kinds: (name, eligible bands, eligible NAF divisions, max overall level, requires a diagnostic)
PROGRAMME_KINDS = [
    ("Industrie du Futur", [], [], None, True),
    ("Accélérateur PME", ["10-49", "50-249"], [], None, True),
    ("Premiers pas numériques", ["1-9", "10-49"], [], Decimal("2.50"), True),
    ("Agroalimentaire 4.0", [], ["10", "11"], None, False),
    ("Mécanique et métallurgie", [], ["24", "25", "28", "33"], None, True),
    ("Transition énergétique", ["10-49", "50-249", "250-4999"], [], None, False),
]
MOTIVATIONS = [
    "Automatiser le contrôle qualité et former deux techniciens.",
    "Connecter les machines de l'atelier et suivre le TRS en temps réel.",
    "Réduire la consommation d'énergie des fours et des compresseurs.",
    "Mettre en place un ERP et numériser le suivi de production.",
    "Étudier l'intégration d'un robot collaboratif sur la ligne d'assemblage.",
    "Structurer la stratégie industrielle et le plan d'investissement à trois ans.",
]
ORGANISATIONS = [
    "Conseil Industrie",
    "Performance Atelier",
    "Usine Numérique",
    "Lean & Process",
    "Énergie Industrielle",
    "Robotique Conseil",
    "Stratégie PME",
    "Compétences & Usine",
]


class DatabaseNotEmpty(Exception):
    """The database already holds people, companies, experts or programmes."""


@dataclass
class Login:
    role: str
    email: str
    password: str = NATIONAL_PASSWORD
    totp_key: str = ""  # base32 key of the confirmed authenticator (officers and staff type a code)


@dataclass
class SeedResult:
    companies: int
    seed: int
    referential: str
    referential_loaded: bool
    counts: dict = field(default_factory=dict)  # "app.Model" -> rows in the database afterwards
    logins: list = field(default_factory=list)
    owner_email_pattern: str = ""
    expert_email_pattern: str = ""
    timings: dict = field(default_factory=dict)  # step -> seconds


def owner_email(index):
    """The e-mail of the owner of the `index`-th company (1-based); every owner has NATIONAL_PASSWORD."""
    return f"pme.{index:05d}@{EMAIL_DOMAIN}"


def officer_email(region_code):
    return f"region.{region_code}@{EMAIL_DOMAIN}"


def expert_email(index):
    return f"expert.{index:03d}@{EMAIL_DOMAIN}"


# --- emptiness and clearing ------------------------------------------------------------------------

# Rows that stay when the database is cleared: reference data and the referential (with its themes).
KEPT_MODELS = {
    Region,
    NafCode,
    Referential,
    ReferentialTransition,
    MaturityBand,
    Axis,
    Question,
    QuestionTheme,
    LevelDescriptor,
    Recommendation,
    TechnologyTheme,
}
KEPT_APPS = {"contenttypes", "auth", "admin", "sessions", "axes", "django_otp", "otp_totp"}
PROJECT_APPS = ("portal", "diagnostics", "experts", "regions")


def database_is_empty():
    return not any(model.objects.exists() for model in (User, Company, Expert, Programme, Diagnostic))


def _cleared_models():
    """Every table of the project's data (and the users' devices, sessions and admin log), but not the
    reference data nor the referential."""
    cleared = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        if model in KEPT_MODELS:
            continue
        label = model._meta.app_label
        through_of_kept = model._meta.auto_created and any(model._meta.auto_created is kept for kept in KEPT_MODELS)
        if through_of_kept:
            continue
        if label in PROJECT_APPS or label in {"otp_totp", "admin", "axes", "sessions"}:
            cleared.append(model)
    return cleared


@transaction.atomic
def clear_database():
    """Delete every user, company, diagnostic, expert, programme… keeping the reference data and the
    referential (its history loses the names of who loaded it). Returns the number of tables cleared."""
    ReferentialTransition.objects.exclude(by=None).update(by=None)
    models_ = _cleared_models()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table that a kept one references (the referential's history → users),
            # so the users are deleted row by row, the rest truncated.
            # (Checks deferred by rows written earlier in the same transaction run first: TRUNCATE
            # refuses a table with pending trigger events.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            truncated = ", ".join(quote(model._meta.db_table) for model in models_ if model is not User)
            cursor.execute(f"TRUNCATE {truncated} RESTART IDENTITY")
            cursor.execute(f"DELETE FROM {quote(User._meta.db_table)}")
            for sql in connection.ops.sequence_reset_sql(no_style(), [User]):
                cursor.execute(sql)
        else:  # foreign keys are checked at commit: any order works inside the transaction
            for model in models_:
                cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    # Cached entries name rows that no longer exist (security profiles by user id, peer cells…).
    cache.clear()
    return len(models_)


# --- bulk writing ----------------------------------------------------------------------------------


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

BULK_MODELS = [User, Company, Membership, Diagnostic, Answer, AxisScore]
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


def _seed_companies(writer, rng, content, *, count, password_hash, now, facts):
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
    writer.reset_sequences(BULK_MODELS)
    writer.analyze(BULK_MODELS)


# --- accounts ----------------------------------------------------------------------------------------


def _seed_accounts(rng, password_hash):
    """The staff user and one officer per region, each with a confirmed authenticator of a known key."""
    logins = []
    staff = User.objects.create(
        email=STAFF_EMAIL, first_name="Alex", last_name="Durand", is_staff=True, password=password_hash
    )
    device = TOTPDevice.objects.create(user=staff, name="National seed", confirmed=True, key=rng.randbytes(20).hex())
    logins.append(Login("Alliance staff", staff.email, totp_key=secret_for_humans(device)))
    officers = {}
    for region in Region.objects.order_by("code"):
        user = User.objects.create(
            email=officer_email(region.code),
            first_name=rng.choice(peers.FIRST_NAMES),
            last_name=rng.choice(peers.SURNAMES),
            password=password_hash,
        )
        RegionOfficer.objects.create(user=user, region=region)
        device = TOTPDevice.objects.create(user=user, name="National seed", confirmed=True, key=rng.randbytes(20).hex())
        officers[region.code] = user
        logins.append(Login(f"Regional officer ({region.label_fr})", user.email, totp_key=secret_for_humans(device)))
    return staff, officers, logins


# --- part 2: experts, programmes, enrolments, through the services ---------------------------------


def _seed_experts(rng, content, *, count, staff, password_hash, today):
    """`count` experts across the regions (at least two in each), ~90 % referenced."""
    regions = {region.code: region for region in Region.objects.all()}
    codes = sorted(regions)
    weights = [peers.REGION_WEIGHTS.get(code, 0.1) for code in codes]
    axis_codes = [axis.code for axis in content.axes]
    theme_ids = list(TechnologyTheme.objects.order_by("pk").values_list("pk", flat=True))
    experts = []
    for index in range(1, count + 1):
        home = codes[(index - 1) % len(codes)] if index <= 2 * len(codes) else rng.choices(codes, weights)[0]
        served = {home} | set(rng.choices(codes, weights, k=rng.choice([0, 0, 1, 2])))
        organisation = f"{rng.choice(ORGANISATIONS)} {rng.choice(peers.SURNAMES)}"
        expert = experts_services.register_expert(
            email=expert_email(index),
            first_name=rng.choice(peers.FIRST_NAMES),
            last_name=rng.choice(peers.SURNAMES),
            organisation=organisation,
            by=staff,
        )
        skills = rng.sample(axis_codes, rng.randint(1, 3))
        themes = rng.sample(theme_ids, min(len(theme_ids), rng.randint(0, 3)))
        experts_services.update_profile(
            expert=expert,
            by=expert.user,
            organisation=organisation,
            bio=f"{organisation} : accompagnement des PME industrielles.",
            regions=[regions[code] for code in sorted(served)],
            languages=["fr"] + rng.sample(["en", "de", "es", "it"], rng.choice([0, 1, 1, 2])),
            day_rate=Decimal(rng.randrange(600, 1450, 50)),
            capacity=rng.randint(2, 8),
            axis_skills={code: rng.randint(1, 3) for code in skills},
            theme_skills={pk: rng.randint(1, 3) for pk in themes},
        )
        experts_services.change_accreditation(
            expert=expert,
            by=staff,
            status=Accreditation.Status.REFERENCED,
            valid_until=today + timedelta(days=rng.randint(60, 1000)),
            comment="Référencement initial",
            notify=False,
        )
        draw = rng.random()
        if draw < 0.05:
            experts_services.change_accreditation(
                expert=expert, by=staff, status=Accreditation.Status.SUSPENDED, comment="Contrôle", notify=False
            )
        elif draw < 0.10:
            experts_services.change_accreditation(
                expert=expert, by=staff, status=Accreditation.Status.EXPIRED, comment="Non renouvelé", notify=False
            )
        else:
            experts.append(expert)
    User.objects.filter(expert_profile__isnull=False).update(password=password_hash)
    return experts


class ExpertPool:
    """Referenced experts by region served, with the places they have left (capacity − active)."""

    def __init__(self, experts):
        self.by_region = defaultdict(list)
        self.at_company = defaultdict(set)
        self.free = {}
        # Read back: the services wrote the profiles (day rate, capacity) on other instances.
        experts = list(
            Expert.objects.filter(pk__in=[expert.pk for expert in experts]).select_related("user").order_by("pk")
        )
        experts_by_pk = {expert.pk: expert for expert in experts}
        serving = Expert.regions.through.objects.filter(expert__in=experts).values_list("expert_id", "region__code")
        for expert_id, code in serving.order_by("expert_id", "region__code"):
            self.by_region[code].append(experts_by_pk[expert_id])
        for expert in experts:
            self.free[expert.pk] = expert.capacity

    def take(self, rng, region_code, company_id):
        """A referenced expert of the region with a free place, never one who already had a mission at
        the company (a company applies to several programmes of its region)."""
        been = self.at_company[company_id]
        candidates = [
            expert
            for expert in self.by_region.get(region_code, [])
            if self.free[expert.pk] > 0 and expert.pk not in been
        ]
        if not candidates:
            return None
        expert = rng.choice(candidates)
        self.free[expert.pk] -= 1
        been.add(expert.pk)
        return expert

    def give_back(self, expert):
        self.free[expert.pk] += 1


def _eligible(kind, facts):
    _name, bands, divisions, max_level, _requires = kind
    return (
        (not bands or facts.band in bands)
        and (not divisions or facts.division in divisions)
        and (max_level is None or facts.latest_overall <= max_level)
    )


def _round_down(amount, step=Decimal("500")):
    return (amount // step) * step


class Enroller:
    """Runs each application's story through the services, from the application to its final status."""

    def __init__(self, rng, *, officers, pool, axes, today, stats):
        self.rng, self.officers, self.pool, self.axes, self.today, self.stats = rng, officers, pool, axes, today, stats
        self.companies = {}
        self.owners = {}
        self.diagnostics = {}

    def _company(self, facts):
        company = self.companies.get(facts.pk)
        if company is None:
            company = Company.objects.select_related("naf_division__section").get(pk=facts.pk)
            self.companies[facts.pk] = company
        return company

    def _owner(self, facts):
        owner = self.owners.get(facts.owner_id)
        if owner is None:
            owner = self.owners[facts.owner_id] = User.objects.get(pk=facts.owner_id)
        return owner

    def run(self, programme, facts, *, fate, budget_left):
        """Returns the amount committed (Decimal zero when nothing stays committed)."""
        rng, officer = self.rng, self.officers[facts.region]
        cap = programme.cap_per_company
        requested = max(Decimal("2000"), _round_down(cap * Decimal(rng.uniform(0.5, 1.0))))
        enrolment = services.apply_to_programme(
            programme=programme,
            company=self._company(facts),
            requested_amount=requested,
            motivation=rng.choice(MOTIVATIONS),
            by=self._owner(facts),
        )
        self.stats["applications"] += 1
        if fate == "applied":
            return Decimal("0")
        if fate == "withdrawn" and rng.random() < 0.4:
            services.withdraw_enrolment(enrolment=enrolment, by=self._owner(facts), comment="Projet reporté.")
            return Decimal("0")
        enrolment = services.start_review(enrolment=enrolment, by=officer)
        if fate == "under_review":
            return Decimal("0")
        amount = min(requested, _round_down(budget_left))
        if fate == "refused" or amount < Decimal("2000"):
            services.refuse_enrolment(
                enrolment=enrolment,
                by=officer,
                reason="Budget du programme épuisé." if fate != "refused" else "Projet hors du champ du programme.",
            )
            return Decimal("0")
        enrolment = services.accept_enrolment(enrolment=enrolment, amount=amount, by=officer, comment="Dossier retenu.")
        if fate == "withdrawn":
            services.withdraw_enrolment(enrolment=enrolment, by=self._owner(facts), comment="Projet abandonné.")
            return Decimal("0")
        spent = self._support(enrolment, facts, fate=fate, officer=officer)
        if fate == "in_progress" and enrolment_status(enrolment) == Enrolment.Status.ACCEPTED:
            services.start_enrolment(enrolment=enrolment, by=officer)
        if fate == "completed":
            if enrolment_status(enrolment) == Enrolment.Status.ACCEPTED:
                services.start_enrolment(enrolment=enrolment, by=officer)
            services.complete_enrolment(enrolment=enrolment, by=officer, comment="Accompagnement terminé.")
            return spent
        return amount

    def _support(self, enrolment, facts, *, fate, officer):
        """An expert (sometimes), visits booked on the enrolment, other costs; returns what was spent."""
        rng = self.rng
        spent = Decimal("0")
        committed = enrolment.committed_amount
        expert = self.pool.take(rng, facts.region, facts.pk) if rng.random() < EXPERT_PER_ENROLMENT else None
        if expert is not None:
            assignment = services.propose_expert(
                enrolment=enrolment,
                expert=expert,
                by=officer,
                due_date=self.today + timedelta(days=rng.randint(30, 120)),
                brief="Valider l'autodiagnostic et prioriser le plan d'actions.",
            )
            self.stats["assignments"] += 1
            if fate == "accepted" or rng.random() < 0.06:
                if fate != "accepted":  # the expert declines: the officer will propose someone else
                    experts_services.decline_assignment(
                        assignment=assignment, by=expert.user, reason="Indisponible sur la période.", notify=False
                    )
                    self.pool.give_back(expert)
                elif rng.random() < 0.5:
                    experts_services.accept_assignment(assignment=assignment, by=expert.user, notify=False)
                return spent
            experts_services.accept_assignment(assignment=assignment, by=expert.user, notify=False)
            experts_services.start_assignment(assignment=assignment, by=expert.user, notify=False)
            for _visit in range(rng.randint(1, 3)):
                days = rng.choice(VISIT_DAYS)
                if days * expert.day_rate > committed - spent:
                    break
                visit = experts_services.log_visit(
                    assignment=assignment, by=expert.user, date=self.today, days=days, summary="Visite de l'atelier."
                )
                self.stats["visits"] += 1
                # What the visit_logged event's task does after commit, done here at once.
                if services.book_visit_cost(visit_id=visit.pk) is not None:
                    spent += visit.cost
            if fate == "completed":
                levels = {}
                for code in self.axes:
                    score = facts.latest_axes.get(code)
                    base = int(score) if score is not None else 2
                    levels[code] = min(5, max(0, base + rng.choice([-1, 0, 0, 1])))
                experts_services.submit_review(
                    assignment=assignment,
                    by=expert.user,
                    levels=levels,
                    summary="Diagnostic validé ; plan d'actions priorisé.",
                    notify=False,
                )
                self.pool.give_back(expert)
        if fate in ("in_progress", "completed") and rng.random() < 0.3:
            amount = min(committed - spent, _round_down(committed * Decimal("0.2"), Decimal("100")))
            if amount > 0:
                services.book_expense(
                    enrolment=enrolment,
                    kind="other",
                    amount=amount,
                    label="Formation des équipes",
                    incurred_on=self.today - timedelta(days=rng.randint(0, 30)),
                    by=self.officers[facts.region],
                )
                self.stats["other_expenses"] += 1
                spent += amount
        return spent


def enrolment_status(enrolment):
    return Enrolment.objects.filter(pk=enrolment.pk).values_list("status", flat=True).get()


def _seed_programmes(rng, *, facts, officers, pool, axes, today, stats):
    """2-4 programmes per region, each with applications whose fates are spread over every status."""
    by_region = defaultdict(list)
    for company in facts:
        by_region[company.region].append(company)
    divisions = {naf.code: naf for naf in NafCode.objects.filter(level=NafCode.Level.DIVISION)}
    enroller = Enroller(rng, officers=officers, pool=pool, axes=axes, today=today, stats=stats)
    fates, fate_weights = list(FATES), list(FATES.values())
    for region in Region.objects.order_by("code"):
        officer = officers[region.code]
        companies = by_region.get(region.code, [])
        count = rng.randint(2, 4)
        kinds = [PROGRAMME_KINDS[0]] + rng.sample(PROGRAMME_KINDS[1:], count - 1)
        per_programme = min(
            MAX_APPLICANTS_PER_PROGRAMME, int(len(companies) * ENROLMENT_SHARE / count + Decimal("0.5"))
        )
        for number, kind in enumerate(kinds, start=1):
            name, bands, naf, max_level, requires = kind
            cap = rng.choice(CAPS)
            eligible = [company for company in companies if _eligible(kind, company)]
            applicants = rng.sample(eligible, min(len(eligible), max(per_programme, 1 if eligible else 0)))
            target = max(5, int(len(applicants) * 0.6))
            start = today - timedelta(days=rng.randint(60, 700))
            programme = services.create_programme(
                region=region,
                by=officer,
                budget=cap * target,
                name=f"{name} – {region.label_fr} {start.year}",
                description=f"Programme régional {name.lower()} : diagnostic, experts référencés et plan d'actions.",
                start_date=start,
                end_date=today + timedelta(days=rng.randint(30, 700)),
                cap_per_company=cap,
                target_companies=target,
                eligible_headcount_bands=bands,
                eligible_naf_codes=[divisions[code] for code in naf],
                requires_submitted_diagnostic=requires,
                max_overall_level=max_level,
                status=Programme.Status.OPEN,
            )
            stats["programmes"] += 1
            budget_left = programme.budget
            for company in applicants:
                fate = rng.choices(fates, fate_weights)[0]
                budget_left -= enroller.run(programme, company, fate=fate, budget_left=budget_left)
            if number > 1 and rng.random() < 0.25:
                services.set_programme_status(programme=programme, status=Programme.Status.CLOSED, by=officer)


# --- the whole seed ----------------------------------------------------------------------------------


def _ensure_referential():
    referential = current_published_referential()
    if referential is not None:
        return referential, False
    call_command("load_referential", str(REFERENTIAL_FILE), "--publish", verbosity=0)
    return current_published_referential(), True


def row_counts(known=None):
    """{"app.Model": rows} for every model of the project's apps that has rows. `known` gives the rows
    of tables that were empty and filled in bulk: counting millions of rows just written costs minutes
    (the first read of each page after the commit sets its hint bits)."""
    known = known or {}
    counts = {}
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            label = model._meta.label
            total = known[label] if label in known else model._default_manager.count()
            if total:
                counts[label] = total
    return counts


def seed_national(*, companies, seed=0, experts=DEFAULT_EXPERTS, progress=None):
    """Create the national data set; raises DatabaseNotEmpty on a database already in use."""
    if companies < 1:
        raise ValueError("companies must be at least 1")
    say = progress or (lambda message: None)
    timings = {}
    started, started_cpu = time.perf_counter(), time.process_time()

    def lap(step):
        nonlocal started, started_cpu
        now_, cpu = time.perf_counter(), time.process_time()
        timings[step] = now_ - started
        say(f"{step}: {timings[step]:.1f} s ({cpu - started_cpu:.1f} s CPU in this process)")
        started, started_cpu = now_, cpu

    if not database_is_empty():
        raise DatabaseNotEmpty()
    referential, loaded = _ensure_referential()
    content = peers.ReferentialContent(referential)
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    password_hash = make_password(NATIONAL_PASSWORD)
    stats = Counter()
    facts = []
    lap("referential")
    with transaction.atomic():
        callbacks_before = len(connection.run_on_commit)
        staff, officers, logins = _seed_accounts(rng, password_hash)
        writer = BulkWriter()
        with writer.without_foreign_key_triggers():
            _seed_companies(writer, rng, content, count=companies, password_hash=password_hash, now=now, facts=facts)
        lap("companies and diagnostics (bulk)")
        pool = ExpertPool(
            _seed_experts(rng, content, count=experts, staff=staff, password_hash=password_hash, today=today)
        )
        lap("experts (services)")
        _seed_programmes(
            rng,
            facts=facts,
            officers=officers,
            pool=pool,
            axes=[axis.code for axis in content.axes],
            today=today,
            stats=stats,
        )
        # The services scheduled e-mails and tasks for after commit (decisions, proposals, visit
        # events whose cost is already booked above): the seed tells nobody and enqueues nothing.
        del connection.run_on_commit[callbacks_before:]
        EnrolmentTransition.objects.filter(notified_at=None).update(notified_at=now)
        lap("programmes, enrolments, assignments, visits, expenses (services)")
    lap("commit")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Benchmark-ready: visibility map and hint bits set, statistics of the committed rows; otherwise
        # the first queries of a benchmark pay for it (or autovacuum runs in the middle of one).
        with connection.cursor() as cursor:
            for model in BULK_MODELS:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
        lap("vacuum and analyze")
    # Peer benchmarks read the latest diagnostics through a cache: drop it so they count the new ones.
    cache.delete(peer_cells_cache_key(referential.code))
    counts = row_counts(known={label: writer.inserted[label] for label in LARGE_TABLES})
    lap("counts")
    return SeedResult(
        companies=companies,
        seed=seed,
        referential=f"{referential.code} {referential.version}",
        referential_loaded=loaded,
        counts=counts,
        logins=logins,
        owner_email_pattern=f"{owner_email(1)} … {owner_email(companies)}",
        expert_email_pattern=f"{expert_email(1)} … {expert_email(experts)}",
        timings=timings,
    )


__all__ = [
    "DatabaseNotEmpty",
    "NATIONAL_PASSWORD",
    "SeedResult",
    "clear_database",
    "database_is_empty",
    "seed_national",
]
