"""Vocabulary files: every one loads and validates, and the actor gazetteer built from them
neither matches ordinary English words nor lets one alias stand for two actors."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable

import pycountry
import pytest

from aidtracker.extract.actors import gazetteer
from aidtracker.extract.cues import cues
from aidtracker.extract.dates import find_dates
from aidtracker.ingest import article_from_text, load_cues
from aidtracker.segment import segment
from aidtracker.types import ActorType
from aidtracker.vocab import load_money_vocab, load_yaml


def _yaml_files() -> list[tuple[str, str | None]]:
    """(name, language) of every packaged vocab/*.yml and vocab/<lang>/*.yml."""
    root: Traversable = files("aidtracker.vocab")
    out: list[tuple[str, str | None]] = []
    for node in root.iterdir():
        if node.is_file() and node.name.endswith(".yml"):
            out.append((node.name.removesuffix(".yml"), None))
        elif node.is_dir() and len(node.name) in {2, 3} and node.name.isalpha():
            out.extend((f.name.removesuffix(".yml"), node.name) for f in node.iterdir() if f.name.endswith(".yml"))
    return sorted(out, key=lambda x: (x[1] or "", x[0]))


YAML_FILES = _yaml_files()


def test_the_vocabulary_ships_its_core_files() -> None:
    names = {f"{lang}/{name}" if lang else name for name, lang in YAML_FILES}
    assert {"actors", "currencies", "en/actors", "en/cues", "en/money", "en/dates", "en/furniture"} <= names


@pytest.mark.parametrize(("name", "lang"), YAML_FILES, ids=[f"{lang or '-'}/{name}" for name, lang in YAML_FILES])
def test_every_yaml_file_parses(name: str, lang: str | None) -> None:
    data = load_yaml(name, lang)
    assert isinstance(data, dict | list) and data


def test_typed_loaders_validate() -> None:
    money = load_money_vocab("en")
    assert "USD" in money.codes and "EUR" in money.codes
    c = cues("en")
    assert c.commitment_verbs and c.aid_nouns and c.role_titles and c.number_words
    gaz = gazetteer("en")
    assert gaz.lookup("Japan") is not None
    assert load_cues("en") is not None


def test_dates_and_segment_vocabularies_are_used() -> None:
    (mention,) = find_dates("The talks end on February 19.", ref=date(2024, 1, 10))
    assert mention.value == date(2024, 2, 19)
    article = article_from_text("Aid for Ukraine announced today\n\nThe U.S. gave aid. Japan did too.\n", "test:vocab")
    assert [s.text for s in segment(article)][1:] == ["The U.S. gave aid.", "Japan did too."]


def test_a_wire_dateline_is_cut_off_its_first_sentence() -> None:
    """"KYIV, 12 March 2025 — The EIB signed …": the sentence starts at its subject, the dateline is furniture."""
    text = "EIB lends to Ukraine\n\nKYIV, 12 March 2025 — The EIB signed a loan with Ukraine. It is large.\n"
    sentences = segment(article_from_text(text, "test:dateline"))
    dateline, first, second = sentences[1:]
    assert dateline.text == "KYIV, 12 March 2025 —" and dateline.is_furniture
    assert (first.text, first.is_furniture) == ("The EIB signed a loan with Ukraine.", False)
    assert second.text == "It is large."
    assert text[first.span.start : first.span.end] == first.text


def test_nlp_vocabulary_lists_models() -> None:
    models = load_yaml("nlp", "en")["models"]
    assert models and all(isinstance(m, str) and m for m in models)


# ---------------------------------------------------------------------------------------------
# Ordinary words that must never be read as an actor, in lower case or opening a sentence.
# Names that are also words ("Turkey", "Chad", "Jordan") are matched case-sensitively and are
# not listed; "Congress" alone is a deliberate alias of the U.S. Congress.
_COMMON = """
the of and to a in is it you that he was for on are with as his they be at one have this from or
had by word but what some we can out other were all there when up use your how said an each she
which do their time if will way about many then them write would like so these her long make
thing see him two has look more day could go come did number sound no most people my over know
water than call first who may down side been now find any new work part take get place made live
where after back little only round man year came show every good me give our under name very
through just form great think say help low line before turn cause same mean differ move right boy
old too does tell sentence set three want air well also play small end put home read hand port
large spell add even land here must big high such follow act why ask men change went light kind
off need house picture try us again animal point mother world near build self earth father head
stand own page should country found answer school grow study still learn plant cover food sun four
thought let keep eye never last door between city tree cross since hard start might story saw far
sea draw left late run while press close night real life few stop open seem together next white
children begin got walk example ease paper often always music those both mark book letter until
mile river car feet care second group carry took rain eat room friend began idea fish mountain
north once base hear horse cut sure watch color face wood main enough plain girl usual young ready
above ever red list though feel talk bird soon body dog family direct pose leave song measure state
product black short numeral class wind question happen complete ship area half rock order fire
south problem piece told knew pass farm top whole king size heard best hour better true during
hundred am remember step early hold west ground interest reach fast five sing listen six table
travel less morning ten simple several vowel toward war lay against pattern slow center love person
money serve appear road map science rule govern pull cold notice voice fall power town fine certain
fly unit lead cry dark machine note wait plan figure star box noun field rest correct able pound
done beauty drive stood contain front teach week final gave green oh quick develop sleep warm free
minute strong special mind behind clear tail produce fact street inch lot nothing course stay wheel
full force blue object decide surface deep moon island foot yet busy test record boat common gold
possible plane age dry wonder laugh thousand ago ran check game shape yes hot miss brought heat snow
bed bring sit perhaps fill east weight language among
foreign bank council office ministry government fund union european national federal states
department minister president agency development international group commission parliament
alliance nations united republic kingdom western eastern central security defence defense aid
support trade energy peace facility programme program relief finance treasury cabinet army navy
forces embassy coalition partners allies donors league assembly court senate house
"""
COMMON_WORDS = _COMMON.split()


def test_no_actor_alias_is_a_common_word() -> None:
    assert len(set(COMMON_WORDS)) >= 200
    gaz = gazetteer("en")
    matched: dict[str, list[str]] = {}
    for word in COMMON_WORDS:
        for form in (word, word.capitalize()):
            actors = [m.actor.name for m in gaz.find(f"{form} said so.")]
            actor = gaz.lookup(form)
            if actors or actor is not None:
                matched[form] = actors or [actor.name if actor else ""]
    assert not matched, f"ordinary words read as actors: {matched}"


def test_deliberate_word_aliases_still_match() -> None:
    """The check above is not vacuous: names that are words elsewhere do match where meant."""
    gaz = gazetteer("en")
    assert [m.actor.name for m in gaz.find("Congress approved it.")] == ["U.S. Congress"]
    assert [m.actor.name for m in gaz.find("The bloc agreed.")] == ["European Union"]


# ---------------------------------------------------------------------------------------------
# One alias, one actor.
def test_every_country_alias_resolves_to_one_country() -> None:
    gaz = gazetteer("en")
    countries = load_yaml("actors", "en")["countries"]
    claimed: dict[str, set[str]] = defaultdict(set)
    for code, forms in countries.items():
        for key in ("names", "demonyms", "capitals"):
            for alias in forms.get(key) or []:
                claimed[alias].add(code)
    shared = {alias: codes for alias, codes in claimed.items() if len(codes) > 1}
    assert not shared, f"aliases listed under several countries: {shared}"
    for alias, (code,) in claimed.items():
        actor = gaz.lookup(alias)
        canonical = gaz.country(code)
        assert actor is not None and canonical is not None, alias
        assert (actor.name, actor.type, actor.country) == (canonical.name, ActorType.COUNTRY, code), alias


def test_every_iso_country_name_resolves_to_its_country() -> None:
    gaz = gazetteer("en")
    wrong = {}
    for c in pycountry.countries:
        actor = gaz.lookup(str(c.name))
        if actor is None or actor.country != c.alpha_2:
            wrong[c.name] = actor.name if actor else None
    assert not wrong, wrong


def test_every_organisation_alias_resolves_to_one_organisation() -> None:
    gaz = gazetteer("en")
    claimed: dict[str, set[str]] = defaultdict(set)
    base = load_yaml("actors")["organisations"]
    local = load_yaml("actors", "en").get("organisations") or {}
    for org in base:
        for alias in [org["name"], *(org.get("aliases") or []), *(local.get(org["name"]) or [])]:
            claimed[alias].add(org["name"])
    shared = {alias: names for alias, names in claimed.items() if len(names) > 1}
    assert not shared, f"aliases of several organisations: {shared}"
    shadowed = {}
    for alias, (name,) in claimed.items():
        actor = gaz.lookup(alias)
        if actor is None or actor.name != name:
            shadowed[alias] = actor.name if actor else None
    assert not shadowed, f"aliases that resolve to another actor: {shadowed}"


def test_language_organisations_name_known_organisations() -> None:
    """An English entry for an organisation the base file lacks would be silently ignored."""
    base = {org["name"] for org in load_yaml("actors")["organisations"]}
    local = load_yaml("actors", "en").get("organisations") or {}
    assert set(local) <= base, set(local) - base


def test_acts_for_and_national_currencies_name_known_actors() -> None:
    gaz = gazetteer("en")
    for org in load_yaml("actors")["organisations"]:
        if org.get("acts_for"):
            assert gaz.lookup(org["acts_for"]) is not None, org
        if org.get("country"):
            assert gaz.country(org["country"]) is not None, org
    money = load_money_vocab("en")
    data = load_yaml("actors")
    for table in ("national_currencies", "dollar_currencies"):
        for code, currency in data[table].items():
            assert gaz.country(code) is not None, (table, code)
            assert currency in money.codes, (table, currency)


@pytest.mark.parametrize(
    "second",
    ["$750 million is a loan.", "€20m went to schools.", "Škoda buses arrived.", "«Thank you», he said."],
)
def test_a_sentence_may_open_with_a_currency_sign_or_an_accented_capital(second: str) -> None:
    article = article_from_text(f"Aid for Ukraine announced today\n\nThe bank approved it. {second}\n", "test:seg")
    assert [s.text for s in segment(article)][1:] == ["The bank approved it.", second]
