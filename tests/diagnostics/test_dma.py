"""The EU DMA crosswalk and scoring: the questionnaire's items, the crosswalk file, worked examples."""

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnostics.dma import crosswalk, model, scoring
from diagnostics.dma.model import ITEMS, Kind

SHIPPED_REFERENTIAL = Path(__file__).resolve().parents[2] / "diagnostics" / "referentials" / "industrie-du-futur.yaml"

# The item columns of the EU tool's CSV for SMEs, in order, as MarkusFrBoden/masterproject writes them
# (src/components/functions/createCSVdownload.ts, SME branch).
EU_CSV_ITEM_COLUMNS = [
    "product_service_design_m2_1_1",
    "project_planning_and_management_m2_1_1",
    "operations_production_of_physical_goods_m2_1_1",
    "collaboration_with_other_companies_m2_1_1",
    "inbound_logistics_warehousing_m2_1_1",
    "marketing_sales_customer_management_m2_1_1",
    "delivery_outbound_logistics_m2_1_1",
    "administration_and_human_resources_m2_1_1",
    "purchasing_and_procurement_m2_1_1",
    "cyber_security_m2_1_1",
    "digitalisation_needs_are_identified_m2_1_2",
    "financial_resources_m2_1_2",
    "it_infrastructures_m2_1_2",
    "ict_specialists_m2_1_2",
    "enterprise_s_management_m2_1_2",
    "concerned_business_departments_m2_1_2",
    "business_architecture_m2_1_2",
    "manufactured_products_m2_1_2",
    "clients_and_partners_satisfaction_m2_1_2",
    "risks_of_digitalisation_m2_1_2",
    "connectivity_infrastructure_m2_2_3",
    "enterprise_s_website_m2_2_3",
    "web_based_forms_and_blogs_m2_2_3",
    "live_chats_social_networks_m2_2_3",
    "e_commerce_sales_m2_2_3",
    "e_marketing_promotion_m2_2_3",
    "e_government_online_interaction_m2_2_3",
    "remote_business_collaboration_m2_2_3",
    "internal_web_portal_intranet_m2_2_3",
    "information_management_systems_m2_2_3",
    "following_advanced_digital_technologies_m2_2_4__simulation_and_digital_twins_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__virtual_reality_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__computer_aided_design_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__manufacturing_execution_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__internet_of_things_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__blockchain_technology_m2_2_4",
    "following_advanced_digital_technologies_m2_2_4__additive_manufacturing_m2_2_4",
    "performs_staff_skill_m2_3_5",
    "designs_a_training_plan_m2_3_5",
    "organises_short_trainings_m2_3_5",
    "facilitates_learning_m2_3_5",
    "offers_traineeships_m2_3_5",
    "sponsors_staff_participation_m2_3_5",
    "makes_use_of_subsidised_training_m2_3_5",
    "facilitates_staff_awareness_m2_3_6",
    "communicates_digitalisation_m2_3_6",
    "monitors_staff_acceptance_m2_3_6",
    "involves_staff_including_m2_3_6",
    "gives_staff_more_autonomy_m2_3_6",
    "redesigns_adapts_jobs_m2_3_6",
    "sets_up_more_flexible_working_m2_3_6",
    "puts_at_staff_disposal_m2_3_6",
    "the_organisation_has_in_place_m2_4_7",
    "data_is_not_collected_digitally_m2_4_7",
    "relevant_data_m2_4_7",
    "data_is_properly_integrated_m2_4_7",
    "data_is_accessible_m2_4_7",
    "collected_data_m2_4_7",
    "data_analytics_enriched_m2_4_7",
    "data_analytics_accessible_m2_4_7",
    "enterprise_data_security_policy_m2_4_8",
    "all_client_related_data_m2_4_8",
    "staff_is_regularly_informed_m2_4_8",
    "cyber_threats_egularly_monitored_m2_4_8",
    "full_backup_copy_of_critical_business_data_m2_4_8",
    "business_continuity_plan_m2_4_8",
    "automation_and_artificial_intelligence_likert_m2_5_9__natural_language_process_m2_5_9",
    "automation_and_artificial_intelligence_likert_m2_5_9__computer_vision_m2_5_9",
    "automation_and_artificial_intelligence_likert_m2_5_9__audio_processing_m2_5_9",
    "automation_and_artificial_intelligence_likert_m2_5_9__robotics_and_autonomous_devices_m2_5_9",
    "automation_and_artificial_intelligence_likert_m2_5_9__business_intelligence_m2_5_9",
    "sustainable_business_model_m2_6_10",
    "sustainable_service_provision_m2_6_10",
    "sustainable_products_m2_6_10",
    "sustainable_production_m2_6_10",
    "emissions_pollution_m2_6_10",
    "sustainable_energy_generation_m2_6_10",
    "optimisation_of_raw_material_consumption_m2_6_10",
    "reduction_of_transport_and_packaging_costs_m2_6_10",
    "digital_applications_m2_6_10",
    "paperless_administrative_processes_m2_6_10",
    "green_digitalisation_2_likert_m2_6_11__environmental_concerns_m2_6_11",
    "green_digitalisation_2_likert_m2_6_11__environmental_management_m2_6_11",
    "green_digitalisation_2_likert_m2_6_11__environmental_aspects_m2_6_11",
    "green_digitalisation_2_likert_m2_6_11__energy_consumption_m2_6_11",
    "green_digitalisation_2_likert_m2_6_11__recycling_reuse_m2_6_11",
]


