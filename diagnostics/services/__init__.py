"""Use cases of the diagnostics app, one module per part; the names are re-exported here."""

from diagnostics.services.referential import (
    LoadAction,
    LoadOutcome,
    derive_draft,
    load_referential_document,
    publish_referential,
    referential_problems,
    retire_referential,
)

__all__ = [
    "LoadAction",
    "LoadOutcome",
    "derive_draft",
    "load_referential_document",
    "publish_referential",
    "referential_problems",
    "retire_referential",
]
