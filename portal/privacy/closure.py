"""Closing a company's account: its people's personal data are erased, the company is pseudonymised.

What stays: the company row (pseudonymised: "Entreprise fermée #<id>", SIRET replaced by a marker
that no real SIRET can match, so the SIRET may sign up again), its region, NAF division and headcount
band, its submitted diagnostics' scores (the benchmarks count them), and every record of the
regions' budgets (enrolments, committed and spent amounts, expenses, ledger): programme totals do
not change.

What goes: the memberships; the accounts of the members who belong to no other company and hold no
other role (officer, expert, staff) are deactivated and anonymised (e-mail, names, password,
authenticator, sessions); invitations and sign-up requests; and what each app erases through its
registered part (answer comments, report PDFs, motivations, action owners…). Finally every text
column of every table is scrubbed of the erased people's e-mails and full names, except the
hash-chained trails (a row with `prev_hash` and `hash`), which by design hold ids, not names.
"""

import json
import logging
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import audit
from portal.errors import ClosureRefused
from portal.models import ApiToken, Company, InboxMessage, Membership, RegionOfficer
from portal.privacy import company_data_parts
from portal.security import end_sessions

logger = logging.getLogger("portal.privacy")

ERASED = "[effacé]"
CLOSED_COMPANY_NAME = "Entreprise fermée #{id}"
CLOSED_SIRET_PREFIX = "F"
CLOSED_ACTION = "company.closed"
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def closed_siret(company_id):
    """A 14-character marker, unique per company and never a valid SIRET (it starts with a letter)."""
    return f"{CLOSED_SIRET_PREFIX}{company_id:013d}"


def is_closed(company):
    """A closed company carries the closure's SIRET marker (no field is needed: no real SIRET starts with a letter)."""
    return company.siret.startswith(CLOSED_SIRET_PREFIX)


def confirmation_matches(company, typed):
    return " ".join((typed or "").split()).casefold() == " ".join(company.name.split()).casefold()


def erasable_users(company):
    """The members whose account goes with the company: no other company, no officer post, no expert
    profile, not staff. The others only lose their seat in this company."""
    User = get_user_model()
    member_ids = Membership.objects.filter(company=company).values("user_id")
    users = (
        User.objects.filter(pk__in=member_ids, is_staff=False, is_superuser=False)
        .exclude(pk__in=Membership.objects.exclude(company=company).values("user_id"))
        .exclude(pk__in=RegionOfficer.objects.values("user_id"))
    )
    if any(field.name == "expert_profile" for field in User._meta.get_fields()):
        users = users.filter(expert_profile__isnull=True)
    return list(users)


@transaction.atomic
def close_company(*, company, by, confirmation):
    """Close `company`'s account on behalf of its owner `by`, who typed the company's name in `confirmation`.

    Raises ClosureRefused when the confirmation does not match or the company is already closed.
    Returns the pseudonymised company.
    """
    company = Company.objects.select_for_update().get(pk=company.pk)
    if is_closed(company):
        raise ClosureRefused(_("This company's account is already closed."))
    if not confirmation_matches(company, confirmation):
        raise ClosureRefused(_("Type the company's name exactly as shown to confirm the closure."))

    users = erasable_users(company)
    user_ids = [user.pk for user in users]
    tokens = _identifying_tokens(users)
    for part in company_data_parts():
        part.erase(company=company, user_ids=user_ids)

    Membership.objects.filter(company=company).delete()
    for user in users:
        _anonymise_user(user)
    company.name = CLOSED_COMPANY_NAME.format(id=company.pk)
    company.siret = closed_siret(company.pk)
    company.save(update_fields=["name", "siret"])
    scrubbed = scrub_text_columns(tokens)
    # The trail keeps ids and counts only: never a name or an e-mail (they would outlive the erasure,
    # since a hash-chained row cannot be rewritten).
    audit.record(
        action=CLOSED_ACTION,
        subject=company,
        by=by,
        after={"accounts_anonymised": sorted(user_ids), "text_values_scrubbed": scrubbed},
        region=company.region_id,
    )
    logger.info(
        "Company %s closed by user %s: %d account(s) anonymised, %d text value(s) scrubbed",
        company.pk,
        by.pk,
        len(user_ids),
        scrubbed,
    )
    return company


def _identifying_tokens(users):
    """What must disappear from every text column: e-mails and full names (both orders)."""
    tokens = set()
    for user in users:
        tokens.add(user.email)
        first, last = user.first_name.strip(), user.last_name.strip()
        if first and last:
            tokens.update({f"{first} {last}", f"{last} {first}"})
    return sorted((token for token in tokens if len(token) >= 3), key=len, reverse=True)


def _anonymise_user(user):
    user_id = user.pk
    TOTPDevice.objects.filter(user_id=user_id).delete()
    ApiToken.objects.filter(user_id=user_id).delete()  # the API stops answering its tokens at once
    InboxMessage.objects.filter(recipient_id=user_id).delete()  # copies of e-mails naming the person
    user.unread_messages = 0
    user.email = f"compte-ferme-{user_id}@anonyme.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()  # an inactive account's sessions end (portal.security)
    end_sessions(user_id)


def _is_hash_chained(model):
    names = {field.name for field in model._meta.concrete_fields}
    return {"prev_hash", "hash"} <= names


def text_columns():
    """(model, field) for every text column of every concrete, managed model of the project."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS) and not field.choices:
                yield model, field


def scrub_text_columns(tokens):
    """Replace every occurrence of `tokens` (case-insensitive) in every text column; returns how many values changed.

    Rows of hash-chained trails are left alone (rewriting them would break their chain); they keep ids.
    """
    if not tokens:
        return 0
    pattern = re.compile("|".join(re.escape(token) for token in tokens), re.IGNORECASE)
    changed = 0
    for model, field in text_columns():
        if _is_hash_chained(model):
            continue
        condition = Q()
        for token in tokens:
            condition |= Q(**{f"{field.name}__icontains": token})
        manager = model._base_manager
        for pk, value in manager.filter(condition).values_list("pk", field.name):
            new_value = _scrubbed(value, pattern, field)
            if new_value != value:
                manager.filter(pk=pk).update(**{field.name: new_value})
                changed += 1
    return changed


def _scrubbed(value, pattern, field):
    if value is None:
        return value
    if isinstance(field, models.JSONField):
        return json.loads(pattern.sub(ERASED, json.dumps(value, ensure_ascii=False)))
    value = pattern.sub(ERASED, value)
    return value[: field.max_length] if field.max_length else value