def shipped_crosswalk(version=None):
    """The crosswalk of the shipped file's version (or of `version`)."""
    version = version or yaml.safe_load(SHIPPED_REFERENTIAL.read_text(encoding="utf-8"))["version"]
    return crosswalk.crosswalk_for("industrie-du-futur", version)


def test_the_previous_version_keeps_its_crosswalk_with_the_same_rules():
    previous, current = shipped_crosswalk("2026.1"), shipped_crosswalk()
    assert previous.referential_version == "2026.1" and current.referential_version == "2026.2"
    assert previous.rules == current.rules


def all_items(kind_values):
    """Item values with every item of a kind set to the kind's value."""
    return {code: kind_values[item.kind] for code, item in ITEMS.items()}


NOTHING = {Kind.DUAL: (False, False), Kind.CHECKBOX: False, Kind.NEGATIVE: False, Kind.SCALE: 0, Kind.TRISTATE: 0}
EVERYTHING = {Kind.DUAL: (True, False), Kind.CHECKBOX: True, Kind.NEGATIVE: False, Kind.SCALE: 5, Kind.TRISTATE: 2}


# --- the questionnaire and the CSV's columns ---------------------------------------------------


def test_the_csv_columns_are_the_eu_tools_in_its_order():
    assert list(model.CSV_COLUMNS) == [
        "time_point",
        "maturity_assessment_date",
        "enterprise_name_edih",
        "fiscal_registration_number_vat",
        *EU_CSV_ITEM_COLUMNS,
    ]


def test_the_questionnaire_has_the_specified_shape():
    counts = {question.code: len(question.items) for question in model.QUESTIONS}
    assert counts == {
        "Q1": 10,
        "Q2": 10,
        "Q3": 10,
        "Q4": 7,
        "Q5": 7,
        "Q6": 8,
        "Q7": 8,
        "Q8": 6,
        "Q9": 5,
        "Q10": 10,
        "Q11": 5,
    }
    assert [question.dimension for question in model.QUESTIONS] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6]


# --- the crosswalk file ------------------------------------------------------------------------


def test_the_shipped_crosswalk_gives_every_item_a_rule():
    assert set(shipped_crosswalk().rules) == set(ITEMS)


def test_every_question_the_crosswalk_reads_exists_in_its_referential_version():
    document = yaml.safe_load(SHIPPED_REFERENTIAL.read_text(encoding="utf-8"))
    codes = {question["code"] for axis in document["axes"] for question in axis["questions"]}
    assert document["version"] == shipped_crosswalk().referential_version
    assert shipped_crosswalk().questions <= codes


def test_every_unmapped_item_says_why_in_both_languages():
    unmapped = [rule for rule in shipped_crosswalk().rules.values() if rule.question is None]
    assert len(unmapped) == 5
    assert all(rule.reason["fr"] and rule.reason["en"] for rule in unmapped)


def test_the_crosswalk_states_its_limits_in_both_languages():
    limits = shipped_crosswalk().limits
    assert "not asked" in limits["en"] and "pas posées" in limits["fr"]


def test_a_version_without_a_crosswalk_has_none():
    assert crosswalk.crosswalk_for("industrie-du-futur", "1999.1") is None


