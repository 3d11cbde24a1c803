from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        # The PDF report (issue 5): enqueued once a submit commits.
        from diagnostics.extensions import register_on_submit
        from diagnostics.services.report import request_report_after_submit

        register_on_submit(request_report_after_submit)

        from diagnostics.release import publish_shipped_referential_if_none
        from portal.release import register_release_step

        register_release_step(publish_shipped_referential_if_none)

        from diagnostics import privacy

        privacy.register()  # GDPR: export, erasure on closure, purge of abandoned drafts, report files

        from diagnostics import peer_cells

        peer_cells.register()  # a company's new profile takes its latest diagnostic to its new peer cell

        from diagnostics import dashboard_counters

        dashboard_counters.register()  # the dashboards' funnel and quarters follow the diagnostics' changes

        from diagnostics.first_steps import diagnostic_first_step
        from portal.first_steps import register_first_step

        register_first_step(diagnostic_first_step)  # the company page's "start your diagnostic"

        from portal.rules import staff_role
        from portal.spaces import Space, register_space

        # In the staff's menu, after the national view (regions, order 10): the referential versions.
        register_space(
            Space("referentials", _("Referentials"), "diagnostics:referential_versions", staff_role, order=11)
        )

        from diagnostics.services.respondents import sweep_respondent_emails
        from portal.background import register_sweeper

        register_sweeper("diagnostics.respondents", sweep_respondent_emails)  # members asked to answer, not told yet
