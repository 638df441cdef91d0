"""Actor mentions: countries, their demonyms and capitals, and organisations, found by gazetteer.

Input: text (a sentence) and its offset. Output: `ActorMention`s with spans and the canonical
actor they name. The gazetteer is built from pycountry (every country's names) and the vocab
files (`vocab/actors.yml`, `vocab/<lang>/actors.yml`), so no donor is named in code and a new
donor is a line of YAML. Matching is case-sensitive: "US" is a country, "us" is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pycountry

from aidtracker.errors import VocabularyError
from aidtracker.records import Span
from aidtracker.types import ActorType
from aidtracker.vocab import load_yaml


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor. `acts_for` is whose money it is when this actor gives."""

    name: str
    type: ActorType
    country: str | None = None  # ISO alpha-2 of a country or of a national body
    acts_for: str | None = None
    governs: bool = False  # a government, parliament or ministry: its state decides, nothing passes through it
    pooled: bool = False  # a multi-donor fund: what it gives is its contributors' money, none of them named

    @property
    def donor(self) -> str:
        """The name a commitment records as donor when this actor gives."""
        return self.acts_for or self.name


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a text. `form` says how: name, demonym, capital, abbreviation."""

    span: Span
    text: str
    actor: Actor
    form: str


class Gazetteer:
    """All actors of one language, with one compiled pattern to find them."""

    def __init__(
        self,
        entries: dict[str, tuple[Actor, str]],
        places: dict[str, Actor] | None = None,
        place_words: tuple[str, ...] = (),
    ) -> None:
        self._entries = entries
        self._places = places or {}
        self._place_pattern: re.Pattern[str] | None = None
        if self._places:
            towns = "|".join(re.escape(n) for n in sorted(self._places, key=len, reverse=True))
            kinds = "|".join(re.escape(w) for w in place_words)
            after = rf"(?:\s+(?i:{kinds})(?!\w))?" if kinds else ""
            self._place_pattern = re.compile(rf"(?<![\w-])(?P<town>{towns})(?![\w-]){after}")
        names = sorted(entries, key=len, reverse=True)
        # Word boundaries that also work for names ending in '.' ("U.S.") or "'s".
        alternation = "|".join(re.escape(n) for n in names)
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w$-])")
        self.by_name: dict[str, Actor] = {}
        for actor, _form in entries.values():
            self.by_name.setdefault(actor.name, actor)

    def find(self, text: str, offset: int = 0) -> list[ActorMention]:
        """Every actor mention in `text`, longest match first, spans shifted by `offset`."""
        out = []
        for m in self._pattern.finditer(text):
            actor, form = self._entries[m.group(0)]
            out.append(ActorMention(Span(offset + m.start(), offset + m.end()), m.group(0), actor, form))
        return out

    def find_places(self, text: str) -> list[tuple[int, int, Actor]]:
        """(start, end, state) of every town or region of a state that `text` names, with the
        word that says what kind of place it is ("Chernihiv region").

        Places are not mentions of their state: "in Kharkiv" is where, not who. They only tell
        which state a text is about when it never names that state ("Chernihiv region has received").
        """
        if self._place_pattern is None:
            return []
        return [(m.start(), m.end(), self._places[m["town"]]) for m in self._place_pattern.finditer(text)]

    def lookup(self, name: str) -> Actor | None:
        """The actor a name, abbreviation, demonym or capital stands for, if any."""
        hit = self._entries.get(name.strip())
        if hit is not None:
            return hit[0]
        return self.by_name.get(name.strip())

    def aliases_of(self, name: str) -> list[str]:
        """Every form the gazetteer knows for the actor called `name`."""
        return sorted(alias for alias, (actor, _form) in self._entries.items() if actor.name == name)

    def country(self, code: str) -> Actor | None:
        return self.by_name.get(_country_name(code))


@lru_cache(maxsize=1)
def actors_vocab() -> dict[str, Any]:
    """The language-independent actor vocabulary (`vocab/actors.yml`), parsed once."""
    data: dict[str, Any] = load_yaml("actors")
    return data


def national_currency(actor: Actor | None, table: str = "national_currencies") -> str | None:
    """An actor's own currency (for a state or a national body), from `vocab/actors.yml`."""
    if actor is None or actor.country is None:
        return None
    currencies: dict[str, str] = actors_vocab().get(table, {})
    return currencies.get(actor.country)


