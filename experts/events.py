"""Domain events of the experts app, for the apps above it (experts never imports them).

`visit_logged` is sent once the transaction that logged a visit has committed, with `visit_id`:
the regions app books the visit's cost on the company's enrolment from it. Receivers should be quick
(enqueue a task) and idempotent; the visit carries its cost (days × the day rate in force).

    from experts.events import visit_logged

    @receiver(visit_logged)
    def book_visit(sender, visit_id, **kwargs): ...
"""

from django.dispatch import Signal

visit_logged = Signal()

# The version (`portal.cache_versions`) of the submitted expert reviews: each submit bumps it, and what
# is computed from every review (the national view's calibration gap) is cached under it.
SUBMITTED_REVIEWS_VERSION = "experts:submitted_reviews"
