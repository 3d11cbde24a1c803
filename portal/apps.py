from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal and identity")

    def ready(self):
        from portal import audit_anchors, deployment, security  # noqa: F401  (deploy checks; account-security signals)
        from portal.rules import company_member_role
        from portal.spaces import Space, register_space

        register_space(Space("company", _("My company"), "portal:my_company", company_member_role, order=40))

        from portal.privacy import identity, retention

        identity.register()  # GDPR: the company, members and invitations in the export and closure
        retention.register()  # GDPR: purge of expired invitations and sign-up requests

        from portal.services import dashboard_counters

        dashboard_counters.register()  # a company created, deleted or moved counts in its region's funnel
