"""The overview's charts drawn with matplotlib, for PNG files and the PDF report (no browser needed).

Input: an `Overview`. Output: matplotlib `Figure`s, made with the object API (no pyplot, so no
global state and no display), which `report` saves as PNG or embeds as SVG. They show what the
interactive charts show: new packages summed once, running totals as separate markers.
"""

from __future__ import annotations

from decimal import Decimal

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from aidtracker.dedupe import Totals
from aidtracker.web.pages import Overview
from aidtracker.web.render import short

_BAR = "#2b6cb0"
_CLAIM = "#c05621"


def _money_axis(value: float, _pos: object) -> str:
    return short(Decimal(str(value))) if value else "0"


def _empty(fig: Figure, title: str) -> Figure:
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontsize=11)
    ax.text(0.5, 0.5, "No priced new packages", ha="center", va="center", color="#5a6474")
    return fig


def timeline(o: Overview, *, titled: bool = True) -> Figure:
    """Bars of new packages per month; running totals as diamonds on a second axis."""
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    title = "New packages by month (USD); ◆ running totals claimed, never added" if titled else ""
    groups = [g for g in o.months.groups if g.key != "undated"]
    if not groups:
        return _empty(fig, title)
    ax = fig.subplots()
    keys = [g.key for g in groups]
    ax.bar(keys, [float(g.usd) for g in groups], color=_BAR)
    ax.yaxis.set_major_formatter(FuncFormatter(_money_axis))
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    claims = [c for c in o.claims if c.reported and c.usd is not None and c.reported.strftime("%Y-%m") in keys]
    if claims:
        right = ax.twinx()
        right.scatter(
            [c.reported.strftime("%Y-%m") for c in claims], [float(c.usd) for c in claims], marker="D", color=_CLAIM
        )
        right.yaxis.set_major_formatter(FuncFormatter(_money_axis))
        right.set_ylim(bottom=0)
        right.set_ylabel("running totals", color=_CLAIM)
        right.spines[["top"]].set_visible(False)
    return fig


def breakdown(t: Totals, title: str = "", top: int = 12) -> Figure:
    """Horizontal bars of one grouping of the totals, largest on top."""
    groups = [g for g in t.groups if g.usd > 0][:top]
    fig = Figure(figsize=(8, max(1.8, 0.5 + 0.35 * len(groups))), layout="constrained")
    if not groups:
        return _empty(fig, title)
    ax = fig.subplots()
    groups.reverse()
    ax.barh([g.key.replace("_", " ") for g in groups], [float(g.usd) for g in groups], color=_BAR)
    ax.xaxis.set_major_formatter(FuncFormatter(_money_axis))
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def overview_figures(o: Overview, *, titled: bool = True) -> dict[str, Figure]:
    """The overview's four charts by name, as in `charts.overview_charts`; untitled where a page heads them."""
    titles = {
        "donors": "Top donors: new packages (USD)",
        "sectors": "New packages by sector (USD; a package in several sectors counts in each)",
        "instruments": "New packages by instrument (USD)",
    }
    t = titles if titled else dict.fromkeys(titles, "")
    return {
        "timeline": timeline(o, titled=titled),
        "donors": breakdown(o.donors, t["donors"]),
        "sectors": breakdown(o.sectors, t["sectors"]),
        "instruments": breakdown(o.instruments, t["instruments"]),
    }
