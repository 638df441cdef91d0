"""The chart library's files, taken from the installed `plotly` package: never from a CDN.

`plotly.min.js` ships inside the `plotly` Python package. Plotly.js normally injects its own
style rules into a `<style>` element, which a Content-Security-Policy without
'unsafe-inline' styles forbids; so `plotly_css` lifts those rules out of the bundle into a
stylesheet we serve ourselves, and the pages link it under the id Plotly.js looks for
(`plotly.js-style-global`, class `no-inline-styles`), which tells it not to inject them.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# The rules object starts with this selector ("X" stands for the plot's root selector).
_FIRST_RULE = '"X,X div"'
_ENTRY = re.compile(r"""(["'])((?:\\.|(?!\1).)*)\1\s*:\s*(["'])((?:\\.|(?!\3).)*)\3""", re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
# Bundled map styles go in by a `<style>` with a fixed id, unless an element with that id exists.
_STYLE_ELEMENT = re.compile(r'getElementById\("([\w-]+)"\)\)\{var \w+=document\.createElement\("style"\)')


def plotly_js() -> Path:
    """The Plotly.js bundle of the installed `plotly` package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_version() -> str:
    """The Plotly.js version named in the bundle's banner ("unknown" if it has none)."""
    with plotly_js().open(encoding="utf-8") as f:
        head = f.read(200)
    found = re.search(r"plotly\.js v([\w.\-]+)", head)
    return found.group(1) if found else "unknown"


@cache
def plotly_css() -> str:
    """Plotly.js's own style rules as a stylesheet ("" if this bundle does not hold them as expected)."""
    source = plotly_js().read_text(encoding="utf-8")
    start = source.find(_FIRST_RULE)
    if start < 0:
        return ""
    end = _object_end(source, start)
    rules = []
    for m in _ENTRY.finditer(source, start, end):
        selector = _ESCAPE.sub(r"\1", m.group(2))
        body = _ESCAPE.sub(r"\1", m.group(4))
        # As Plotly.js itself does: X is the plot, Y the notifier, a leading comma gets a space.
        selector = re.sub(r"^,", " ,", selector).replace("X", ".js-plotly-plot .plotly")
        rules.append(f"{selector.replace('Y', '.plotly-notifier')} {{{body}}}")
    banner = f"/* Plotly.js {plotly_version()} style rules, from the plotly package's bundle */"
    return "\n".join([banner, *rules]) + "\n"


@cache
def style_element_ids() -> tuple[str, ...]:
    """Ids of the `<style>` elements the bundle would inject on load (map styles we never use).

    A page that already holds an element with such an id stops the injection, and with it a
    CSP violation report on every page load.
    """
    return tuple(dict.fromkeys(_STYLE_ELEMENT.findall(plotly_js().read_text(encoding="utf-8"))))


def _object_end(source: str, start: int) -> int:
    """The index of the `}` closing the object literal whose first key is at `start`."""
    quote: str | None = None
    i = start
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "}":
            return i
        i += 1
    return len(source)
