"""Events: conferences, visits, meetings and ceremonies, with dates, places and participants.

Input: a prepared `DocContext` and the article's people. Output: one `Event` per real event.
An article names the same event many ways ("a conference", "the Japan-Ukraine Conference for
…", "the event"), so mentions are merged: same type and compatible dates join, and a meeting
without a date of its own during a visit is part of that visit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from aidtracker.extract.context import DocContext
from aidtracker.extract.dates import find_dates
from aidtracker.extract.tables import table_rows
from aidtracker.records import Event, Evidence, Person, Span
from aidtracker.types import ActorType, EventType

_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w'’.-]*|of|for|the|and|on|in|with|to|&|-)$")
_PLACES = {"GPE", "LOC", "FAC"}
_LINKS = {"of", "for", "the", "and", "on", "in", "with", "to", "&", "-"}
_COUNTERPARTS = {
    "counterpart",
    "counterparts",
    "leaders",
    "minister",
    "president",
    "officials",
    "delegation",
    "him",
    "her",
}
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40},\s")  # "TOKYO, January 10, 2024 --"
_AS_PLACE = re.compile(r"\b(?:in|at)\s+$")  # before a name used as a place
_QUOTED = re.compile(r"[\"“]([^\"”]{8,120})[\"”]")


@dataclass
class _Mention:
    type: EventType
    sentence: int
    span: Span
    name: str | None
    date: dt.date | None
    end: dt.date | None
    location: str | None
    participants: list[str] = field(default_factory=list)
    named: bool = False
    undated_present: bool = False
    next_one: bool = False  # "the next meeting of the group"


def _proper_name(doc: Doc, head: Token) -> str | None:
    """The capitalised name an event noun is part of ("G7 Leaders' Video Conference"), or the
    body whose meeting it is ("the 26th meeting of the Ukraine Defense Contact Group")."""
    if not head.text[:1].isupper() and not any(c.text[:1].isupper() and c.dep_ == "compound" for c in head.children):
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        body = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if body is None or body.pos_ != "PROPN" or not body.text[:1].isupper():
            return None
        body_words = [t for t in body.subtree if not t.is_punct]
        if (
            sum(1 for t in body_words if t.text[:1].isupper()) < 2
            or body_words[-1].i - body_words[0].i + 1 != len(body_words)
        ):
            return None  # one word ("a meeting of NATO") is too little to name an event by
        return f"{head.text} of {' '.join(t.text for t in body_words)}"
    start = head.i
    while start > 0 and _NAME_WORD.match(doc[start - 1].text) and doc[start - 1].lower_ != "the":
        start -= 1
    end = head.i
    while end + 1 < len(doc) and _NAME_WORD.match(doc[end + 1].text) and not doc[end + 1].is_punct:
        if doc[end + 1].ent_type_ in {"DATE", "TIME", "CARDINAL"}:
            break  # "... Reconstruction on February 19": the name ends where its date begins
        if doc[end + 1].lower_ in {"in", "at"} and end + 2 < len(doc) and doc[end + 2].ent_type_ in _PLACES:
            break  # "the Weimar Triangle summit in Warsaw": the place is the event's location, not its name
        end += 1
    while end > head.i and doc[end].lower_ in _LINKS:
        end -= 1
    while start < head.i and doc[start].lower_ in _LINKS:
        start += 1
    words = doc[start : end + 1]
    capitals = sum(1 for t in words if t.text[:1].isupper())
    return words.text if capitals >= 2 else None


def _place_text(token: Token) -> str:
    """A place's words without its article or punctuation ("the Palazzo Chigi" is "Palazzo Chigi")."""
    return " ".join(w.text for w in token.subtree if w.dep_ != "det" and not w.is_punct)


