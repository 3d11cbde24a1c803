"""The nightly open-data release: the tables under statistical secrecy, as JSON and CSV.

`publish_release` reads the whole population (it runs at night, from beat or
`manage.py publish_open_data`), decides each table against the previous release
(`secrecy.decide_release`) and stores the new release. The public files are rendered from the
latest release's document (`csv_text`), never from the live data.
"""

import csv
import io
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from diagnostics.open_referential import LICENCE_NAME, LICENCE_SPDX, LICENCE_URL
from portal.models import HeadcountBand, NafCode, Region
from regions.models import OpenDataRelease
from regions.opendata.population import population
from regions.opendata.secrecy import DOMINANCE, MIN_COMPANIES, TableState, decide_release

PRODUCER = "Portail Industrie du Futur"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Table:
    name: str
    dimension: str  # region, section or size
    measure: str  # maturity, gain or money
    title_fr: str
    title_en: str

    @property
    def money(self):
        return self.measure == "money"


TABLES = (
    Table("maturity_by_region", "region", "maturity", "Maturité moyenne par région", "Average maturity by region"),
    Table(
        "maturity_by_section",
        "section",
        "maturity",
        "Maturité moyenne par section NAF",
        "Average maturity by NAF section",
    ),
    Table(
        "maturity_by_size",
        "size",
        "maturity",
        "Maturité moyenne par tranche d'effectif",
        "Average maturity by size band",
    ),
    Table(
        "gain_by_region",
        "region",
        "gain",
        "Gain de maturité entre T0 et T1 par région",
        "Maturity gained between T0 and T1 by region",
    ),
    Table(
        "money_by_region",
        "region",
        "money",
        "Montants engagés et payés par région",
        "Amounts committed and paid by region",
    ),
)
TOTAL = "FR"
CSV_COLUMNS = (
    "table",
    "cell",
    "label_fr",
    "label_en",
    "companies",
    "mean_score",
    "mean_gain",
    "committed_eur",
    "paid_eur",
    "secret",
    "as_of",
)


def _labels():
    """{dimension: {cell: (French label, English label)}}: every region, NAF section and size band."""
    return {
        "region": {region.code: (region.label_fr, region.label_en) for region in Region.objects.all()},
        "section": {
            naf.code: (naf.label_fr, naf.label_en) for naf in NafCode.objects.filter(level=NafCode.Level.SECTION)
        },
        "size": {band.value: (str(band.label), str(band.label)) for band in HeadcountBand},
    }


def _figures(table, contributions):
    """The published figures of one group of companies."""
    figures = {"companies": len(contributions)}
    values = [[Decimal(value) for value in contribution] for contribution in contributions.values()]
    if table.money:
        figures["committed_eur"] = str(sum((value[0] for value in values), Decimal(0)).quantize(TWO_PLACES))
        figures["paid_eur"] = str(sum((value[1] for value in values), Decimal(0)).quantize(TWO_PLACES))
    elif values:
        mean = sum((value[0] for value in values), Decimal(0)) / len(values)
        figures["mean_score" if table.measure == "maturity" else "mean_gain"] = str(
            mean.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        )
    return figures


def _render(table, decision, labels, as_of):
    everyone = {}
    for members in decision.cells.values():
        everyone.update(members)
    cells = []
    for key, (label_fr, label_en) in sorted(labels[table.dimension].items()):
        members = decision.cells.get(key, {})
        cell = {"cell": key, "label_fr": label_fr, "label_en": label_en}
        if not members:
            cell["companies"] = 0
        elif key in decision.published:
            cell.update(_figures(table, members))
        else:
            cell["secret"] = True
        cells.append(cell)
    total = {"cell": TOTAL, "label_fr": "France", "label_en": "France"}
    total.update(_figures(table, everyone) if decision.total_published else {"secret": True})
    return {
        "title": {"fr": table.title_fr, "en": table.title_en},
        "dimension": table.dimension,
        "measure": table.measure,
        "as_of": as_of.isoformat(),
        "total": total,
        "cells": cells,
    }


@transaction.atomic
def publish_release(*, now=None):
    """Publish tonight's release; returns it. Tables whose refresh would reveal a few companies keep the
    previous release's figures and date."""
    now = now or timezone.now()
    previous = OpenDataRelease.objects.select_for_update().order_by("-published_at", "-pk").first()
    previous_states = (previous.state or {}) if previous else {}
    previous_tables = previous.document.get("tables", {}) if previous else {}
    contributions = population()
    labels = _labels()
    documents, states = {}, {}
    for table in TABLES:
        stored = previous_states.get(table.name)
        decision = decide_release(
            contributions[table.name],
            money=table.money,
            previous=TableState(**stored).decision() if stored else None,
        )
        if decision.refreshed or table.name not in previous_tables:
            documents[table.name] = _render(table, decision, labels, now)
            states[table.name] = asdict(TableState.of(decision))
        else:
            documents[table.name] = previous_tables[table.name]
            states[table.name] = stored
    release = OpenDataRelease.objects.create(
        published_at=now,
        document={
            "title": {
                "fr": "Industrie du Futur : agrégats nationaux",
                "en": "Industrie du Futur: national aggregates",
            },
            "producer": PRODUCER,
            "licence": {"name": LICENCE_NAME, "spdx": LICENCE_SPDX, "url": LICENCE_URL},
            "published_at": now.isoformat(),
            "rules": {
                "min_companies": MIN_COMPANIES,
                "dominance": DOMINANCE,
                "documentation": settings.SITE_URL.rstrip("/") + reverse("regions:open_data"),
            },
            "tables": documents,
        },
        state=states,
    )
    # Only the latest state is needed (and kept): the company-level contributions of older releases go.
    OpenDataRelease.objects.exclude(pk=release.pk).exclude(state=None).update(state=None)
    return release


def latest_release():
    """The latest release (its public document only), or None before the first one."""
    return OpenDataRelease.objects.defer("state").order_by("-published_at", "-pk").first()


def csv_text(document):
    """The release as one CSV: a row per table and cell (the total as cell FR), secret cells marked."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for name, table in document["tables"].items():
        for row in [table["total"], *table["cells"]]:
            writer.writerow(
                {
                    **dict.fromkeys(CSV_COLUMNS, ""),
                    **row,
                    "table": name,
                    "secret": "s" if row.get("secret") else "",
                    "as_of": table["as_of"],
                }
            )
    return buffer.getvalue()
