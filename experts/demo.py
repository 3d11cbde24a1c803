from experts.models import Expert


def seed_demo_expert(accounts):
    """Give the demo expert account its directory profile."""
    Expert.objects.update_or_create(
        user=accounts["expert"],
        defaults={"organisation": "Cabinet Démo Industrie", "bio": "Lean manufacturing and shop-floor digitalisation."},
    )