@lru_cache(maxsize=64)
def currency_state(currency: str | None) -> str | None:
    """The one state whose own currency `currency` is ("Canadian dollars": Canada), if any.

    A currency outlets use for anyone's money (`common_currencies`, "US$") names no one.
    Cached: it is asked for figure after figure, and the vocabulary never changes in a process.
    """
    vocab = actors_vocab()
    if currency is None or currency in vocab.get("common_currencies", []):
        return None
    states = [code for code, own in (vocab.get("national_currencies", {}) or {}).items() if own == currency]
    return _country_name(states[0]) if len(states) == 1 else None


def _country_name(code: str) -> str:
    overrides: dict[str, str] = actors_vocab().get("countries", {})
    if code in overrides:
        return overrides[code]
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        raise VocabularyError(f"vocab/actors.yml: unknown country code {code!r}")
    return str(getattr(c, "common_name", None) or c.name)


def _as_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{where}: expected a list of strings, got {value!r}")
    return value


@lru_cache(maxsize=4)
def gazetteer(lang: str = "en") -> Gazetteer:
    """The gazetteer of a language, built once per process."""
    base = actors_vocab()
    local = load_yaml("actors", lang)
    entries: dict[str, tuple[Actor, str]] = {}

    def add(alias: str, actor: Actor, form: str) -> None:
        alias = alias.strip()
        if alias and alias not in entries:
            entries[alias] = (actor, form)
        if alias.startswith("the "):  # "the Bank" also opens a sentence as "The Bank"
            add("The " + alias[4:], actor, form)

    local_countries: dict[str, Any] = local.get("countries", {}) or {}
    places: dict[str, Actor] = {}
    # Vocabulary countries first, so their forms win over pycountry's official names.
    for code, forms in local_countries.items():
        actor = Actor(_country_name(code), ActorType.COUNTRY, country=code)
        add(actor.name, actor, "name")
        where = f"vocab/{lang}/actors.yml countries.{code}"
        for place in _as_list(forms.get("places"), where):
            places.setdefault(place, actor)
        for n in _as_list(forms.get("names"), where):
            add(n, actor, "name" if len(n) > 3 else "abbreviation")
        for d in _as_list(forms.get("demonyms"), where):
            add(d, actor, "demonym")
        for c in _as_list(forms.get("capitals"), where):
            add(c, actor, "capital")
    for country in pycountry.countries:
        code = str(country.alpha_2)
        actor = Actor(_country_name(code), ActorType.COUNTRY, country=code)
        add(actor.name, actor, "name")
        add(str(country.name), actor, "name")

    local_orgs: dict[str, list[str]] = local.get("organisations", {}) or {}
    for org in base.get("organisations", []):
        if not isinstance(org, dict) or "name" not in org or "type" not in org:
            raise VocabularyError(f"vocab/actors.yml: organisation needs name and type: {org!r}")
        try:
            kind = ActorType(org["type"])
        except ValueError as exc:
            raise VocabularyError(f"vocab/actors.yml: {org['name']}: bad type {org['type']!r}") from exc
        governs = bool(org.get("governs"))
        pooled = bool(org.get("pooled"))
        acts_for = org.get("acts_for")
        if pooled:
            # "the URTF allocated US$410 million": the fund is the channel of its contributors' money.
            acts_for = local.get("pooled_contributors")
            if not isinstance(acts_for, str):
                raise VocabularyError(f"vocab/{lang}/actors.yml: pooled_contributors is needed for {org['name']}")
        actor = Actor(org["name"], kind, country=org.get("country"), acts_for=acts_for, governs=governs, pooled=pooled)
        add(actor.name, actor, "name")
        for a in _as_list(org.get("aliases"), f"vocab/actors.yml {org['name']}"):
            add(a, actor, "abbreviation" if a.isupper() else "name")
        for a in _as_list(local_orgs.get(org["name"]), f"vocab/{lang}/actors.yml {org['name']}"):
            add(a, actor, "name")
    for group, forms in (local.get("groups", {}) or {}).items():
        actor = Actor(group, ActorType.OTHER)
        for a in _as_list(forms, f"vocab/{lang}/actors.yml groups.{group}"):
            add(a, actor, "group")
    for coalition, forms in (local.get("coalitions", {}) or {}).items():
        actor = Actor(coalition, ActorType.COALITION)
        add(coalition, actor, "name")
        for a in _as_list(forms, f"vocab/{lang}/actors.yml coalitions.{coalition}"):
            add(a, actor, "name")
    place_words = tuple(_as_list(local.get("place_words"), f"vocab/{lang}/actors.yml place_words"))
    return Gazetteer(entries, places, place_words)
