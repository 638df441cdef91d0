"""People: named persons with canonical "Given Family" names, their office and affiliation.

Input: a prepared `DocContext`. Output: one `Person` per real person in the article, every
other spelling kept as an alias. Names come from the NER's PERSON entities and from the
family-name-in-capitals form ("KISHIDA Fumio"); office and affiliation from the words around
the name ("Japanese Foreign Minister …", "…, associate professor at Keio University").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from spacy.tokens import Doc

from aidtracker.extract.context import DocContext
from aidtracker.records import Evidence, Person, Span
from aidtracker.vocab import load_yaml

_CAPS_NAME = re.compile(r"\b([A-Z][A-Z'-]{2,})\s+([A-Z][a-z'-]+(?:-[a-z]+)?)\b")
_ROLE_WORD = re.compile(r"^[A-Z][\w'’-]*$|^(?:and|of|for|to|the|&)$")
# A capitalised office right before two or three capitalised words: "First Lady Olena Zelenska".
_TITLED_NAME = re.compile(
    r"\b((?:[A-Z][a-z]+\s+){0,3}[A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)\b(?!\s+[A-Z])"
)
_TRAIL = re.compile(r"(?:'s|’s|')$")
# A word of a name: capitalised, with at least one small letter ("Shmyhal", "Renaud-Basso", "O'Neill").
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_NAME_WORD = rf"[{_UPPER}][\w'’-]*[a-zß-ÿā-ž][\w'’-]*"
# An office, then words that say whose it is: "Minister of Finance of Ukraine", "Ambassador ... to Ukraine".
_OWNER_PHRASE = re.compile(rf"\s+(?:of|for|to)\s+(?:the\s+)?(?:[{_UPPER}][\w'’&.-]*\s*)+$")
# The same, where an office's own portfolio may join two words: "Minister of Education and Science".
_PORTFOLIO_OR_OWNER = re.compile(
    rf"\s+(?:of|for|to)\s+(?:the\s+)?[{_UPPER}][\w'’&.-]*(?:\s+(?:and\s+|&\s+)?[{_UPPER}][\w'’&.-]*)*\s*$"
)
_OFFICE_BETWEEN_COMMAS = re.compile(r"\s*,\s*(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4})\s*,")
_TITLED_SURNAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z])")


@lru_cache(maxsize=1)
def _known_people() -> dict[str, str]:
    """Folded spelling (and surname) -> canonical name, from vocab/people.yml."""
    out: dict[str, str] = {}
    for entry in load_yaml("people"):
        for form in (entry["name"], *entry.get("aliases", [])):
            out[form.lower()] = entry["name"]
    return out


def _known_full_name(surname: str) -> str | None:
    """The canonical full name a lone, known surname stands for ("Zelenskyy")."""
    full = _known_people().get(surname.lower())
    return full if full is not None and len(full.split()) > 1 else None


@lru_cache(maxsize=4)
def _given_names(lang: str) -> frozenset[str]:
    return frozenset(load_yaml("actors", lang).get("family_first_given_names", []))


@lru_cache(maxsize=4)
def _name_words(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Family-first surnames, in-name particles and honorifics of a language's names."""
    data = load_yaml("actors", lang)
    return (
        frozenset(data.get("family_first_surnames", [])),
        frozenset(data.get("name_particles", [])),
        frozenset(data.get("honorifics", [])),
    )


@lru_cache(maxsize=4)
def _name_shape(lang: str) -> re.Pattern[str]:
    """Two or three name words, with middle initials, in-name particles and a generational suffix."""
    _surnames, particles, _honorifics = _name_words(lang)
    particle = "|".join(sorted((re.escape(p) for p in particles), key=len, reverse=True)) or "(?!x)x"
    suffix = "|".join(re.escape(x) for x in _suffixes(lang)) or "(?!x)x"
    joint = rf"\s+(?:[{_UPPER}]\.\s+)?(?:(?:{particle})\s+)*"
    return re.compile(
        rf"(?P<name>{_NAME_WORD}(?:{joint}{_NAME_WORD}){{1,2}}(?:,?\s+(?:{suffix})\.?(?![\w-]))?)(?![\w-])(?!\s+[{_UPPER}])"
    )


