"""Agreements: deals, memoranda, treaties, conventions, joint studies, offices and mechanisms.

Input: a prepared `DocContext`. Output: `Agreement`s with their parties, type, status and
count ("56 cooperation deals"). An agreement noun counts only when a verb reports it (signed,
agreed, announced, plans to open, will review) or it is qualified as bilateral/joint; parties
are the actors of the clause's subject and of its "with"/"between" phrases, or, for "the two
countries", the article's donor and recipient.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from aidtracker.extract.attribution import Attributor, governing_verb
from aidtracker.extract.context import DocContext
from aidtracker.extract.dates import find_dates
from aidtracker.extract.tables import table_rows
from aidtracker.records import Agreement, Evidence, Person, Span
from aidtracker.types import ActorType, AgreementStatus, AgreementType

_QUALIFIERS = {
    "bilateral",
    "joint",
    "cooperation",
    "strategic",
    "long-term",
    "century-long",
    "security",
    "trade",
    "partnership",
    "framework",
    "grant",
    "loan",
    "intergovernmental",
}
_LIGHT_VERBS = {"be", "begin", "start", "continue", "have", "make", "hope", "want", "aim", "seek", "need", "try"}
_OPENING = {"open", "establish", "set", "launch", "plan", "inaugurate", "unveil"}
_ORG_DEPS = {"compound", "amod", "poss", "nmod", "appos"}


def _own(token: Token) -> list[Token]:
    """A conjunct's own words: its subtree without the conjuncts that follow it."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in {"conj", "cc"}:
            skip.update(t.i for t in child.subtree)
    return [t for t in token.subtree if t.i not in skip]


def _party_name(
    ctx: DocContext, i: int, token: Token, people: list[Person] | None = None, companies: frozenset[str] = frozenset()
) -> list[str]:
    """The parties a subject or object noun phrase names: actors, people's governments, organisations.

    `companies` are names the text has called companies elsewhere ("Corvanta, the chemicals
    group"): a party however the entity recogniser labels them ("Corvanta and the City Council signed").
    """
    own = _own(token)
    span = ctx.token_span(i, token.doc[min(t.i for t in own) : max(t.i for t in own) + 1])
    text = ctx.sentences[i].text
    base = ctx.sentences[i].span.start
    known = any(token.text in p.name.split() or token.text in " ".join(p.aliases).split() for p in people or [])
    if known or token.lower_ in ctx.cues.role_titles:
        # "Chrystia Freeland and Ukraine's ambassador ... signed": people sign for their governments.
        for m in ctx.actors.get(i, []):
            if span.contains(m.span) and m.actor.type is not ActorType.OTHER:
                return [m.actor.name]
        for p in people or []:
            if token.text in p.name.split() and p.affiliation:
                actor = ctx.gaz.lookup(p.affiliation)
                return [actor.name if actor else p.affiliation]
        return []
    names = []
    for m in ctx.actors.get(i, []):
        if not span.contains(m.span) or m.actor.type is ActorType.OTHER:
            continue
        before = text[max(0, m.span.start - base - 4) : m.span.start - base].strip().lower()
        if m.form == "capital" and before in {"in", "at", "to"}:
            continue  # "signed in Warsaw": a place, not a party
        names.append(m.actor.name)
    organisations = [n for n in names if (a := ctx.gaz.lookup(n)) is not None and a.type is not ActorType.COUNTRY]
    if organisations:
        names = organisations  # "the German development bank KfW" is KfW, not Germany
    proper = [
        t
        for t in own
        if t.pos_ == "PROPN"
        and t.dep_ in _ORG_DEPS | {"nsubj", "pobj", "conj", "dobj", "ROOT", "appos"}
        and (t.ent_type_ not in {"DATE", "TIME", "CARDINAL", "GPE", "LOC"} or t.text in companies)
    ]
    if not names and proper:
        start = min(t.i for t in proper)
        end = max(t.i for t in proper)
        while start > 0 and token.doc[start - 1].text[:1].isupper() and token.doc[start - 1].i in {t.i for t in own}:
            start -= 1
        chunk = token.doc[start : end + 1].text.rstrip(",.")
        if len(chunk) > 2 and not ctx.cues.role_re.fullmatch(chunk):
            names.append(chunk)
    if names and token.pos_ == "NOUN" and not any(n for n in names if len(n.split()) > 1 and n in token.doc.text):
        # "Ukraine's state gas operator": the party is the operator, not the country.
        poss = [c for c in token.children if c.dep_ == "poss"]
        if poss and token.lower_ not in {"government", "country", "state", "states"}:
            words = [t for t in token.subtree if t.i >= poss[0].i and t.i <= token.i]
            return [" ".join(t.text for t in words).replace(" 's", "'s").replace(" ’s", "’s")]
    return names


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w&.'’-]*)(?:\s+(?:[A-Z][\w&.'’-]*|of|and the))*")


