"""Extract stage: a sentence's text → every sum of money it states, as `Money` records.

The grammar is compiled once per language from `vocab/currencies.yml` and
`vocab/<lang>/money.yml`, and knows three shapes a figure takes in news text:

    symbol first   "$12.1 billion", "US$37 million", "USD 1.5bn", "€1 to €1.5 billion"
    number first   "15.8 billion yen", "1-2 billion euros", "500 zł"
    words first    "half a billion dollars", "a quarter of a billion euros"

Choices a caller should know:

* A span covers the figure only, from its symbol or first digit to its last word, never the
  qualifier ("up to") or range opener ("between") before it; the qualifier is kept in
  `Money.qualifier`. The same figure then has the same `text` however it is hedged, which is
  what de-duplication and `pair_equivalents` compare, and a bracket such as "(almost $20.6m)"
  still ends where the figure does.
* A bare "$" or "dollars" means `default_dollar`, with `currency_implicit=True`; a code after
  the figure settles it ("$1 billion CAD"). A symbol with no default ("kr") gives
  `currency=None` rather than a guess.
* Ranges: "$1-2 billion" and "€1 to €1.5 billion" share the scale; "between X and Y" needs its
  "between"; "X to Y" after "from" or "by" is a change, so two figures; the upper end must
  exceed the lower, or it is no range.
* Amounts are `Decimal` rounded to cents. A figure that comes to zero, has more than
  `MAX_DIGITS` digits, or exceeds `MAX_AMOUNT` (1e15 units of its currency) is dropped: no aid
  figure is that large, and such input is a typo or an attack on downstream arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cache
from itertools import pairwise

from aidtracker.records import Money, Span
from aidtracker.vocab import MoneyVocab, load_money_vocab

MAX_AMOUNT = Decimal("1e15")
MAX_DIGITS = 24
DOLLAR_GROUP = "dollar"  # the `ambiguous` group of currencies.yml that `default_dollar` resolves

_CTX = Context(prec=60)
_CENT = Decimal("0.01")
_ONE = Decimal(1)
_LOOKBACK = 48  # characters searched before a figure for its qualifier or range opener
_BRACKET_REACH = 160  # farthest a closing bracket may be from its opening one
_CLOSERS = {"(": ")", "[": "]"}
_YEAR = re.compile(r"(?:19|20)\d\d\Z")
_SPLIT = re.compile(r"[\s\-]+")
_WORD = re.compile(r"[^\W\d_]+")
_SP = r"\s{0,2}"  # between a symbol and its number: "€50m", "USD 1.5bn"
_SPH = r"(?:\s{0,2}|-)"  # between number, scale and name: "1.5 billion", "500-million-euro"


@dataclass(frozen=True, slots=True)
class _Grammar:
    vocab: MoneyVocab
    symbol_chars: re.Pattern[str]
    exact_words: frozenset[str]
    lower_words: frozenset[str]
    figure: re.Pattern[str]
    qualifier: re.Pattern[str]
    opener: re.Pattern[str]
    change: re.Pattern[str]
    leftover: re.Pattern[str]
    connector: re.Pattern[str]  # a word that joins a figure to its conversion ("or", "that is")
    prefixes: dict[str, str]  # normalised prefix symbol or code → target
    suffixes: dict[str, str]
    scales: dict[str, Decimal]
    vetoes: dict[str, re.Pattern[str]]
    elided: re.Pattern[str]  # a bare scaled number after a joiner: "..., and 25 million to the WHO"
    number: re.Pattern[str]  # one number as the language writes it ("2,400,000", "92.5")
    scaled: re.Pattern[str]  # any number with a scale word, money or not


@dataclass(frozen=True, slots=True)
class _Part:
    """One number of a figure, with the scale written after it and where it starts and ends."""

    number: str
    scale: str | None
    start: int
    end: int


def find_money(text: str, *, offset: int = 0, default_dollar: str = "USD", lang: str = "en") -> list[Money]:
    """Every sum of money stated in `text`, in order, with spans shifted by `offset`.

    `offset` lets a caller pass one sentence and get spans into its whole document;
    `default_dollar` is what a bare "$" means in this text (AUD for an Australian outlet).
    """
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    g = _grammar(lang)
    if default_dollar not in g.vocab.codes:
        raise ValueError(f"default_dollar {default_dollar!r} is not a known currency code")
    if not _could_state_money(g, text):
        return []
    found: list[Money] = []
    pos = 0
    while (m := g.figure.search(text, pos)) is not None:
        if m["a_pre"] is not None:
            money, resume = _symbol_first(g, m, text, default_dollar)
        elif m["b_n1"] is not None:
            money, resume = _number_first(g, m, text, default_dollar)
        else:
            money, resume = _words_first(g, m, text, default_dollar)
        if money is not None:
            found.append(money)
        pos = max(resume, m.start() + 1)
    if found:
        found = _with_elided(g, text, found)
    return [_shift(money, offset) for money in found]


def _with_elided(g: _Grammar, text: str, found: list[Money]) -> list[Money]:
    """`found` plus the figures that leave their currency to the figure before them.

    "Around 30 million Canadian dollars will go to the fund ..., and 25 million to the WHO":
    the writer states the currency once. The bare figure takes the currency of the nearest
    figure before it in the same sentence, and only if no other scaled number (a count of
    people, say) stands between them, which would make that number its antecedent.
    """
    added: list[Money] = []
    for m in g.elided.finditer(text):
        start, end = m.start("e_n"), m.end("e_s")
        if any(f.span.start <= start < f.span.end for f in found):
            continue
        before = [f for f in found if f.span.end <= start]
        if not before:
            continue
        antecedent = before[-1]
        gap = text[antecedent.span.end : start]
        if antecedent.currency is None or g.scaled.search(gap) or re.search(r"[.!?]\s|\n", gap):
            continue
        amount = _value(g, _Part(m["e_n"], m["e_s"], start, end))
        money = _money(g, text, start, start, end, amount, None, antecedent.currency, antecedent.currency_implicit)
        if money is not None:
            added.append(money)
    return sorted([*found, *added], key=lambda f: f.span.start) if added else found


def plain_number(text: str, lang: str = "en") -> Decimal | None:
    """The value of a text that is one number and nothing else ("2,400,000", "92.5"), read
    with the language's marks as figures are: a table cell whose unit its header gives."""
    g = _grammar(lang)
    if not g.number.fullmatch(text):
        return None
    return _value(g, _Part(text, None, 0, len(text)))


