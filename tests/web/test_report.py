"""`aidtracker report`: one self-contained HTML file, a PDF, or PNG charts, over the dashboard's numbers."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidtracker import cli
from aidtracker.store import open_store
from aidtracker.web import pages
from aidtracker.web.render import full
from aidtracker.web.report import ReportError, format_for

ENV: dict[str, str | None] = {"COLUMNS": "200", "AIDTRACKER_DB": None}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli.app, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def report_html(web_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert f"wrote {out}" in run("report", "-o", str(out), "--db", web_db)
    return out.read_text(encoding="utf-8")


def test_the_html_report_is_self_contained(report_html: str) -> None:
    # nothing is loaded from anywhere: no src or stylesheet link, every script inline
    assert not re.search(r'<(script|img|link|iframe)[^>]*\s(src|href)=', report_html)
    scripts = re.findall(r"<script>(.*?)</script>", report_html, re.S)
    assert len(scripts) == 2 and "plotly.js v" in scripts[0][:300]
    # its own CSP allows exactly those scripts, by hash
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', report_html)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        assert f"'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1]


def test_the_html_report_holds_totals_claims_conflicts_and_every_commitment(report_html: str, web_db: str) -> None:
    with open_store(web_db) as store:
        snap = pages.snapshot(store)
        o = pages.overview(snap)
        clusters = snap.commitments()
        conflicts = store.conflicts()
    assert f"USD {full(o.new_usd)}" in report_html
    assert "Running totals, as claimed" in report_html
    for claim in o.claims:
        assert f'href="#{claim.cluster}"' in report_html
    for x in conflicts:
        assert f'id="{x.id}"' in report_html
    for c in clusters:
        assert f'<section class="commitment" id="{c.id}">' in report_html
    assert report_html.count('data-figure="') == 4


def test_the_html_report_escapes_article_text(report_html: str) -> None:
    body = report_html.split("<script>", 1)[0]  # the inlined chart library is ours, not article text
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body and "<script>alert" not in body


def test_pdf_and_png(web_db: str, tmp_path: Path) -> None:
    pdf = tmp_path / "out" / "aid.pdf"
    run("report", "-o", str(pdf), "--db", web_db)  # the suffix picks the format
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 10_000
    output = run("report", "--output", str(tmp_path / "charts.png"), "--format", "png", "--db", web_db)
    for name in ("timeline", "donors", "sectors", "instruments"):
        png = tmp_path / f"charts-{name}.png"
        assert png.read_bytes().startswith(b"\x89PNG") and str(png) in output


def test_formats() -> None:
    assert format_for(Path("a.html"), None) == "html"
    assert format_for(Path("a.htm"), None) == "html"
    assert format_for(Path("a"), None) == "html"
    assert format_for(Path("a.html"), "PDF") == "pdf"
    with pytest.raises(ReportError, match="choose one of html, pdf, png"):
        format_for(Path("a.docx"), None)


def test_an_unknown_format_is_one_line_and_exit_2(web_db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["report", "-o", str(tmp_path / "r.txt"), "--db", web_db], env=ENV)
    assert result.exit_code == 2
    assert "error[AT600]" in result.output and "'txt'" in result.output