@lru_cache(maxsize=4)
def _suffixes(lang: str) -> frozenset[str]:
    return frozenset(str(x) for x in load_yaml("actors", lang).get("name_suffixes", []))


def _office_at_end(ctx: DocContext, text: str) -> bool:
    """True if `text` ends with an office ("German Chancellor"), so a name may follow it."""
    roles = list(ctx.cues.role_re.finditer(text))
    return bool(roles) and roles[-1].end() == len(text)


def _office_ends(ctx: DocContext, left: str) -> bool:
    """True if `left` ends with an office, whoever's: "the Prime Minister of Ukraine", "the Minister of Defence,"."""
    left = left.rstrip()
    left = left[:-1].rstrip() if left.endswith(",") else left
    for _ in range(4):
        if _office_at_end(ctx, left):
            return True
        owner = _OWNER_PHRASE.search(left)
        if owner is None:
            return False
        left = left[: owner.start()].rstrip()
    return False


def _office_names(ctx: DocContext, text: str) -> list[tuple[int, int]]:
    """Spans of names that follow an office ("Minister of Finance of Ukraine Serhii Marchenko").

    The small English model misses many names it has not seen (most Ukrainian ones) or cuts
    them ("Ursula von"); an office right before two or three name-shaped words is a person
    however the model reads them, unless a word is a known actor, an office or an
    organisation's ("Trust Fund").
    """
    shape = _name_shape(ctx.lang)
    not_names = ctx.cues.organisation_descriptors | ctx.cues.legal_suffixes
    found: list[tuple[int, int]] = []
    for start in (m.start() for m in re.finditer(rf"(?<![\w'’-])[{_UPPER}]", text)):
        if found and start < found[-1][1]:
            continue
        m = shape.match(text, start)
        if m is None or not _office_ends(ctx, text[:start]):
            continue
        words = [w.rstrip(".,") for w in m.group("name").split()]
        if words[0].lower() in ctx.cues.office_words:
            continue  # "for International | Development Pat Conroy": the name starts later
        if any(w.lower() in not_names or ctx.gaz.lookup(w) is not None for w in words):
            continue
        if ctx.cues.role_re.search(m.group("name")) or ctx.gaz.lookup(m.group("name")) is not None:
            continue
        found.append((m.start("name"), m.end("name")))
    return found


def canonical_name(raw: str, lang: str = "en") -> str:
    """A name in "Given Family" order, without honorifics or middle initials.

    "KISHIDA Fumio" -> "Fumio Kishida"; "Iwaya Takeshi" -> "Takeshi Iwaya"; "Yoon Suk Yeol" ->
    "Suk Yeol Yoon"; "Antony J. Blinken" -> "Antony Blinken"; others unchanged.
    """
    surnames, _particles, honorifics = _name_words(lang)
    parts = [p.rstrip(",") for p in _TRAIL.sub("", raw.strip()).split() if p.strip(".") not in honorifics]
    if len(parts) > 2 and parts[-1].strip(".") in _suffixes(lang):
        parts = parts[:-1]  # "Lloyd J. Austin III" is Lloyd Austin
    if len(parts) > 2:
        parts = [parts[0], *(p for p in parts[1:-1] if not re.fullmatch(r"[A-Z]\.?", p)), parts[-1]]
    if len(parts) == 2:
        first, second = parts
        if len(first) > 2 and first.isupper() and not second.isupper():
            return f"{second} {first.capitalize()}"
        given = _given_names(lang)
        if second in given and first not in given:
            return f"{second} {first}"
    if len(parts) >= 2 and parts[0] in surnames and ("-" in parts[1] or len(parts) == 3):
        return " ".join([*parts[1:], parts[0]])  # "Kim Bum-seok", "Yoon Suk Yeol"
    return " ".join(p.capitalize() if p.isupper() and len(p) > 2 else p for p in parts)


@dataclass
class _Draft:
    name: str
    evidence: Evidence
    aliases: set[str] = field(default_factory=set)
    role: str | None = None
    affiliation: str | None = None

    @property
    def given(self) -> str:
        return self.name.split()[0]

    @property
    def family(self) -> str:
        return self.name.split()[-1]


