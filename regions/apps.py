from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and programmes")

    def ready(self):
        from diagnostics.extensions import (
            register_diagnostic_access,
            register_funding,
            register_measurement_labels,
            register_next_steps,
            register_on_submit,
            register_results_panel,
        )
        from portal.rules import officer_role, staff_role
        from portal.spaces import Space, register_space
        from regions.extensions import (
            boards_after_submit,
            officer_diagnostic_access,
            programmes_funding,
            programmes_next_steps,
            programmes_results_panel,
        )

        register_space(Space("national", _("National view"), "regions:national", staff_role, order=10))
        register_space(Space("region", _("My region"), "regions:my_region", officer_role, order=20))
        register_diagnostic_access(officer_diagnostic_access)
        register_results_panel(programmes_results_panel)
        register_next_steps(programmes_next_steps)
        register_funding(programmes_funding)
        register_on_submit(boards_after_submit)  # the maturity gained on the boards

        from regions.services.reassessment import company_measurement_points

        register_measurement_labels(company_measurement_points)  # T0, T1, T2 on the results page's trend

        from portal.audit import register_actions, register_verifier
        from regions.services.audit import ACTIONS, verify_state
        from regions.services.claim_checks import verify_claims

        register_actions(ACTIONS)
        register_verifier(verify_state)
        register_verifier(verify_claims)

        from regions import privacy

        privacy.register()  # GDPR: the company's enrolments in its export and closure

        from experts.events import visit_logged
        from regions.tasks import on_visit_logged

        visit_logged.connect(on_visit_logged, dispatch_uid="regions.book_visit_cost")

        from portal.background import outbox_sweeper, register_sweeper
        from regions.models import EnrolmentTransition
        from regions.services.experts import enqueue_unbooked_visits
        from regions.services.notifications import NOTIFIED
        from regions.tasks import send_transition_email

        # What a lost message (broker down) left undone, redone by beat's sweep: decisions not told, visits not booked.
        register_sweeper(
            "regions.decision_emails",
            outbox_sweeper(EnrolmentTransition.objects.filter(to_status__in=NOTIFIED), send_transition_email),
        )
        register_sweeper("regions.visit_costs", enqueue_unbooked_visits)
        from regions.models import ClaimTransition
        from regions.tasks import send_claim_email

        register_sweeper("regions.claim_emails", outbox_sweeper(ClaimTransition.objects.all(), send_claim_email))
