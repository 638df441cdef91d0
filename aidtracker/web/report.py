"""`aidtracker report`: the overview, totals, running totals, conflicts and every commitment, in one file.

Input: a store. Output, by format:
- `html`: one self-contained page (CSS, Plotly.js, chart data inlined) that opens offline; its
  own Content-Security-Policy allows exactly the inlined scripts, by hash.
- `pdf`: the same page rendered by WeasyPrint with matplotlib charts as SVG; nothing is fetched
  (only `data:` URLs are allowed).
- `png`: the four charts as PNG files beside the output name (`report-timeline.png`, ...).

The numbers come from the dashboard's own `pages` functions, so the file and the dashboard agree.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aidtracker.errors import ExportError
from aidtracker.records import Mention
from aidtracker.store import Store
from aidtracker.web import charts, pages, vendor
from aidtracker.web.render import ReportLinks, render, trusted

FORMATS = ("html", "pdf", "png")
STATIC = Path(__file__).parent / "static"


class ReportError(ExportError):
    """A report that cannot be written: an unknown format, or PDF rendering missing its libraries."""


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, read from the store once."""

    overview: pages.Overview
    rows: list[pages.Row]
    evidence: dict[str, list[Mention]]  # cluster id -> its stored mentions
    conflicts: list[pages.ConflictView]
    generated: datetime
    database: str


def build_report(store: Store, *, now: Callable[[], datetime] | None = None) -> ReportData:
    """Read what the report shows: the overview's numbers, every commitment and its mentions, conflicts."""
    snap = pages.snapshot(store)
    rows = pages.commitments(snap, pages.Filters()).rows
    evidence = {r.cluster.id: [snap.mentions[m] for m in r.cluster.members if m in snap.mentions] for r in rows}
    return ReportData(
        overview=pages.overview(snap),
        rows=rows,
        evidence=evidence,
        conflicts=pages.conflicts(store, snap),
        generated=(now or (lambda: datetime.now(UTC)))(),
        database=store.url,
    )


def format_for(output: Path, fmt: str | None) -> str:
    """The format asked for, else the one the output's suffix names, else HTML."""
    chosen = (fmt or output.suffix.lstrip(".") or "html").lower()
    if chosen == "htm":
        chosen = "html"
    if chosen not in FORMATS:
        raise ReportError(f"cannot write a {chosen!r} report; choose one of {', '.join(FORMATS)}")
    return chosen


def write_report(store: Store, output: Path, fmt: str | None = None) -> list[Path]:
    """Write the report to `output` in `fmt` (see `format_for`); return the files written."""
    chosen = format_for(output, fmt)
    data = build_report(store)
    output.parent.mkdir(parents=True, exist_ok=True)
    if chosen == "html":
        output.write_text(render_html(data), encoding="utf-8")
        return [output]
    if chosen == "pdf":
        output.write_bytes(render_pdf(data))
        return [output]
    return write_pngs(data, output)


# ------------------------------------------------------------------------------------- HTML


def _script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _inline_script(text: str) -> str:
    """A script that is safe to put between <script> tags (ours or the chart library's, never article text)."""
    if "</script" in text.lower() or "<!--" in text:
        raise ReportError("a script to inline contains '</script' or '<!--'; it cannot be inlined safely")
    return text


def render_html(data: ReportData, *, static_figures: dict[str, str] | None = None) -> str:
    """The report as one HTML page; with `static_figures` (name -> data: URL) it has no scripts at all."""
    css = (STATIC / "style.css").read_text(encoding="utf-8") + (STATIC / "report.css").read_text(encoding="utf-8")
    scripts: list[str] = []
    if static_figures is None:
        scripts = [
            _inline_script(vendor.plotly_js().read_text(encoding="utf-8")),
            _inline_script((STATIC / "charts.js").read_text(encoding="utf-8")),
        ]
    csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    if scripts:
        csp += "; script-src " + " ".join(_script_hash(s) for s in scripts)
    links = ReportLinks()
    return render(
        "report.html",
        d=data,
        o=data.overview,
        links=links,
        figures=charts.overview_charts(data.overview, links),
        static_figures=static_figures,
        css=trusted(css),
        scripts=[trusted(s) for s in scripts],
        csp=csp,
    )


# -------------------------------------------------------------------------------------- PDF


def _svg_data_urls(data: ReportData) -> dict[str, str]:
    from aidtracker.web.figures import overview_figures

    urls = {}
    for name, fig in overview_figures(data.overview, titled=False).items():
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg")
        urls[name] = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return urls


def render_pdf(data: ReportData) -> bytes:
    """The report as a PDF (WeasyPrint), charts drawn by matplotlib; fetches nothing from anywhere."""
    try:
        import weasyprint
    except OSError as exc:  # WeasyPrint needs the Pango library from the operating system
        raise ReportError(f"PDF output needs WeasyPrint's system libraries (Pango): {exc}") from exc
    html = render_html(data, static_figures=_svg_data_urls(data))
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    if not isinstance(pdf, bytes):
        raise ReportError("WeasyPrint returned no PDF")
    return pdf


# -------------------------------------------------------------------------------------- PNG


def write_pngs(data: ReportData, output: Path) -> list[Path]:
    """Each overview chart as a PNG beside `output`: `<stem>-timeline.png`, `-donors`, `-sectors`, `-instruments`."""
    from aidtracker.web.figures import overview_figures

    written = []
    for name, fig in overview_figures(data.overview).items():
        path = output.with_name(f"{output.stem}-{name}.png")
        fig.savefig(path, format="png", dpi=150)
        written.append(path)
    return written


__all__ = ["FORMATS", "ReportData", "ReportError", "build_report", "format_for", "write_report"]
