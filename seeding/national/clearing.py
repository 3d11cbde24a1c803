"""Whether the database is empty, and clearing it for a new data set (the reference data and the referential stay)."""

from django.apps import apps
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, transaction

from diagnostics.models import (
    Axis,
    Diagnostic,
    LevelDescriptor,
    MaturityBand,
    Module,
    ModuleRule,
    Question,
    QuestionTheme,
    Recommendation,
    Referential,
    ReferentialTransition,
    Report,
    TechnologyTheme,
)
from experts.models import Expert
from portal.models import Company, NafCode, Region, User
from regions.models import Programme

KEPT_MODELS = {
    Region,
    NafCode,
    Referential,
    ReferentialTransition,
    MaturityBand,
    Axis,
    Module,
    ModuleRule,
    Question,
    QuestionTheme,
    LevelDescriptor,
    Recommendation,
    TechnologyTheme,
}
PROJECT_APPS = ("portal", "diagnostics", "experts", "regions")


def database_is_empty():
    return not any(model.objects.exists() for model in (User, Company, Expert, Programme, Diagnostic))


def cleared_models():
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
    referential (its history loses the names of who loaded it); the reports' files go too. Returns the
    number of tables cleared."""
    for report in Report.objects.exclude(file=""):
        report.file.delete(save=False)
    ReferentialTransition.objects.exclude(by=None).update(by=None)
    models_ = cleared_models()
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