def _same_person(a: str, b: str) -> bool:
    """Two full names of one person: same given name and near-identical family names."""
    ga, fa = a.split()[0].lower(), a.split()[-1].lower()
    gb, fb = b.split()[0].lower(), b.split()[-1].lower()
    return ga == gb and (fa == fb or SequenceMatcher(None, fa, fb).ratio() >= 0.8)


def _role_and_affiliation(ctx: DocContext, i: int, start: int, end: int) -> tuple[str | None, str | None]:
    """The office and affiliation stated next to a name at [start, end) of sentence `i`."""
    sent = ctx.sentences[i]
    text = sent.text
    base = sent.span.start
    left = text[: start - base]
    right = text[end - base :]
    role = affiliation = None
    # Left: "... Japanese Foreign Minister | Name" / "Ukraine's Prime Minister, | Name"
    words = re.findall(r"[\w'’-]+|,", left)
    j = len(words)
    if j and words[j - 1] == ",":
        j -= 1
    k = j
    while k > 0 and (_ROLE_WORD.match(words[k - 1]) or words[k - 1].lower() in ctx.cues.role_titles):
        if words[k - 1] == "the" and (k < 2 or words[k - 2] not in {"of", "to", "for"}):
            break  # "of the Italian Republic" belongs to the office; "... and the Foreign Minister" starts one
        k -= 1
    phrase_words = words[k:j]
    while phrase_words and phrase_words[0] in {"and", "of", "for", "to", "the", "&"}:
        phrase_words = phrase_words[1:]
    phrase = " ".join(phrase_words)
    # "Prime Minister of Ukraine | Name": the office, then whose it is.
    owners: list[str] = []
    while (
        not _office_at_end(ctx, phrase)
        and (cut := _PORTFOLIO_OR_OWNER.search(phrase)) is not None
        and len(owners) < 3
    ):
        owners.append(phrase[cut.start() :])
        phrase = phrase[: cut.start()].rstrip()
    # "Minister of Foreign Affairs of Norway": the owner nearest the office may be its portfolio.
    portfolio = ""
    while owners and _is_portfolio(ctx, owners[-1]):
        portfolio += owners.pop()
    matches = list(ctx.cues.role_re.finditer(phrase))
    m = matches[-1] if matches else None
    if m is not None and m.end() == len(phrase) and owners:
        for owner_text in owners:
            if owner_text.split()[0] == "to":
                continue  # "Ukrainian Ambassador to Japan" is posted to Japan, not Japan's
            if (named := next(iter(ctx.gaz.find(owner_text)), None)) is not None:
                affiliation = named.actor.name
                break
    if m is not None and m.end() == len(phrase):
        role_start = m.start()
        owner = phrase[:role_start].strip()
        role = phrase[role_start:].strip()
        # Keep a descriptive lead-in that is not an actor ("Environmental Protection ... Minister").
        owner_actor = None
        for a in ctx.gaz.find(owner):
            owner_actor = a.actor
        if owner_actor is not None:
            affiliation = affiliation or owner_actor.name
            rest = owner[owner.find(a.text) + len(a.text) :].strip(" ’'s")
            role = f"{rest} {role}".strip() if rest else role
        elif owner:
            org = re.sub(r"(?:'s|’s)$", "", owner).strip()
            if org and org[0].isupper() and len(org.split()) <= 4 and not role[0].isupper():
                affiliation = org  # "Keidanren chair"
            else:
                role = f"{owner} {role}".strip()
        role = role[0].upper() + role[1:] + portfolio if role else role
    # "his Ukrainian counterpart Andrii Sybiha": whose official the counterpart is, not the office.
    tail = [w for w in words if w != ","][-3:]
    if affiliation is None and tail and tail[-1].lower() in ctx.cues.counterpart_words:
        states = [s for w in tail[:-1] if (s := ctx.gaz.lookup(w)) is not None and s.type.value == "country"]
        if states:
            affiliation = states[-1].name
    # Right: "Name, associate professor at Keio University" / "Name, Prime Minister of the Netherlands"
    rm = re.match(
        r"\s*,\s*(?:an?\s+|the\s+)?([A-Za-z][\w\s'-]{0,60}?)\s+(?:of|at)\s+(?:the\s+)?([A-Z][^,;:()]*)", right
    )
    if rm and ctx.cues.role_re.search(rm.group(1)) and rm.group(1).split()[0].lower() not in {"and", "or"}:
        # not "Name, and the Head of ...": the next person's office
        role = role or rm.group(1).strip()
        role = role[0].upper() + role[1:]
        if affiliation is None:
            affiliation = _organisation_named(ctx, rm.group(2))
    # "Ms. Kristalina Georgieva, Managing Director, said": an office alone between commas.
    alone = _OFFICE_BETWEEN_COMMAS.match(right)
    if role is None and alone and ctx.cues.role_re.fullmatch(alone.group(1)):
        role = alone.group(1)
    return role, affiliation


