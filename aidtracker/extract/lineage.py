"""Package lineage inside one article: which figure is a part of which.

Input: an article's commitments in text order. Output: a map from a part's index to its
package's index. News states containment three ways: a part introduced by "including" or
"of which"; a package whose parts follow ("The package includes £3 million …, £17 million …");
and a total that an earlier figure is added into ("Together with this additional assistance,
… a total of $4.5 billion"). Totals use these links so a package and its parts are never both
counted; the cue words are data (`vocab/<lang>/cues.yml`).
"""

from __future__ import annotations

from decimal import Decimal

from aidtracker.extract.context import DocContext
from aidtracker.records import Commitment
from aidtracker.types import Scope

_NEARBY = 800  # characters: a total gathers figures from the last few sentences, not the whole article


def _value(c: Commitment) -> Decimal | None:
    if c.usd is not None:
        return c.usd.usd
    return c.amount


def _larger(a: Commitment, b: Commitment) -> bool:
    va, vb = _value(a), _value(b)
    if va is None or vb is None or (a.usd is None) != (b.usd is None):
        return a.currency == b.currency and a.amount is not None and b.amount is not None and a.amount > b.amount
    return va > vb


def containment(ctx: DocContext, items: list[Commitment]) -> dict[int, int]:
    """part index -> package index, for the figures of one article in text order."""
    cues = ctx.cues
    parent: dict[int, int] = {}
    for k, c in enumerate(items):
        if c.money is None or c.figure is None:
            continue
        start = c.evidence.span.start
        before = c.evidence.text[: c.figure.start - start]
        if cues.part_of_re.search(before):
            # The whole is stated earlier in the sentence ("... including X"), or just before it ("Of this, X").
            same = [j for j in range(k) if items[j].evidence.span == c.evidence.span and items[j].money is not None]
            before_it = [
                j for j in range(k) if items[j].money is not None and start - items[j].evidence.span.start < _NEARBY
            ]
            whole = same or before_it
            if whole and _larger(items[whole[-1]], c):
                parent[k] = whole[-1]
                continue
        listed = [j for j in range(k) if items[j].evidence.span == c.evidence.span and items[j].money is not None]
        if listed and listed[-1] in parent and items[listed[-1]].donor == c.donor:
            # "Of this, €20 million for air defence and €10 million for schools": the list goes on.
            package = parent[listed[-1]]
            if _larger(items[package], c):
                parent[k] = package
                continue
        contains = cues.contains_re.search(before)
        if contains:
            cue_at = start + contains.start()
            packages = [
                j
                for j in range(k)
                if items[j].figure is not None
                and items[j].figure.end <= cue_at  # type: ignore[union-attr]
                and items[j].scope is Scope.NEW
                and items[j].money is not None
                and j not in parent
                and _larger(items[j], c)
            ]
            if packages:
                parent[k] = packages[-1]
                continue
        if cues.total_re.search(before):
            for j in range(k):
                earlier = items[j]
                if (
                    j not in parent
                    and earlier.money is not None
                    and earlier.donor == c.donor
                    and earlier.scope is Scope.NEW
                    and start - earlier.evidence.span.start < _NEARBY
                    and _larger(c, earlier)
                ):
                    parent[j] = k
    return parent