def unit_of(text: str, *, default_dollar: str = "USD", lang: str = "en") -> tuple[str, Decimal] | None:
    """The currency and scale that a table's caption or column header gives its bare numbers.

    "Table 2. Contributions (US$ million)" → ("USD", 1e6); "Amount (EUR)" → ("EUR", 1);
    "in millions of euros" → ("EUR", 1e6). None if the text names no currency: a column of
    counts, say. A bare "$" is `default_dollar`, as in `find_money`.
    """
    g = _grammar(lang)
    m = _unit_pattern(lang).search(text)
    if m is None:
        return None
    symbol = _norm(m["cur"])
    target = g.prefixes.get(symbol) or _post_target(g, symbol)
    if target not in g.vocab.codes and target not in g.vocab.groups:
        return None
    code, _implicit = _resolve(g, target, default_dollar)
    if code is None:
        return None
    scale_word = m["s1"] or m["s2"]
    scale = g.scales.get(_norm(scale_word).lower(), _ONE) if scale_word else _ONE
    return code, scale


@cache
def _unit_pattern(lang: str) -> re.Pattern[str]:
    """A currency with the scale written before ("millions of euros") or after it ("US$ million")."""
    v = _grammar(lang).vocab
    currency = rf"{_alt([*v.prefixes, *v.codes, *v.suffixes])}|(?i:{_alt(v.names)})"
    before = rf"(?i:{_alt(v.scales)})"
    after = rf"(?i:{_alt([*v.scales, *v.scale_abbreviations])})"
    lead = rf"(?:(?<!\w)(?P<s1>{before})(?:\s+(?i:of))?\s+)?"
    return re.compile(rf"{lead}(?<![\w$€£¥])(?P<cur>{currency})(?:\s*(?P<s2>{after}))?(?!\w)")


def may_state_money(text: str, lang: str = "en") -> bool:
    """False only if `find_money` surely finds nothing in `text`: a cheap test to skip parsing."""
    return _could_state_money(_grammar(lang), text)


def format_money(m: Money) -> str:
    """A canonical rendering ("USD 12,100,000,000") that `find_money` reads back unchanged.

    The qualifier is left out: this renders the amount, not the sentence. A figure whose
    currency is unknown renders as the bare number, which does not read back as money.
    """
    text = _number_text(m.amount)
    if m.amount_max is not None:
        text += "–" + _number_text(m.amount_max)
    return f"{m.currency} {text}" if m.currency else text


