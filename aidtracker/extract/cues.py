"""The cue words of one language (`vocab/<lang>/cues.yml`, `sectors.yml`), validated and compiled.

Extraction rules ask questions of these ("is this verb a commitment verb, and what status
does it state?"); the words themselves are data, so a new language is a new folder of YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aidtracker.errors import VocabularyError
from aidtracker.types import AgreementStatus, AgreementType, EventType, Instrument, Kind, Sector, Status
from aidtracker.vocab import load_yaml


def phrase_pattern(phrases: list[str] | frozenset[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of `phrases` on word boundaries."""
    words = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


def _ending(phrases: list[str]) -> re.Pattern[str]:
    """A pattern for phrases that end the text before a figure, allowing a hedge ("including some")."""
    words = "|".join(re.escape(p.lower()) for p in sorted(phrases, key=len, reverse=True))
    hedge = r"(?:some\s+|about\s+|around\s+|nearly\s+|almost\s+|over\s+)?"
    return re.compile(rf"\b(?:{words})\s*,?\s+{hedge}$", re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    """Compiled cue vocabulary of one language."""

    commitment_verbs: dict[str, Status]
    aid_nouns: frozenset[str]
    aid_noun_re: re.Pattern[str]
    non_aid_strong_re: re.Pattern[str]
    non_aid_weak_re: re.Pattern[str]
    cumulative_strong_re: re.Pattern[str]
    cumulative_weak_re: re.Pattern[str]
    forward_re: re.Pattern[str]
    forward_modals: frozenset[str]
    new_re: re.Pattern[str]
    expected_re: re.Pattern[str]
    instrument_res: tuple[tuple[Instrument, re.Pattern[str]], ...]
    kind_res: tuple[tuple[Kind, re.Pattern[str]], ...]
    sector_kinds: dict[Sector, Kind]  # the kind a sector implies when no kind word is written
    in_kind_sector_kinds: dict[Sector, Kind]  # where a delivery in kind differs (generators: humanitarian)
    instrument_kinds: dict[Instrument, Kind]
    sector_res: tuple[tuple[Sector, re.Pattern[str]], ...]
    channel_heads: frozenset[str]
    in_kind_heads: frozenset[str]
    delivery_verbs: frozenset[str]
    arriving_verbs: frozenset[str]  # "the remaining 40 buses are scheduled to arrive": delivered, giver unsaid
    handing_verbs: frozenset[str]  # "has donated 1,000 prosthetic components": a counted object is an item
    not_items: frozenset[str]  # counted nouns never handed over ("sent 20 instructors", "40 schools")
    stand_in_items: frozenset[str]  # "the first 80 units": a word that stands for items named before
    channel_cue_re: re.Pattern[str]  # "through", "via": what follows is the channel, wherever it hangs
    organ_heads: frozenset[str]  # a body's organs: "its board", "their parliament" stand for the body
    possessive_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]  # "Latvia, which paid ...": the pronoun stands for the noun before it
    contains_verbs: frozenset[str]  # lemmas that list a package's parts ("including 50 vehicles")
    receiving_verbs: frozenset[str]  # lemmas whose subject is the recipient ("Ukraine will receive")
    many_places_nouns: frozenset[str]  # "in more than 150 countries": a figure spread over many places
    commercial_sites: frozenset[str]  # "invest CHF 6 million in the plant": a business, not aid
    donor_group_nouns: frozenset[str]  # "from 16 member countries": givers counted together, not named
    donor_group_prepositions: frozenset[str]
    donor_group_modifiers: frozenset[str]  # "in external financing": aid from many givers
    unnamed_donors: str  # the coalition such a figure is recorded under
    status_nouns: dict[str, Status]  # "Previous payouts include €6 billion": provided
    measure_nouns: frozenset[str]  # "the total value of ... assistance": a measure of aid
    table_status_headers: dict[str, Status]  # a table column headed "Pledged" or "Paid-in"
    table_amount_headers: frozenset[str]  # "Amount (EUR)": a column of money, status unsaid
    table_total_labels: frozenset[str]  # "Total | 5,900,000": a row that sums the others
    beneficiary_prepositions: frozenset[str]  # "a package ... for NATO's trust fund": whom the phrase is for
    not_name_words: frozenset[str]  # "Cookie Policy": words no person's name is made of
    municipal_words: frozenset[str]  # "the twin city Nuremberg", "City of Edinburgh Council": a town's own body
    public_body_descriptors: frozenset[str]  # "the Foreign Ministry": a government's organ, not a giver of its own
    company_nouns: frozenset[str]  # "Corvanta, the Antwerp-based chemicals group": the name is a company's
    denying_verbs: frozenset[str]  # "denied a report that it was preparing $100 million": no commitment
    conditional_marks: frozenset[str]  # "If New Zealand matched ..., it would be giving NZ$1 billion"
    mutual_verbs: frozenset[str]  # "The EU and Ukraine signed": done together, so no one gives
    not_giving_verbs: frozenset[str]  # "the fund, managed by UNDP": the clause's agent is not the giver
    subnational_words: frozenset[str]  # "the federal state of Upper Austria": a region that gives by its name
    leading_verbs: frozenset[str]  # "the Czech-led initiative": a group that state leads gives
    restating_nouns: frozenset[str]  # "The money, CZK 600 million, ...": the figure before, restated
    restating_determiners: frozenset[str]  # the words before such a noun: "The money", "This sum"
    raising_verbs: frozenset[str]  # "brings the Danish total to DKK 700 million": the figure is a total's new level
    paying_verbs: frozenset[str]  # lemmas whose subject pays ("Denmark will finance"), whatever their status
    reporting_verbs: frozenset[str]  # lemmas that report a clause ("Denmark will pay ..., the ministry said")
    not_delivered_heads: frozenset[str]
    agreement_nouns: dict[str, AgreementType]
    agreement_noun_re: re.Pattern[str]
    agreement_verbs: dict[str, AgreementStatus]
    joint_verbs: dict[str, AgreementType]
    joint_re: re.Pattern[str]
    event_nouns: dict[str, EventType]
    event_noun_re: re.Pattern[str]
    event_verbs: dict[str, EventType]
    next_event_words: frozenset[str]  # "the next meeting": another event of the series
    role_titles: frozenset[str]
    counterpart_words: frozenset[str]  # "his Ukrainian counterpart Andrii Sybiha": the state's official
    office_words: frozenset[str]  # words of offices and their portfolios: no name starts with one
    role_re: re.Pattern[str]
    organisation_descriptors: frozenset[str]
    legal_suffixes: frozenset[str]
    private_parties: frozenset[str]
    hostility_re: re.Pattern[str]
    particle_verbs: dict[str, frozenset[str]]
    number_words: dict[str, int]
    part_of_re: re.Pattern[str]
    item_value_re: re.Pattern[str]
    contains_re: re.Pattern[str]
    total_re: re.Pattern[str]


