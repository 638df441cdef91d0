"""Untrusted text made safe to show: what the store keeps verbatim, shown so it cannot mislead.

Stored texts and reviewers' comments keep every character they came with — evidence must be
what the source said. But printed as is, a right-to-left override (U+202E) reverses what
follows it, so "$5 million" can display as something else entirely, and an escape character
can rewrite the terminal. On the way to a screen, such characters are replaced by a visible
marker naming them, `⟨U+202E⟩`; line breaks and tabs are kept.
"""

from __future__ import annotations

# Explicit directional embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# C0 and C1 control characters (and DEL) other than the tab and the line break.
CONTROLS = frozenset(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n")

_TABLE = {ord(ch): f"⟨U+{ord(ch):04X}⟩" for ch in BIDI_CONTROLS | CONTROLS}


def for_terminal(text: str) -> str:
    """`text` with bidi controls and control characters replaced by visible `⟨U+XXXX⟩` markers."""
    return text.translate(_TABLE)


def is_safe(text: str) -> bool:
    """True if `for_terminal` would leave `text` as it is."""
    return not any(ch in BIDI_CONTROLS or ch in CONTROLS for ch in text)