class _Collector:
    def __init__(self, ctx: DocContext, people: list[Person]) -> None:
        self.ctx = ctx
        self.people = people
        self.mentions: list[_Mention] = []

    def _participants(self, i: int) -> list[str]:
        span = self.ctx.sentences[i].span
        names = [
            p.name
            for p in self.people
            if span.contains(p.evidence.span)
            or any(a in self.ctx.sentences[i].text for a in (p.name, *p.aliases, p.name.split()[-1]))
        ]
        text = self.ctx.article.text
        for m in self.ctx.actors.get(i, []):
            if _AS_PLACE.search(text, max(0, m.span.start - 8), m.span.start):
                continue  # "in Brussels" is where the meeting is, not the EU taking part
            if (
                m.actor.type in {ActorType.INTERGOVERNMENTAL, ActorType.GOVERNMENT_BODY, ActorType.OTHER}
                and m.form != "group"
            ):
                names.append(m.actor.name)
        return list(dict.fromkeys(names))

    def _location(self, doc: Doc, head: Token, kind: EventType) -> str | None:
        found = self._attached_location(doc, head, kind)
        if found is not None:
            return found
        if kind is EventType.VISIT and head.pos_ == "VERB":
            # "will visit Kyiv next week": the place visited is the verb's object.
            for o in head.children:
                if o.dep_ == "dobj" and (o.ent_type_ in _PLACES or self._known_place(o)):
                    return _place_text(o)
        # "a conference on Ukraine's reconstruction in Tokyo": the place hangs off the topic.
        for t in doc[head.i + 1 : head.i + 10]:
            if t.lower_ in {"in", "at"}:
                obj = next((o for o in t.children if o.dep_ == "pobj"), None)
                if obj is not None and (obj.ent_type_ in {"GPE", "LOC", "FAC"} or self._known_place(obj)):
                    return _place_text(obj)
        return None

    def _known_place(self, token: Token) -> bool:
        """A capital or a state the gazetteer knows ("in Tokyo"), whether or not the NER ran."""
        actor = self.ctx.gaz.lookup(token.text)
        return actor is not None and actor.type is ActorType.COUNTRY

    def _attached_location(self, doc: Doc, head: Token, kind: EventType) -> str | None:
        """The place a preposition on the event, or on a word above it, names.

        The event's own phrase comes first ("announced in February at the Conference ... in
        Tokyo" is in Tokyo), and a date is never a place. A visit is "to" its place as well.
        """
        preps = {"in", "at", "to"} if kind is EventType.VISIT else {"in", "at"}
        for anchor in [head, *head.ancestors]:
            for t in anchor.children:
                if t.lower_ not in preps or (t.lower_ == "to" and anchor != head):
                    continue
                for o in (o for o in t.children if o.dep_ == "pobj"):
                    if any(w.i == head.i for w in o.subtree):
                        continue  # "signed at the Reconstruction Forum held in Kyiv": the event itself, not its place
                    if o.ent_type_ in {"DATE", "TIME"} or o.like_num:
                        continue  # "in February", "in 2025"
                    if o.ent_type_ in _PLACES or o.text[:1].isupper():
                        return _place_text(o)
        return None

    def sentence(self, i: int) -> None:
        ctx = self.ctx
        doc = ctx.parse(i)
        if doc is None:
            return
        sent = ctx.sentences[i]
        dates = [d for d in find_dates(sent.text, offset=sent.span.start, ref=ctx.ref_date, lang=ctx.lang)]
        if ctx.ref_date is None and ctx.ref_year is not None:
            dates = find_dates(sent.text, offset=sent.span.start, ref=dt.date(ctx.ref_year, 6, 30), lang=ctx.lang)
            dates = [
                d
                for d in dates
                if d.text.split()[0].lower()
                not in {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
            ]
        heads: list[tuple[Token, EventType]] = []
        for m in ctx.cues.event_noun_re.finditer(sent.text):
            tokens = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if tokens is None:
                continue
            heads.append((tokens[-1], ctx.cues.event_nouns[m.group(0).lower()]))
        for token in doc:
            kind = ctx.cues.event_verbs.get(token.lemma_.lower())
            if kind is not None and token.pos_ == "VERB":
                if token.lemma_.lower() in {"arrive", "travel"} and not any(
                    c.lower_ in {"in", "to"} for c in token.children
                ):
                    continue
                objects = [c for c in token.children if c.dep_ == "dobj"]
                if (
                    token.lemma_.lower() == "meet"
                    and objects
                    and not any(
                        o.pos_ == "PROPN"
                        or o.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}
                        or o.lower_ in _COUNTERPARTS
                        for o in objects
                    )
                ):
                    continue  # "must meet 15 conditions" is no meeting
                heads.append((token, kind))
        kept: list[tuple[Token, EventType]] = []
        for tok, kind in heads:
            if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for a in tok.ancestors for c in a.children):
                continue  # "if his party wins the election in October": a condition, not an event
            # "the National Day event at the World Expo": the Expo is where, not a second event.
            if tok.head.lower_ in {"at", "during", "in"} and any(
                x.i in {a.i for a in tok.head.ancestors} for h, _ in heads if h != tok for x in (h, h.head)
            ):
                continue
            if any(h == tok for h, _ in kept) or any(k == kind and abs(h.i - tok.i) <= 2 for h, k in kept):
                continue
            kept.append((tok, kind))
        if _DATELINE.match(sent.text):
            line_end = sent.span.start + (sent.text.find("--") if "--" in sent.text[:60] else 40)
            dates = [d for d in dates if d.span.start > line_end]  # the dateline dates the report, not the event
        for tok, kind in kept:
            nearest = min(dates, key=lambda d: abs(d.span.start - (sent.span.start + tok.idx)), default=None)
            value = nearest.value if nearest is not None and nearest.precision == "day" else None
            end = nearest.end if nearest is not None else None
            name = None
            quoted = _QUOTED.search(sent.text)
            if tok.lemma_.lower() == "host" and quoted:
                name = quoted.group(1).strip(" .")
            elif tok.pos_ in {"NOUN", "PROPN"}:
                name = _proper_name(doc, tok)
            aux = {c.lower_ for c in tok.head.children if c.dep_ == "aux"} | {
                c.lower_ for c in tok.children if c.dep_ == "aux"
            }
            present = (tok.tag_ == "VBG" and bool({"is", "are"} & aux)) or (
                tok.head.tag_ == "VBG"
                and bool({"is", "are"} & {c.lower_ for c in tok.head.children if c.dep_ == "aux"})
            )
            self.mentions.append(
                _Mention(
                    type=kind,
                    sentence=i,
                    span=sent.span,
                    name=name,
                    date=value,
                    end=end,
                    location=self._location(doc, tok, kind),
                    participants=self._participants(i),
                    named=name is not None,
                    undated_present=present and value is None,
                    next_one=any(c.dep_ == "amod" and c.lower_ in ctx.cues.next_event_words for c in tok.children),
                )
            )

    def events(self) -> list[Event]:
        merged: list[_Mention] = []
        for m in self.mentions:
            if m.date is None and m.undated_present and self.ctx.ref_date is not None:
                m.date = self.ctx.ref_date
            target = None
            for e in merged:
                if e.type is not m.type or e.next_one != m.next_one:
                    continue
                if e.date and m.date and e.date != m.date:
                    continue
                if e.named and m.named and not _compatible(e.name or "", m.name or ""):
                    continue
                target = e
                break
            if target is None:
                merged.append(m)
                continue
            target.date = target.date or m.date
            target.end = target.end or m.end
            target.location = target.location or m.location
            if m.named and not target.named:
                target.name, target.named, target.span, target.sentence = m.name, True, m.span, m.sentence
            target.participants = list(dict.fromkeys(target.participants + m.participants))
        visits = [e for e in merged if e.type is EventType.VISIT]
        out: list[_Mention] = []
        for e in merged:
            if (
                e.type is EventType.MEETING
                and visits
                and not e.named
                and (e.date is None or any(v.date == e.date for v in visits))
            ):
                visits[0].participants = list(dict.fromkeys(visits[0].participants + e.participants))
                continue
            out.append(e)
        # An event that is only ever "the conference", with no date, name or place, is too vague to record.
        out = [e for e in out if e.named or e.date or e.location or e.participants or e.type is EventType.VISIT]
        return [self._event(e) for e in out]

    def _event(self, m: _Mention) -> Event:
        ctx = self.ctx
        name = m.name
        if name is None:
            who = m.participants[0] if m.participants else None
            place = (
                f" to {m.location}"
                if m.location and m.type is EventType.VISIT
                else (f" in {m.location}" if m.location else "")
            )
            name = f"{who}'s {m.type.value}{place}" if who else f"{m.type.value}{place}"
        text = ctx.article.text[m.span.start : m.span.end]
        return Event(
            doc_id=ctx.article.id,
            name=name,
            event_type=m.type,
            evidence=Evidence(ctx.article.id, m.span, text),
            date=m.date,
            end_date=m.end,
            location=m.location,
            participants=tuple(m.participants),
            confidence=0.7 if m.named or m.date else 0.5,
        )


def _compatible(a: str, b: str) -> bool:
    wa = {w.lower() for w in re.findall(r"\w+", a)} - _LINKS
    wb = {w.lower() for w in re.findall(r"\w+", b)} - _LINKS
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def extract_events(ctx: DocContext, people: list[Person]) -> list[Event]:
    """Every event the article reports, merged across its mentions."""
    collector = _Collector(ctx, people)
    rows = table_rows(ctx)
    for i in ctx.fact_sentences():
        if i in rows:
            continue  # a table's row is data; its commitments are read in extract/tables.py
        collector.sentence(i)
    return collector.events()
