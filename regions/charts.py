"""Inline SVG charts of the dashboard, computed in Python from the aggregates (no JavaScript, no CDN):
the burn chart (budget, committed and spent over time) and the tile map of the 18 regions."""

from dataclasses import dataclass

# A tile map: each region on a grid cell roughly where it lies (metropolitan France, then overseas).
REGION_TILES = {
    "32": (2, 0, "HDF"),
    "53": (0, 1, "BRE"),
    "28": (1, 1, "NOR"),
    "11": (2, 1, "IDF"),
    "44": (3, 1, "GES"),
    "52": (1, 2, "PDL"),
    "24": (2, 2, "CVL"),
    "27": (3, 2, "BFC"),
    "75": (1, 3, "NAQ"),
    "84": (2, 3, "ARA"),
    "93": (3, 3, "PAC"),
    "76": (2, 4, "OCC"),
    "94": (4, 4, "COR"),
    "01": (0, 6, "GUA"),
    "02": (1, 6, "MTQ"),
    "03": (2, 6, "GUF"),
    "04": (3, 6, "REU"),
    "06": (4, 6, "MAY"),
}
TILE, GAP = 64, 6
BLUES = ["#f1f1fb", "#cacafb", "#9a9aff", "#6a6af4", "#000091"]


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    size: int
    short: str
    name: str
    fill: str
    text_fill: str
    budget_use: int
    enrolled: int


def region_tiles(regions):
    """Tiles for `dashboard._regions_map` rows, shaded by budget use (committed / budget)."""
    tiles = []
    for region in regions:
        col, row, short = REGION_TILES.get(region.code, (5, 6, region.code))
        shade = min(len(BLUES) - 1, region.budget_use * len(BLUES) // 101) if region.budget else 0
        tiles.append(
            Tile(
                x=col * (TILE + GAP),
                y=row * (TILE + GAP),
                size=TILE,
                short=short,
                name=str(region),
                fill=BLUES[shade],
                text_fill="#ffffff" if shade >= 3 else "#161616",
                budget_use=region.budget_use,
                enrolled=region.enrolled,
            )
        )
    return tiles


MAP_WIDTH = 5 * (TILE + GAP)
MAP_HEIGHT = 7 * (TILE + GAP)


@dataclass(frozen=True)
class BurnChart:
    width: int
    height: int
    pad: int
    budget: str
    committed: str
    spent: str
    markers: list  # {"key", "x", "y"}: a dot on each month of each line, visible even with one month
    labels: list
    max_label: str
    points: list


SERIES = ("budget", "committed", "spent")


def burn_chart(points, *, width=640, height=220, pad=36):
    """Polylines of cumulative budget, committed and spent per month (points from `dashboard._burn`),
    with a dot on each month. One month of data is drawn in the middle of the chart, its levels as
    lines across the whole width, so that a single point still reads as a chart."""
    if not points:
        return None
    top = max(max(p["budget"], p["committed"], p["spent"]) for p in points) or 1
    n = len(points)
    step = (width - 2 * pad) / max(1, n - 1)

    def x_of(index):
        return width / 2 if n == 1 else pad + index * step

    def y_of(value):
        return height - pad - float(value) / float(top) * (height - 2 * pad)

    def line(key):
        if n == 1:
            y = y_of(points[0][key])
            return f"{pad:.1f},{y:.1f} {width - pad:.1f},{y:.1f}"
        return " ".join(f"{x_of(index):.1f},{y_of(point[key]):.1f}" for index, point in enumerate(points))

    markers = [
        {"key": key, "x": round(x_of(index), 1), "y": round(y_of(point[key]), 1)}
        for index, point in enumerate(points)
        for key in SERIES
        if n <= 24  # beyond two years the dots would merge into the lines
    ]
    labels = [
        {"x": round(x_of(index), 1), "text": point["month"].strftime("%m/%Y")}
        for index, point in enumerate(points)
        if n <= 12 or index % max(1, n // 12) == 0
    ]
    return BurnChart(
        width=width,
        height=height,
        pad=pad,
        budget=line("budget"),
        committed=line("committed"),
        spent=line("spent"),
        markers=markers,
        labels=labels,
        max_label=top,
        points=points,
    )
