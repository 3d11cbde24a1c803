"""Who may act in the regions app."""

import rules

from portal.rules import is_alliance_staff, is_region_officer

rules.add_perm("regions.view_region_space", is_region_officer)
rules.add_perm("regions.view_national_space", is_alliance_staff)
