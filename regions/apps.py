from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and programmes")

    def ready(self):
        from diagnostics.extensions import register_diagnostic_access, register_next_steps, register_results_panel
        from portal.rules import officer_role, staff_role
        from portal.spaces import Space, register_space
        from regions.extensions import officer_diagnostic_access, programmes_next_steps, programmes_results_panel

        register_space(Space("national", _("National view"), "regions:national", staff_role, order=10))
        register_space(Space("region", _("My region"), "regions:my_region", officer_role, order=20))
        register_diagnostic_access(officer_diagnostic_access)
        register_results_panel(programmes_results_panel)
        register_next_steps(programmes_next_steps)

        from portal.audit import register_actions, register_verifier
        from regions.services.audit import ACTIONS, verify_state

        register_actions(ACTIONS)
        register_verifier(verify_state)

        from regions import privacy

        privacy.register()  # GDPR: the company's enrolments in its export and closure

        from experts.events import visit_logged
        from regions.tasks import on_visit_logged

        visit_logged.connect(on_visit_logged, dispatch_uid="regions.book_visit_cost")