def _names_before(ctx: DocContext, i: int, end: int) -> list[str]:
    """The named organisations opening a sentence, where the parser lost its subject ("X and Y plan to ...")."""
    names = []
    for m in _CAPITALISED_RUN.finditer(ctx.sentences[i].text[:end]):
        name = m.group(0).strip()
        actor = ctx.gaz.lookup(name)
        if actor is not None and actor.type is ActorType.COUNTRY:
            continue  # "Ukrainian telecom Kyivstar": the country is a description here
        if ctx.cues.role_re.fullmatch(name) or name.lower() in {"the", "a", "an", "in", "on"}:
            continue
        names.append(actor.name if actor else name)
    return names


def _conjuncts(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def extract_agreements(ctx: DocContext, people: list[Person]) -> list[Agreement]:
    """Every agreement the article reports, one per agreement noun or joint-project verb."""
    attributor = Attributor(ctx, people)
    out: list[Agreement] = []
    rows = table_rows(ctx)
    for i in ctx.fact_sentences():
        if i in rows:
            continue  # a table's row is data; its commitments are read in extract/tables.py
        doc = ctx.parse(i)
        sent = ctx.sentences[i]
        if doc is None:
            continue
        text = sent.text
        found = False
        for m in ctx.cues.agreement_noun_re.finditer(text):
            tokens = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if tokens is None:
                continue
            head = tokens.root
            kind = ctx.cues.agreement_nouns[m.group(0).lower()]
            where = Span(sent.span.start + m.start(), sent.span.start + m.end())
            if any(a.span.contains(where) for a in ctx.actors.get(i, [])):
                continue  # "the Foreign Office", "the Ukraine Facility": part of a name
            if head.dep_ == "compound" and ctx.cues.agreement_noun_re.fullmatch(head.head.text):
                continue  # "a framework agreement" is one agreement, named by its last noun
            agreement = _from_noun(ctx, attributor, i, head, kind)
            if agreement is not None and not any(
                a.evidence.span == agreement.evidence.span and a.agreement_type == agreement.agreement_type for a in out
            ):
                out.extend(_bilateral(agreement, head))
                found = True
        for m in ctx.cues.joint_re.finditer(text):
            tokens = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            kind = ctx.cues.joint_verbs[m.group(0).lower()]
            if tokens is None or any(a.evidence.span == sent.span and a.agreement_type is kind for a in out):
                continue
            verb = next((t for t in tokens if t.pos_ == "VERB"), tokens.root)
            agreement = _from_verb(ctx, attributor, i, verb, kind, AgreementStatus.ANNOUNCED)
            if set(agreement.parties) <= {attributor.main_donor, attributor.recipient}:
                named = _names_before(ctx, i, m.start())
                if len(named) >= 2:
                    agreement = replace(agreement, parties=tuple(named))
            out.append(agreement)
            found = True
        if not found:
            for token in doc:
                # "X and Y have agreed to finance ...": an agreement stated by its verb alone.
                if token.lemma_.lower() == "agree" and any(c.dep_ == "xcomp" for c in token.children):
                    subj = [c for c in token.children if c.dep_ == "nsubj"]
                    if subj and len(_conjuncts(subj[0])) > 1:
                        parties = {
                            n
                            for c in _conjuncts(subj[0])
                            for n in _party_name(ctx, i, c, attributor.people, attributor.companies)
                        }
                        if len(parties) >= 2:
                            out.append(
                                _from_verb(
                                    ctx, attributor, i, token, AgreementType.COOPERATION_DEAL, AgreementStatus.SIGNED
                                )
                            )
    return _merge(out)


def _noun_phrase(head: Token) -> list[Token]:
    """The children of an agreement noun, and of its "of" complement ("memorandum of understanding")."""
    out = list(head.children)
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        out.extend(c for o in prep.children if o.dep_ == "pobj" for c in o.children)
    return out


def _bilateral(agreement: Agreement, head: Token) -> list[Agreement]:
    """Agreements (plural) with several partners are one agreement per partner.

    "Ukraine signed bilateral agreements with the United States and Japan" reports two deals,
    each between the signer (the first party) and one partner; "trilateral" or "joint" ones
    are one deal.
    """
    plural = head.tag_ in {"NNS", "NNPS"}
    shared = any(c.lower_ in {"trilateral", "multilateral", "joint", "common"} for c in head.children)
    objects = [o for p in head.children if p.lower_ == "with" for o in p.children if o.dep_ == "pobj"]
    several = bool(objects) and len(objects[0].conjuncts) >= 1
    if not (plural and several) or shared or len(agreement.parties) < 3 or agreement.count is not None:
        return [agreement]
    first, *partners = agreement.parties
    return [replace(agreement, parties=(first, partner)) for partner in partners]


def _headline_and_body(a: Agreement, b: Agreement) -> bool:
    return (a.evidence.span.start == 0) != (b.evidence.span.start == 0)


def _two_of_a_kind(a: Agreement, b: Agreement) -> bool:
    """Two body sentences that each introduce "a"/"an" agreement of their own subject report two
    agreements ("a framework agreement on maintenance", later "a bilateral security agreement")."""

    def indefinite(x: Agreement) -> bool:
        return (x.subject or "").lower().startswith(("a ", "an "))

    body = a.evidence.span.start != 0 and b.evidence.span.start != 0
    return body and a.evidence.span != b.evidence.span and indefinite(a) and indefinite(b) and a.subject != b.subject


def _merge(items: list[Agreement]) -> list[Agreement]:
    """One agreement per real agreement: a headline and the body naming the same deal join."""
    out: list[Agreement] = []
    for a in items:
        twin = next(
            (
                o
                for o in out
                if (
                    o.agreement_type is a.agreement_type
                    # "Firms sign 12 deals" over "signed 12 memoranda": one count, the body's word for it.
                    or (o.count is not None and o.count == a.count and _headline_and_body(o, a))
                )
                and (
                    set(o.parties) <= set(a.parties)
                    or set(a.parties) <= set(o.parties)
                    or _headline_and_body(o, a)
                )
                and (o.count is None or a.count is None or o.count == a.count)
                and (o.date is None or a.date is None or o.date == a.date)
                and not _two_of_a_kind(o, a)
            ),
            None,
        )
        if twin is None:
            out.append(a)
            continue
        body = a if twin.evidence.span.start == 0 else twin
        merged = replace(
            body,
            parties=tuple(dict.fromkeys([*twin.parties, *a.parties])),
            count=twin.count or a.count,
            date=twin.date or a.date,
            subject=body.subject or twin.subject,
            sectors=twin.sectors or a.sectors,
        )
        out[out.index(twin)] = merged
    return out


def _status_of(ctx: DocContext, head: Token) -> tuple[AgreementStatus | None, Token | None]:
    """The status the verbs above an agreement noun give it, nearest first."""
    verb = governing_verb(head)
    for _ in range(3):
        if verb is None:
            return None, None
        if head.dep_ == "nsubj" and head.head == verb:
            # "defence agreements ... establish Ukraine as ...": the agreement acts, nobody agrees.
            return None, None
        lemma = verb.lemma_.lower()
        status = ctx.cues.agreement_verbs.get(lemma)
        aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
        if status is not None:
            if lemma == "sign" and (aux & ctx.cues.forward_modals or verb.dep_ == "xcomp"):
                parent = verb.head
                if parent.lemma_.lower() == "expect" or any(c.lemma_.lower() == "expect" for c in [parent]):
                    return AgreementStatus.EXPECTED, verb
                return AgreementStatus.PLANNED, verb
            return status, verb
        if verb.head == verb or lemma not in _LIGHT_VERBS:
            return None, verb  # only the verb that governs the agreement, or one light verb above it
        verb = governing_verb(verb.head)
    return None, None


def _from_noun(ctx: DocContext, attributor: Attributor, i: int, head: Token, kind: AgreementType) -> Agreement | None:
    if any(c.lower_ in {"no", "without"} for c in head.children) or head.head.lower_ == "without":
        return None  # "reached no agreement"
    status, verb = _status_of(ctx, head)
    if verb is not None and any(c.dep_ == "neg" for c in verb.children):
        return None  # "did not sign the memorandum"
    qualified = (
        any(c.lower_ in _QUALIFIERS for c in head.children)
        or any(c.dep_ == "acl" and c.lemma_.lower() in ctx.cues.agreement_verbs for c in _noun_phrase(head))
        # "The Accord on Support for Ukraine ... between Japan and Ukraine": a title names a real one.
        or (
            head.text[:1].isupper()
            and not head.is_sent_start
            and not head.doc[head.i - 1].is_sent_start
            and any(c.dep_ == "prep" and c.lower_ == "between" for c in head.subtree)
        )
    )
    if status is None:
        for c in _noun_phrase(head):
            if c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in ctx.cues.agreement_verbs:
                status = ctx.cues.agreement_verbs[c.lemma_.lower()]
    if status is None and not qualified:
        return None
    if kind in {AgreementType.OFFICE, AgreementType.POLICY, AgreementType.MECHANISM} and status is None:
        return None
    if kind is AgreementType.OFFICE and (verb is None or verb.lemma_.lower() not in _OPENING):
        return None
    if ctx.cues.expected_re.search(ctx.sentences[i].text) and status in {
        AgreementStatus.SIGNED,
        AgreementStatus.PLANNED,
        None,
    }:
        status = AgreementStatus.EXPECTED
    count = None
    for c in head.children:
        if c.dep_ == "nummod" and c.text.replace(",", "").isdigit():
            count = int(c.text.replace(",", ""))
        elif c.dep_ == "nummod" and c.lower_ in ctx.cues.number_words:
            count = ctx.cues.number_words[c.lower_]  # "signed four agreements"
    parties = _parties(ctx, attributor, i, head, verb)
    return _agreement(ctx, i, head, kind, status or AgreementStatus.ANNOUNCED, parties, count)


def _from_verb(
    ctx: DocContext, attributor: Attributor, i: int, verb: Token, kind: AgreementType, status: AgreementStatus
) -> Agreement:
    v = verb if verb.pos_ in {"VERB", "AUX"} else (governing_verb(verb) or verb)
    parties = _parties(ctx, attributor, i, None, v)
    return _agreement(ctx, i, v, kind, status, parties, None)


def _parties(
    ctx: DocContext, attributor: Attributor, i: int, head: Token | None, verb: Token | None
) -> tuple[str, ...]:
    names: list[str] = []
    orgs_in_noun: list[str] = []
    if head is not None:
        # Actors that qualify the agreement noun itself: "a JETRO office", "the EU-Ukraine memorandum".
        for c in head.children:
            if c.dep_ not in {"compound", "amod", "poss", "nmod"}:
                continue
            span = ctx.token_span(i, head.doc[min(t.i for t in c.subtree) : max(t.i for t in c.subtree) + 1])
            for m in ctx.actors.get(i, []):
                if span.contains(m.span) and m.actor.type is not ActorType.OTHER:
                    (names if m.actor.type is ActorType.COUNTRY else orgs_in_noun).append(m.actor.name)
        # "the Memorandum that the Commission and Ukraine signed"
        for c in head.children:
            if c.dep_ in {"relcl", "acl"}:
                for subj in (s for s in c.children if s.dep_ in {"nsubj", "agent"}):
                    target = subj
                    if subj.dep_ == "agent":
                        target = next((o for o in subj.children if o.dep_ == "pobj"), subj)
                    for conj in _conjuncts(target):
                        names.extend(_party_name(ctx, i, conj, attributor.people, attributor.companies))
    signing = [] if head is None else _noun_phrase(head)
    own_clause = next(
        (c for c in signing if c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in ctx.cues.agreement_verbs), None
    )
    if own_clause is not None:
        # "the Memorandum signed with the Commission": its own clause says who signed it; the
        # sentence's verb ("funds will be disbursed ... subject to the Memorandum") does not.
        # A clause that names nobody ("a grant agreement signed in Kyiv") leaves it to the verb.
        named = _signers(ctx, attributor, i, own_clause, climb=False)
        if named:
            names.extend(named)
            verb = None
    names.extend(_signers(ctx, attributor, i, verb, climb=True))
    if head is not None:
        # "a memorandum of understanding with JICA": the "with" may hang anywhere in the noun phrase.
        for prep in (c for c in head.subtree if c.dep_ == "prep" and c.lower_ in {"with", "between"}):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                for conj in _conjuncts(obj):
                    names.extend(_party_name(ctx, i, conj, attributor.people, attributor.companies))
    countries = {n for n in names if (a := ctx.gaz.lookup(n)) is not None and a.type is ActorType.COUNTRY}
    if orgs_in_noun and set(names) <= countries:
        names = orgs_in_noun
    publisher = (ctx.article.publisher or "").lower()
    people = {p.name for p in attributor.people} | {a for p in attributor.people for a in p.aliases}
    family = {p.name.split()[-1] for p in attributor.people if p.name.split()}
    people |= {n for n in names if n.split() and n.split()[-1] in family and ctx.gaz.lookup(n) is None}
    if sum(1 for n in names if n not in people) >= 2:
        # "President of Ukraine Volodymyr Zelenskyy signed ... with ...": he signs for Ukraine,
        # which is already a party; the person is not a second one.
        names = [n for n in names if n not in people]
    unique = list(dict.fromkeys(n for n in names if n and n.lower() != publisher))
    if len(unique) < 2 and not orgs_in_noun:
        if not unique and head is not None and _BOTH_SIDES.search(" ".join(t.lower_ for t in head.sent)):
            # "The two sides signed four agreements": the two parties last named before this.
            unique = _recent_pair(ctx, i)
        if not unique:
            unique = [p for p in (attributor.main_donor, attributor.recipient) if p]
        elif len(unique) == 1 and attributor.recipient and unique[0] != attributor.recipient:
            unique.append(attributor.recipient)  # "Italy ... under a grant agreement": with the recipient
        elif len(unique) == 1 and attributor.main_donor and unique[0] == attributor.recipient:
            unique.insert(0, attributor.main_donor)
    return tuple(dict.fromkeys(unique))


def _signers(ctx: DocContext, attributor: Attributor, i: int, verb: Token | None, *, climb: bool) -> list[str]:
    """The parties a signing verb names: its subjects and its "with"/"between" objects."""
    names: list[str] = []
    v = verb
    hops = 0
    while v is not None and hops < 3:
        for c in v.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                for conj in _conjuncts(c):
                    target = conj
                    appos = [a for a in conj.children if a.dep_ == "appos"]
                    if appos:
                        target = appos[0]
                    if conj.lower_ in {"he", "she", "it", "they", "we"}:
                        continue
                    names.extend(_party_name(ctx, i, target, attributor.people, attributor.companies))
            preps = [c] if c.dep_ == "prep" else [p for p in c.children if p.dep_ == "prep"] if c.dep_ == "dobj" else []
            for prep in preps:
                if prep.lower_ not in {"with", "between"}:
                    continue
                for obj in (o for o in prep.children if o.dep_ == "pobj"):
                    for conj in _conjuncts(obj):
                        names.extend(_party_name(ctx, i, conj, attributor.people, attributor.companies))
        if not climb or any(c.dep_ in {"nsubj", "nsubjpass"} for c in v.children):
            break
        v = governing_verb(v.head) if v.head is not v else None
        hops += 1
    return names


_BOTH_SIDES = re.compile(r"\b(?:the two|both) (?:sides|countries|cities|governments|leaders|parties|nations|states)\b")


def _recent_pair(ctx: DocContext, i: int) -> list[str]:
    """The last two distinct states, organisations or cities named in this sentence or the two before."""
    names: list[str] = []
    for k in range(max(0, i - 2), i + 1):
        for m in ctx.actors.get(k, []):
            if m.actor.type is not ActorType.OTHER:
                names.append(m.actor.name)
        doc = ctx.named(k)  # entities only: the sentences before need no parse
        if doc is not None:
            names.extend(e.text for e in doc.ents if e.label_ == "GPE" and ctx.gaz.lookup(e.text) is None)
    ordered = list(dict.fromkeys(reversed(names)))[:2]
    return list(reversed(ordered)) if len(ordered) == 2 else []


def _agreement(
    ctx: DocContext,
    i: int,
    head: Token,
    kind: AgreementType,
    status: AgreementStatus,
    parties: tuple[str, ...],
    count: int | None,
) -> Agreement:
    sent = ctx.sentences[i]
    subject_tokens = [t for t in head.subtree] if head.pos_ in {"NOUN", "PROPN"} else list(head.subtree)
    subject = " ".join(t.text for t in subject_tokens)[:200]
    date = None
    for d in find_dates(sent.text, offset=sent.span.start, ref=ctx.ref_date, lang=ctx.lang):
        if d.value is not None and d.precision == "day":
            date = d.value
            break
    return Agreement(
        doc_id=ctx.article.id,
        parties=parties,
        agreement_type=kind,
        evidence=Evidence(ctx.article.id, sent.span, sent.text),
        subject=subject,
        sectors=tuple(s for s, p in ctx.cues.sector_res if p.search(sent.text)),
        count=count,
        status=status,
        date=date,
        confidence=0.7 if len(parties) >= 2 else 0.5,
    )