def pair_equivalents(
    moneys: Sequence[Money], text: str, *, offset: int = 0, lang: str = "en"
) -> list[tuple[Money, tuple[Money, ...]]]:
    """Group each figure with the conversions bracketed right after it.

    "€1 billion ($1.1 billion)" states one sum twice; counting both would double it. A
    bracket counts only when it holds nothing but figures, qualifiers and connectors ("or",
    "approx."): "(of which $200 million for energy)" is a part, not an equivalent. `text` is
    what the spans index into, starting at `offset`. Every figure appears exactly once, either
    as a head or among a head's equivalents.
    """
    g = _grammar(lang)
    ordered = sorted(moneys, key=lambda m: (m.span.start, m.span.end))
    out: list[tuple[Money, tuple[Money, ...]]] = []
    i = 0
    while i < len(ordered):
        head = ordered[i]
        inside = _bracketed_after(g, head, ordered[i + 1 :], text, offset)
        out.append((head, inside))
        i += 1 + len(inside)
    return out


def _bracketed_after(g: _Grammar, head: Money, rest: Sequence[Money], text: str, offset: int) -> tuple[Money, ...]:
    pos = head.span.end - offset
    if not 0 <= pos <= len(text):
        return ()
    while pos < len(text) and pos - (head.span.end - offset) < 3 and text[pos].isspace():
        pos += 1
    if pos < len(text) and text[pos] == "," and rest:
        return _apposed_after(g, head, rest[0], text, offset, pos)
    if pos >= len(text) or text[pos] not in _CLOSERS:
        return ()
    close = text.find(_CLOSERS[text[pos]], pos + 1, pos + _BRACKET_REACH)
    if close < 0:
        return ()
    inside = tuple(m for m in rest if pos < m.span.start - offset and m.span.end - offset <= close)
    if not inside or any(a.span.end > b.span.start for a, b in pairwise(inside)):
        return ()
    leftover, cursor = [], pos + 1
    for m in inside:
        leftover.append(text[cursor : m.span.start - offset])
        cursor = m.span.end - offset
    leftover.append(text[cursor:close])
    return inside if not g.leftover.sub("", " ".join(leftover)).strip() else ()


def _apposed_after(g: _Grammar, head: Money, nxt: Money, text: str, offset: int, comma: int) -> tuple[Money, ...]:
    """A conversion set off by commas: "CZK 600 million, that is about 24 million euros, for ..."
    or "£30 million, or about $39 million.": a connector, then one figure in another currency."""
    start, end = nxt.span.start - offset, nxt.span.end - offset
    between = text[comma + 1 : start]
    if not 0 < start - comma <= 40 or nxt.currency == head.currency or g.leftover.sub("", between).strip():
        return ()
    if not g.connector.search(between):
        return ()  # "€5 million, about $5.4 million" could be two sums; a connector says it is one
    after = text[end : end + 2].lstrip()
    return (nxt,) if not after or after[0] in ",.;)" else ()


def _symbol_first(g: _Grammar, m: re.Match[str], text: str, dollar: str) -> tuple[Money | None, int]:
    """Read a figure led by its symbol or code; a code after it ("$1 billion CAD") settles "$"."""
    target = g.prefixes[_norm(m["a_pre"])]
    first = _part(m, "a_n1", "a_s1", m.start("a_pre"))
    if m["a_j"] is not None:
        second = _part(m, "a_n2", "a_s2", m.start("a_pre2") if m["a_pre2"] else m.start("a_n2"))
        same = m["a_pre2"] is None or g.prefixes[_norm(m["a_pre2"])] == target
        joined = _join(g, text, m.start(), first, m["a_j"], second) if same else None
        if joined is None:
            # Not a range: keep the first figure unless it needed the second's scale.
            if first.scale is None and second.scale is not None:
                return None, second.start
            code, implicit = _resolve(g, target, dollar)
            single = _value(g, first)
            return _money(g, text, first.start, first.start, first.end, single, None, code, implicit), first.end
        low, high, lead = joined
        end = second.end
    else:
        low, high, lead, end = _value(g, first), None, first.start, first.end
    code, implicit = _resolve(g, target, dollar)
    post = m["a_post"]
    if post is not None and (post == code or _group_allows(g, target, post)):
        code, implicit, end = post, False, m.end("a_post")
    return _money(g, text, lead, first.start, end, low, high, code, implicit), end


