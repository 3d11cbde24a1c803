from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self):
        from diagnostics.demo import seed_demo_diagnostics
        from portal.demo import register_demo_step

        register_demo_step(seed_demo_diagnostics)
