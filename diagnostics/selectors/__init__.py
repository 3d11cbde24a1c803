"""Reads of the diagnostics app, already scoped; one module per part, names re-exported here."""

from diagnostics.selectors.referential import (
    current_published_referential,
    public_referential,
    public_versions,
    referential_with_content,
    theme_codes,
    with_content,
)

__all__ = [
    "current_published_referential",
    "public_referential",
    "public_versions",
    "referential_with_content",
    "theme_codes",
    "with_content",
]
