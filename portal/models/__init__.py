"""Models of the identity layer, one module per part; names re-exported here.

- identity.py: users, companies, memberships, regional officers, invitations, sign-ups, sessions,
  and the reference data they point at (regions, NAF codes);
- audit.py: the portal's append-only audit trail (entries, chain head, daily digests, anchors);
- api_tokens.py: the personal access tokens of the REST API (portal/api);
- inbox.py: the in-app inbox (every message sent by e-mail, kept) and how e-mails reach a user;
- dashboard_counters.py: the dashboards' counters per region (company funnel, maturity per quarter).
"""

from portal.models.api_tokens import ApiToken
from portal.models.audit import AuditAnchor, AuditChainHead, AuditDigest, AuditEntry
from portal.models.dashboard_counters import RegionFunnelCount, RegionQuarterCount
from portal.models.identity import (
    Company,
    HeadcountBand,
    Invitation,
    Membership,
    NafCode,
    PendingSignup,
    Region,
    RegionOfficer,
    TranslatedLabelMixin,
    User,
    UserManager,
    UserSession,
)
from portal.models.inbox import EmailDelivery, InboxMessage

__all__ = [
    "ApiToken",
    "AuditAnchor",
    "AuditChainHead",
    "AuditDigest",
    "AuditEntry",
    "Company",
    "EmailDelivery",
    "HeadcountBand",
    "InboxMessage",
    "Invitation",
    "Membership",
    "NafCode",
    "PendingSignup",
    "Region",
    "RegionFunnelCount",
    "RegionOfficer",
    "RegionQuarterCount",
    "TranslatedLabelMixin",
    "User",
    "UserManager",
    "UserSession",
]
