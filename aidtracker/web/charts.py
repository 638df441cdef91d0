"""Chart specifications for the overview and actor pages: plain Plotly figure dicts, no drawing.

Input: an `Overview` (or an actor's partners) and a `Links` that says where each bar leads.
Output: `{"data": [...], "layout": {...}}` dicts that `static/charts.js` hands to Plotly.js in
the browser, and that the report inlines. Each bar and point carries the URL of its evidence
in `customdata`, so a click opens the commitments behind it. Running totals are their own
trace on their own axis: drawn beside the new packages, never stacked on them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Protocol

from aidtracker.dedupe import Totals
from aidtracker.web.pages import Filters, Overview, Partner, group_filters, month_filters

Figure = dict[str, Any]

_BAR = "#2b6cb0"
_CLAIM = "#c05621"
_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12}


class Links(Protocol):
    """Where a chart's marks lead: the web app's pages, or anchors inside a report file."""

    def commitments(self, filters: Filters) -> str | None: ...

    def cluster(self, cluster_id: str) -> str | None: ...

    def actor(self, actor_id: str | None) -> str | None: ...


def _layout(**extra: Any) -> dict[str, Any]:
    # Titles are HTML headings above each chart: they wrap on a phone, Plotly's do not.
    return {
        "font": _FONT,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "height": 320,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": False,
        **extra,
    }


def _usd(value: Decimal) -> float:
    # Plotly draws floats; the exact Decimal stays in the tables and the hover text.
    return float(value)


def timeline(o: Overview, links: Links) -> Figure:
    """New packages per month (bars, USD) with running totals as points on a second axis."""
    groups = [g for g in o.months.groups if g.key != "undated"]
    bars = {
        "type": "bar",
        "name": "new packages",
        "x": [g.key for g in groups],
        "y": [_usd(g.usd) for g in groups],
        "customdata": [links.commitments(month_filters(g.key)) for g in groups],
        "hovertemplate": "%{x}: USD %{y:,.0f}<br>%{text}<extra></extra>",
        "text": [f"{len(g.packages)} package(s)" for g in groups],
        "marker": {"color": _BAR},
    }
    dated = [c for c in o.claims if c.reported is not None and c.usd is not None]
    claims = {
        "type": "scatter",
        "mode": "markers",
        "name": "running totals (never added)",
        "x": [c.reported.strftime("%Y-%m") for c in dated],
        "y": [_usd(c.usd) for c in dated],
        "yaxis": "y2",
        "customdata": [links.cluster(c.cluster) for c in dated],
        "text": [f"{c.donor}: running total, {', '.join(c.publishers)}" for c in dated],
        "hovertemplate": "%{text}<br>USD %{y:,.0f}<extra></extra>",
        "marker": {"color": _CLAIM, "size": 11, "symbol": "diamond"},
    }
    layout = _layout(
        xaxis={"type": "category", "automargin": True},
        yaxis={"title": {"text": "new packages"}, "automargin": True, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": "running totals"},
            "overlaying": "y",
            "side": "right",
            "automargin": True,
            "rangemode": "tozero",
            "showgrid": False,
        },
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
    )
    return {"data": [bars, claims] if dated else [bars], "layout": layout}


def breakdown(t: Totals, filter_of: str, links: Links, top: int = 12) -> Figure:
    """Horizontal bars of a `Totals` grouping (USD), each bar leading to its counted packages."""
    groups = [g for g in t.groups if g.usd > 0][:top]
    groups.reverse()  # Plotly draws the first category at the bottom
    labels = [g.key.replace("_", " ") for g in groups]
    urls = [links.commitments(group_filters(filter_of, g.key)) for g in groups]
    data = {
        "type": "bar",
        "orientation": "h",
        "x": [_usd(g.usd) for g in groups],
        "y": labels,
        "customdata": urls,
        "text": [f"{len(g.packages)} package(s)" for g in groups],
        "hovertemplate": "%{y}: USD %{x:,.0f}<br>%{text}<extra></extra>",
        "marker": {"color": _BAR},
    }
    height = max(180, 40 + 28 * len(groups))
    layout = _layout(height=height, yaxis={"automargin": True}, xaxis={"automargin": True})
    return {"data": [data], "layout": layout}


def network(name: str, partners: list[Partner], links: Links, top: int = 24) -> Figure:
    """The actor in the middle, its partners on a circle, a line to each (thicker for more ties)."""
    shown = partners[:top]
    n = max(len(shown), 1)
    xs, ys = [], []
    for i in range(len(shown)):
        angle = 2 * math.pi * i / n + math.pi / 2
        xs.append(round(math.cos(angle), 4))
        ys.append(round(math.sin(angle), 4))
    edges = []
    for p, x, y in zip(shown, xs, ys, strict=True):
        edges.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [0, x],
                "y": [0, y],
                "hoverinfo": "skip",
                "line": {"color": "#a0aec0", "width": min(1 + p.weight, 8)},
            }
        )
    nodes = {
        "type": "scatter",
        "mode": "markers+text",
        "x": [0, *xs],
        "y": [0, *ys],
        "text": [name, *(p.name for p in shown)],
        "textposition": ["bottom center", *("top center" for _ in shown)],
        "customdata": [None, *(links.actor(p.actor) for p in shown)],
        "hovertext": [name, *(f"{p.name}: {', '.join(p.relations)}" for p in shown)],
        "hoverinfo": "text",
        "marker": {
            "size": [22, *(10 + 2 * min(p.weight, 8) for p in shown)],
            "color": [_CLAIM, *(_BAR for _ in shown)],
        },
    }
    axis = {"visible": False, "range": [-1.6, 1.6], "fixedrange": True}
    layout = _layout(height=420, xaxis=axis, yaxis={**axis, "scaleanchor": "x"})
    return {"data": [*edges, nodes], "layout": layout}


def overview_charts(o: Overview, links: Links) -> dict[str, Figure]:
    """The four overview charts by name: timeline, sectors, instruments, donors."""
    return {
        "timeline": timeline(o, links),
        "sectors": breakdown(o.sectors, "sector", links),
        "instruments": breakdown(o.instruments, "instrument", links),
        "donors": breakdown(o.donors, "donor", links),
    }