def _document(**items):
    rules = {
        code: {"question": "X-1", **({"from": 1} if item.kind == Kind.CHECKBOX else {})} for code, item in ITEMS.items()
    }
    for code, item in ITEMS.items():
        rules[code] = {
            Kind.DUAL: {"question": "X-1", "already_from": 3, "plan_from": 2},
            Kind.CHECKBOX: {"question": "X-1", "from": 1},
            Kind.NEGATIVE: {"question": "X-1", "below": 1},
            Kind.SCALE: {"question": "X-1", "offset": 0},
            Kind.TRISTATE: {"question": "X-1", "partial_from": 1, "yes_from": 3},
        }[item.kind]
    rules.update(items)
    return {
        "crosswalk": "t",
        "version": "1",
        "referential": {"code": "r", "version": "1"},
        "limits": {},
        "items": rules,
    }


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"not_an_item_m2_9_9": {"question": "X-1", "from": 1}}, "not an item"),
        ({"financial_resources_m2_1_2": {"question": "X-1", "from": 6}}, "0 to 5"),
        ({"financial_resources_m2_1_2": {"question": "X-1", "below": 1}}, "takes from"),
        ({"cyber_security_m2_1_1": {"question": "X-1", "already_from": 2, "plan_from": 3}}, "plan_from"),
        ({"financial_resources_m2_1_2": {"question": None}}, "reason"),
    ],
)
def test_a_malformed_crosswalk_is_refused_naming_the_item(items, message):
    with pytest.raises(crosswalk.CrosswalkError, match=message):
        crosswalk.parse(_document(**items))


def test_a_crosswalk_missing_an_item_is_refused():
    document = _document()
    del document["items"][model.QUESTIONS[-1].items[-1].code]
    with pytest.raises(crosswalk.CrosswalkError, match="without a rule"):
        crosswalk.parse(document)


# --- deriving the items from our levels ----------------------------------------------------------


def test_a_dual_row_is_already_from_its_threshold_and_planned_just_below():
    rule = shipped_crosswalk().rules["product_service_design_m2_1_1"]  # OFFER-2: already from 3, planned from 2
    assert [rule.value(level) for level in (1, 2, 3)] == [(False, False), (False, True), (True, False)]


def test_an_unanswered_or_not_applicable_question_claims_nothing():
    values = crosswalk.derive(shipped_crosswalk(), {"OFFER-2": None})
    assert values["product_service_design_m2_1_1"] == (False, False)
    assert values["following_advanced_digital_technologies_m2_2_4__additive_manufacturing_m2_2_4"] == 0


def test_data_not_collected_digitally_clears_the_other_data_boxes():
    levels = dict.fromkeys(shipped_crosswalk().questions, 5) | {"DIGIT-2": 0}
    values = crosswalk.derive(shipped_crosswalk(), levels)
    q7 = next(question for question in model.QUESTIONS if question.code == "Q7")
    assert values["data_is_not_collected_digitally_m2_4_7"] is True
    assert [values[item.code] for item in q7.items if item.kind != Kind.NEGATIVE] == [False] * 7


def test_the_csv_writes_items_as_the_eu_tool():
    assert crosswalk.csv_value(Kind.DUAL, (True, False)) == "1|0"
    assert crosswalk.csv_value(Kind.DUAL, (False, True)) == "0|1"
    assert crosswalk.csv_value(Kind.CHECKBOX, True) == 1
    assert [crosswalk.csv_value(Kind.SCALE, step) for step in range(6)] == [0, 2, 4, 6, 8, 10]
    assert [crosswalk.csv_value(Kind.TRISTATE, state) for state in range(3)] == [0, 5, 10]


# --- scoring: worked examples ----------------------------------------------------------------------


def test_worked_example_of_the_scoring_rules():
    """docs/dma-crosswalk.md, "Worked example": the figures by hand, reproduced exactly."""
    values = all_items(NOTHING)
    q = {question.code: question.items for question in model.QUESTIONS}
    for item in q["Q1"][:4]:
        values[item.code] = (True, False)  # 4 rows already invested
    for item in q["Q1"][4:6]:
        values[item.code] = (False, True)  # 2 rows planned
    for item in q["Q2"][:6]:
        values[item.code] = True
    for item in q["Q3"][:5]:
        values[item.code] = True
    for item, step in zip(q["Q4"], [5, 3, 0, 2, 4, 0, 1], strict=True):
        values[item.code] = step
    for item in q["Q5"][:3]:
        values[item.code] = True
    for item in q["Q6"][:4]:
        values[item.code] = True
    for item in [q["Q7"][0], *q["Q7"][2:6]]:  # 5 of the 7 boxes other than "not collected digitally"
        values[item.code] = True
    for item in q["Q8"][:3]:
        values[item.code] = True
    for item, step in zip(q["Q9"], [0, 2, 0, 5, 3], strict=True):
        values[item.code] = step
    for item in q["Q10"][:2]:
        values[item.code] = True
    for item, state in zip(q["Q11"], [2, 1, 0, 1, 2], strict=True):
        values[item.code] = state

    score = scoring.dma_scores(values)

    assert score.questions["Q1"] == 5  # (4 × 1 + 2 × 0.5) / 10 × 10
    assert score.questions["Q4"] == Fraction(30, 7)  # 15 / (7 × 5) × 10
    assert score.questions["Q7"] == Fraction(50, 7)  # 5 of 7
    assert score.questions["Q11"] == 6  # (1 + 0.5 + 0 + 0.5 + 1) / 5 × 10
    assert [str(score.dimension(n)) for n in range(1, 7)] == ["55.0", "46.4", "46.4", "60.7", "40.0", "40.0"]
    assert score.overall == 48  # 288.57… / 6 = 48.10
    assert score.band == "average"


