"""The seven technology priorities of the Industrie du Futur offer, in French and English.

Referential files name them by code. Loaded by a data migration; loading again updates the texts
without duplicating rows.
"""

THEMES = [
    (
        "digital-iot",
        "Numérisation, virtualisation et Internet des objets",
        "Digitalisation, virtualisation and the Internet of Things",
        "Systèmes d'information, jumeaux numériques, simulation, capteurs et objets connectés, données de production.",
        "Information systems, digital twins, simulation, sensors and connected objects, production data.",
    ),
    (
        "people-cobotics-ar",
        "L'humain dans l'usine, cobotique et réalité augmentée",
        "People in the factory, cobotics and augmented reality",
        "Ergonomie, robots collaboratifs, exosquelettes, réalité augmentée et virtuelle au service des opérateurs.",
        "Ergonomics, collaborative robots, exoskeletons, augmented and virtual reality that support operators.",
    ),
    (
        "additive-manufacturing",
        "Fabrication additive",
        "Additive manufacturing",
        "Impression 3D de prototypes, d'outillages et de pièces, polymères et métaux.",
        "3D printing of prototypes, tooling and parts, in polymers and metals.",
    ),
    (
        "monitoring-control",
        "Surveillance et contrôle",
        "Monitoring and control",
        "Contrôle qualité en ligne, vision, métrologie, maintenance prédictive, pilotage des procédés.",
        "In-line quality control, machine vision, metrology, predictive maintenance, process control.",
    ),
    (
        "composites-materials-assembly",
        "Composites, nouveaux matériaux et assemblage",
        "Composites, new materials and assembly",
        "Matériaux composites et innovants, procédés d'assemblage multi-matériaux.",
        "Composite and innovative materials, multi-material assembly processes.",
    ),
    (
        "automation-robotics",
        "Automatisation et robotique",
        "Automation and robotics",
        "Automatisation des postes et des flux, robots industriels, manutention automatisée.",
        "Automation of workstations and flows, industrial robots, automated handling.",
    ),
    (
        "energy-efficiency",
        "Efficacité énergétique",
        "Energy efficiency",
        "Mesure et réduction des consommations, récupération de chaleur, énergies décarbonées.",
        "Measuring and reducing consumption, heat recovery, low-carbon energy.",
    ),
]


def load_technology_themes(apps):
    """Create or update the seven themes; `apps` is a migration's app registry or the live one."""
    TechnologyTheme = apps.get_model("diagnostics", "TechnologyTheme")
    for order, (code, name_fr, name_en, description_fr, description_en) in enumerate(THEMES, start=1):
        TechnologyTheme.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": description_fr,
                "description_en": description_en,
            },
        )
