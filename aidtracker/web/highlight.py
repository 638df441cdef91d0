"""A document's stored text as HTML: escaped, furniture greyed, each fact's evidence in a <mark>.

Input: the text and the spans to show (furniture, evidence, figures). Output: one `Markup`
string that nests correctly whatever the spans do — evidence spans often coincide (several
facts from one sentence) or cross (a headline fact overlapping a body sentence), so crossing
elements are closed and reopened around each other. Only the first piece of a span carries its
`id`, so `#fact_id` anchors land on the first character of the evidence.

The text is untrusted: every character of it goes through `markupsafe.escape`, and the only
markup in the result is the elements this module writes, with escaped attribute values.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Highlight:
    """One span to wrap: `tag` with `classes`, an optional `id` (first piece only) and a tooltip."""

    start: int
    end: int
    tag: str = "mark"
    classes: tuple[str, ...] = ()
    id: str | None = None
    title: str | None = None
    data: tuple[tuple[str, str], ...] = field(default=())
    layer: int = 0  # of two equal spans, the higher layer goes inside, where its colour shows

    def open(self, *, first: bool) -> str:
        attrs = []
        if first and self.id:
            attrs.append(f'id="{escape(self.id)}"')
        classes = [*self.classes, *([] if first else ["cont"])]
        if classes:
            attrs.append(f'class="{escape(" ".join(classes))}"')
        if self.title:
            attrs.append(f'title="{escape(self.title)}"')
        attrs += [f'data-{escape(k)}="{escape(v)}"' for k, v in self.data]
        return f"<{self.tag}{' ' if attrs else ''}{' '.join(attrs)}>"

    def close(self) -> str:
        return f"</{self.tag}>"


_TAGS = {"mark", "span", "strong"}


def highlight(text: str, spans: list[Highlight]) -> Markup:
    """`text` escaped, with every span wrapped in its element; empty and out-of-range spans dropped."""
    n = len(text)
    live = [s for s in spans if 0 <= s.start < s.end <= n]
    for s in live:
        if s.tag not in _TAGS:
            raise ValueError(f"cannot highlight with <{s.tag}>")
    cuts = sorted({0, n, *(s.start for s in live), *(s.end for s in live)})
    # Open the spans that last longest first, so that a sentence holds its figure and not the
    # other way round, and fewer elements need closing and reopening later.
    order = {id(s): i for i, s in enumerate(sorted(live, key=lambda s: (-s.end, s.start, s.layer)))}
    stack: list[Highlight] = []
    opened: set[int] = set()
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        active = [s for s in live if s.start <= a and b <= s.end]
        wanted = {id(s) for s in active}
        # Close down to the lowest element that must end here, then reopen what still goes on.
        keep = 0
        while keep < len(stack) and id(stack[keep]) in wanted:
            keep += 1
        for s in reversed(stack[keep:]):
            out.append(s.close())
        del stack[keep:]
        on_stack = {id(s) for s in stack}
        todo = sorted((s for s in active if id(s) not in on_stack), key=lambda s: order[id(s)])
        for s in todo:
            out.append(s.open(first=id(s) not in opened))
            opened.add(id(s))
            stack.append(s)
        out.append(str(escape(text[a:b])))
    for s in reversed(stack):
        out.append(s.close())
    return Markup("".join(out))
