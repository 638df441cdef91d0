"""Dedupe stage, compare step: do two mentions state the same real-world fact? A score and reasons.

Input: two `Mention`s of the same kind from different documents. Output: a `Judgement` whose
`reasons` say, in words a reviewer can check, what agreed and what did not (the explanation
`aidtracker explain` prints). The rules are those an analyst uses: the same donor, amounts
equal within rounding or given in another currency, compatible purpose and channel, reported
within a plausible window; a figure-less mention joins the priced one whose purpose it names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from aidtracker.extract.actors import gazetteer
from aidtracker.records import Agreement, Commitment, Event, Judgement, Mention
from aidtracker.types import Scope
from aidtracker.vocab import load_yaml

SAME = 0.5  # a judgement at or above this joins two mentions
WINDOW_DAYS = 365  # the same package is rarely reported again more than a year apart
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "for",
    "to",
    "and",
    "in",
    "on",
    "with",
    "its",
    "their",
    "provide",
    "support",
    "help",
    "ukraine",
    "ukrainian",
    "aid",
    "assistance",
    "new",
    "further",
    "additional",
    "package",
    "funding",
    "fund",
}


@lru_cache(maxsize=4)
def _synonyms(lang: str) -> list[tuple[re.Pattern[str], str]]:
    data: dict[str, list[str]] = load_yaml("synonyms", lang)
    out = []
    for folded, words in data.items():
        for w in sorted(words, key=len, reverse=True):
            out.append((re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.IGNORECASE), folded))
    out.sort(key=lambda p: -len(p[0].pattern))
    return out


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ions", "ion", "ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str | None, lang: str = "en") -> frozenset[str]:
    """The words that say what something is for, folded through synonyms and crude stems.

    Remembered per text: resolution compares each mention with many others, and running the
    synonym patterns again for every pair was most of its time.
    """
    if not text:
        return frozenset()
    return _content_words(text, lang)


@lru_cache(maxsize=1 << 16)
def _content_words(text: str, lang: str) -> frozenset[str]:
    folded = text.lower()
    for pattern, canon in _synonyms(lang):
        folded = pattern.sub(f" {canon} ", folded)
    words = re.findall(r"[a-z][a-z-]+", folded)
    return frozenset(_stem(w) for w in words if w not in _STOP and len(w) > 2)


@lru_cache(maxsize=1 << 14)
def fold(name: str) -> str:
    """A name without accents, case or punctuation, for comparing spellings (remembered per name)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


@lru_cache(maxsize=1 << 14)
def canonical_donor(name: str | None) -> str:
    """A donor through the actor registry ("EIB" is "European Investment Bank"), "and others" kept apart.

    Remembered per name, as the gazetteer it reads is built once per process.
    """
    lead = (name or "").removesuffix(" and others").strip()
    actor = gazetteer().lookup(lead)
    return actor.donor if actor else lead


@dataclass(frozen=True, slots=True)
class _Amount:
    value: Decimal
    currency: str


def stated_amounts(c: Commitment) -> list[_Amount]:
    """The amounts a commitment states: its own and the equivalents given with it (blocking walks the same)."""
    out = []
    if c.amount is not None and c.currency:
        out.append(_Amount(c.amount, c.currency))
    out.extend(_Amount(e.amount, e.currency) for e in c.equivalents if e.currency)
    return out


