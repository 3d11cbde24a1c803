"""Every role's main pages, rendered in French on the demo's data, read as French: no count of one
followed by a plural noun, no "Changer" heading a column, no number with a decimal point beside a
French word, and the labels that end in a colon have the narrow no-break space before it."""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from diagnostics.models import Diagnostic
from experts.models import Assignment
from portal.models import User
from regions.models import Enrolment, Programme
from seeding.demo import seed_demo
from seeding.demo.accounts import EXPERT, OFFICER, SME, STAFF

pytestmark = pytest.mark.django_db

SHIPPED_REFERENTIAL = settings.BASE_DIR / "diagnostics" / "referentials" / "industrie-du-futur.yaml"
NNBSP = "\u202f"

PLURAL_NOUNS = (
    "entreprises|candidatures|experts|diagnostics|questions|programmes|places|jours|codes|entrées|"
    "missions|visites|réponses|axes|inscrites|réévaluées"
)
ONE_THEN_PLURAL = re.compile(rf"(?<![\d,.\u202f\u00a0])\b1[ \u00a0\u202f]+(?:{PLURAL_NOUNS})\b")
CHANGER_COLUMN = re.compile(r"<th[^>]*>\s*Changer\s*</th>")
# "global 2.03", "15000.00 EUR": a number with a decimal point and two decimals beside a word
# (a version such as "2026.1" has one decimal and is not a French number).
DOT_DECIMAL_BY_A_WORD = re.compile(r"(?:[A-Za-zÀ-ÿ]\s+\d+\.\d{2}\b(?!\.\d))|(?:\b\d+\.\d{2}\s+(?:EUR|€|/ 5))")
# "1200,00 EUR": an amount of thousands without its thousands grouped.
UNGROUPED_AMOUNT = re.compile(r"\b\d{4,}(?:,\d{2})?\s+EUR\b")
LABELS_WITH_A_COLON = (
    "Régions",
    "Langues",
    "Compétences",
    "Ma région",
    "Activité",
    "Taille",
    "Région",
    "Statut actuel",
    "Effectif",
)
COLON_WITHOUT_NNBSP = re.compile(rf"\b({'|'.join(LABELS_WITH_A_COLON)})(?: |\u00a0|):")


class VisibleText(HTMLParser):
    """The text a reader sees: no script, style, drawing or attribute."""

    HIDDEN = {"script", "style", "svg", "head"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = StringIO()

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.write(data + " ")


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"[ \t\r\n]+", " ", parser.parts.getvalue())


@pytest.fixture
def demo():
    call_command("load_referential", SHIPPED_REFERENTIAL, publish=True, stdout=StringIO())
    return seed_demo()


def pages_of(role, demo):
    company = demo["company"]
    diagnostic = Diagnostic.objects.filter(company=company, status="submitted").latest("submitted_at")
    programme = Programme.objects.get()
    enrolment = Enrolment.objects.get()
    assignment = Assignment.objects.filter(expert__user=demo["expert"]).first()
    expert = assignment.expert
    return {
        "sme": [
            reverse("portal:company_detail", args=[company.pk]),
            reverse("diagnostics:company_diagnostics", args=[company.pk]),
            reverse("diagnostics:results", args=[diagnostic.pk]),
            reverse("diagnostics:modules", args=[diagnostic.pk]),
            reverse("regions:company_programmes"),
            reverse("regions:my_applications"),
            reverse("regions:apply", args=[programme.pk]),
            reverse("experts:directory"),
        ],
        "officer": [
            reverse("regions:my_region"),
            reverse("regions:dashboard"),
            reverse("regions:programme_detail", args=[programme.pk]),
            reverse("regions:programme_edit", args=[programme.pk]),
            reverse("regions:shared_diagnostics"),
            reverse("experts:propose", args=[company.pk]) + f"?candidature={enrolment.pk}",
        ],
        "expert": [
            reverse("experts:assignment", args=[assignment.pk]),
            reverse("experts:edit_profile"),
        ],
        "staff": [
            reverse("regions:national"),
            reverse("experts:accreditations"),
            reverse("experts:edit_accreditation", args=[expert.pk]),
            reverse("experts:assignments"),
        ],
    }[role]


ACCOUNTS = {"sme": SME, "officer": OFFICER, "expert": EXPERT, "staff": STAFF}


def french_problems(html):
    text = visible_text(html)
    problems = [f"count of one with a plural: {m.group(0)!r}" for m in ONE_THEN_PLURAL.finditer(text)]
    problems += [f"dot decimal by a word: {m.group(0)!r}" for m in DOT_DECIMAL_BY_A_WORD.finditer(text)]
    problems += [f"amount without grouped thousands: {m.group(0)!r}" for m in UNGROUPED_AMOUNT.finditer(text)]
    problems += [f"colon without the narrow no-break space: {m.group(0)!r}" for m in COLON_WITHOUT_NNBSP.finditer(text)]
    problems += ["a column headed 'Changer'" for _ in CHANGER_COLUMN.finditer(html)]
    return problems


@pytest.mark.parametrize("role", ["sme", "officer", "expert", "staff"])
def test_main_pages_read_as_french(client, demo, role):
    client.force_login(User.objects.get(email=ACCOUNTS[role].email))
    problems = []
    for url in pages_of(role, demo):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        problems += [f"{url}: {problem}" for problem in french_problems(response.content.decode())]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<p>1 entreprises sur 15</p>", "count of one with a plural"),
        ("<p>Soumis le 01/02/2026 – global 2.03 / 5</p>", "dot decimal by a word"),
        ("<p>au plus 15000.00 EUR</p>", "dot decimal by a word"),
        ("<p>1200,00 EUR par jour</p>", "amount without grouped thousands"),
        ("<h1>Ma région: Bretagne</h1>", "colon without the narrow no-break space"),
        ("<strong>Régions :</strong>", "colon without the narrow no-break space"),
        ("<table><tr><th scope='col'>Changer</th></tr></table>", "a column headed 'Changer'"),
    ],
)
def test_the_scan_catches_each_bad_pattern(html, problem):
    assert any(found.startswith(problem) for found in french_problems(html))


def test_the_scan_accepts_french_written_right():
    html = (
        "<p>1 entreprise inscrite sur 15 · 2 entreprises · global 2,03 / 5 · version 2026.1 · 1\u00a0200,00 EUR</p>"
        f"<h1>Ma région{NNBSP}: Bretagne</h1><th>Changement</th><svg><text>2.50</text></svg>"
    )
    assert french_problems(html) == []
