from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        from diagnostics.extensions import (
            register_diagnostic_access,
            register_next_steps,
            register_plan_editors,
            register_report_reviews,
            register_results_panel,
            register_viewer_role,
        )
        from experts.panels import (
            expert_diagnostic_access,
            expert_plan_editor,
            expert_report_reviews,
            expert_review_panel,
            expert_viewer_role,
            experts_next_steps,
        )
        from experts.rules import expert_profile_id, expert_role
        from portal.rules import staff_role
        from portal.spaces import Space, register_space
        from portal.viewer import register_viewer_field

        register_space(Space("expert", _("My assignments"), "experts:my_assignments", expert_role, order=30))
        # In the staff's menu, after the national view and the referential versions.
        register_space(Space("accreditations", _("Accreditations"), "experts:accreditations", staff_role, order=12))
        register_viewer_field("expert_id", expert_profile_id)
        register_diagnostic_access(expert_diagnostic_access)
        register_results_panel(expert_review_panel)
        register_next_steps(experts_next_steps)
        register_report_reviews(expert_report_reviews)
        register_viewer_role(expert_viewer_role)
        register_plan_editors(expert_plan_editor)

        from experts.audit import ACTIONS, verify_state
        from portal.audit import register_actions, register_verifier

        register_actions(ACTIONS)
        register_verifier(verify_state)

        from experts.models import AccreditationTransition, AssignmentTransition
        from experts.tasks import notify_accreditation_change, notify_assignment_transition
        from portal.background import outbox_sweeper, register_sweeper

        # E-mails whose task was lost (broker down): sent by beat's sweep.
        register_sweeper(
            "experts.assignment_steps", outbox_sweeper(AssignmentTransition.objects.all(), notify_assignment_transition)
        )
        register_sweeper(
            "experts.accreditation_changes",
            outbox_sweeper(AccreditationTransition.objects.all(), notify_accreditation_change),
        )

        from experts import privacy

        privacy.register()  # GDPR: the company's assignments in its export and closure