def _close(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def reported_on(m: Mention) -> date | None:
    """The date a mention's fact is placed at: its own stated date, else its document's."""
    fact = m.fact
    return getattr(fact, "date", None) or m.published


def within_window(a: Mention, b: Mention) -> bool:
    """Reported within `WINDOW_DAYS` of each other, or either undated: every comparison refuses the rest."""
    da, db = reported_on(a), reported_on(b)
    return da is None or db is None or abs((da - db).days) <= WINDOW_DAYS


def described_words(c: Commitment) -> frozenset[str]:
    """What a priced commitment says it pays for, as content words: where a figure-less item is looked for."""
    return content_words(" ".join(filter(None, [c.purpose, c.item, c.evidence.text])))


def compare_commitments(a: Mention, b: Mention) -> Judgement:
    """Whether two commitment mentions from different documents are one commitment."""
    ca, cb = a.fact, b.fact
    assert isinstance(ca, Commitment) and isinstance(cb, Commitment)
    reasons: list[str] = []

    def no(reason: str) -> Judgement:
        return Judgement(a.id, b.id, False, 0.0, (reason,))

    if canonical_donor(ca.donor) != canonical_donor(cb.donor):
        return no(f"different donors ({ca.donor} / {cb.donor})")
    reasons.append(f"same donor ({canonical_donor(ca.donor)})")
    if ca.scope is not cb.scope:
        return no(f"one is a {ca.scope.value} figure, the other {cb.scope.value}")
    if not within_window(a, b):
        return no(f"reported more than {WINDOW_DAYS} days apart")
    score = 0.0
    if ca.amount is not None and cb.amount is not None:
        hedged = bool((ca.money and ca.money.qualifier) or (cb.money and cb.money.qualifier))
        tolerance = Decimal("0.03") if hedged else Decimal("0.011")
        same_currency = [(x, y) for x in stated_amounts(ca) for y in stated_amounts(cb) if x.currency == y.currency]
        if any(_close(x.value, y.value, tolerance) for x, y in same_currency):
            x, y = next((x, y) for x, y in same_currency if _close(x.value, y.value, tolerance))
            score += 0.6
            reasons.append(f"amounts agree within rounding ({x.currency} {x.value:,.0f} / {y.value:,.0f})")
        elif ca.usd and cb.usd and _close(ca.usd.usd, cb.usd.usd, Decimal("0.05")):
            score += 0.45
            reasons.append(f"amounts agree in USD (${ca.usd.usd:,.0f} / ${cb.usd.usd:,.0f})")
        else:
            return no(f"amounts differ ({ca.currency} {ca.amount:,.0f} / {cb.currency} {cb.amount:,.0f})")
        if ca.scope is Scope.CUMULATIVE and not any(
            _close(x.value, y.value, Decimal("0.011")) for x, y in same_currency
        ):
            return no("running totals that differ are different claims")
    elif ca.amount is None and cb.amount is None:
        wa, wb = content_words(ca.item), content_words(cb.item)
        if not wa or not wb or not (wa & wb):
            return no(f"different items ({ca.item} / {cb.item})")
        if ca.quantity is not None and cb.quantity is not None and ca.quantity != cb.quantity:
            return no(f"different counts ({ca.quantity} / {cb.quantity})")
        score += 0.55
        reasons.append(f"the same item ({ca.item} / {cb.item})")
    else:
        # A figure-less delivery joins the priced commitment whose purpose names it.
        item, priced = (ca, cb) if ca.amount is None else (cb, ca)
        wi = content_words(item.item)
        wp = described_words(priced)
        if not wi or len(wi & wp) * 3 < len(wi) * 2:
            return no(f"the item ({item.item}) is not what the priced commitment is for")
        score += 0.5
        reasons.append(f"the item ({item.item}) is what the priced commitment pays for")
    if ca.channel and cb.channel and fold(ca.channel) != fold(cb.channel):
        score -= 0.1
        reasons.append(f"channels differ ({ca.channel} / {cb.channel})")
    if set(ca.sectors) & set(cb.sectors):
        score += 0.1
        reasons.append("shared sectors (" + ", ".join(sorted(s.value for s in set(ca.sectors) & set(cb.sectors))) + ")")
    if ca.date and cb.date and ca.date != cb.date:
        score -= 0.15
        reasons.append(f"stated on different dates ({ca.date} / {cb.date})")
    return Judgement(a.id, b.id, score >= SAME, round(score, 3), tuple(reasons))


def _names_overlap(a: str | None, b: str | None) -> float:
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def compare_events(a: Mention, b: Mention) -> Judgement:
    """Whether two event mentions are one event: same type and day, or a matching name or place."""
    ea, eb = a.fact, b.fact
    assert isinstance(ea, Event) and isinstance(eb, Event)
    if ea.event_type is not eb.event_type:
        return Judgement(a.id, b.id, False, 0.0, (f"different kinds of event ({ea.event_type} / {eb.event_type})",))
    reasons = [f"both {ea.event_type.value}s"]
    score = 0.2
    if ea.date and eb.date:
        if ea.date != eb.date:
            return Judgement(a.id, b.id, False, 0.0, (f"different dates ({ea.date} / {eb.date})",))
        score += 0.4
        reasons.append(f"same date ({ea.date})")
    elif not within_window(a, b):
        return Judgement(a.id, b.id, False, 0.0, ("reported too far apart",))
    overlap = _names_overlap(ea.name, eb.name)
    if overlap >= 0.5:
        score += 0.2
        reasons.append("similar names")
    people = {fold(p) for p in ea.participants} & {fold(p) for p in eb.participants}
    if people:
        score += 0.2
        reasons.append("shared participants (" + ", ".join(sorted(people)) + ")")
    if ea.location and eb.location and _names_overlap(ea.location, eb.location) >= 0.5:
        score += 0.15
        reasons.append(f"same place ({ea.location})")
    return Judgement(a.id, b.id, score >= SAME + 0.1, round(score, 3), tuple(reasons))


def compare_agreements(a: Mention, b: Mention) -> Judgement:
    """Whether two agreement mentions are one agreement: same type, the same parties, compatible counts."""
    ga, gb = a.fact, b.fact
    assert isinstance(ga, Agreement) and isinstance(gb, Agreement)
    if ga.agreement_type is not gb.agreement_type:
        return Judgement(a.id, b.id, False, 0.0, ("different kinds of agreement",))
    if ga.count is not None and gb.count is not None and ga.count != gb.count:
        return Judgement(a.id, b.id, False, 0.0, (f"different counts ({ga.count} / {gb.count})",))
    if not within_window(a, b):
        return Judgement(a.id, b.id, False, 0.0, ("reported too far apart",))
    pa, pb = {canonical_donor(p) for p in ga.parties}, {canonical_donor(p) for p in gb.parties}
    if not pa or pa != pb:
        return Judgement(a.id, b.id, False, 0.0, ("different parties",))
    reasons = [f"same kind ({ga.agreement_type.value}) between the same parties ({', '.join(sorted(pa))})"]
    score = 0.4
    if _names_overlap(ga.subject, gb.subject) >= 0.5:
        score += 0.3
        reasons.append("the same subject")
    if ga.date and gb.date and ga.date == gb.date:
        score += 0.2
        reasons.append(f"same date ({ga.date})")
    return Judgement(a.id, b.id, score >= SAME + 0.1, round(score, 3), tuple(reasons))
