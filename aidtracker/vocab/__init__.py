"""Vocabulary as data: the words and symbols extractors read, one folder per language.

Language-independent tables live in `vocab/<name>.yml` (currencies), one language's words in
`vocab/<lang>/<name>.yml` (money, later cue words and actors), dated tables in `vocab/rates/`.
Adding a language adds files here, not code. Every typed loader validates what it reads and
raises `VocabularyError` naming the file and the problem, so a typo in a YAML file fails at
load time with a message instead of silently matching nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, NoReturn

import yaml

from aidtracker.errors import VocabularyError

# The canonical qualifier names every language's money.yml maps its words onto; downstream
# stages compare these, never the words.
QUALIFIERS = frozenset({"about", "at_least", "nearly", "over", "under", "up_to"})

_ROOT: Traversable = files(__name__)
_STEM = re.compile(r"[a-z][a-z0-9_]*\Z")
_LANG = re.compile(r"[a-z]{2,3}\Z")
_CODE = re.compile(r"[A-Z]{3}\Z")
_GROUP = re.compile(r"[a-z][a-z_]*\Z")


def _where(name: str, lang: str | None) -> str:
    return f"vocab/{lang}/{name}" if lang else f"vocab/{name}"


def _node(path: str) -> Traversable:
    """The packaged file at `path`; only plain relative names, so no path escapes the package."""
    parts = path.split("/")
    if any(not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", p) for p in parts):
        raise VocabularyError(f"bad vocabulary path {path!r}")
    node = _ROOT
    for part in parts:
        node = node / part
    return node


def vocab_exists(path: str) -> bool:
    """True if the package ships `vocab/<path>`, for optional files such as "rates/UAH.csv"."""
    return _node(path).is_file()


def load_text(path: str) -> str:
    """The text of a packaged vocabulary file such as "rates/UAH.csv", read from the wheel."""
    node = _node(path)
    try:
        return node.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise VocabularyError(f"vocab/{path}: no such vocabulary file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"vocab/{path}: cannot be read: {exc}") from exc


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents, about
# ten times faster than the pure-Python one, which every process paid (0.8 s) on its first article.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str, lang: str | None = None) -> Any:
    """Parse `vocab/[<lang>/]<name>.yml`; not cached, so callers build (and cache) typed views.

    Raises `VocabularyError` for a missing, unreadable, empty or malformed file.
    """
    stem = name.removesuffix(".yml")
    if not _STEM.match(stem):
        raise VocabularyError(f"bad vocabulary name {name!r}")
    if lang is not None and not _LANG.match(lang):
        raise VocabularyError(f"no vocabulary for language {lang!r}")
    rel = f"{lang}/{stem}.yml" if lang else f"{stem}.yml"
    text = load_text(rel)
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise VocabularyError(f"vocab/{rel}: not valid YAML: {exc}") from exc
    if data is None:
        raise VocabularyError(f"vocab/{rel}: file is empty")
    return data


@dataclass(frozen=True, slots=True)
class AmbiguousSymbol:
    """A symbol several currencies share ("$", "kr"); `default` None means unknown currency."""

    name: str
    candidates: tuple[str, ...]
    default: str | None


@dataclass(frozen=True, slots=True)
class MoneyVocab:
    """Everything the money grammar of one language is compiled from.

    Keys of word tables are lower-case with single spaces; symbol tables keep their case.
    A *target* is an ISO code or the name of an `AmbiguousSymbol` group.
    """

    lang: str
    codes: frozenset[str]
    prefixes: Mapping[str, str]  # symbol written before the number → target
    suffixes: Mapping[str, str]  # symbol written after the number → target
    groups: Mapping[str, AmbiguousSymbol]
    names: Mapping[str, str]  # currency name → target
    name_vetoes: Mapping[str, tuple[str, ...]]
    veto_overrides: tuple[str, ...]  # "13 billion pounds of military aid": the veto does not hold
    scales: Mapping[str, Decimal]
    scale_abbreviations: Mapping[str, Decimal]
    number_words: Mapping[str, Decimal]
    multipliers: Mapping[str, Decimal]
    number_phrases: Mapping[str, Decimal]
    qualifiers: Mapping[str, str]  # phrase → canonical name in QUALIFIERS
    range_joiners: tuple[str, ...]
    paired_joiners: Mapping[str, tuple[str, ...]]
    change_markers: tuple[str, ...]
    equivalent_connectors: tuple[str, ...]
    elision_joiners: tuple[str, ...]  # "..., and 25 million to the WHO": the currency is the last figure's
    elision_followers: tuple[str, ...]
    decimal_mark: str
    group_marks: tuple[str, ...]


@cache
def load_money_vocab(lang: str = "en") -> MoneyVocab:
    """The validated money vocabulary of `lang`, loaded once per process."""
    return build_money_vocab(load_yaml("currencies"), load_yaml("money", lang), lang=lang)


def build_money_vocab(currencies: Any, money: Any, *, lang: str) -> MoneyVocab:
    """Validate parsed currencies.yml and <lang>/money.yml and join them into a `MoneyVocab`.

    Separate from loading so that tests (and future tools) can check a file's content
    without installing it.
    """
    c = _Checker(_where("currencies.yml", None))
    top = c.mapping(currencies, "top level", allowed={"currencies", "ambiguous"})
    codes: set[str] = set()
    prefixes: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    for code, entry in c.mapping(top.get("currencies"), "currencies").items():
        if not isinstance(code, str) or not _CODE.match(code):
            c.fail(f"currency code {code!r} is not three capital letters")
        codes.add(code)
        spec = c.mapping(entry or {}, code, allowed={"prefixes", "suffixes"})
        c.symbols(spec.get("prefixes"), code, f"{code}.prefixes", prefixes)
        c.symbols(spec.get("suffixes"), code, f"{code}.suffixes", suffixes)
    groups: dict[str, AmbiguousSymbol] = {}
    for name, entry in c.mapping(top.get("ambiguous", {}), "ambiguous").items():
        if not isinstance(name, str) or not _GROUP.match(name):
            c.fail(f"ambiguous group name {name!r} must be lower-case letters")
        spec = c.mapping(entry, name, allowed={"prefixes", "suffixes", "candidates", "default"})
        cands = tuple(c.strings(spec.get("candidates"), f"{name}.candidates"))
        for code in cands:
            if code not in codes:
                c.fail(f"{name}.candidates: {code!r} is not a currency listed above")
        default = spec.get("default")
        if default is not None and default not in cands:
            c.fail(f"{name}.default: {default!r} is not one of its candidates")
        groups[name] = AmbiguousSymbol(name, cands, default)
        c.symbols(spec.get("prefixes"), name, f"{name}.prefixes", prefixes)
        c.symbols(spec.get("suffixes"), name, f"{name}.suffixes", suffixes)
    targets = codes | set(groups)

    m = _Checker(_where(f"{lang}/money.yml", None))
    allowed = {
        "numbers", "names", "name_vetoes", "veto_overrides", "scales", "scale_abbreviations", "number_words",
        "multipliers", "number_phrases", "qualifiers", "ranges", "equivalent_connectors", "elided_currency",
    }  # fmt: skip
    doc = m.mapping(money, "top level", allowed=allowed)
    numbers = m.mapping(doc.get("numbers"), "numbers", allowed={"decimal_mark", "group_marks"})
    decimal_mark = numbers.get("decimal_mark")
    if not isinstance(decimal_mark, str) or len(decimal_mark) != 1:
        m.fail("numbers.decimal_mark must be one character")
    group_marks = tuple(m.strings(numbers.get("group_marks"), "numbers.group_marks"))
    if any(len(g) != 1 or g == decimal_mark for g in group_marks):
        m.fail("numbers.group_marks must be single characters other than the decimal mark")
    names: dict[str, str] = {}
    for name, target in m.mapping(doc.get("names"), "names").items():
        if target not in targets:
            m.fail(f"names: {name!r} points at {target!r}, which currencies.yml does not define")
        m.put(names, _key(str(name)), str(target), "names")
    vetoes = {
        _key(str(k)): tuple(_key(w) for w in m.strings(v, f"name_vetoes.{k}"))
        for k, v in m.mapping(doc.get("name_vetoes", {}), "name_vetoes").items()
    }
    for name in vetoes:
        if name not in names:
            m.fail(f"name_vetoes: {name!r} is not a currency name")
    qualifiers: dict[str, str] = {}
    for canon, phrases in m.mapping(doc.get("qualifiers"), "qualifiers").items():
        if canon not in QUALIFIERS:
            m.fail(f"qualifiers: {canon!r} is not one of {sorted(QUALIFIERS)}")
        for phrase in m.strings(phrases, f"qualifiers.{canon}"):
            m.put(qualifiers, _key(phrase), str(canon), "qualifiers")
    ranges = m.mapping(doc.get("ranges"), "ranges", allowed={"joiners", "paired_joiners", "change_markers"})
    paired = {
        _key(str(k)): tuple(_key(w) for w in m.strings(v, f"ranges.paired_joiners.{k}"))
        for k, v in m.mapping(ranges.get("paired_joiners", {}), "ranges.paired_joiners").items()
    }
    elided = m.mapping(doc.get("elided_currency", {}), "elided_currency", allowed={"joiners", "followers"})
    return MoneyVocab(
        lang=lang,
        codes=frozenset(codes),
        prefixes=MappingProxyType(prefixes),
        suffixes=MappingProxyType(suffixes),
        groups=MappingProxyType(groups),
        names=MappingProxyType(names),
        name_vetoes=MappingProxyType(vetoes),
        veto_overrides=tuple(_key(w) for w in m.strings(doc.get("veto_overrides", []), "veto_overrides")),
        scales=m.numbers(doc.get("scales"), "scales"),
        scale_abbreviations=m.numbers(doc.get("scale_abbreviations"), "scale_abbreviations"),
        number_words=m.numbers(doc.get("number_words"), "number_words"),
        multipliers=m.numbers(doc.get("multipliers", {}), "multipliers"),
        number_phrases=m.numbers(doc.get("number_phrases", {}), "number_phrases"),
        qualifiers=MappingProxyType(qualifiers),
        range_joiners=tuple(_key(w) for w in m.strings(ranges.get("joiners"), "ranges.joiners")),
        paired_joiners=MappingProxyType(paired),
        change_markers=tuple(_key(w) for w in m.strings(ranges.get("change_markers", []), "ranges.change_markers")),
        equivalent_connectors=tuple(_key(w) for w in m.strings(doc.get("equivalent_connectors", []), "connectors")),
        elision_joiners=tuple(_key(w) for w in m.strings(elided.get("joiners", []), "elided_currency.joiners")),
        elision_followers=tuple(_key(w) for w in m.strings(elided.get("followers", []), "elided_currency.followers")),
        decimal_mark=decimal_mark,
        group_marks=group_marks,
    )


def _key(phrase: str) -> str:
    """Word-table key: lower case, single spaces, so lookups need not care how text spaced it."""
    return " ".join(phrase.lower().split())


class _Checker:
    """Collects the checks of one file so each failure names that file."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, problem: str) -> NoReturn:
        raise VocabularyError(f"{self.where}: {problem}")

    def mapping(self, value: Any, what: str, allowed: set[str] | None = None) -> dict[Any, Any]:
        if not isinstance(value, dict) or (not value and allowed is None):
            self.fail(f"{what} must be a non-empty mapping")
        unknown = set(value) - allowed if allowed is not None else set()
        if unknown:
            self.fail(f"{what}: unknown key(s) {sorted(map(str, unknown))}")
        return value

    def strings(self, value: Any, what: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"{what} must be a list of non-empty strings")
        return list(value)

    def put(self, table: dict[str, str], key: str, value: str, what: str) -> None:
        if not key:
            self.fail(f"{what}: empty entry")
        if table.get(key, value) != value:
            self.fail(f"{what}: {key!r} means both {table[key]!r} and {value!r}")
        table[key] = value

    def symbols(self, value: Any, target: str, what: str, table: dict[str, str]) -> None:
        for symbol in self.strings(value, what):
            if symbol != symbol.strip() or any(ch.isdigit() for ch in symbol):
                self.fail(f"{what}: symbol {symbol!r} has edge spaces or digits")
            if table.get(symbol, target) != target:
                self.fail(f"{what}: symbol {symbol!r} already means {table[symbol]!r}")
            table[symbol] = target

    def numbers(self, value: Any, what: str) -> Mapping[str, Decimal]:
        out: dict[str, Decimal] = {}
        for word, raw in self.mapping(value, what).items():
            number = self._decimal(raw, f"{what}.{word}")
            key = _key(str(word))
            if key in out and out[key] != number:
                self.fail(f"{what}: {key!r} is listed twice with different values")
            out[key] = number
        return MappingProxyType(out)

    def _decimal(self, raw: Any, what: str) -> Decimal:
        """A positive finite number; "1/3" is allowed so fractions need no rounded literals."""
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            self.fail(f"{what} must be a number, not {raw!r}")
        try:
            text = str(raw).strip()
            if "/" in text:
                num, den = text.split("/")
                number = Decimal(num) / Decimal(den)
            else:
                number = Decimal(text)
        except (InvalidOperation, ValueError, ZeroDivisionError):
            self.fail(f"{what}: {raw!r} is not a number")
        if not number.is_finite() or number <= 0:
            self.fail(f"{what}: {raw!r} must be a positive finite number")
        return number
