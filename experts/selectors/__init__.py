"""Reads of the experts app, already scoped to what a user may see; one module per part, names re-exported here.

- the directory lists referenced experts only (accreditation referenced and valid today);
- an expert sees their own assignments; officers the assignments in their regions; a company's
  members their company's ones; staff all of them;
- a review in progress (draft) is seen by its author only; a submitted review by whoever sees the
  assignment.
Every function runs a fixed number of queries whatever the number of experts.
"""

from experts.selectors.accreditations import (
    ACCREDITATION_FILTERS,
    accreditation_history,
    current_accreditation,
    expert_for_staff,
    experts_for_staff,
)
from experts.selectors.assignments import (
    assignment_diagnostics_of_expert,
    assignment_history,
    assignments_of_expert,
    assignments_visible_to,
    companies_open_for_proposals,
    companies_seen_for_assignments,
    company_contacts,
    officer_region_ids,
    review_of,
    review_visible_to,
    submitted_reviews_for,
    visible_assignment,
)
from experts.selectors.directory import (
    DIRECTORY_LABELS_SECONDS,
    DIRECTORY_LABELS_VERSION,
    SkillLabel,
    active_assignment_count,
    axis_choices,
    axis_titles,
    directory_experts,
    directory_labels_key,
    directory_profile,
    forget_directory_labels,
    label_skills,
    profile_of,
    themes,
    with_free_places,
    with_profile,
)
from experts.selectors.matching import (
    TOP_ACTIONS,
    candidates_for,
    matching_experts_for,
    matching_inputs_for,
    matching_inputs_of,
    top_action_themes,
)

__all__ = [
    "ACCREDITATION_FILTERS",
    "DIRECTORY_LABELS_SECONDS",
    "DIRECTORY_LABELS_VERSION",
    "SkillLabel",
    "TOP_ACTIONS",
    "accreditation_history",
    "active_assignment_count",
    "assignment_diagnostics_of_expert",
    "assignment_history",
    "assignments_of_expert",
    "assignments_visible_to",
    "axis_choices",
    "axis_titles",
    "candidates_for",
    "companies_open_for_proposals",
    "companies_seen_for_assignments",
    "company_contacts",
    "current_accreditation",
    "directory_experts",
    "directory_labels_key",
    "directory_profile",
    "expert_for_staff",
    "experts_for_staff",
    "forget_directory_labels",
    "label_skills",
    "matching_experts_for",
    "matching_inputs_for",
    "matching_inputs_of",
    "officer_region_ids",
    "profile_of",
    "review_of",
    "review_visible_to",
    "submitted_reviews_for",
    "themes",
    "top_action_themes",
    "visible_assignment",
    "with_free_places",
    "with_profile",
]
