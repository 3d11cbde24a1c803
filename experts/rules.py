"""Who may act in the experts app."""

import rules

from experts.models import Expert


@rules.predicate
def is_expert(user):
    """Experts: users with a profile in the directory."""
    return bool(user and user.is_authenticated and Expert.objects.filter(user=user).exists())


rules.add_perm("experts.view_my_assignments", is_expert)