def _number_first(g: _Grammar, m: re.Match[str], text: str, dollar: str) -> tuple[Money | None, int]:
    """Read a figure whose currency follows it: "15.8 billion yen", "1-2 billion euros"."""
    post = m["b_post"]
    end = m.end("b_post")
    if _vetoed(g, post, text, end):
        return None, end
    first = _part(m, "b_n1", "b_s1", m.start("b_n1"))
    if m["b_j"] is not None:
        second = _part(m, "b_n2", "b_s2", m.start("b_n2"))
        joined = _join(g, text, first.start, first, m["b_j"], second)
        if joined is None:
            return None, second.start  # the first number has no currency of its own
        low, high, lead = joined
    else:
        if first.scale is None and _YEAR.match(first.number):
            return None, end  # "in 2022 dollars" is a price base, not a sum
        low, high, lead = _value(g, first), None, first.start
    code, implicit = _resolve(g, _post_target(g, post), dollar)
    return _money(g, text, lead, first.start, end, low, high, code, implicit), end


def _words_first(g: _Grammar, m: re.Match[str], text: str, dollar: str) -> tuple[Money | None, int]:
    """Read a figure in words; a scale word is required so "a dollar" is never money."""
    end = m.end("c_post")
    number = _words_value(g.vocab, m["c_w"])
    scale = g.scales.get(_norm(m["c_s"]).lower())
    if number is None or scale is None or _vetoed(g, m["c_post"], text, end):
        return None, end
    code, implicit = _resolve(g, _post_target(g, m["c_post"]), dollar)
    start = m.start("c_w")
    return _money(g, text, start, start, end, number * scale, None, code, implicit), end


def _join(
    g: _Grammar, text: str, start: int, first: _Part, joiner: str, second: _Part
) -> tuple[Decimal | None, Decimal | None, int] | None:
    """(low, high, where the phrase starts) if `first joiner second` is a range, else None."""
    if first.scale is not None and second.scale is None:
        return None  # "$5 billion to 2027"
    shared = first.scale is None and second.scale is not None
    word = _norm(joiner).lower()
    lead = start
    window = max(0, start - _LOOKBACK)
    if word in g.vocab.paired_joiners:
        opener = g.opener.search(text, window, start)
        if opener is None:
            return None
        lead = opener.start()
    elif word in g.vocab.range_joiners and not shared and g.change.search(text, window, start):
        return None
    low = _value(g, _Part(first.number, second.scale if shared else first.scale, 0, 0))
    high = _value(g, second)
    if low is None or high is None or high <= low:
        return None
    return low, high, lead


def _money(
    g: _Grammar,
    text: str,
    lead: int,
    start: int,
    end: int,
    amount: Decimal | None,
    amount_max: Decimal | None,
    code: str | None,
    implicit: bool,
) -> Money | None:
    low = _bounded(amount)
    high = _bounded(amount_max) if amount_max is not None else None
    if low is None or (amount_max is not None and high is None):
        return None
    q = g.qualifier.search(text, max(0, lead - _LOOKBACK), lead)
    qualifier = g.vocab.qualifiers.get(_norm(q["q"]).lower()) if q else None
    return Money(text[start:end], Span(start, end), low, code, high, qualifier, implicit)


def _bounded(amount: Decimal | None) -> Decimal | None:
    """Round to cents; None for zero or absurd amounts, so nothing downstream sees them."""
    if amount is None or not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        return None
    cents = amount.quantize(_CENT, context=_CTX)
    if cents == 0:
        return None
    return cents.quantize(_ONE) if cents == cents.to_integral_value() else cents


def _value(g: _Grammar, part: _Part) -> Decimal | None:
    digits = part.number
    for mark in g.vocab.group_marks:
        digits = digits.replace(mark, "")
    if sum(ch.isdigit() for ch in digits) > MAX_DIGITS:
        return None
    number = Decimal(digits.replace(g.vocab.decimal_mark, "."))
    if part.scale is None:
        return number
    return _CTX.multiply(number, g.scales[_norm(part.scale).lower()])


def _words_value(vocab: MoneyVocab, words: str) -> Decimal | None:
    """The value of "a quarter of a", "twenty-five", "one hundred and fifty"; None if garbled."""
    key = " ".join(_SPLIT.split(words.lower().strip()))
    if key in vocab.number_phrases:
        return vocab.number_phrases[key]
    total, last = Decimal(0), ""
    for token in key.split(" "):
        if token == "and":
            if last != "multiplier":
                return None
            continue
        if token in vocab.multipliers:
            if last != "unit" or total >= 10:
                return None
            total, last = total * vocab.multipliers[token], "multiplier"
            continue
        value = vocab.number_words.get(token)
        follows = last in ("", "multiplier") or (last == "tens" and value is not None and value < 10)
        if value is None or not follows:
            return None
        total += value
        last = "tens" if value >= 20 and value % 10 == 0 else "unit"
    return total or None


