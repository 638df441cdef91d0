"""Resolve stage: mentions → canonical actors (people and organisations) with aliases and roles.

Input: every stored mention. Output: `CanonicalActor`s and a `Registry` that answers "who is
'Shmygal'?" or "who is 'KAMIKAWA Yoko'?". People are joined across documents when their
names agree after folding accents, case and name order and allowing a transliteration's
difference ("Shmyhal"/"Shmygal", "Zelensky"/"Zelenskyy"); a surname or given name alone
resolves to the one person who bears it. Organisations and states come from the gazetteer,
so "JICA", "Japan International Cooperation Agency" and "Japanese International Cooperation
Agency" are one actor, and capitals and demonyms are aliases of their state.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from aidtracker.dedupe.compare import fold
from aidtracker.extract.actors import Actor, gazetteer
from aidtracker.extract.people import canonical_name
from aidtracker.ids import make_id
from aidtracker.records import Agreement, CanonicalActor, Commitment, Event, Mention, Person, Role
from aidtracker.types import ActorType
from aidtracker.vocab import load_yaml

_HONORIFICS = re.compile(
    r"^(?:mr|mrs|ms|dr|prof|professor|senator|sen|president|minister|prime minister|foreign minister|sir|dame)\.?\s+",
    re.IGNORECASE,
)


@lru_cache(maxsize=2)
def _known_spellings() -> dict[str, str]:
    """Folded spelling -> canonical name, from vocab/people.yml."""
    out: dict[str, str] = {}
    for entry in load_yaml("people"):
        for form in (entry["name"], *entry.get("aliases", [])):
            out[fold(form)] = entry["name"]
    return out


@lru_cache(maxsize=1 << 14)
def _plain(name: str) -> str:
    """A name without honorific and in "Given Family" order (remembered: each person is met often)."""
    return canonical_name(_HONORIFICS.sub("", name.strip()))


@lru_cache(maxsize=1 << 16)
def _similar(a: str, b: str) -> bool:
    """Two full names of one person: same given name and family names that differ by a transliteration.

    Remembered per pair: every new mention of a person is held against every person so far.
    """
    pa, pb = fold(a).split(), fold(b).split()
    if len(pa) < 2 or len(pb) < 2 or pa[0] != pb[0]:
        return False
    fa, fb = pa[-1], pb[-1]
    return fa == fb or SequenceMatcher(None, fa, fb).ratio() >= 0.8


@dataclass
class _Person:
    forms: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    roles: list[Role] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def canonical(self) -> str:
        known = _known_spellings()
        for form in self.forms:
            if fold(form) in known:
                return known[fold(form)]
        return max(self.forms, key=lambda f: (self.forms[f], len(f), f))


class Registry:
    """Canonical actors, and the lookup from any spelling to them."""

    def __init__(self, people: list[CanonicalActor], organisations: list[CanonicalActor]) -> None:
        self.actors = sorted([*people, *organisations], key=lambda a: a.id)
        self._people = people
        self._by_alias: dict[str, CanonicalActor] = {}
        for a in self.actors:
            for form in (a.name, *a.aliases):
                self._by_alias.setdefault(fold(form), a)

    def resolve(self, name: str) -> CanonicalActor | None:
        """The actor a name stands for: full spelling, reordered name, transliteration, or a unique part."""
        if not name or not name.strip():
            return None
        for candidate in (name, _plain(name)):
            hit = self._by_alias.get(fold(candidate))
            if hit is not None:
                return hit
        plain = _plain(name)
        known = _known_spellings().get(fold(plain))
        if known is not None and fold(known) in self._by_alias:
            return self._by_alias[fold(known)]
        for p in self._people:
            if any(_similar(plain, form) for form in (p.name, *p.aliases)):
                return p
        parts = fold(plain).split()
        if len(parts) == 1:
            # "Shmyhal", "Mark": a surname or given name resolves when exactly one person bears it.
            hits = {
                p.id: p
                for p in self._people
                for form in (p.name, *p.aliases)
                if parts[0] in (fold(form).split()[0], fold(form).split()[-1])
            }
            if len(hits) == 1:
                return next(iter(hits.values()))
        actor = gazetteer().lookup(name)
        return self._by_alias.get(fold(actor.name)) if actor else None


def build_registry(mentions: Iterable[Mention]) -> Registry:
    """Canonical people and organisations from every mention in the store."""
    people: list[_Person] = []
    org_names: Counter[str] = Counter()
    org_mentions: dict[str, list[str]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: m.id):
        fact = m.fact
        if isinstance(fact, Person):
            _add_person(people, m, fact)
            continue
        for name in _organisations_named(fact):
            org_names[name] += 1
            org_mentions[name].append(m.id)
    return Registry([_person_actor(p) for p in people], _organisation_actors(org_names, org_mentions))


def _add_person(people: list[_Person], m: Mention, p: Person) -> None:
    forms = [p.name, *p.aliases]
    full = [f for f in forms if len(f.split()) > 1]
    target = next((x for x in people for f in full for g in x.forms if _similar(_plain(f), g)), None)
    if target is None:
        known = _known_spellings().get(fold(p.name))
        target = next(
            (x for x in people if known and any(_known_spellings().get(fold(g)) == known for g in x.forms)), None
        )
    if target is None:
        target = _Person()
        people.append(target)
    target.forms[_plain(p.name)] += 1
    target.aliases.update(forms)
    target.mentions.append(m.id)
    if p.role:
        target.roles.append(Role(p.role, p.affiliation, m.published, p.doc_id))


def _person_actor(p: _Person) -> CanonicalActor:
    name = p.canonical()
    aliases = sorted({a for a in p.aliases | set(p.forms) if a != name} | {name.split()[-1]})
    affiliations = [r.affiliation for r in p.roles if r.affiliation]
    country = None
    if affiliations:
        actor = gazetteer().lookup(Counter(affiliations).most_common(1)[0][0])
        country = actor.country if actor else None
    return CanonicalActor(
        id=make_id("person", fold(name), prefix="p_"),
        name=name,
        type=ActorType.PERSON,
        country=country,
        aliases=tuple(aliases),
        roles=tuple(
            sorted(set(p.roles), key=lambda r: (r.attested.isoformat() if r.attested else "", r.doc_id, r.role))
        ),
        mentions=tuple(sorted(p.mentions)),
    )


def _organisations_named(fact: object) -> list[str]:
    if isinstance(fact, Commitment):
        return [n for n in (fact.donor.removesuffix(" and others"), fact.recipient, fact.channel) if n]
    if isinstance(fact, Agreement):
        return list(fact.parties)
    if isinstance(fact, Event):
        return [p for p in fact.participants if gazetteer().lookup(p) is not None]
    return []


def _organisation_actors(names: Counter[str], mentions: dict[str, list[str]]) -> list[CanonicalActor]:
    gaz = gazetteer()
    grouped: dict[str, tuple[str, Actor | None, set[str], list[str]]] = {}
    for name in sorted(names):
        actor = gaz.lookup(name)
        key = actor.name if actor else name
        # Spellings that fold alike ("Sumitomo Corp" / "Sumitomo Corp.") are one organisation.
        _, _, aliases, ids = grouped.setdefault(fold(key), (key, actor, set(), []))
        aliases.add(name)
        ids.extend(mentions[name])
    out = []
    for _folded, (key, actor, aliases, ids) in sorted(grouped.items()):
        forms = set(aliases) | set(_gazetteer_aliases(key))
        out.append(
            CanonicalActor(
                id=make_id("organisation", fold(key), prefix="o_"),
                name=key,
                type=actor.type if actor else ActorType.OTHER,
                country=actor.country if actor else None,
                aliases=tuple(sorted(forms - {key})),
                mentions=tuple(sorted(set(ids))),
            )
        )
    return out


def _gazetteer_aliases(name: str) -> Sequence[str]:
    return gazetteer().aliases_of(name)
