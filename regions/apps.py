from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and programmes")

    def ready(self):
        from portal.rules import is_alliance_staff, is_region_officer
        from portal.spaces import Space, register_space

        register_space(Space("national", _("National view"), "regions:national", is_alliance_staff, order=10))
        register_space(Space("region", _("My region"), "regions:my_region", is_region_officer, order=20))