def _resolve(g: _Grammar, target: str, dollar: str) -> tuple[str | None, bool]:
    """The currency a target stands for, and whether that came from context, not the text."""
    if target in g.vocab.codes:
        return target, False
    code = dollar if target == DOLLAR_GROUP else g.vocab.groups[target].default
    return code, code is not None


def _vetoed(g: _Grammar, post: str, text: str, end: int) -> bool:
    """True where the word after a currency name shows it is no currency ("pounds of flour")."""
    veto = g.vetoes.get(_norm(post).lower())
    return veto is not None and veto.match(text, end) is not None


def _group_allows(g: _Grammar, target: str, code: str) -> bool:
    group = g.vocab.groups.get(target)
    return group is not None and code in group.candidates


def _post_target(g: _Grammar, post: str) -> str:
    norm = _norm(post)
    return g.suffixes.get(norm) or g.vocab.names.get(norm.lower()) or norm


def _part(m: re.Match[str], num: str, scale: str, start: int) -> _Part:
    end = m.end(scale) if m[scale] is not None else m.end(num)
    return _Part(m[num], m[scale], start, end)


def _shift(money: Money, offset: int) -> Money:
    if not offset:
        return money
    span = Span(money.span.start + offset, money.span.end + offset)
    return Money(
        money.text,
        span,
        money.amount,
        money.currency,
        money.amount_max,
        money.qualifier,
        money.currency_implicit,
    )


