"""Who may apply to a programme, with the reasons when a company may not. Pure: it takes the rows
already read (the selectors load them in a fixed number of queries) and returns translated reasons."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from regions.models import Programme


@dataclass(frozen=True)
class Eligibility:
    reasons: list = field(default_factory=list)

    @property
    def eligible(self):
        return not self.reasons

    def __bool__(self):
        return self.eligible


def eligibility(programme, company, *, latest_diagnostic, has_live_enrolment, naf_codes=None, today=None):
    """Why `company` may not apply to `programme` (an empty list when it may).

    `latest_diagnostic`: the company's latest submitted diagnostic or None; `has_live_enrolment`: the
    company already has a live application to this programme; `naf_codes`: the codes of the
    programme's eligible NAF sections and divisions (read from the programme when not given);
    `company.naf_division.section` should be loaded.
    """
    today = today or timezone.localdate()
    reasons = []
    if programme.status != Programme.Status.OPEN:
        reasons.append(_("This programme is not open to applications."))
    elif today < programme.start_date:
        reasons.append(_("Applications open on %(date)s.") % {"date": date_format(programme.start_date)})
    elif today > programme.end_date:
        reasons.append(_("The programme ended on %(date)s.") % {"date": date_format(programme.end_date)})
    if company.region_id != programme.region_id:
        reasons.append(_("This programme is for companies located in its region."))
    bands = programme.eligible_headcount_bands or []
    if bands and company.headcount_band not in bands:
        reasons.append(
            _("Reserved for companies of %(bands)s; yours: %(band)s.")
            % {
                "bands": ", ".join(str(label) for label in programme.eligible_band_labels),
                "band": company.get_headcount_band_display(),
            }
        )
    if naf_codes is None:
        naf_codes = {naf.code for naf in programme.eligible_naf_codes.all()}
    if naf_codes:
        division = company.naf_division
        company_codes = {division.code, division.section.code if division.section_id else ""}
        if not company_codes & set(naf_codes):
            reasons.append(
                _("Reserved for the sectors (NAF) %(codes)s; your company's division is %(code)s.")
                % {"codes": ", ".join(sorted(naf_codes)), "code": division.code}
            )
    if programme.requires_submitted_diagnostic and latest_diagnostic is None:
        reasons.append(_("A submitted self-diagnostic is required."))
    if programme.max_overall_level is not None:
        if latest_diagnostic is None or latest_diagnostic.overall_score is None:
            if not programme.requires_submitted_diagnostic:
                reasons.append(_("A submitted self-diagnostic is needed to check the maturity level."))
        elif latest_diagnostic.overall_score > programme.max_overall_level:
            reasons.append(
                _(
                    "Reserved for companies with an overall maturity of at most %(max)s; your latest diagnostic scores %(score)s."
                )
                % {
                    "max": number_format(programme.max_overall_level, decimal_pos=2),
                    "score": number_format(latest_diagnostic.overall_score, decimal_pos=2),
                }
            )
    if has_live_enrolment:
        reasons.append(_("Your company has already applied to this programme."))
    return Eligibility(reasons)
