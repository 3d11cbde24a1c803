"""Who may act in the regions app. Each predicate names who may act in its docstring.

Views test the combined rules directly (`can_manage_programme.test(user, programme)`), after having
found the object through a scoped selector: an object outside the user's scope is a 404 before any
rule runs, and a rule that says no is a 403.
"""

import rules

from portal.rules import has_company, is_alliance_staff, is_company_member, is_region_officer
from portal.viewer import viewer_of


@rules.predicate
def is_officer_of_programme(user, programme):
    """Officers of the programme's region."""
    return programme is not None and viewer_of(user).is_officer_of(programme.region_id)


@rules.predicate
def is_officer_of_enrolment(user, enrolment):
    """Officers of the region of the enrolment's programme."""
    return enrolment is not None and viewer_of(user).is_officer_of(enrolment.programme.region_id)


@rules.predicate
def is_enrolment_company_member(user, enrolment):
    """Members (owner or not) of the company that applied."""
    return enrolment is not None and viewer_of(user).is_member_of(enrolment.company_id)


@rules.predicate
def is_officer_of_claim(user, claim):
    """Officers of the region of the programme the claim's enrolment belongs to."""
    return claim is not None and viewer_of(user).is_officer_of(claim.enrolment.programme.region_id)


@rules.predicate
def is_claim_company_member(user, claim):
    """Members (owner or not) of the company that made the claim."""
    return claim is not None and viewer_of(user).is_member_of(claim.enrolment.company_id)


# Create programmes (in their region for officers, anywhere for staff).
can_create_programme = is_region_officer | is_alliance_staff
# Edit, open, close a programme and see its enrolments and ledger.
can_manage_programme = is_officer_of_programme | is_alliance_staff
# Close a programme for good (releases its unspent commitments) and read its closing statement (page,
# PDF, CSV, XLSX): the officers of the programme's region, staff.
can_settle_programme = is_officer_of_programme | is_alliance_staff
can_read_closing_statement = is_officer_of_programme | is_alliance_staff
# Review, accept (commit money), refuse, start, complete an enrolment; book and cancel its expenses;
# propose an expert from it.
can_decide_enrolment = is_officer_of_enrolment | is_alliance_staff
# Withdraw an application: the company's own members.
can_withdraw_enrolment = is_enrolment_company_member
# Change an application sent back for changes, send it again, add documents to its file: the company's members.
can_edit_application = is_enrolment_company_member
# Download an application's documents: the company's members, the officers of the programme's region, staff.
can_read_application_file = is_enrolment_company_member | is_officer_of_enrolment | is_alliance_staff
# Submit a payment claim with its invoices on a funded enrolment: the company's members.
can_submit_claim = is_enrolment_company_member
# Certify or reject a payment claim, record its payment: officers of the programme's region, staff.
can_process_claim = is_officer_of_claim | is_alliance_staff
# Read a payment claim and download its invoices: the company's members, the region's officers, staff.
can_read_claim = is_claim_company_member | is_officer_of_claim | is_alliance_staff
# The list of claims to process: officers (their regions' claims) and staff (every claim).
can_view_claims_to_process = is_region_officer | is_alliance_staff
# Apply to a programme on behalf of a company: its members.
can_apply = is_company_member
# See the programmes open to one's company and one's applications.
can_view_company_programmes = has_company
# See the regional dashboard and exports (their region's data; every region's for staff).
can_view_dashboard = is_region_officer | is_alliance_staff
# Read the audit trail (their regions' entries for officers, every entry for staff).
can_view_audit_trail = is_region_officer | is_alliance_staff

rules.add_perm("regions.view_region_space", is_region_officer)
rules.add_perm("regions.view_national_space", is_alliance_staff)
rules.add_perm("regions.add_programme", can_create_programme)
rules.add_perm("regions.change_programme", can_manage_programme)
rules.add_perm("regions.decide_enrolment", can_decide_enrolment)
rules.add_perm("regions.withdraw_enrolment", can_withdraw_enrolment)
rules.add_perm("regions.apply_to_programme", can_apply)
rules.add_perm("regions.view_dashboard", can_view_dashboard)
rules.add_perm("regions.view_audit_trail", can_view_audit_trail)