def _number_text(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def _norm(s: str) -> str:
    return " ".join(s.split())


def _alt(items: Iterable[str], *, hyphens: bool = False) -> str:
    """Alternation of literal phrases, longest first so "US$" wins over "$"."""
    sep = r"[\s\-]{1,3}" if hyphens else r"\s{1,3}"
    phrases = sorted(set(items), key=lambda s: (-len(s), s))
    return "|".join(sep.join(re.escape(w) for w in p.split()) for p in phrases)


def _markers(vocab: MoneyVocab) -> tuple[str, frozenset[str], frozenset[str]]:
    """What `_could_state_money` looks for: symbol characters, exact words, lower-case words.

    A multi-word name is represented by its last word, the noun ("Swiss francs" → "francs"),
    as adjectives such as "Japanese" are common: a pre-check may pass text that holds no
    money, but must never reject text that does.
    """
    chars: set[str] = set()
    exact: set[str] = set(vocab.codes)
    for sym in {*vocab.prefixes, *vocab.suffixes}:
        odd = [ch for ch in sym if not (ch.isalnum() or ch in ". ")]
        if odd:
            chars.update(odd)
        else:
            exact.update(_WORD.findall(sym))
    lower = {_WORD.findall(name)[-1] for name in vocab.names}
    return f"[{re.escape(''.join(sorted(chars)))}]", frozenset(exact), frozenset(lower)


def _could_state_money(g: _Grammar, text: str) -> bool:
    """Cheap test run before the full grammar, which most sentences never need."""
    if g.symbol_chars.search(text):
        return True
    words = _WORD.findall(text)
    return not g.exact_words.isdisjoint(words) or not g.lower_words.isdisjoint(w.lower() for w in words)


@cache
def _grammar(lang: str) -> _Grammar:
    v = load_money_vocab(lang)
    groups = re.escape("".join(v.group_marks))
    dec = re.escape(v.decimal_mark)
    num = rf"(?:[0-9]{{1,3}}(?:[{groups}][0-9]{{3}})+|[0-9]+)(?:{dec}[0-9]+)?(?!(?:[{groups}]|{dec})?[0-9])"
    scale = rf"(?i:{_alt([*v.scales, *v.scale_abbreviations])})(?!\w)"
    scale_words = rf"(?i:{_alt(v.scales)})(?!\w)"
    codes = rf"(?:{_alt(v.codes)})(?![A-Za-z])"
    pre_body = _alt([*v.prefixes, *v.codes])
    pre = rf"(?<![\w\-−])(?:{pre_body})"
    words = [*v.range_joiners, *v.paired_joiners]
    join = rf"(?:{_SP}[\-–—]{_SP}|\s{{1,3}}(?i:{_alt(words)})\s{{1,3}})"
    post = rf"(?:(?i:{_alt(v.names)})|{_alt(v.codes)}|{_alt(v.suffixes)})(?!\w)"
    cards = rf"(?:{_alt([*v.number_words, *v.multipliers])})(?!\w)"
    # Bounded, so a run of number words costs linear time: "one hundred and twenty-five" is 5.
    cards_run = rf"{cards}(?:[\s\-]{{1,3}}(?:and\s{{1,3}})?{cards}){{0,5}}"
    wnum = rf"(?i:{_alt(v.number_phrases, hyphens=True)}|{cards_run})"
    lead_chars = re.escape("".join({p[-1] for p in [*v.prefixes, *v.suffixes]}))
    symbol_first = (
        rf"(?P<a_pre>{pre}){_SP}(?P<a_n1>{num})(?:{_SPH}(?P<a_s1>{scale}))?"
        rf"(?:(?P<a_j>{join})(?:(?P<a_pre2>{pre_body}){_SP})?(?P<a_n2>{num})"
        rf"(?:{_SPH}(?P<a_s2>{scale}))?)?(?:\s{{1,2}}(?P<a_post>{codes}))?(?!\w)"
    )
    number_first = (
        rf"(?<![\w.,\-−{lead_chars}])(?P<b_n1>{num})(?:{_SPH}(?P<b_s1>{scale}))?"
        rf"(?:(?P<b_j>{join})(?P<b_n2>{num})(?:{_SPH}(?P<b_s2>{scale}))?)?"
        rf"{_SPH}(?P<b_post>{post})"
    )
    words_first = rf"(?<![\w\-])(?P<c_w>{wnum})(?:\s{{1,2}}|-)(?P<c_s>{scale_words}){_SPH}(?P<c_post>{post})"
    qualifiers = rf"(?i:(?<!\w)(?P<q>{_alt(v.qualifiers)})\s*\Z)"
    follower_words = rf"|(?i:{_alt(v.elision_followers)})(?!\w)" if v.elision_followers else ""
    followers = rf"\s*(?:[,;:.)]|\Z{follower_words})"
    elided = (
        rf"(?<!\w)(?i:{_alt(v.elision_joiners)})\s{{1,3}}(?:(?i:{_alt(v.qualifiers)})\s{{1,3}})?"
        rf"(?P<e_n>{num}){_SPH}(?P<e_s>{scale})(?={followers})"
    )
    openers = {w for ws in v.paired_joiners.values() for w in ws}
    # "pounds of flour" is no money, "pounds of military aid" is.
    unless = rf"(?!\s+(?:[\w-]+\s+)?(?:{_alt(v.veto_overrides)})(?!\w))" if v.veto_overrides else ""
    chars, exact, lower = _markers(v)
    return _Grammar(
        vocab=v,
        symbol_chars=re.compile(chars),
        exact_words=exact,
        lower_words=lower,
        figure=re.compile(f"{symbol_first}|{number_first}|{words_first}"),
        qualifier=re.compile(qualifiers),
        opener=re.compile(rf"(?i:(?<!\w)(?:{_alt(openers)})\s+\Z)") if openers else _NEVER,
        change=re.compile(rf"(?i:(?<!\w)(?:{_alt(v.change_markers)})\s+\Z)") if v.change_markers else _NEVER,
        leftover=re.compile(
            rf"(?i:(?<!\w)(?:{_alt([*v.qualifiers, *v.equivalent_connectors])})(?!\w))"
            r"|[\s,;:/~=≈]+"
        ),
        connector=re.compile(rf"(?i:(?<!\w)(?:{_alt(v.equivalent_connectors)})(?!\w))")
        if v.equivalent_connectors
        else _NEVER,
        prefixes={_norm(p): t for p, t in v.prefixes.items()} | {c: c for c in v.codes},
        suffixes={_norm(s): t for s, t in v.suffixes.items()},
        scales={**v.scales, **v.scale_abbreviations},
        vetoes={name: re.compile(rf"(?i:\s+(?:{_alt(words)})(?!\w){unless})") for name, words in v.name_vetoes.items()},
        elided=re.compile(elided) if v.elision_joiners else _NEVER,
        scaled=re.compile(rf"{num}{_SPH}{scale}"),
        number=re.compile(num),
    )


_NEVER = re.compile(r"(?!)")