def test_worked_example_through_the_crosswalk_every_question_at_level_3():
    """docs/dma-crosswalk.md: a company at level 3 everywhere."""
    levels = dict.fromkeys(shipped_crosswalk().questions, 3)
    score = scoring.dma_scores(crosswalk.derive(shipped_crosswalk(), levels))
    assert score.questions["Q1"] == Fraction(17, 2)  # 8 rows already, 1 planned, 1 neither
    assert score.questions["Q2"] == 9
    assert [str(score.dimension(n)) for n in range(1, 7)] == ["87.5", "56.4", "73.2", "54.8", "28.0", "65.0"]
    assert (score.overall, score.band) == (61, "moderately_advanced")


def test_the_ceilings_of_the_crosswalk_are_the_documented_ones():
    """docs/dma-crosswalk.md, "Limits": level 5 everywhere cannot reach 100 on dimensions 2, 3 and 5."""
    score = scoring.dma_scores(crosswalk.derive(shipped_crosswalk(), dict.fromkeys(shipped_crosswalk().questions, 5)))
    assert [str(score.dimension(n)) for n in range(1, 7)] == ["100.0", "83.6", "86.6", "100.0", "56.0", "100.0"]
    assert score.overall == 88


def test_a_row_already_invested_and_also_planned_counts_once():
    """The specification's rule (already 1, planned 0.5, already wins), not the sum of both columns."""
    values = all_items(NOTHING)
    values[model.QUESTIONS[0].items[0].code] = (True, True)
    assert scoring.dma_scores(values).questions["Q1"] == 1


def test_nothing_claimed_scores_zero_and_everything_scores_one_hundred():
    assert scoring.dma_scores(all_items(NOTHING)).overall == 0
    full = scoring.dma_scores(all_items(EVERYTHING))
    assert full.overall == 100 and set(full.dimensions.values()) == {100}
    assert full.band == "advanced"


@pytest.mark.parametrize(
    ("overall", "band"),
    [
        (0, "basic"),
        (25, "basic"),
        (Fraction(2501, 100), "average"),
        (Fraction(51, 2), "average"),
        (50, "average"),
        (Fraction(5001, 100), "moderately_advanced"),
        (75, "moderately_advanced"),
        (Fraction(151, 2), "advanced"),
        (100, "advanced"),
    ],
)
def test_bands_follow_the_specification_on_the_unrounded_score(overall, band):
    assert scoring.band_of(overall) == band


@settings(deadline=None)  # each example scores a whole diagnostic: slow on a busy machine, not wrong
@given(
    st.dictionaries(
        st.sampled_from(
            sorted({"DIGIT-1", "DIGIT-2", "DIGIT-3", "DIGIT-5", "OFFER-5", "PEOPLE-5", "TECH-1", "ENERGY-1"})
        ),
        st.integers(0, 5),
    ),
    st.sampled_from(["DIGIT-1", "DIGIT-2", "DIGIT-3", "OFFER-5", "TECH-1", "ENERGY-1"]),
)
def test_raising_one_level_never_lowers_a_dimension(levels, raised):
    walk = shipped_crosswalk()
    base = dict.fromkeys(walk.questions, 2) | levels
    before = scoring.dma_scores(crosswalk.derive(walk, base))
    after = scoring.dma_scores(crosswalk.derive(walk, base | {raised: min(5, base[raised] + 1)}))
    assert all(after.dimensions[n] >= before.dimensions[n] for n in before.dimensions)
    assert all(0 <= value <= 100 for value in after.dimensions.values())
