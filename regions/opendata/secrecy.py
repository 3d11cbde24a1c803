"""Statistical secrecy of the open-data tables, within a release and between two releases.

A table is a total (France) split into disjoint cells (regions, NAF sections, size bands). Each
figure is computed from the contributions of the companies behind it (a score, a gain, amounts of
money). The rules, those of the peer benchmark (diagnostics.benchmark) and INSEE's:

1. a figure needs at least `MIN_COMPANIES` companies;
2. sums of money: no company may weigh more than `DOMINANCE` of a published sum;
3. the hidden cells together (total minus the published cells, which anyone can compute) hold 0 or
   at least `MIN_COMPANIES` companies and pass rule 2; published cells are hidden, smallest first,
   until they do;
4. between two releases, subtracting a figure from its previous value must not isolate a few
   companies: a table is refreshed only when, in every cell, the companies whose contribution
   changed (arrived, left, or changed value) number 0 or at least `MIN_COMPANIES`, when a cell that
   did not change keeps its status (published or hidden), and when the hidden companies differ from
   the previous release's by 0 or at least `MIN_COMPANIES`. Otherwise the table keeps its previous
   figures (with their date) until enough has changed.

Pure: contributions in ({cell: {company id: contribution}}), decisions out.
"""

from dataclasses import dataclass, field

MIN_COMPANIES = 5
DOMINANCE = 0.85


@dataclass(frozen=True)
class TableDecision:
    """What a table publishes: the cells shown, whether the total is shown, and from which population."""

    cells: dict  # cell -> {company id: contribution}, the population the figures are computed from
    published: frozenset  # cells whose figure is shown
    total_published: bool
    refreshed: bool  # False: the previous release's figures are kept


def _dominant(contributions, money):
    """Whether one company weighs more than DOMINANCE of a sum (each measure of `money`)."""
    if not money or not contributions:
        return False
    for measure in range(len(next(iter(contributions.values())))):
        values = [float(contribution[measure]) for contribution in contributions.values()]
        total = sum(values)
        if total > 0 and max(values) > DOMINANCE * total:
            return True
    return False


def _publishable(contributions, money):
    return len(contributions) >= MIN_COMPANIES and not _dominant(contributions, money)


def _merged(cells, keys):
    merged = {}
    for key in keys:
        merged.update(cells.get(key, {}))
    return merged


def _remainder_ok(cells, hidden, money):
    remainder = _merged(cells, hidden)
    return not remainder or _publishable(remainder, money)


def decide(cells, *, money, fixed=None):
    """The cells to publish for `cells`, or None when the rules cannot be met with the statuses `fixed`
    ({cell: published?}, for cells that must keep their status). Smallest cells are hidden first."""
    fixed = fixed or {}
    total = _merged(cells, cells)
    if not _publishable(total, money):
        return frozenset(), False
    published = {key for key, contributions in cells.items() if fixed.get(key, _publishable(contributions, money))}
    changeable = sorted((key for key in published if key not in fixed), key=lambda key: (len(cells[key]), key))
    while not _remainder_ok(cells, set(cells) - published, money):
        if not changeable:
            return None
        published.discard(changeable.pop(0))
    return frozenset(published), True


def changed_companies(before, after):
    """Companies that arrived, left, or whose contribution changed."""
    return {company for company in set(before) | set(after) if before.get(company) != after.get(company)}


def _hidden(cells, published):
    return _merged(cells, set(cells) - set(published))


def decide_release(cells, *, money, previous=None):
    """The table's decision for this release given the previous one (a TableDecision, or None)."""
    if previous is None:
        published, total = decide(cells, money=money)
        return TableDecision(cells=cells, published=published, total_published=total, refreshed=True)
    keys = set(cells) | set(previous.cells)
    changes = {key: changed_companies(previous.cells.get(key, {}), cells.get(key, {})) for key in keys}
    sizes = [len(changed) for changed in changes.values()]
    kept = TableDecision(
        cells=previous.cells, published=previous.published, total_published=previous.total_published, refreshed=False
    )
    if not any(sizes) or any(0 < size < MIN_COMPANIES for size in sizes):
        return kept
    fixed = {key: key in previous.published for key in keys if not changes[key] and key in cells}
    decided = decide(cells, money=money, fixed=fixed)
    if decided is None:
        return kept
    published, total = decided
    moved = changed_companies(_hidden(previous.cells, previous.published), _hidden(cells, published))
    if 0 < len(moved) < MIN_COMPANIES:
        return kept
    return TableDecision(cells=cells, published=published, total_published=total, refreshed=True)


@dataclass
class TableState:
    """A table's decision as stored between releases (JSON-ready: company ids and contributions as text)."""

    cells: dict = field(default_factory=dict)
    published: list = field(default_factory=list)
    total_published: bool = False

    @classmethod
    def of(cls, decision):
        return cls(
            cells={
                key: {str(company): list(value) for company, value in members.items()}
                for key, members in decision.cells.items()
            },
            published=sorted(decision.published),
            total_published=decision.total_published,
        )

    def decision(self):
        return TableDecision(
            cells={
                key: {company: tuple(value) for company, value in members.items()}
                for key, members in self.cells.items()
            },
            published=frozenset(self.published),
            total_published=self.total_published,
            refreshed=False,
        )
