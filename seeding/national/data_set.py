"""What the national data set is made of: its size, its proportions, the names it draws from, its logins."""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

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
