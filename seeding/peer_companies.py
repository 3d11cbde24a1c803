"""Generated peer companies with submitted diagnostics: for the demo's benchmark and for scale data.

Used by the demo (seeding/demo/diagnostics.py), by `manage.py seed_peers` and by the national data set (seeding/national). Everything is
written with `bulk_create` in batches: users (an unusable password: generated peers never log in),
companies with valid unique SIRETs, owner memberships, then 1 to 3 submitted diagnostics per
company over time (each pointing at the one before it, only the last `is_latest`), their answers,
their score snapshot computed by the one scoring function and their `AxisScore` rows.

Answers are drawn around a company's latent maturity, which grows with its size; each axis has its
own offset and each question some noise, so that results look like a real population: varied
profiles, strengths and weaknesses, larger companies further ahead, progress between diagnostics.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from stdnum import luhn

from diagnostics.dashboard_counters import rebuild_dashboard_counters
from diagnostics.models import Answer, Axis, AxisScore, Diagnostic, Module, ModuleDecision, Question
from diagnostics.peer_cells import rebuild_peer_cells
from diagnostics.peer_publication import refresh_peer_publication
from diagnostics.scoring import MAX_LEVEL, AnswerSpec, AxisSpec, compute_scores
from portal.models import Company, Membership, NafCode, Region, User

BATCH_SIZE = 500  # companies per round of inserts
RANDOM_SIREN_RANGE = (60_000_000, 100_000_000)  # the SIRENs seed_peers draws from (the demo uses others)
PEER_EMAIL_DOMAIN = "entreprises-pairs.example"
DAYS_TO_FILL_IN = timedelta(days=12)  # a diagnostic's start, before its submission

# Plausible shares of manufacturing companies (INSEE's counts, rounded): regions…
REGION_WEIGHTS = {
    "84": 14.0, "11": 11.0, "44": 8.5, "32": 8.5, "52": 8.0, "75": 8.5, "76": 7.5, "53": 6.0,
    "28": 5.0, "27": 5.0, "24": 4.0, "93": 6.5, "94": 0.4, "01": 0.5, "02": 0.4, "03": 0.2, "04": 0.8, "06": 0.1,
}  # fmt: skip
# …NAF divisions 10 to 33…
DIVISION_WEIGHTS = {
    "10": 17.0, "11": 3.0, "12": 0.05, "13": 2.5, "14": 2.5, "15": 1.0, "16": 5.0, "17": 1.5, "18": 5.0,
    "19": 0.1, "20": 2.5, "21": 0.7, "22": 4.0, "23": 4.0, "24": 1.0, "25": 15.0, "26": 2.5, "27": 2.0,
    "28": 5.0, "29": 1.5, "30": 1.0, "31": 3.0, "32": 6.0, "33": 12.0,
}  # fmt: skip
# …and headcount bands (the programme targets SMEs), with the latent maturity of each size.
BAND_WEIGHTS = {"0": 4.0, "1-9": 30.0, "10-49": 38.0, "50-249": 20.0, "250-4999": 7.5, "5000+": 0.5}
BAND_MATURITY = {"0": 1.0, "1-9": 1.4, "10-49": 1.9, "50-249": 2.5, "250-4999": 3.0, "5000+": 3.4}
# How many diagnostics a company made over time.
DIAGNOSTIC_COUNT_WEIGHTS = {1: 60, 2: 28, 3: 12}
NOT_APPLICABLE_SHARE = 0.12
MODULE_OPEN_SHARE = 0.4  # how often a company opens each deep-dive module of a version that has some

NAME_PREFIXES = {
    "10": "Conserverie", "11": "Brasserie", "12": "Manufacture", "13": "Tissages", "14": "Confection",
    "15": "Maroquinerie", "16": "Scierie", "17": "Cartonnerie", "18": "Imprimerie", "19": "Raffinerie",
    "20": "Chimie", "21": "Laboratoires", "22": "Plasturgie", "23": "Verrerie", "24": "Fonderie",
    "25": "Mécanique", "26": "Électronique", "27": "Électrotechnique", "28": "Machines", "29": "Équipements auto",
    "30": "Aéro-composants", "31": "Meubles", "32": "Ateliers", "33": "Maintenance industrielle",
}  # fmt: skip
SURNAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Le Gall", "Kerjean", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
]  # fmt: skip
FIRST_NAMES = [
    "Camille", "Claire", "Sophie", "Nathalie", "Isabelle", "Julie", "Émilie", "Anne", "Marie", "Laure",
    "Thomas", "Nicolas", "Julien", "Pierre", "Olivier", "Philippe", "Laurent", "Sébastien", "Antoine", "Yann",
]  # fmt: skip
NAME_SUFFIXES = ["SAS", "SARL", "SA", "et Fils", "Industrie", "Process", "Précision", "Atlantique", "Technologies"]


@dataclass(frozen=True)
class Profile:
    """Where a company sits for the benchmark: NAF division, headcount band, region (INSEE code)."""

    division: str
    band: str
    region: str


@dataclass
class SeedStats:
    users: int = 0
    companies: int = 0
    diagnostics: int = 0
    answers: int = 0
    axis_scores: int = 0
    skipped: int = 0

    def add(self, other):
        for name in ("users", "companies", "diagnostics", "answers", "axis_scores", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def siret_for(number):
    """A SIRET passing the Luhn checks, built from `number`: SIREN (8 digits + key) + NIC 0001 + key."""
    siren_base = f"{number % 100_000_000:08d}"
    siren = siren_base + luhn.calc_check_digit(siren_base)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def random_profiles(rng, count):
    """`count` company profiles drawn in plausible proportions."""
    regions = rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()), k=count)
    divisions = rng.choices(list(DIVISION_WEIGHTS), weights=list(DIVISION_WEIGHTS.values()), k=count)
    bands = rng.choices(list(BAND_WEIGHTS), weights=list(BAND_WEIGHTS.values()), k=count)
    return [Profile(division, band, region) for division, band, region in zip(divisions, bands, regions, strict=True)]


def random_diagnostic_counts(rng, count):
    return rng.choices(list(DIAGNOSTIC_COUNT_WEIGHTS), weights=list(DIAGNOSTIC_COUNT_WEIGHTS.values()), k=count)


class ReferentialContent:
    """The axes, questions and modules of one referential version, read once (three queries), and its scoring inputs."""

    def __init__(self, referential):
        self.referential = referential
        self.axes = list(Axis.objects.filter(referential=referential).order_by("order", "pk"))
        self.axis_specs = [AxisSpec(code=axis.code, weight=axis.weight) for axis in self.axes]
        axis_codes = {axis.pk: axis.code for axis in self.axes}
        self.module_ids = dict(
            Module.objects.filter(referential=referential).order_by("order", "pk").values_list("code", "pk")
        )
        module_codes = {pk: code for code, pk in self.module_ids.items()}
        self.questions = [
            (question.pk, question.code, axis_codes[question.axis_id], question.weight, question.allows_not_applicable)
            for question in Question.objects.filter(referential=referential).order_by("axis__order", "order", "pk")
        ]
        self.module_of = {
            pk: module_codes.get(module_id)
            for pk, module_id in Question.objects.filter(referential=referential).values_list("pk", "module_id")
        }
        # A referential-wide difficulty per axis (some axes are harder for everyone), stable per axis code.
        self.axis_difficulty = {axis.code: random.Random(f"axis:{axis.code}").uniform(-0.6, 0.6) for axis in self.axes}

    def draw_levels(self, rng, maturity, axis_offsets=None):
        """{question pk: level 0..5, or None for not applicable} around a latent `maturity`: the core's
        questions and those of the modules the company opens (each with a chance of `MODULE_OPEN_SHARE`)."""
        axis_offsets = axis_offsets or {}
        opened = {code for code in self.module_ids if rng.random() < MODULE_OPEN_SHARE}
        levels = {}
        for pk, _code, axis_code, _weight, allows_not_applicable in self.questions:
            if self.module_of[pk] is not None and self.module_of[pk] not in opened:
                continue
            if allows_not_applicable and rng.random() < NOT_APPLICABLE_SHARE:
                levels[pk] = None
                continue
            centre = maturity + self.axis_difficulty[axis_code] + axis_offsets.get(axis_code, 0.0)
            levels[pk] = min(MAX_LEVEL, max(0, round(rng.gauss(centre, 0.7))))
        return levels

    def random_axis_offsets(self, rng, spread=0.6):
        return {axis.code: rng.gauss(0, spread) for axis in self.axes}

    def opened_modules(self, levels):
        """The codes of the modules whose questions `levels` answers (`draw_levels` answers all of an opened one)."""
        return {self.module_of[pk] for pk in levels if self.module_of[pk] is not None}

    def score(self, levels):
        return compute_scores(
            self.axis_specs,
            [
                AnswerSpec(
                    question_code=code,
                    axis_code=axis_code,
                    weight=weight,
                    level=levels[pk],
                    module_code=self.module_of[pk],
                )
                for pk, code, axis_code, weight, _allows in self.questions
                if pk in levels
            ],
            opened_modules=self.opened_modules(levels),
        )


@dataclass
class PlannedDiagnostic:
    submitted_at: object
    levels: dict


@dataclass
class PlannedCompany:
    """A company to create (when `company_id` is None) or an existing one, with the diagnostics to give it."""

    profile: Profile | None = None
    siret: str = ""
    name: str = ""
    owner_first_name: str = ""
    owner_last_name: str = ""
    company_id: int | None = None
    owner_id: int | None = None
    diagnostics: list = field(default_factory=list)  # PlannedDiagnostic, oldest first


def plan_diagnostics(content, rng, *, maturity, count, now, axis_offsets=None):
    """`count` diagnostics of one company, about a year apart, its maturity rising each time."""
    axis_offsets = axis_offsets if axis_offsets is not None else content.random_axis_offsets(rng)
    last = now - timedelta(days=rng.randint(3, 200), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
    dates = [last - timedelta(days=rng.randint(300, 450) * back) for back in range(count - 1, -1, -1)]
    planned = []
    for index, submitted_at in enumerate(dates):
        growth = sum(rng.uniform(0.2, 0.7) for _step in range(index))
        planned.append(PlannedDiagnostic(submitted_at, content.draw_levels(rng, maturity + growth, axis_offsets)))
    return planned


def plan_companies(content, rng, profiles, sirets, *, counts=None, now=None):
    """A PlannedCompany per profile, with its name, owner and 1-3 diagnostics (or `counts`)."""
    now = now or timezone.now()
    counts = counts or random_diagnostic_counts(rng, len(profiles))
    planned = []
    for profile, siret, count in zip(profiles, sirets, counts, strict=True):
        maturity = BAND_MATURITY[profile.band] + rng.gauss(0, 0.6)
        planned.append(
            PlannedCompany(
                profile=profile,
                siret=siret,
                name=f"{NAME_PREFIXES[profile.division]} {rng.choice(SURNAMES)} {rng.choice(NAME_SUFFIXES)}",
                owner_first_name=rng.choice(FIRST_NAMES),
                owner_last_name=rng.choice(SURNAMES),
                diagnostics=plan_diagnostics(content, rng, maturity=maturity, count=count, now=now),
            )
        )
    return planned


def fresh_sirets(rng, count, taken=None):
    """`count` valid SIRETs used by no company yet (nor in `taken`)."""
    taken = set(taken or ()) | set(Company.objects.values_list("siret", flat=True))
    sirets = []
    while len(sirets) < count:
        siret = siret_for(rng.randrange(*RANDOM_SIREN_RANGE))
        if siret not in taken:
            taken.add(siret)
            sirets.append(siret)
    return sirets


def write(content, planned_companies, *, batch_size=BATCH_SIZE):
    """Create the planned companies (those without `company_id`) and every planned diagnostic, in batches.

    Returns the SeedStats of what was created, counts the peer cells and the dashboards' counters again from
    the companies and diagnostics, and decides the published figures again.
    """
    stats = SeedStats()
    divisions = dict(NafCode.objects.filter(level=NafCode.Level.DIVISION).values_list("code", "pk"))
    regions = dict(Region.objects.values_list("code", "pk"))
    with transaction.atomic():
        for start in range(0, len(planned_companies), batch_size):
            batch = planned_companies[start : start + batch_size]
            stats.add(_create_companies([c for c in batch if c.company_id is None], divisions, regions))
            stats.add(_create_diagnostics(content, batch))
        # Written in bulk, not submitted: the peer cells and the dashboards' counters are counted once
        # from the companies and diagnostics.
        rebuild_peer_cells(content.referential.code)
        rebuild_dashboard_counters()
    refresh_peer_publication(content.referential.code)
    return stats


def _create_companies(planned, divisions, regions):
    if not planned:
        return SeedStats()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"direction.{company.siret}@{PEER_EMAIL_DOMAIN}",
            first_name=company.owner_first_name,
            last_name=company.owner_last_name,
            password=unusable,
        )
        for company in planned
    )
    companies = Company.objects.bulk_create(
        Company(
            name=company.name,
            siret=company.siret,
            naf_division_id=divisions[company.profile.division],
            headcount_band=company.profile.band,
            region_id=regions[company.profile.region],
            language="fr",
        )
        for company in planned
    )
    Membership.objects.bulk_create(
        Membership(user=user, company=company, role=Membership.Role.OWNER)
        for user, company in zip(users, companies, strict=True)
    )
    for plan, user, company in zip(planned, users, companies, strict=True):
        plan.company_id, plan.owner_id = company.pk, user.pk
    return SeedStats(users=len(users), companies=len(companies))


def _create_diagnostics(content, planned_companies):
    """Diagnostics in waves (every company's first, then seconds pointing at the firsts…), then answers and axis scores."""
    stats = SeedStats()
    previous = {}  # company id -> its diagnostic created in the wave before
    waves = max((len(company.diagnostics) for company in planned_companies), default=0)
    for wave in range(waves):
        rows, snapshots = [], []
        for company in planned_companies:
            if wave >= len(company.diagnostics):
                continue
            planned = company.diagnostics[wave]
            snapshot = content.score(planned.levels)
            snapshots.append((planned, snapshot))
            rows.append(
                Diagnostic(
                    company_id=company.company_id,
                    referential=content.referential,
                    status=Diagnostic.Status.SUBMITTED,
                    started_by_id=company.owner_id,
                    submitted_by_id=company.owner_id,
                    submitted_at=planned.submitted_at,
                    previous=previous.get(company.company_id),
                    scores=snapshot.as_json(),
                    overall_score=snapshot.overall,
                    band=snapshot.band,
                    is_latest=wave == len(company.diagnostics) - 1,
                )
            )
        diagnostics = Diagnostic.objects.bulk_create(rows)
        # `started_at` is set on insert; move it back to a plausible start, a few days before the submission.
        Diagnostic.objects.filter(pk__in=[d.pk for d in diagnostics]).update(
            started_at=F("submitted_at") - DAYS_TO_FILL_IN
        )
        answers, axis_scores, decisions = [], [], []
        for diagnostic, (planned, snapshot) in zip(diagnostics, snapshots, strict=True):
            previous[diagnostic.company_id] = diagnostic
            answered_at = planned.submitted_at - timedelta(days=1)
            decisions += [
                ModuleDecision(
                    diagnostic_id=diagnostic.pk,
                    module_id=content.module_ids[code],
                    opened=True,
                    decided_by_id=diagnostic.started_by_id,
                    decided_at=answered_at,
                )
                for code in sorted(content.opened_modules(planned.levels))
            ]
            for pk, level in planned.levels.items():
                answers.append(
                    Answer(
                        diagnostic_id=diagnostic.pk,
                        question_id=pk,
                        level=level,
                        not_applicable=level is None,
                        answered_by_id=diagnostic.started_by_id,
                        answered_at=answered_at,
                    )
                )
            for code, axis in snapshot.axes.items():
                axis_scores.append(AxisScore(diagnostic_id=diagnostic.pk, axis_code=code, score=axis.score))
        Answer.objects.bulk_create(answers, batch_size=2000)
        AxisScore.objects.bulk_create(axis_scores, batch_size=2000)
        ModuleDecision.objects.bulk_create(decisions, batch_size=2000)
        stats.diagnostics += len(diagnostics)
        stats.answers += len(answers)
        stats.axis_scores += len(axis_scores)
    return stats


def seed_random_peers(referential, *, companies, seed=None, batch_size=BATCH_SIZE):
    """`companies` new companies with plausible profiles and 1-3 submitted diagnostics each."""
    rng = random.Random(seed)
    content = ReferentialContent(referential)
    planned = plan_companies(content, rng, random_profiles(rng, companies), fresh_sirets(rng, companies))
    return write(content, planned, batch_size=batch_size)
