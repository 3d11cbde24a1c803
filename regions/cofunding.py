"""Co-funding: the aid a programme grants an application is a share of its eligible costs.

aid = funding rate (percent) × eligible costs, rounded down to the cent (public money: never a cent
above the rate), then capped by the programme's cap per company. A pure function of Decimals.
"""

from decimal import ROUND_DOWN, Decimal

from portal.money import CENT

HUNDRED = Decimal("100")


def aid_for(*, rate, eligible_cost, cap=None):
    """The aid for `eligible_cost` euros at `rate` percent (0 < rate ≤ 100), at most `cap` (None: no cap)."""
    rate, eligible_cost = Decimal(rate), Decimal(eligible_cost)
    if not (Decimal("0") < rate <= HUNDRED):
        raise ValueError(f"a funding rate is above 0 and at most 100 percent, not {rate}")
    if eligible_cost < 0:
        raise ValueError(f"eligible costs cannot be negative ({eligible_cost})")
    aid = (eligible_cost * rate / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)
    return aid if cap is None else min(aid, Decimal(cap))


def aid_asked(enrolment, programme):
    """The most an officer may commit to `enrolment`: the amount the company asked for, within the
    aid its eligible costs (when known) give at the programme's rate and cap."""
    asked = min(enrolment.requested_amount, programme.cap_per_company)
    if enrolment.eligible_cost is None:
        return asked
    return min(asked, aid_for(rate=programme.funding_rate, eligible_cost=enrolment.eligible_cost))


def plain_rate(rate):
    """A rate without its useless zeros (50.00 → 50, 12.50 → 12.5), never in exponent notation."""
    rate = Decimal(rate)
    return rate.quantize(Decimal("1")) if rate == rate.to_integral_value() else rate.normalize()