def _is_portfolio(ctx: DocContext, owner: str) -> bool:
    """Whether an "of ..." phrase after an office is its portfolio ("of Foreign Affairs"), not its owner."""
    words = [w.lower() for w in re.findall(r"[\w'’-]+", owner)]
    content = [w for w in words[1:] if w not in {"the", "and", "&"}]
    return bool(content) and all(w in ctx.cues.office_words for w in content)


def _organisation_named(ctx: DocContext, text: str) -> str | None:
    """The actor or organisation a capitalised phrase names: "Japan's Tohoku University" -> that university."""
    words: list[str] = []
    for w in text.split():
        bare = re.sub(r"(?:'s|’s)$", "", w).rstrip(".")
        if not bare or not bare[0].isupper():
            break
        if bare != w.rstrip("."):  # a possessive: "Japan's X" names X, "X's Faculty" names X
            if words or not ctx.gaz.lookup(bare):
                words.append(bare)
                break
            continue
        words.append(bare)
        if w.endswith("."):
            break
    name = " ".join(words)
    if not name:
        return None
    actor = ctx.gaz.lookup(name)
    return actor.name if actor else name


def extract_people(ctx: DocContext) -> list[Person]:
    """Every person named in the article's non-furniture text, merged across mentions."""
    drafts: list[_Draft] = []
    organisations: set[str] = set()
    singles: list[tuple[str, Evidence]] = []

    def add_full(raw: str, i: int, start: int, end: int) -> None:
        name = canonical_name(raw, ctx.lang)
        if any(ctx.gaz.lookup(w) is not None and ctx.gaz.lookup(w).type.value == "country" for w in name.split()):  # type: ignore[union-attr]
            return  # "Romania Ukraine": two states, not a person
        name = _known_people().get(name.lower(), name)  # "Serhii Marchenko" is Serhiy Marchenko
        ev = Evidence(ctx.article.id, Span(start, end), ctx.article.text[start:end])
        role, affiliation = _role_and_affiliation(ctx, i, start, end)
        for d in drafts:
            if _same_person(d.name, name):
                if raw != d.name:
                    d.aliases.add(_TRAIL.sub("", raw))
                if name != d.name:
                    d.aliases.add(name)
                d.role = d.role or role
                d.affiliation = d.affiliation or affiliation
                return
        d = _Draft(name, ev, role=role, affiliation=affiliation)
        if _TRAIL.sub("", raw) != name:
            d.aliases.add(_TRAIL.sub("", raw))
        drafts.append(d)

    def entities(i: int, doc: Doc, taken: list[tuple[int, int]]) -> None:
        base = ctx.sentences[i].span.start
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(s <= ent.start_char < e for s, e in taken):
                continue
            _surnames, particles, honorifics = _name_words(ctx.lang)
            tokens = [t for t in ent if not (t.is_punct or t.text in {"'s", "’s"})]
            while tokens and (
                tokens[0].text.lower() in ctx.cues.role_titles
                or (tokens[0].text.lower() in ctx.cues.office_words and len(tokens) > 2)  # "Science Oksen Lisovyi"
                or tokens[0].text.strip(".") in honorifics
                or ctx.gaz.lookup(tokens[0].text) is not None  # "Kyiv Lorenz Gessner": a place, then the name
            ):
                tokens = tokens[1:]
            if not tokens or any((not t.text[0].isupper() and t.text not in particles) or t.like_num for t in tokens):
                continue
            if any(t.text.lower() in ctx.cues.not_name_words for t in tokens):
                continue  # "Cookie Policy", "Humanitarian Needs": capitalised words, no one's name
            if any(t.text.strip(".").lower() in ctx.cues.legal_suffixes for t in tokens) or (
                tokens[-1].text.lower() in ctx.cues.organisation_descriptors
            ):  # "Military Administration", "Regional Council": a body, however the NER labels it
                organisations.add(" ".join(t.text for t in tokens))
                continue  # "Alpenstrom Technik GmbH" is a company however the NER labels it
            raw = doc[tokens[0].i : tokens[-1].i + 1].text  # "Renaud-Basso" keeps its hyphen
            if ctx.gaz.lookup(raw) or any(ctx.gaz.lookup(t.text) for t in tokens if len(tokens) == 1):
                continue
            if any(t.text.isupper() and len(t.text) > 1 for t in tokens[1:]):
                continue  # "Tsubame BHB": a capitalised tail is a company's, not a family name
            before = doc[tokens[0].i - 1].text.lower() if tokens[0].i > 0 else ""
            if before in ctx.cues.organisation_descriptors:
                organisations.add(raw)
                continue
            start = base + tokens[0].idx
            end = base + tokens[-1].idx + len(tokens[-1].text)
            if len(tokens) >= 2 and len(tokens) <= 4:
                add_full(raw, i, start, end)
            elif len(tokens) == 1:
                singles.append((raw, Evidence(ctx.article.id, Span(start, end), raw)))

    taken_in: dict[int, list[tuple[int, int]]] = {}
    for i in ctx.fact_sentences():
        sent = ctx.sentences[i]
        base = sent.span.start
        taken: list[tuple[int, int]] = []
        taken_in[i] = taken
        for m in _CAPS_NAME.finditer(sent.text):
            if ctx.gaz.lookup(m.group(1).capitalize()) or ctx.gaz.lookup(m.group(1)):
                continue
            taken.append((m.start(), m.end()))
            add_full(m.group(0), i, base + m.start(), base + m.end())
        for start, end in _office_names(ctx, sent.text):
            if any(s <= start < e for s, e in taken):
                continue
            taken.append((start, end))
            add_full(sent.text[start:end], i, base + start, base + end)
        doc = ctx.named(i)  # its entities, if any; the people rules need no parse
        if doc is None:
            continue
        entities(i, doc, taken)
        for m in _TITLED_NAME.finditer(sent.text):
            if any(s <= m.start(2) < e for s, e in taken) or not _office_at_end(ctx, m.group(1)):
                continue  # "German Chancellor | Olaf Scholz": the office must end right before the name
            if ctx.cues.role_re.search(m.group(2)) or any(ctx.gaz.lookup(w) for w in m.group(2).split()):
                continue
            if any(w in _name_words(ctx.lang)[2] for w in m.group(2).split()):
                continue  # "The Rt Hon Rachel": honorifics, not a name
            add_full(m.group(2), i, base + m.start(2), base + m.end(2))
        for m in _TITLED_SURNAME.finditer(sent.text):
            # "President Zelenskyy": a surname alone after an office, if the spelling is a known person.
            if not ctx.cues.role_re.search(m.group(1)):
                continue
            full = _known_full_name(m.group(2))
            if full is not None:
                add_full(full, i, base + m.start(2), base + m.end(2))
    # Sentences whose entities were left out (`DocContext.name_more`) hold no full name; a single
    # name there matters only if it is a family name or a spelling found above.
    spellings = {form for d in drafts for form in (d.name, *d.aliases)}
    family = {d.family.lower() for d in drafts} | {
        a.split()[-1].lower() for d in drafts for a in d.aliases if a.split()
    }
    for i in ctx.name_more(lambda doc: any(t.text in spellings or t.lower_ in family for t in doc)):
        entities(i, ctx.tokens[i], taken_in[i])
    drafts[:] = [d for d in drafts if d.name not in organisations and not (d.aliases & organisations)]
    for raw, _ev in singles:
        for d in drafts:
            if raw.lower() in {d.family.lower(), *(a.split()[-1].lower() for a in d.aliases)}:
                d.aliases.add(raw)  # "Kishida" is how the text goes on to name Fumio Kishida
                break
    return [
        Person(
            doc_id=ctx.article.id,
            name=d.name,
            evidence=d.evidence,
            aliases=tuple(sorted(d.aliases - {d.name})),
            role=d.role,
            affiliation=d.affiliation,
            confidence=0.8 if d.role else 0.6,
        )
        for d in drafts
    ]
