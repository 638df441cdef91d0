"""Templates and formatting shared by the dashboard and the report: one Jinja2 environment.

Autoescaping is always on (article text, titles and names are untrusted), undefined names are
errors rather than blanks, and amounts are formatted from `Decimal` here only. `WebLinks` and
`ReportLinks` say where a number leads: a dashboard page, or an anchor inside the report file.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from aidtracker.web.pages import Filters, group_filters, safe_link
from aidtracker.web.vendor import style_element_ids

_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


def short(value: object) -> str:
    """An amount as a headline shows it: "4.84 bn", "37 m", "950,000"; "—" when there is none."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    for scale, unit in _SCALES:
        if abs(amount) >= scale:
            scaled = (amount / scale).quantize(Decimal("0.01")).normalize()
            return f"{scaled:f} {unit}"
    return f"{amount.quantize(Decimal(1)):,}"


def full(value: object) -> str:
    """An amount with every digit and thousands separators, for tables and tooltips."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return f"{amount.normalize():,f}" if amount != amount.to_integral() else f"{amount.to_integral():,}"


def day(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else "—"


def label(value: object) -> str:
    """A vocabulary value for people: "food_security" reads "food security"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(label(v) for v in value) or "—"
    return str(value).replace("_", " ")


def figure_json(figure: dict[str, Any]) -> str:
    """A chart as the JSON a `data-figure` attribute carries (autoescape makes it attribute-safe)."""
    return json.dumps(figure, separators=(",", ":"), default=str)


class WebLinks:
    """Links between the dashboard's own pages."""

    def cluster(self, cluster_id: str) -> str | None:
        return f"/commitments/{quote(cluster_id)}"

    def document(self, doc_id: str, anchor: str | None = None, url: str | None = None) -> str | None:
        return f"/documents/{quote(doc_id)}" + (f"#{quote(anchor)}" if anchor else "")

    def commitments(self, filters: Filters | None = None) -> str | None:
        query = filters.query() if filters else ""
        return "/commitments" + (f"?{query}" if query else "")

    def actor(self, actor_id: str | None) -> str | None:
        return f"/actors/{quote(actor_id)}" if actor_id else None

    def page(self, name: str, **params: str) -> str:
        return f"/{name}" + (f"?{urlencode(params)}" if params else "")


class ReportLinks:
    """Links inside a self-contained report: to its own sections, or out to a source's web address."""

    def cluster(self, cluster_id: str) -> str | None:
        return f"#{quote(cluster_id)}"

    def document(self, doc_id: str, anchor: str | None = None, url: str | None = None) -> str | None:
        return safe_link(url)

    def commitments(self, filters: Filters | None = None) -> str | None:
        return "#commitments"

    def actor(self, actor_id: str | None) -> str | None:
        return None

    def page(self, name: str, **params: str) -> str:
        return f"#{name}"


@cache
def environment() -> Environment:
    """The one template environment (cached: templates compile once per process)."""
    env = Environment(
        loader=PackageLoader("aidtracker.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(short=short, full=full, day=day, label=label, figure_json=figure_json)
    env.globals.update(Filters=Filters, group_filters=group_filters, plotly_style_ids=style_element_ids)
    return env


def render(template: str, **context: Any) -> str:
    """Render a template of `aidtracker/web/templates` with autoescaping on."""
    return environment().get_template(template).render(**context)


def trusted(text: str) -> Markup:
    """Our own files (CSS, the chart library) for inlining into the report; never article text."""
    return Markup(text)
