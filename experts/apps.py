from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self):
        from experts.demo import seed_demo_expert
        from experts.rules import is_expert
        from portal.demo import register_demo_step
        from portal.spaces import Space, register_space

        register_demo_step(seed_demo_expert)

        register_space(Space("expert", _("My assignments"), "experts:my_assignments", is_expert, order=30))
