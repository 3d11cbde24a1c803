"""GDPR rights: what each app keeps about a company and its people, and how to export, erase and purge it.

`portal` knows nothing of the apps above it. Each app registers, from its `AppConfig.ready()`:

- `register_company_data(CompanyData(...))`: the models it holds about a company, a function that
  exports them (JSON-ready data plus files, e.g. the PDF reports) and one that erases the personal
  data among them when the company's account is closed;
- `register_retention(name, purge)`: a purge of rows kept past their retention delay.

The closure (`portal.privacy.closure`), the export (`portal.privacy.export`) and the retention run
(`portal.privacy.retention`) call every registered part. `NOT_EXPORTED` lists, in this one place,
the models that point at a company or a user and are deliberately left out of the export, with the
reason; a test fails when a model that points at Company or User is in neither.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportPart:
    """What one app exports about a company: JSON-ready data and files (archive name, opened file field)."""

    data: dict
    files: Iterable = field(default_factory=tuple)


@dataclass(frozen=True)
class CompanyData:
    """One app's part of a company's data.

    `models`: "app_label.ModelName" of every model this part exports;
    `export(company)`: an ExportPart, written to `<key>.json` in the archive with its files;
    `erase(company=..., user_ids=...)`: run inside the closure's transaction; erases the personal data the
    app holds about the company and the users being erased (`user_ids`), keeps aggregates and money.
    """

    key: str
    models: tuple
    export: Callable
    erase: Callable
    order: int = 50


# Models that point at a company or a user and are deliberately not in the export, and why.
NOT_EXPORTED = {
    "portal.RegionOfficer": "An officer's post in a region: staff data, not a company's.",
    "portal.UserSession": "Technical login sessions: ended on closure, never exported.",
    "admin.LogEntry": "The back office's own log of staff actions.",
    "otp_totp.TOTPDevice": "An authenticator's secret key: never exported; deleted on closure.",
    "otp_static.StaticDevice": (
        "The second factor's single-use recovery codes: never exported; deleted with the authenticator, "
        "so on closure too."
    ),
    "portal.ApiToken": "API tokens: the hash of a secret, never exported; deleted on closure.",
    "portal.InboxMessage": (
        "Copies of the e-mails the portal sent a member about the company's decisions, missions and reports "
        "(which are exported themselves); deleted on closure."
    ),
    "diagnostics.ReferentialTransition": "Staff curating the shared referential, not a company's data.",
    "experts.Expert": "An expert's own directory profile, not a company's data.",
    "experts.Accreditation": "The Alliance's accreditation of an expert.",
    "experts.AccreditationTransition": "The history of an expert's accreditation.",
    "regions.Programme": "A region's programme, not a company's data.",
    "regions.ProgrammeTransition": "A region's programme opened or closed, not a company's data.",
    "regions.ClosingStatement": "A settled programme's closing statement (the region's), not a company's data.",
    "regions.LedgerEntry": "The region's hash-chained budget ledger: the company's enrolments and expenses are exported.",
    "portal.AuditEntry": (
        "Hash-chained audit trail of money and decisions: its rows are never rewritten (that would break "
        "the chain); it points to users by id, so closing an account anonymises the person it names, while "
        "free text written by officers and experts (reasons, comments, expense labels) stays as written."
    ),
}

_company_data: dict[str, CompanyData] = {}
_retention: dict[str, Callable] = {}


def register_company_data(part):
    _company_data[part.key] = part


def company_data_parts():
    return sorted(_company_data.values(), key=lambda part: (part.order, part.key))


def exported_models():
    """Every "app_label.ModelName" some registered part exports."""
    return {label for part in _company_data.values() for label in part.models}


def register_retention(name, purge):
    """`purge(now=...)` deletes what is past its retention delay and returns how many rows it removed."""
    _retention[name] = purge


def retention_purges():
    return dict(sorted(_retention.items()))
