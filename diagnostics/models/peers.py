"""The peer cells: per (referential code, NAF division, headcount band, region) counts and sums of the
companies' latest submitted diagnostics, kept up to date by the submit itself (diagnostics.peer_cells)."""

from django.db import models
from django.db.models import Q

OVERALL = ""  # the axis of a cell's overall row (axis codes are never empty)


class PeerCell(models.Model):
    """One cell's figure on one axis (or overall): how many companies scored it and the sum of their scores.

    Changed only by F() updates in the submit's transaction (and by the company-profile receiver), or
    rebuilt from the diagnostics by `rebuild_peer_cells`; a row may fall to 0 companies and stay.
    """

    referential_code = models.CharField(max_length=40)
    division = models.CharField(max_length=5)
    section = models.CharField(max_length=5)
    band = models.CharField(max_length=10)
    region = models.CharField(max_length=2)
    axis = models.CharField(max_length=40, blank=True)
    companies = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referential_code", "division", "band", "region", "axis"], name="one_peer_cell_per_axis"
            ),
            models.CheckConstraint(condition=Q(companies__gte=0), name="peer_cell_companies_not_negative"),
        ]

    def __str__(self):
        return f"{self.referential_code} {self.division}/{self.band}/{self.region} {self.axis or '*'}: {self.companies}"


class PeerPublication(models.Model):
    """What of one referential code's peer cells may be published, as the last refresh decided
    (`diagnostics.peer_publication.refresh_peer_publication`): the groups it published are its
    `groups`. Written by the refresh only; read by a page when the cache has no entry for its groups,
    so that a cleared or evicted cache costs a lookup, not the decision over every cell."""

    referential_code = models.CharField(max_length=40, unique=True)
    generation = models.CharField(max_length=12)  # the cache entries' generation written with it
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.referential_code} ({self.computed_at:%Y-%m-%d %H:%M})"


class PublishedPeerGroup(models.Model):
    """One published peer group's figures: its companies, overall mean and the means of the axes that
    may be published within it. A group absent from its publication is not published."""

    publication = models.ForeignKey(PeerPublication, on_delete=models.CASCADE, related_name="groups")
    rung = models.CharField(max_length=30)
    sector = models.CharField(max_length=5)  # NAF division or section, "*" for the whole industry
    region = models.CharField(max_length=2)  # "*" for all France
    band = models.CharField(max_length=10)  # "*" for every size
    companies = models.IntegerField()
    overall = models.DecimalField(max_digits=5, decimal_places=2)
    axes = models.JSONField(default=dict)  # axis code -> mean, as a string ("2.45")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "rung", "sector", "region", "band"], name="one_published_peer_group"
            )
        ]

    def __str__(self):
        return f"{self.rung} {self.sector}/{self.region}/{self.band}: {self.companies}"