def _lower_words(data: dict[str, Any], key: str, where: str) -> frozenset[str]:
    """A word list of the file, lower-cased, as the extractors compare tokens' lower forms."""
    return frozenset(str(w).lower() for w in _need(data, key, where))


def _need(data: dict[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise VocabularyError(f"{where}: missing key {key!r}")
    return data[key]


def _enum_map(raw: dict[str, str], enum: type[Any], where: str) -> dict[str, Any]:
    out = {}
    for word, value in raw.items():
        try:
            out[str(word).lower()] = enum(value)
        except ValueError as exc:
            raise VocabularyError(f"{where}: {word!r} -> {value!r} is not a valid {enum.__name__}") from exc
    return out


def _enum_pairs(raw: dict[str, str], keys: type[Any], values: type[Any], where: str) -> dict[Any, Any]:
    try:
        return {keys(k): values(v) for k, v in raw.items()}
    except ValueError as exc:
        raise VocabularyError(f"{where}: {exc}") from exc


@lru_cache(maxsize=4)
def cues(lang: str = "en") -> Cues:
    """The validated cue vocabulary of `lang`, compiled once per process."""
    where = f"vocab/{lang}/cues.yml"
    data = load_yaml("cues", lang)
    sectors = load_yaml("sectors", lang)
    numbers = load_yaml("numbers", lang) if _exists("numbers", lang) else {}
    instrument_res = tuple(
        (Instrument(k), phrase_pattern(v)) for k, v in _need(data, "instrument_words", where).items()
    )
    kind_res = tuple((Kind(k), phrase_pattern(v)) for k, v in _need(data, "kind_words", where).items())
    try:
        sector_res = tuple((Sector(k), phrase_pattern(v)) for k, v in sectors.items())
    except ValueError as exc:
        raise VocabularyError(f"vocab/{lang}/sectors.yml: {exc}") from exc
    agreement_nouns = _enum_map(_need(data, "agreement_nouns", where), AgreementType, where)
    event_nouns = _enum_map(_need(data, "event_nouns", where), EventType, where)
    joint_verbs = _enum_map(_need(data, "joint_verbs", where), AgreementType, where)
    roles = _lower_words(data, "role_titles", where)
    return Cues(
        commitment_verbs=_enum_map(_need(data, "commitment_verbs", where), Status, where),
        aid_nouns=_lower_words(data, "aid_nouns", where),
        aid_noun_re=phrase_pattern(_need(data, "aid_nouns", where)),
        non_aid_strong_re=phrase_pattern(_need(data, "non_aid_strong", where)),
        non_aid_weak_re=phrase_pattern(_need(data, "non_aid_weak", where)),
        cumulative_strong_re=phrase_pattern(_need(data, "cumulative_strong", where)),
        cumulative_weak_re=phrase_pattern(_need(data, "cumulative_weak", where)),
        forward_re=phrase_pattern(_need(data, "forward_phrases", where)),
        forward_modals=frozenset(_need(data, "forward_modals", where)),
        new_re=phrase_pattern(_need(data, "new_phrases", where)),
        expected_re=phrase_pattern(_need(data, "expected_phrases", where)),
        instrument_res=instrument_res,
        kind_res=kind_res,
        sector_kinds=_enum_pairs(data.get("sector_kinds") or {}, Sector, Kind, where),
        in_kind_sector_kinds=_enum_pairs(data.get("in_kind_sector_kinds") or {}, Sector, Kind, where),
        instrument_kinds=_enum_pairs(data.get("instrument_kinds") or {}, Instrument, Kind, where),
        sector_res=sector_res,
        channel_heads=frozenset(_need(data, "channel_heads", where)),
        in_kind_heads=_lower_words(data, "in_kind_heads", where),
        delivery_verbs=frozenset(_need(data, "delivery_verbs", where)),
        arriving_verbs=_lower_words(data, "arriving_verbs", where),
        handing_verbs=_lower_words(data, "handing_verbs", where),
        not_items=_lower_words(data, "not_items", where),
        stand_in_items=_lower_words(data, "stand_in_items", where),
        channel_cue_re=phrase_pattern(_need(data, "channel_cues", where)),
        organ_heads=_lower_words(data, "organ_heads", where),
        possessive_pronouns=_lower_words(data, "possessive_pronouns", where),
        relative_pronouns=_lower_words(data, "relative_pronouns", where),
        contains_verbs=frozenset(_need(data, "contains_verbs", where)),
        receiving_verbs=frozenset(_need(data, "receiving_verbs", where)),
        reporting_verbs=frozenset(_need(data, "reporting_verbs", where)),
        paying_verbs=frozenset(_need(data, "paying_verbs", where)),
        not_giving_verbs=_lower_words(data, "not_giving_verbs", where),
        subnational_words=_lower_words(data, "subnational_words", where),
        leading_verbs=_lower_words(data, "leading_verbs", where),
        restating_nouns=_lower_words(data, "restating_nouns", where),
        restating_determiners=_lower_words(data, "restating_determiners", where),
        raising_verbs=_lower_words(data, "raising_verbs", where),
        mutual_verbs=_lower_words(data, "mutual_verbs", where),
        measure_nouns=_lower_words(data, "measure_nouns", where),
        table_status_headers=_enum_map(_need(data, "table_status_headers", where), Status, where),
        table_amount_headers=_lower_words(data, "table_amount_headers", where),
        table_total_labels=_lower_words(data, "table_total_labels", where),
        beneficiary_prepositions=_lower_words(data, "beneficiary_prepositions", where),
        not_name_words=_lower_words(data, "not_name_words", where),
        municipal_words=_lower_words(data, "municipal_words", where),
        public_body_descriptors=_lower_words(data, "public_body_descriptors", where),
        company_nouns=_lower_words(data, "company_nouns", where),
        denying_verbs=_lower_words(data, "denying_verbs", where),
        conditional_marks=_lower_words(data, "conditional_marks", where),
        status_nouns=_enum_map(_need(data, "status_nouns", where), Status, where),
        many_places_nouns=_lower_words(data, "many_places_nouns", where),
        commercial_sites=_lower_words(data, "commercial_sites", where),
        donor_group_nouns=_lower_words(data, "donor_group_nouns", where),
        donor_group_prepositions=_lower_words(data, "donor_group_prepositions", where),
        donor_group_modifiers=_lower_words(data, "donor_group_modifiers", where),
        unnamed_donors=str(_need(data, "unnamed_donors", where)),
        not_delivered_heads=frozenset(_need(data, "not_delivered_heads", where)),
        agreement_nouns=agreement_nouns,
        agreement_noun_re=phrase_pattern(list(agreement_nouns)),
        agreement_verbs=_enum_map(_need(data, "agreement_verbs", where), AgreementStatus, where),
        joint_verbs=joint_verbs,
        joint_re=phrase_pattern(list(joint_verbs)),
        event_nouns=event_nouns,
        event_noun_re=phrase_pattern(list(event_nouns)),
        event_verbs=_enum_map(_need(data, "event_verbs", where), EventType, where),
        next_event_words=_lower_words(data, "next_event_words", where),
        role_titles=roles,
        counterpart_words=_lower_words(data, "counterpart_words", where),
        office_words=frozenset(w for r in roles for w in r.split())
        | frozenset(str(w).lower() for w in data.get("portfolio_words", [])),
        role_re=phrase_pattern(list(roles)),
        organisation_descriptors=frozenset(data.get("organisation_descriptors", [])),
        private_parties=frozenset(data.get("private_parties", [])),
        hostility_re=phrase_pattern(data.get("hostility_words", [])),
        particle_verbs={str(k): frozenset(v) for k, v in (data.get("particle_verbs") or {}).items()},
        legal_suffixes=frozenset(
            str(x).lower() for x in load_yaml("actors").get("legal_suffixes", [])
        ),  # once per lang
        number_words={str(k).lower(): int(v) for k, v in numbers.get("cardinals", {}).items()},
        part_of_re=_ending(_need(data, "part_of_phrases", where)),
        item_value_re=_ending(_need(data, "item_value_phrases", where)),
        contains_re=phrase_pattern(_need(data, "contains_phrases", where)),
        total_re=phrase_pattern(_need(data, "total_phrases", where)),
    )


def _exists(name: str, lang: str) -> bool:
    from pathlib import Path

    import aidtracker.vocab as vocab

    return (Path(vocab.__file__).parent / lang / f"{name}.yml").is_file()
