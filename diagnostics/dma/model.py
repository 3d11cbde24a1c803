"""The DMA questionnaire for SMEs, as the EU tool's CSV lays it out.

Column names are the item codes the open implementation MarkusFrBoden/masterproject writes in its
CSV export for SMEs (`src/components/functions/createCSVdownload.ts`): `<item>_m2_<dimension>_<question>`,
and for the rows of a scale question `<question name>_m2_<d>_<q>__<item>_m2_<d>_<q>`. Their spelling
is kept as written there (including `cyber_threats_egularly_monitored`), since a hub's tool reads
them by name. The question kinds and counts follow the specification of hassanzouhar/dmsa
(`_arch/docs/spec.md` §3.1).
"""

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    DUAL = "dual"  # two boxes per row: already invested / plans to invest (CSV "1|0")
    CHECKBOX = "checkbox"  # one box per item (CSV 1 or 0)
    NEGATIVE = "negative"  # an exclusive "none of these" box of a checkbox question (CSV 1 or 0)
    SCALE = "scale"  # one of six steps 0..5 per row (CSV 0, 2, 4, 6, 8 or 10)
    TRISTATE = "tristate"  # no / partly / yes per row (CSV 0, 5 or 10)


@dataclass(frozen=True)
class Item:
    code: str  # the CSV column
    kind: Kind
    question: str  # "Q1".."Q11"


@dataclass(frozen=True)
class Question:
    code: str
    dimension: int
    kind: Kind
    items: tuple


@dataclass(frozen=True)
class Dimension:
    number: int
    code: str
    name_fr: str
    name_en: str


DIMENSIONS = (
    Dimension(1, "digital_business_strategy", "Stratégie numérique de l'entreprise", "Digital business strategy"),
    Dimension(2, "digital_readiness", "Préparation numérique", "Digital readiness"),
    Dimension(3, "human_centric_digitalisation", "Numérisation centrée sur l'humain", "Human-centric digitalisation"),
    Dimension(4, "data_management", "Gestion et sécurité des données", "Data management"),
    Dimension(
        5, "automation_and_ai", "Automatisation et intelligence artificielle", "Automation and artificial intelligence"
    ),
    Dimension(6, "green_digitalisation", "Numérisation verte", "Green digitalisation"),
)


def _question(code, dimension, number, kind, names, prefix=None, negative=()):
    suffix = f"m2_{dimension}_{number}"
    items = []
    for name in names:
        column = f"{prefix}_{suffix}__{name}_{suffix}" if prefix else f"{name}_{suffix}"
        items.append(Item(code=column, kind=Kind.NEGATIVE if name in negative else kind, question=code))
    return Question(code=code, dimension=dimension, kind=kind, items=tuple(items))


QUESTIONS = (
    _question(
        "Q1",
        1,
        1,
        Kind.DUAL,
        [
            "product_service_design",
            "project_planning_and_management",
            "operations_production_of_physical_goods",
            "collaboration_with_other_companies",
            "inbound_logistics_warehousing",
            "marketing_sales_customer_management",
            "delivery_outbound_logistics",
            "administration_and_human_resources",
            "purchasing_and_procurement",
            "cyber_security",
        ],
    ),
    _question(
        "Q2",
        1,
        2,
        Kind.CHECKBOX,
        [
            "digitalisation_needs_are_identified",
            "financial_resources",
            "it_infrastructures",
            "ict_specialists",
            "enterprise_s_management",
            "concerned_business_departments",
            "business_architecture",
            "manufactured_products",
            "clients_and_partners_satisfaction",
            "risks_of_digitalisation",
        ],
    ),
    _question(
        "Q3",
        2,
        3,
        Kind.CHECKBOX,
        [
            "connectivity_infrastructure",
            "enterprise_s_website",
            "web_based_forms_and_blogs",
            "live_chats_social_networks",
            "e_commerce_sales",
            "e_marketing_promotion",
            "e_government_online_interaction",
            "remote_business_collaboration",
            "internal_web_portal_intranet",
            "information_management_systems",
        ],
    ),
    _question(
        "Q4",
        2,
        4,
        Kind.SCALE,
        [
            "simulation_and_digital_twins",
            "virtual_reality",
            "computer_aided_design",
            "manufacturing_execution",
            "internet_of_things",
            "blockchain_technology",
            "additive_manufacturing",
        ],
        prefix="following_advanced_digital_technologies",
    ),
    _question(
        "Q5",
        3,
        5,
        Kind.CHECKBOX,
        [
            "performs_staff_skill",
            "designs_a_training_plan",
            "organises_short_trainings",
            "facilitates_learning",
            "offers_traineeships",
            "sponsors_staff_participation",
            "makes_use_of_subsidised_training",
        ],
    ),
    _question(
        "Q6",
        3,
        6,
        Kind.CHECKBOX,
        [
            "facilitates_staff_awareness",
            "communicates_digitalisation",
            "monitors_staff_acceptance",
            "involves_staff_including",
            "gives_staff_more_autonomy",
            "redesigns_adapts_jobs",
            "sets_up_more_flexible_working",
            "puts_at_staff_disposal",
        ],
    ),
    _question(
        "Q7",
        4,
        7,
        Kind.CHECKBOX,
        [
            "the_organisation_has_in_place",
            "data_is_not_collected_digitally",
            "relevant_data",
            "data_is_properly_integrated",
            "data_is_accessible",
            "collected_data",
            "data_analytics_enriched",
            "data_analytics_accessible",
        ],
        negative={"data_is_not_collected_digitally"},
    ),
    _question(
        "Q8",
        4,
        8,
        Kind.CHECKBOX,
        [
            "enterprise_data_security_policy",
            "all_client_related_data",
            "staff_is_regularly_informed",
            "cyber_threats_egularly_monitored",
            "full_backup_copy_of_critical_business_data",
            "business_continuity_plan",
        ],
    ),
    _question(
        "Q9",
        5,
        9,
        Kind.SCALE,
        [
            "natural_language_process",
            "computer_vision",
            "audio_processing",
            "robotics_and_autonomous_devices",
            "business_intelligence",
        ],
        prefix="automation_and_artificial_intelligence_likert",
    ),
    _question(
        "Q10",
        6,
        10,
        Kind.CHECKBOX,
        [
            "sustainable_business_model",
            "sustainable_service_provision",
            "sustainable_products",
            "sustainable_production",
            "emissions_pollution",
            "sustainable_energy_generation",
            "optimisation_of_raw_material_consumption",
            "reduction_of_transport_and_packaging_costs",
            "digital_applications",
            "paperless_administrative_processes",
        ],
    ),
    _question(
        "Q11",
        6,
        11,
        Kind.TRISTATE,
        [
            "environmental_concerns",
            "environmental_management",
            "environmental_aspects",
            "energy_consumption",
            "recycling_reuse",
        ],
        prefix="green_digitalisation_2_likert",
    ),
)

ITEMS = {item.code: item for question in QUESTIONS for item in question.items}

# The CSV's first columns, before the items (the same file for T0, T1 and T2 rows).
LEADING_COLUMNS = ("time_point", "maturity_assessment_date", "enterprise_name_edih", "fiscal_registration_number_vat")
CSV_COLUMNS = (*LEADING_COLUMNS, *ITEMS)
