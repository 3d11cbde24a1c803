"""The experts part of `manage.py seed_demo`: the demo expert, referenced, with skills and regions; a dozen
other experts across France (one suspended, one expired, to show the directory leaves them out); and an
assignment of the demo expert at the demo company, in progress.

Idempotent: experts have fixed e-mail addresses; accreditations and the assignment are created only
when missing. No e-mail leaves: the services are called with `notify=False`.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from diagnostics.models import TechnologyTheme
from experts import services
from experts.models import Accreditation, Assignment, Expert
from portal.models import Region, User
from seeding.demo.accounts import STAFF

DEMO_EXPERT_PROFILE = {
    "organisation": "Cabinet Démo Industrie",
    "bio": "Lean manufacturing, shop-floor digitalisation and production data. Twenty years in mechanical SMEs.",
    "day_rate": Decimal("950.00"),
    "capacity": 3,
    "regions": ["53", "52", "28"],
    "languages": ["fr", "en"],
    "axes": {"OPS": 3, "DIGIT": 2, "TECH": 2, "STRAT": 1},
    "themes": {"digital-iot": 3, "monitoring-control": 2, "automation-robotics": 2},
}

# (first name, last name, organisation, regions, languages, axis skills, theme skills, day rate, capacity, status)
OTHER_EXPERTS = [
    (
        "Julien",
        "Morel",
        "Ouest Performance",
        ["53"],
        ["fr"],
        {"STRAT": 3, "OFFER": 2},
        {"digital-iot": 1},
        850,
        2,
        "referenced",
    ),
    (
        "Sophie",
        "Garnier",
        "Atlantique Conseil Industrie",
        ["52", "53"],
        ["fr", "en"],
        {"ENERGY": 3},
        {"energy-efficiency": 3},
        900,
        3,
        "referenced",
    ),
    (
        "Thomas",
        "Lefèvre",
        "Robotique & Co",
        ["84"],
        ["fr", "de"],
        {"TECH": 3},
        {"automation-robotics": 3, "people-cobotics-ar": 2},
        1100,
        2,
        "referenced",
    ),
    (
        "Claire",
        "Dubois",
        "Numérique Industriel Conseil",
        ["11", "24"],
        ["fr", "en"],
        {"DIGIT": 3, "OPS": 2},
        {"digital-iot": 3},
        1200,
        4,
        "referenced",
    ),
    (
        "Karim",
        "Haddad",
        "Lean Sud",
        ["76", "93"],
        ["fr", "ar", "en"],
        {"OPS": 3, "PEOPLE": 2},
        {"monitoring-control": 2},
        800,
        2,
        "referenced",
    ),
    (
        "Émilie",
        "Roux",
        "Compétences & Usine",
        ["44"],
        ["fr", "de"],
        {"PEOPLE": 3, "STRAT": 2},
        {"people-cobotics-ar": 3},
        750,
        2,
        "referenced",
    ),
    (
        "Nicolas",
        "Petit",
        "Additif Expertise",
        ["75", "76"],
        ["fr", "es"],
        {"TECH": 2},
        {"additive-manufacturing": 3},
        1000,
        1,
        "referenced",
    ),
    (
        "Laura",
        "Fontaine",
        "Matériaux Avancés Conseil",
        ["27", "84"],
        ["fr", "it"],
        {"TECH": 2, "OFFER": 2},
        {"composites-materials-assembly": 3},
        950,
        2,
        "referenced",
    ),
    (
        "Pierre",
        "Marchand",
        "Territoires Industriels",
        ["32", "28"],
        ["fr", "nl"],
        {"TERR": 3, "STRAT": 2},
        {},
        700,
        3,
        "referenced",
    ),
    (
        "Inès",
        "Bernard",
        "Qualité Vision",
        ["53", "28"],
        ["fr", "en"],
        {"OPS": 2},
        {"monitoring-control": 3},
        880,
        2,
        "referenced",
    ),
    ("Marc", "Girard", "Énergie Process", ["24"], ["fr"], {"ENERGY": 2}, {"energy-efficiency": 2}, 820, 2, "suspended"),
    ("Hélène", "Faure", "Stratégie PME", ["93"], ["fr", "en"], {"STRAT": 3}, {}, 990, 2, "expired"),
]


def _other_email(index):
    return f"expert{index:02d}@demo.industrie-du-futur.fr"


def _profile(expert, *, organisation, bio, day_rate, capacity, regions, languages, axes, themes, theme_ids):
    services.update_profile(
        expert=expert,
        by=expert.user,
        organisation=organisation,
        bio=bio,
        regions=list(Region.objects.filter(code__in=regions)),
        languages=languages,
        day_rate=day_rate,
        capacity=capacity,
        axis_skills=axes,
        theme_skills={theme_ids[code]: level for code, level in themes.items() if code in theme_ids},
    )


def _accredit(expert, staff, status, today):
    if Accreditation.objects.filter(expert=expert).exists():
        return
    services.change_accreditation(
        expert=expert,
        by=staff,
        status=Accreditation.Status.REFERENCED,
        valid_until=today + timedelta(days=730),
        comment="Demo",
        notify=False,
    )
    if status != Accreditation.Status.REFERENCED:
        services.change_accreditation(expert=expert, by=staff, status=status, comment="Demo", notify=False)


def seed_demo_experts(accounts):
    """The demo expert's profile, accreditation and assignment, and a dozen other experts; creates only what is missing."""
    today = timezone.localdate()
    staff = User.objects.get(email=STAFF.email)
    theme_ids = dict(TechnologyTheme.objects.values_list("code", "pk"))

    demo_user = accounts["expert"]
    demo, created = Expert.objects.get_or_create(
        user=demo_user, defaults={"organisation": DEMO_EXPERT_PROFILE["organisation"]}
    )
    if created or not demo.skills.exists():
        profile = DEMO_EXPERT_PROFILE
        _profile(
            demo,
            organisation=profile["organisation"],
            bio=profile["bio"],
            day_rate=profile["day_rate"],
            capacity=profile["capacity"],
            regions=profile["regions"],
            languages=profile["languages"],
            axes=profile["axes"],
            themes=profile["themes"],
            theme_ids=theme_ids,
        )
    _accredit(demo, staff, Accreditation.Status.REFERENCED, today)

    for index, (first, last, organisation, regions, languages, axes, themes, rate, capacity, status) in enumerate(
        OTHER_EXPERTS, start=1
    ):
        user, _created = User.objects.get_or_create(
            email=_other_email(index), defaults={"first_name": first, "last_name": last}
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        expert, created = Expert.objects.get_or_create(user=user, defaults={"organisation": organisation})
        if created:
            _profile(
                expert,
                organisation=organisation,
                bio=f"{organisation} : accompagnement des PME industrielles.",
                day_rate=Decimal(rate),
                capacity=capacity,
                regions=regions,
                languages=languages,
                axes=axes,
                themes=themes,
                theme_ids=theme_ids,
            )
        _accredit(expert, staff, status, today)

    company = accounts["company"]
    if not Assignment.objects.filter(expert=demo, company=company).exists():
        assignment = services.propose_assignment(
            company=company,
            expert=demo,
            by=accounts["officer"],
            due_date=today + timedelta(days=60),
            brief="Valider l'autodiagnostic et prioriser le plan d'action numérique de l'atelier.",
            notify=False,
        )
        services.accept_assignment(assignment=assignment, by=demo_user, notify=False)
        services.start_assignment(assignment=assignment, by=demo_user, notify=False)
