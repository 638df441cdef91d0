"""Commitments: money and counted in-kind deliveries that a donor gives a recipient.

Input: a prepared `DocContext` and the article's people. Output: one `Commitment` per
real-world commitment the article states, its figure traced to the sentence that states it.
A figure becomes a commitment only if the words around it make it aid (a commitment verb or
an aid noun governs it) and nothing makes it something else (a needs estimate, a budget,
revenue). A headline that repeats a body figure, and a conversion given in brackets, are
the same commitment, not new ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from aidtracker.extract.actors import currency_state, national_currency
from aidtracker.extract.attribution import Attributor, governing_verb, possessed_by_pronoun
from aidtracker.extract.context import DocContext
from aidtracker.extract.cues import Cues
from aidtracker.extract.dates import find_dates
from aidtracker.extract.fx import to_usd
from aidtracker.extract.lineage import containment
from aidtracker.extract.money import find_money, pair_equivalents
from aidtracker.extract.tables import table_figures
from aidtracker.records import Commitment, Evidence, Money, Person, Span
from aidtracker.types import ActorType, EventType, Instrument, Kind, Scope, Sector, Status
from aidtracker.vocab import load_money_vocab

# A line of an enumerated list: "(a) $10 million to ...", "b) ...", "2. ...", "- ...".
_ENUMERATED = re.compile(r"^\s*(?:[-•*–·]|\(?[a-z]\)|\(?\d{1,2}\)|\(?[ivx]{1,4}\))\s")
_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_NOMINAL_DELIVERY = {"provision", "delivery", "deliveries", "supply", "supplies", "transfer", "donation", "shipment"}
# "since March 2024", "since 2022", "since early 2023": a running total over a period up to now.
_SINCE = re.compile(
    r"\b(?i:since)\s+(?:(?:early|late|mid-?|the\s+start\s+of|the\s+end\s+of)\s*)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b"
)
_LIST_JOINERS = {"with", "along", "plus", "as", "well"}
_BULLETS = {"-", "•", "*", "–", "·"}
_YEARLIKE = re.compile(r"(?:19|20)\d\d\Z")
_GENERIC_ITEMS = {
    "system",
    "systems",
    "unit",
    "units",
    "set",
    "sets",
    "technology",
    "equipment",
    "device",
    "devices",
    "machinery",
    "kit",
    "kits",
    "module",
    "modules",
}
_FUTURE = {"will", "would", "shall", "'ll", "going", "plan", "plans", "intend", "intends", "to"}


def default_dollar(ctx: DocContext, donor: str | None) -> str:
    """What a bare "$" means here: the donor's own dollar, unless the text names that currency.

    An Australian government text writes "$31 million" for Australian dollars; an article that
    writes "AUD31 million (almost $20.6 million)" uses the bare "$" for a US conversion, unless
    it marks US dollars as such elsewhere ("US$0.66").
    """
    if donor is None:
        return "USD"
    own = national_currency(ctx.gaz.lookup(donor), "dollar_currencies")
    if own is None or own == "USD":
        return "USD"
    text = ctx.article.text
    explicit = {m.currency for m in find_money(text, default_dollar="USD") if not m.currency_implicit}
    if "USD" in explicit:
        return own  # "A$1 equals US$0.66": a text that marks US dollars keeps the bare "$" for its own
    if own in text or own in explicit:
        return "USD"
    return own


_GUARANTEEING = frozenset({"guarantee", "back", "insure", "underwrite"})


def _guarantor_tokens(verb: Token, instruments: tuple[tuple[Instrument, re.Pattern[str]], ...]) -> list[Token]:
    """Who a guaranteeing verb names as guarantor: "by X", "by a guarantee from X", "that X backs"."""
    guarantee_words = next((p for kind, p in instruments if kind is Instrument.GUARANTEE), None)
    found: list[Token] = []
    objects = [o for a in verb.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
    if verb.dep_ == "relcl":
        objects += [c for c in verb.children if c.dep_ == "nsubj" and c.lower_ not in {"which", "that", "who"}]
    for obj in objects:
        if guarantee_words is not None and guarantee_words.fullmatch(obj.lower_):
            # "a guarantee from the European Union", "a Japanese guarantee", "the EU's guarantee"
            for c in obj.children:
                if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}:
                    found += [o for o in c.children if o.dep_ == "pobj"]
                elif c.dep_ in {"poss", "compound", "amod"} and c.i < obj.i:
                    found.append(c)
        else:
            found.append(obj)
    return found


def _clause(root: Token) -> Token:
    """The verb whose subtree is the clause a figure is stated in (or the sentence root)."""
    verb = governing_verb(root)
    return verb if verb is not None else root.sent.root


def _text_of(tokens: list[Token] | SpacySpan) -> str:
    return " ".join(t.text for t in tokens)


_NON_AID_VERBS = {"need", "estimate", "cost", "drain", "lose", "earn", "sell", "value", "spend on"}


def _values_a_programme(cues: Cues, root: Token) -> bool:
    """Whether "worth"/"valued at" prices an aid noun ("under a KOICA programme worth $13.8mn"),
    so the figure is that programme's, not the price of the items the sentence counts."""
    t = root
    for _ in range(4):
        if t.head == t:
            return False
        t = t.head
        if t.pos_ in {"NOUN", "PROPN"}:
            return t.lemma_.lower() in cues.aid_nouns and not _is_item_head(cues, t)
    return False


def _values_aid(cues: Cues, verb: Token) -> bool:
    """Whether "valued at" prices aid: "The package, valued at 200 million zlotys", not a company."""
    if verb.lemma_.lower() != "value":
        return False
    valued = [verb.head] if verb.dep_ == "acl" else [c for c in verb.children if c.dep_ == "nsubjpass"]
    return any(v.lemma_.lower() in cues.aid_nouns or _is_item_head(cues, v) for v in valued)


def _not_aid(ctx: DocContext, root: Token, chain: list[Token]) -> bool:
    """Whether the words around a figure make it something other than aid (a need, a budget, revenue)."""
    cues = ctx.cues
    verb = governing_verb(root)
    values_aid = verb is not None and _values_aid(cues, verb)
    subject: list[Token] = []
    if verb is not None:
        for c in verb.children:
            if c.dep_ in {"nsubj", "nsubjpass", "csubj"} and c.ent_type_ != "PERSON":
                # A person's title says nothing of the figure ("the Minister of Economy, Trade and
                # Business ... signed a financing line of EUR 400 million"). Nor does a relative
                # clause on the subject ("The loan, which is repaid from the profits of ...").
                clauses = {t.i for r in c.subtree if r.dep_ in {"relcl", "acl"} for t in r.subtree}
                subject.extend(t for t in c.subtree if t.i not in clauses)
        if verb.lemma_.lower() in _NON_AID_VERBS and not values_aid:
            return True
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"in", "across", "into"}):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                if obj.lemma_.lower() in cues.many_places_nouns and any(c.dep_ == "nummod" for c in obj.children):
                    return True  # "committed EUR 13.6 billion in more than 150 countries"
                site = " ".join(t.lower_ for t in obj.subtree if t.i <= obj.i and t.dep_ != "det")
                if verb.lemma_.lower() == "invest" and any(site.endswith(w) for w in cues.commercial_sites):
                    return True  # "will invest CHF 6 million in the plant": a business of its own
        if verb.lemma_.lower() in {"spend", "invest"} and any(
            p.dep_ == "prep"
            and p.lower_ in {"on", "in"}
            and any(
                o.dep_ == "pobj"
                and (possessed_by_pronoun(cues, o) or bool(cues.hostility_re.fullmatch(o.lower_)))
                for o in p.children
            )
            for p in verb.children
        ):
            return True  # "Russia spent $120 billion on its military", "spends $13bn a month on this war"
    # Only the words between the figure and its verb govern it; a reporting clause above
    # ("..., the city's office estimates") says who counted, not what the figure is.
    upto = chain[1 : chain.index(verb) + 1] if verb is not None and verb in chain else chain[1:]
    measured: list[Token] = []
    if verb is not None and any(t.lower_ == "at" and t.dep_ == "prep" for t in upto):
        # "sets expenditures at UAH 3.6 trillion", "puts the financing gap at $38 billion": the
        # object is what the figure measures.
        measured = [t for c in verb.children if c.dep_ == "dobj" for t in c.subtree]
    governing = " ".join(t.text for t in [*upto, *subject, *measured])
    if verb is not None and any(c.dep_ == "nsubj" and c.lemma_.lower() in cues.private_parties for c in verb.children):
        return True  # "participants signed 110 agreements worth €16 billion": business deals, not aid
    if cues.non_aid_weak_re.search(governing):
        return True
    sent = root.sent
    figures = sum(1 for t in sent if t.like_num and t.lower_ in {"million", "billion", "trillion", "bn", "m"})
    # One figure: anything the sentence says counts against it; several: only its own words.
    own_words = " ".join(t.text for t in [*root.subtree, *chain[1:], *subject])
    scope_text = sent.text if figures <= 1 else own_words
    if verb is not None and values_aid:
        # "valued at" is a company's valuation unless what it values is the aid itself.
        pricing = {verb.i, *(c.i for c in verb.children if c.dep_ == "auxpass" or c.lower_ == "at")}
        scope_text = " ".join(t.text for t in sent if t.i not in pricing)
    return bool(cues.non_aid_strong_re.search(scope_text))


def _commits(cues: Cues, verb: Token) -> bool:
    """A commitment verb, with the particle it needs where it needs one ("put in", not "put at")."""
    if verb.lemma_.lower() not in cues.commitment_verbs:
        return False
    particles = cues.particle_verbs.get(verb.lemma_.lower())
    # The particle follows its verb: "has put in €250 million", "stands at €330 million"
    # (not "In February, ... put the cost at ...").
    return particles is None or any(
        c.dep_ in {"prt", "advmod", "prep"} and c.lower_ in particles and 0 < c.i - verb.i <= 2 for c in verb.children
    )


def _speculative(token: Token, cues: Cues | None = None) -> bool:
    """True if a figure is a possibility, not a commitment.

    It sits under "could", "might" or "may"; or, given `cues`, under a denial ("denied a report
    that it was preparing $100 million") or under "would" in a clause that a condition governs
    ("If it matched Estonia's effort, it would be giving NZ$1 billion a year").
    """
    ancestors = list(token.ancestors)
    if any(c.dep_ == "aux" and c.lower_ in {"could", "might", "may"} for a in ancestors for c in a.children):
        return True
    if cues is None:
        return False
    if any(a.pos_ == "VERB" and a.lemma_.lower() in cues.denying_verbs for a in ancestors):
        return True
    # The condition's clause may hang anywhere in a long sentence's parse, so any conditional
    # mark before the "would" counts.
    return any(
        c.dep_ == "aux"
        and c.lower_ == "would"
        and any(m.dep_ == "mark" and m.lower_ in cues.conditional_marks and m.i < c.i for m in token.sent)
        for a in ancestors
        for c in a.children
    )


def _is_aid(ctx: DocContext, root: Token, sentence_text: str) -> bool:
    """A commitment verb or an aid noun governs the figure, and no non-aid word qualifies it."""
    cues = ctx.cues
    chain = [root]
    t = root
    for _ in range(8):
        if t.head == t:
            break
        t = t.head
        chain.append(t)
    if _not_aid(ctx, root, chain):
        return False
    for x in chain:
        if x.pos_ in {"VERB", "AUX"} and _commits(cues, x):
            return True
        # "1.5 billion francs are to be raised": the verb hangs off the copula as its complement.
        if x.pos_ == "AUX" and any(c.dep_ == "xcomp" and c.lemma_.lower() in cues.commitment_verbs for c in x.children):
            return True
        if x.lower_ in cues.aid_nouns or x.lemma_.lower() in cues.aid_nouns:
            return True
    verb = governing_verb(root)
    if (
        verb is not None
        and verb.lemma_.lower() in cues.reporting_verbs
        and any(c.dep_ == "ccomp" and c.pos_ == "VERB" and _commits(cues, c) for c in verb.children)
    ):
        # "Denmark will finance 18 howitzers, the ministry said, in a deal worth 560 million kroner":
        # the parser hangs the figure on the reporting verb; the clause it reports commits it.
        return True
    if verb is not None:
        for subj in (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}):
            if subj.lemma_.lower() in cues.aid_nouns or subj.lower_ in cues.aid_nouns:
                return True  # "Poland's military packages alone are worth more than 16 billion zloty"
            if subj.lemma_.lower() in cues.measure_nouns and any(
                o.lemma_.lower() in cues.aid_nouns
                for p in subj.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
            ):
                return True  # "the total value of Finland's military assistance rises to EUR 2.8 billion"
    for x in root.children:
        if x.dep_ in {"relcl", "acl"} and x.lemma_.lower() in cues.commitment_verbs:
            return True  # "the $111 billion that the United States ... have provided"
        if x.dep_ == "prep" and x.lower_ == "from" and any(
            o.dep_ == "pobj" and (o.ent_type_ in {"GPE", "ORG", "NORP"} or o.lower_ == "government")
            for o in x.children
        ):
            return True  # "€1.5m from the Austrian Development Agency has allowed UNICEF to equip ..."
    if verb is None and root.dep_ == "ROOT" and any(t.lemma_.lower() in cues.aid_nouns for t in root.subtree):
        return True  # "- EUR 4 million in humanitarian aid through UNICEF.": a verbless line says what it is
    for x in [*root.children, *root.head.children]:
        if x.lower_ in cues.aid_nouns or x.lemma_.lower() in cues.aid_nouns:
            return True
        for y in x.children:
            if y.lower_ in cues.aid_nouns:
                return True
    # A commitment verb just before the figure, where the parser lost the thread ("would lend X 300 million euros").
    for t in root.doc[max(0, root.i - 10) : root.i]:
        if (
            t.pos_ == "VERB" and _commits(cues, t) and not any(x.is_sent_start for x in root.doc[t.i + 1 : root.i + 1])
        ) and t.lemma_.lower() not in {"include", "comprise", "go", "amount", "bring", "total", "support"}:
            return True
    # "made a commitment to provide X ..., for a total amount of Y": aid words in the clause, not on the path.
    return bool(cues.aid_noun_re.search(sentence_text)) and any(
        t.pos_ == "VERB" and t.lemma_.lower() in cues.commitment_verbs for t in root.sent
    )


_MONEY_WORDS = {"million", "billion", "trillion", "bn", "m", "mln", "thousand"}


def _figure_token(t: Token) -> bool:
    """A token that states a figure: a money scale word ("million"), or a count of things
    ("10 ambulances", "... to 70"), not a year."""
    if not t.like_num or _YEARLIKE.match(t.text):
        return False
    return t.lower_ in _MONEY_WORDS or (t.dep_ == "nummod" and t.head.tag_ == "NNS") or t.dep_ == "pobj"


def _own_clause(root: Token) -> str:
    """The words that speak of one figure when a sentence states several.

    The governing verb's clause, minus the branches that hold another figure: in "Sweden adds
    an additional SEK 1 billion, bringing its total since 2022 to SEK 10 billion", "since 2022"
    belongs to the second figure, not the first; so in "handed over 10 ambulances, bringing the
    number it has donated since 2022 to 70".
    """
    sent = root.sent
    if sum(1 for t in sent if _figure_token(t)) <= 1:
        return sent.text
    if re.search(r"\b(?:than|compared|versus|vs)\b", sent.text):
        return sent.text  # figures set against each other share the period the sentence names
    verb = governing_verb(root) or sent.root
    own = set(t.i for t in root.subtree) | {a.i for a in root.ancestors}
    for child in verb.children:
        branch = list(child.subtree)
        if not any(t.i == root.i for t in branch) and any(_figure_token(t) for t in branch):
            continue
        own.update(t.i for t in branch)
    return " ".join(t.text for t in sent if t.i in own)


# Words before a count that are not part of the item's name ("the remaining 12 vehicles").
_COUNT_LEADS = {"first", "last", "initial", "of", "further", "additional", "another", "extra", "more", "remaining"}
_ADDED = re.compile(r"\b(?:in\s+)?(?:additional|another|extra|further|fresh)\b")


def _scope(ctx: DocContext, sentence_text: str, root: Token) -> Scope:
    cues = ctx.cues
    start = root.left_edge.i
    lead = " ".join(t.lower_ for t in root.doc[max(0, start - 3) : start + 1])
    after = " ".join(t.lower_ for t in _run_after(root.doc[root.right_edge.i])[:3])
    if _ADDED.search(lead) or _ADDED.match(after):
        # "an additional SEK 1 billion", "A$50m in additional assistance": a new package
        # whatever else the sentence totals.
        return Scope.NEW
    sentence_text = _own_clause(root)
    if cues.cumulative_strong_re.search(sentence_text) or _SINCE.search(sentence_text):
        return Scope.CUMULATIVE
    weak = [m.group(0) for m in cues.cumulative_weak_re.finditer(sentence_text)]
    if (weak and not all(_reaches_a_place(m, root) for m in weak)) or _raised_to(ctx, root):
        verb = governing_verb(root)
        modals = {c.lower_ for c in verb.children if c.dep_ == "aux"} if verb is not None else set()
        if modals & cues.forward_modals or _forward_period(ctx, sentence_text):
            return Scope.NEW
        return Scope.CUMULATIVE
    return Scope.NEW


def _raised_to(ctx: DocContext, root: Token) -> bool:
    """Whether the figure is the level a total is lifted to ("takes the Dutch total in that fund to
    €165 million"), whatever words stand between the verb and its object."""
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ != "to" or prep.head.lemma_.lower() not in ctx.cues.raising_verbs:
        return False
    # "a readiness to increase this amount to US$4.5 billion" is a prospect, not a tally.
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in prep.head.children)
    return not infinitive and any(c.dep_ == "dobj" for c in prep.head.children)


def _reaches_a_place(cue: str, root: Token) -> bool:
    """Whether a "has reached" cue is a delivery arriving ("40 generators ... has reached Odesa"),
    not a total reaching the figure: the verb's object is something other than the figure."""
    word = cue.split()[-1].lower()
    verbs = [t for t in root.sent if t.lower_ == word and t.pos_ in {"VERB", "AUX"}]
    return bool(verbs) and all(
        any(o.dep_ == "dobj" and root not in o.subtree and o.i != root.i for o in v.children)
        for v in verbs
    )


def _forward_period(ctx: DocContext, text: str) -> bool:
    """True if the text puts the figure's period in the future ("until 2036", "over the next five years")."""
    if re.search(r"\bnext\s+\w+\s+years\b", text, re.IGNORECASE):
        return True
    years = [int(y) for y in re.findall(r"\b(20[2-4]\d)\b", text)]
    return bool(ctx.ref_year and years and max(years) > ctx.ref_year and ctx.cues.forward_re.search(text))


def _status(ctx: DocContext, sentence_text: str, root: Token) -> Status:
    cues = ctx.cues
    if cues.expected_re.search(sentence_text):
        return Status.EXPECTED
    verb = governing_verb(root)
    hops = 0
    while verb is not None and hops < 3:
        lemma = verb.lemma_.lower()
        status = cues.commitment_verbs.get(lemma)
        if status is not None and lemma not in {"include", "comprise", "amount", "go", "bring"}:
            aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
            future = (
                bool(aux & cues.forward_modals)
                or verb.dep_ == "xcomp"
                or any(c.lower_ in _FUTURE for c in verb.children if c.dep_ == "aux")
            )
            if status is Status.PROVIDED and future:
                # A donor's "will provide" is a pledge; "Ukraine will receive", "will be transferred"
                # report the plan without the giver's word for it.
                passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)
                return Status.ANNOUNCED if passive or lemma in cues.receiving_verbs else Status.PLEDGED
            return status
        verb = governing_verb(verb.head) if verb.head != verb else None
        hops += 1
    return _noun_status(cues, root) or Status.ANNOUNCED


def _noun_status(cues: Cues, root: Token) -> Status | None:
    """The status a noun states for a figure no verb of giving governs: the noun the figure is
    ("a $1.1bn disbursement"), or the subject that lists it ("Previous payouts include €6 billion")."""
    verb = governing_verb(root)
    nouns = [root, root.head, *(c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"})] if verb else [root.head]
    for noun in nouns:
        status = cues.status_nouns.get(noun.lemma_.lower())
        if status is not None:
            return status
    return None


def _instrument(ctx: DocContext, root: Token, clause_text: str) -> Instrument:
    noun = root.head if root.dep_ in {"nummod", "compound", "amod", "quantmod", "nmod"} else root
    near = " ".join(t.text for t in [root.head, *root.head.children, *root.children])
    verb = governing_verb(root)
    # "EBRD lends €100 million ..., backed by EU guarantee": the figure's own verb before its clause.
    for text in (noun.text, near, verb.text if verb is not None else "", clause_text):
        found = {inst for inst, pattern in ctx.cues.instrument_res if pattern.search(text)}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return Instrument.UNSPECIFIED
    return Instrument.UNSPECIFIED


def _sectors(ctx: DocContext, text: str) -> tuple[Sector, ...]:
    return tuple(sector for sector, pattern in ctx.cues.sector_res if pattern.search(text))


def _own_clause_tokens(clause: Token, root: Token) -> list[Token]:
    """The clause of a figure without the clauses of other subjects joined to it.

    "Japan will extend a loan of ¥470 billion, while Canada is sending drones": the drones are
    Canada's, and say nothing of what Japan's loan is for.
    """
    skip: set[int] = set()
    for c in clause.children:
        if c.dep_ in {"advcl", "conj", "ccomp", "parataxis"} and any(
            g.dep_ in {"nsubj", "nsubjpass"} for g in c.children
        ):
            inner = {t.i for t in c.subtree}
            if root.i not in inner:
                skip |= inner
    return [t for t in clause.subtree if t.i not in skip]


def _is_item_head(cues: Cues, token: Token) -> bool:
    return token.pos_ in {"NOUN", "PROPN"} and (
        token.lower_ in cues.in_kind_heads or token.lemma_.lower() in cues.in_kind_heads
    )


def _own_text(root: Token) -> str:
    """The figure's own phrase: its noun and what hangs on it, without the figures listed beside it.

    In "£3 million for grain, £17 million for energy and £10 million for small businesses" the
    clause names three purposes; each figure is for the one its own phrase names.
    """
    noun = root.head if root.dep_ in {"nummod", "compound", "quantmod"} else root
    skip = {t.i for c in noun.children if c.dep_ in {"conj", "appos", "cc"} for t in c.subtree}
    return _text_of([t for t in noun.subtree if t.i not in skip])


def _run_after(last: Token) -> list[Token]:
    """The words after a figure up to the next comma, semicolon or figure, skipping a bracketed equivalent."""
    out: list[Token] = []
    depth = 0
    for t in last.doc[last.i + 1 : last.sent.end]:
        if t.text in {"(", "["}:
            depth += 1
        elif t.text in {")", "]"}:
            depth = max(depth - 1, 0)
        elif depth == 0:
            if t.text in {",", ";", ":"} or t.like_num or t.is_currency:
                break
            out.append(t)
    return out


def _nearest(ctx: DocContext, texts: tuple[str, ...], in_kind: bool) -> tuple[Kind, tuple[Sector, ...]]:
    """Kind and sectors from the nearest of `texts` (own words, clause, sentence) that names any.

    A kind is written ("military aid") or implied by a sector ("£17 million for energy
    projects" is reconstruction, five generators delivered in kind are humanitarian); a figure
    whose words imply several kinds is mixed.
    """
    cues = ctx.cues
    implied = {**cues.sector_kinds, **cues.in_kind_sector_kinds} if in_kind else cues.sector_kinds
    for text in texts:
        sectors = _sectors(ctx, text)
        kinds = {kind for kind, pattern in cues.kind_res if pattern.search(text)}
        kinds.update(implied[s] for s in sectors if s in implied)
        if kinds or sectors:
            return _one_kind(kinds), sectors
    return Kind.UNSPECIFIED, ()


def _one_kind(kinds: set[Kind]) -> Kind:
    if len(kinds) == 1:
        return next(iter(kinds))
    return Kind.MIXED if kinds else Kind.UNSPECIFIED


def _purpose(root: Token) -> str | None:
    """What the figure is for: its "for …" phrase or its "to …" infinitive."""
    for anchor in (root, root.head, governing_verb(root)):
        if anchor is None:
            continue
        for child in anchor.children:
            if (child.dep_ == "prep" and child.lower_ == "for") or (
                child.dep_ in {"advcl", "xcomp", "relcl"}
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in child.children)
            ):
                words = list(child.subtree)
                return _text_of(words)[:200]
    return None


def _date(ctx: DocContext, i: int) -> str | None:
    for d in find_dates(ctx.sentences[i].text, offset=ctx.offset(i), ref=ctx.ref_date or None, lang=ctx.lang):
        if d.value is not None and d.precision == "day":
            return d.value.isoformat()
    return None


class _Builder:
    """Collects the commitments of one article, sentence by sentence."""

    def __init__(self, ctx: DocContext, people: list[Person]) -> None:
        self.ctx = ctx
        self.attributor = Attributor(ctx, people)
        self.dollar = default_dollar(ctx, self.attributor.main_donor)
        self.out: list[Commitment] = []
        self.listed_in: dict[int, int] = {}  # a listed part's index in `out` -> its package's

    def settle_donor(self) -> None:
        """First pass: which donor do the figure sentences name outright? That is the article's donor."""
        explicit: Counter[str] = Counter()
        for i in self.ctx.fact_sentences():
            sent = self.ctx.sentences[i]
            if self.ctx.parse(i) is None:
                continue
            for money in find_money(sent.text, offset=sent.span.start, default_dollar="USD", lang=self.ctx.lang):
                tokens = self.ctx.char_span(i, money.span)
                if tokens is None or len(tokens) == 0 or not _is_aid(self.ctx, tokens.root, sent.text):
                    continue
                who = self.attributor.attribute(i, tokens)
                if who.donor and who.how in {"possessive", "agent", "relative", "subject", "funded"}:
                    explicit[who.donor.removesuffix(" and others")] += 1
            # Deliveries name their giver too: "has donated 40 units", "received ... from its twin city".
            doc = self.ctx.parse(i)
            assert doc is not None
            for verb in doc:
                if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.ctx.cues.delivery_verbs:
                    continue
                receiving = verb.lemma_.lower() in self.ctx.cues.receiving_verbs
                givers = [c for c in verb.children if c.dep_ == "nsubj" and not receiving] + [
                    o
                    for p in verb.children
                    if p.dep_ in {"prep", "agent"} and p.lower_ in {"from", "by"}
                    for o in p.children
                    if o.dep_ == "pobj"
                ]
                for giver in givers:
                    donor, how = self.attributor._actor_phrase(self.ctx, i, giver)
                    if donor and how == "subject" and donor != self.attributor.recipient:
                        explicit[donor.removesuffix(" and others")] += 1
        self.attributor.forget()
        self.attributor.settle_main_donor(explicit)
        self.dollar = default_dollar(self.ctx, self.attributor.main_donor)

    def sentence(self, i: int) -> None:
        ctx = self.ctx
        sent = ctx.sentences[i]
        doc = ctx.parse(i)
        if doc is None:
            return
        moneys = find_money(sent.text, offset=sent.span.start, default_dollar=self.dollar, lang=ctx.lang)
        used: list[Span] = []
        values: list[tuple[Money, tuple[Money, ...], SpacySpan]] = []
        for money, equivalents in pair_equivalents(moneys, ctx.article.text):
            tokens = ctx.char_span(i, money.span)
            if tokens is None or len(tokens) == 0:
                continue
            used.append(money.span)
            used.extend(e.span for e in equivalents)
            if self._prices_delivered(i, money, equivalents, tokens):
                continue
            valued = ctx.cues.item_value_re.search(sent.text[: money.span.start - sent.span.start])
            if valued and not _values_a_programme(ctx.cues, tokens.root):
                values.append((money, equivalents, tokens))  # priced items: wait for the items
                continue
            self._money(i, sent.text, money, equivalents, tokens)
        if not moneys:
            self._guarantee_after(i)
        start = len(self.out)
        self._in_kind(i, used)
        for money, equivalents, tokens in values:
            if not self._price_items(start, money, equivalents):
                self._money(i, sent.text, money, equivalents, tokens)

    def _pledged_at_a_gathering(self, root: Token) -> bool:
        """Whether a figure no one is named for sums what many gave at a conference.

        "The contributions announced at the Conference amount to more than EUR 65 million": plural
        aid words, owned by no one, and a conference or summit, in a sentence that names no giver.
        """
        cues = self.ctx.cues
        sent = root.sent
        plural_aid = any(
            t.tag_ == "NNS"
            and t.lemma_.lower() in cues.aid_nouns
            and not any(c.dep_ == "poss" for c in t.children)
            for t in sent
        )
        gathering = any(
            EventType.CONFERENCE in {cues.event_nouns.get(t.lemma_.lower()), cues.event_nouns.get(t.lower_)}
            for t in sent
        )
        return plural_aid and gathering

    def tables(self) -> None:
        """The money rows of tables flattened into text ("Netherlands | 160.0 | 145.0").

        A row's giver is the actor its first cell names, or the cell itself where it reads as a
        proper name ("Fennell Family Foundation"), never a row of lumped sources ("Gifts in kind").
        A contributions table tallies, so its rows are running totals unless the caption says
        they are new; a row whose pledge is all paid in ("Canada | 92.5 | 92.5") is one
        commitment, the one provided.
        """
        ctx = self.ctx
        recipient = self.attributor.recipient
        rows: dict[tuple[int, int], list[tuple[Commitment, Status | None]]] = {}
        for fig in table_figures(ctx, self.dollar):
            label_mentions = [
                m
                for m in ctx.actors.get(fig.sentence, [])
                if fig.label.span.contains(m.span) and m.actor.type is not ActorType.PERSON
            ]
            if label_mentions:
                actor = label_mentions[0].actor
                donor, channel = actor.donor, actor.name if actor.pooled else None
            elif _proper_name(fig.label.text):
                donor, channel = re.sub(r"\s*\([^)]*\)", "", fig.label.text).strip(), None
            else:
                continue
            if not donor or donor == recipient:
                continue
            caption_actors = ctx.actors.get(fig.sentence - 1, []) if fig.caption else []
            # The caption's fund or bank: "contributions to the URTF".
            for m in caption_actors if channel is None else []:
                if m.actor.type in {ActorType.FUND, ActorType.INTERGOVERNMENTAL} and m.actor.name != donor:
                    channel = m.actor.name
                    break
            scope = Scope.NEW if ctx.cues.new_re.search(fig.caption) else Scope.CUMULATIVE
            status = fig.status or (Status.PROVIDED if scope is Scope.CUMULATIVE else Status.ANNOUNCED)
            purpose = "; ".join(c.text for c in fig.others) or None
            kind, sectors = _nearest(ctx, (purpose or "", fig.caption), False)
            found = {inst for inst, pattern in ctx.cues.instrument_res if pattern.search(fig.caption)}
            amount = fig.amount.quantize(Decimal(1)) if fig.amount == fig.amount.to_integral_value() else fig.amount
            money = Money(fig.cell.text, fig.cell.span, amount, fig.currency)
            sent = ctx.sentences[fig.sentence]
            commitment = Commitment(
                doc_id=ctx.article.id,
                donor=donor,
                recipient=recipient,
                evidence=Evidence(ctx.article.id, sent.span, sent.text),
                amount=amount,
                currency=fig.currency,
                money=money,
                usd=to_usd(amount, fig.currency, ctx.ref_date),
                channel=channel,
                confidence=0.7,
                figure=fig.cell.span,
                date=_iso(_date(ctx, fig.sentence)),
                scope=scope,
                status=status,
                instrument=found.pop() if len(found) == 1 else Instrument.UNSPECIFIED,
                kind=kind,
                sectors=sectors,
                purpose=purpose,
            )
            rows.setdefault((fig.sentence, fig.label.span.start), []).append((commitment, fig.status))
        for row in rows.values():
            provided = [c for c, st in row if st is Status.PROVIDED]
            for c, st in row:
                if st is Status.PLEDGED and any(p.amount == c.amount for p in provided):
                    continue  # pledged and paid in full: one commitment, provided
                self.out.append(c)

    def _prices_delivered(self, i: int, money: Money, equivalents: tuple[Money, ...], tokens: SpacySpan) -> bool:
        """Give a figure that prices items already counted to their delivery, in place of a figure of its own.

        "The WHO handed over 10 ambulances funded by Italy. Italy's agency had paid €1.1 million
        for the vehicles", "... has handed over two fire trucks. The value of the vehicles is
        CZK 9.5 million": the figure is what the delivery cost, so the two are one commitment.
        It must name the items back ("for the vehicles", "the value of the equipment", "the
        equipment is worth"), and the
        delivery must be in this sentence or the one before, have no price yet and, where the
        figure names its payer, be that payer's.
        """
        cues = self.ctx.cues
        verb = governing_verb(tokens.root)
        if verb is None:
            return False
        named_back: list[Token] = []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "for" and verb.lemma_.lower() in cues.paying_verbs:
                named_back += [o for o in c.children if o.dep_ == "pobj"]
            elif c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in cues.measure_nouns:
                named_back += [o for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
            elif c.dep_ in {"nsubj", "nsubjpass"} and cues.item_value_re.search(
                self.ctx.article.text[self.ctx.sentences[i].span.start : money.span.start]
            ):
                named_back.append(c)  # "The equipment is worth EUR 3.4 million"
        if verb.dep_ == "acl" and cues.item_value_re.search(
            self.ctx.article.text[self.ctx.sentences[i].span.start : money.span.start]
        ):
            named_back.append(verb.head)  # "The units, valued at EUR 3.4 million, can treat ..."
        if not any(
            _is_item_head(cues, t) and any(d.dep_ in {"det", "poss"} and d.lower_ != "a" for d in t.children)
            for t in named_back
        ):
            return False
        since = self.ctx.sentences[max(0, i - 1)].span.start
        delivered = [
            (k, c)
            for k, c in enumerate(self.out)
            if c.amount is None
            and c.quantity is not None
            and c.figure is not None
            and since <= c.figure.start
            and c.figure.end <= money.span.start
        ]
        if not delivered:
            return False
        k, items = delivered[-1]
        payer = self.attributor.attribute(i, tokens)
        if payer.how not in {"document", "previous"} and payer.donor != items.donor:
            return False
        priced = self._priced(items, money, equivalents)
        if priced is None:
            return False
        # The evidence runs from the delivery to the price, so both figures are in what it cites.
        start, end = min(items.evidence.span.start, self.ctx.sentences[i].span.start), self.ctx.sentences[i].span.end
        self.out[k] = replace(
            priced, evidence=Evidence(self.ctx.article.id, Span(start, end), self.ctx.article.text[start:end])
        )
        return True

    def _price_items(self, start: int, money: Money, equivalents: tuple[Money, ...]) -> bool:
        """Give "valued at $245 million" to the counted items just before it, if there are any.

        The figure prices the delivery it follows ("will provide 49 tanks, valued at ..."), so
        the items and the figure are one commitment, not an in-kind one and a money one.
        """
        before = [
            (k, c)
            for k, c in enumerate(self.out[start:], start)
            if c.amount is None and c.figure is not None and c.figure.end <= money.span.start
        ]
        if not before:
            return False
        k, items = max(before, key=lambda kc: kc[1].figure.end if kc[1].figure else 0)
        priced = self._priced(items, money, equivalents)
        if priced is None:
            return False
        self.out[k] = replace(priced, confidence=max(items.confidence, 0.8))
        return True

    def _priced(self, items: Commitment, money: Money, equivalents: tuple[Money, ...]) -> Commitment | None:
        """Counted items with the figure that prices them; None if the figure's currency is
        unknown and the items' donor has no currency of its own to lend it."""
        currency = money.currency or self._national_currency(items.donor)
        if currency is None:
            return None
        money = replace(money, currency=currency, currency_implicit=money.currency is None)
        return replace(
            items,
            amount=money.amount,
            currency=currency,
            money=money,
            usd=to_usd(money.amount, currency, self.ctx.ref_date),
            equivalents=equivalents,
        )

    def _classified(self, i: int, root: Token, last: Token, *, in_kind: bool = False) -> dict[str, object]:
        """Scope, status, instrument, kind, sectors, purpose and date of the figure `root` heads.

        `last` is the figure's last token: the words after it, up to the next figure or comma,
        are its own as a list states them, whatever the parser made of the list.
        """
        ctx = self.ctx
        sent_text = ctx.sentences[i].text
        clause = _clause(root)
        clause_text = _text_of(list(clause.subtree))
        instrument = Instrument.IN_KIND if in_kind else _instrument(ctx, root, clause_text)
        purpose = _purpose(root)
        own = " ".join((_own_text(root), _text_of(_run_after(last)), purpose or ""))
        kind, sectors = _nearest(ctx, (own, _text_of(_own_clause_tokens(clause, root))), in_kind)
        if kind is Kind.UNSPECIFIED and not sectors:
            # A loan or a guarantee is financial aid; failing that, the sentence may say what for.
            kind = ctx.cues.instrument_kinds.get(instrument, kind)
            if kind is Kind.UNSPECIFIED:
                kind, sectors = _nearest(ctx, (sent_text,), in_kind)
        return {
            "scope": _scope(ctx, sent_text, root),
            "status": _status(ctx, sent_text, root),
            "instrument": instrument,
            "kind": kind,
            "sectors": sectors,
            "purpose": purpose,
            "date": _date(ctx, i),
        }

    def _money(self, i: int, sent_text: str, money: Money, equivalents: tuple[Money, ...], tokens: SpacySpan) -> None:
        ctx = self.ctx
        root = tokens.root
        whole = self._whole_of(i, money)
        package = self._list_package(i)
        if _speculative(root, ctx.cues) or not (
            _is_aid(ctx, root, sent_text)
            or self._listed_part(i, money, whole)
            or (package is not None and not _not_aid(ctx, root, [root, *root.ancestors]))
        ):
            return
        whole = whole or (self.out[package] if package is not None else None)
        who = self.attributor.attribute(i, tokens)
        if whole is not None and whole.donor != who.donor:
            # "£600 million in UK support, including £242 million for ...": a part has its whole's donor.
            who = replace(who, donor=whole.donor, how="part")
        if who.how in {"document", "previous"} and money.currency is not None and not money.currency_implicit:
            # "Around 30 million Canadian dollars will go to ...", in a story led by Spain: with no
            # giver named, the money's own state gives, if the text names it and it is not the recipient.
            state = currency_state(money.currency)
            if (
                state is not None
                and state not in {who.donor, self.attributor.recipient}
                and self._national_currency(who.donor) != money.currency
                and any(m.actor.name == state for mentions in ctx.actors.values() for m in mentions)
            ):
                who = replace(who, donor=state, how="currency")
        if who.how == "document" and self._pledged_at_a_gathering(root):
            who = replace(who, donor=ctx.cues.unnamed_donors, how="coalition")
        if who.donor is None:
            return
        if who.recipient and who.recipient != self.attributor.recipient:
            actor = ctx.gaz.lookup(who.recipient)
            if actor is not None and actor.type.value in {"country", "other"} and actor.name != who.donor:
                return  # a transfer to another state ("missiles to the United States"), not aid to the recipient
        if money.currency is None:
            currency = self._national_currency(who.donor)
            if currency is None:
                return  # "1.5 billion kroner" with no donor to say which kroner
            money = replace(money, currency=currency, currency_implicit=True)
        elif money.currency_implicit and money.currency == self.dollar and who.donor != self.attributor.main_donor:
            # A bare "$" is the figure's own donor's dollar, in a round-up led by another donor.
            money = replace(money, currency=default_dollar(ctx, who.donor))
        fields = self._classified(i, root, tokens[-1])
        if package is not None and whole is not None and governing_verb(root) is None:
            fields["status"] = whole.status  # "(b) $12 million to the ICRC": no verb of its own
        date = fields.pop("date")
        sent = ctx.sentences[i]
        conversion = to_usd(money.amount, money.currency, ctx.ref_date) if money.currency else None
        confidence = {
            "funded": 0.9,
            "possessive": 0.9,
            "agent": 0.9,
            "relative": 0.85,
            "subject": 0.85,
            "pronoun": 0.7,
            "person": 0.75,
            "document": 0.6,
            "sentence": 0.65,
            "currency": 0.65,
        }.get(who.how, 0.5)
        commitment = Commitment(
            doc_id=ctx.article.id,
            donor=who.donor,
            recipient=who.recipient,
            evidence=Evidence(ctx.article.id, sent.span, sent.text),
            amount=money.amount,
            currency=money.currency,
            money=money,
            usd=conversion,
            channel=who.channel or self._listed_channel(i, tokens[-1], who.donor),
            confidence=confidence * (0.8 if sent.is_headline else 1.0),
            equivalents=equivalents,
            figure=money.span,
            date=_iso(date),
            **fields,  # type: ignore[arg-type]
        )
        if self._restated(i, commitment):
            return
        if package is not None and whole is not None and whole.donor == commitment.donor:
            self.listed_in[len(self.out)] = package
        self.out.append(commitment)
        self._guarantee(i, root, commitment)

    def _restated(self, i: int, commitment: Commitment) -> bool:
        """Whether the figure restates the one before in another currency, and so joins it.

        "The government approved around 24 million euros ... The money, CZK 600 million, is spread
        over three years": a figure set beside a noun that points back ("The money", "The sum")
        is the earlier figure's equivalent when the donor is the same and the values agree. Read
        from the text: the parser takes "The money, CZK 600 million," for two subjects as often as
        for an apposition.
        """
        if commitment.usd is None or commitment.money is None:
            return False
        sent = self.ctx.sentences[i]
        lead = sent.text[: commitment.money.span.start - sent.span.start].lower().split()
        if not (
            len(lead) == 2
            and lead[0] in self.ctx.cues.restating_determiners
            and lead[1].rstrip(",") in self.ctx.cues.restating_nouns
            and lead[1].endswith(",")
        ):
            return False
        for k in range(len(self.out) - 1, -1, -1):
            earlier = self.out[k]
            if earlier.evidence.span.start < self.ctx.sentences[max(0, i - 1)].span.start:
                break
            if (
                earlier.donor == commitment.donor
                and earlier.currency != commitment.currency
                and earlier.usd is not None
                and abs(earlier.usd.usd - commitment.usd.usd) <= Decimal("0.1") * earlier.usd.usd
            ):
                self.out[k] = replace(
                    earlier,
                    equivalents=(*earlier.equivalents, commitment.money),
                    alt_evidence=(*earlier.alt_evidence, commitment.evidence),
                )
                return True
        return False

    def _list_package(self, i: int) -> int | None:
        """The package an enumerated line is a part of: "This comprises:" then "(a) $10 million to ...".

        The line must be enumerated and follow, through other enumerated lines only, a sentence
        that ends with a colon, names its parts ("comprises", "includes") and states a figure.
        """
        ctx = self.ctx
        if not _ENUMERATED.match(ctx.sentences[i].text):
            return None
        for k in range(i - 1, max(-1, i - 30), -1):
            previous = ctx.sentences[k]
            if previous.is_furniture or _ENUMERATED.match(previous.text):
                continue
            if not (previous.text.rstrip().endswith(":") and ctx.cues.contains_re.search(previous.text)):
                return None
            # The package is stated in the introducing sentence or the one before it ("... $30 million.
            # This comprises:").
            start = ctx.sentences[max(k - 1, 0)].span.start
            if not find_money(previous.text, lang=ctx.lang):
                # "Canada announces $75 million ... The new funding includes:": the introducing
                # sentence names the package without its figure, which a few sentences before state.
                start = ctx.sentences[max(k - 4, 0)].span.start
            packages = [
                j
                for j, c in enumerate(self.out)
                if c.money is not None and c.figure is not None and start <= c.figure.start < previous.span.end
            ]
            return packages[-1] if packages else None
        return None

    def _listed_channel(self, i: int, last: Token, donor: str | None) -> str | None:
        """The body a listed figure goes "through" or "via", however the parser attached the phrase.

        "£3 million to fund food deliveries via the World Food Programme, £17 million for ...":
        the channel is named in the figure's own run of words, not under its verb.
        """
        run = _run_after(last)
        if not run:
            return None
        base = self.ctx.sentences[i].span.start
        start, end = base + run[0].idx, base + run[-1].idx + len(run[-1].text)
        text = self.ctx.article.text[start:end]
        cue = self.ctx.cues.channel_cue_re.search(text)
        if cue is None:
            return None
        for m in self.ctx.actors.get(i, []):
            if start + cue.end() <= m.span.start and m.span.end <= end:
                actor = m.actor
                if actor.type is not ActorType.COUNTRY and actor.name != donor and not actor.governs:
                    return actor.name  # "via JICA" is Japan's channel; "through the cabinet" is Japan itself
                return None
        return None

    def _national_currency(self, donor: str | None) -> str | None:
        return national_currency(self.ctx.gaz.lookup(donor or ""))

    def _listed_part(self, i: int, money: Money, whole: Commitment | None) -> bool:
        """A part of an aid figure is aid however it is phrased: "Of this, €40 million is for the
        repair of power plants and €20 million for demining" (the second goes on the first's list)."""
        if whole is not None:
            return True
        sent = self.ctx.sentences[i]
        first = next((c for c in self.out if c.figure is not None and sent.span.contains(c.figure)), None)
        return first is not None and first.money is not None and self._whole_of(i, first.money) is not None

    def _whole_of(self, i: int, money: Money) -> Commitment | None:
        """The commitment of this sentence that `money` is introduced as part of ("including …")."""
        sent = self.ctx.sentences[i]
        before = sent.text[: money.span.start - sent.span.start]
        if not self.ctx.cues.part_of_re.search(before):
            return None
        # "... including X" names its whole in the sentence; "Of this, X" in the sentence before.
        earlier = [
            c
            for c in self.out
            if c.figure is not None
            and c.money is not None
            and c.figure.end <= money.span.start
            and money.span.start - c.evidence.span.start < 800
        ]
        return earlier[-1] if earlier else None

    def _guarantee(self, i: int, root: Token, commitment: Commitment) -> None:
        """A loan "guaranteed by X" is also X's guarantee of the same amount, through the lender.

        So is one "backed by a guarantee from X", and one "that X backs with a credit guarantee".
        """
        noun = root.head if root.dep_ in {"nummod", "compound", "amod", "quantmod", "nmod"} else root
        nouns = [noun]
        verb = governing_verb(root)
        if verb is not None and verb.lemma_ == "be":  # "$750 million is an IBRD loan that X backs"
            nouns += [c for c in verb.children if c.dep_ == "attr"]
        for child in (c for n in nouns for c in n.children):
            if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in _GUARANTEEING:
                self._add_guarantees(i, child, commitment)
                return

    def _guarantee_after(self, i: int) -> None:
        """ "It is backed by a guarantee from X": a guarantee of the loan the sentence before states."""
        doc = self.ctx.parse(i)
        if doc is None or i == 0:
            return
        before = self.ctx.sentences[i - 1].span
        loans = [c for c in self.out if c.evidence.span == before and c.amount is not None]
        if not loans:
            return
        for verb in (t for t in doc if t.dep_ == "ROOT" and t.lemma_.lower() in _GUARANTEEING):
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if any(s.lower_ in {"it", "this"} or s.lemma_.lower() in self.ctx.cues.aid_nouns for s in subjects):
                sentence = self.ctx.sentences[i]
                said = Evidence(self.ctx.article.id, sentence.span, sentence.text)
                self._add_guarantees(i, verb, replace(loans[-1], alt_evidence=(said,)))

    def _add_guarantees(self, i: int, verb: Token, commitment: Commitment) -> None:
        for who in _guarantor_tokens(verb, self.ctx.cues.instrument_res):
            if who.ent_type_ not in {"GPE", "ORG", "NORP"} and who.pos_ != "PROPN" and who.lower_ != "government":
                continue  # "backed by frozen Russian asset profits": not a guarantor
            guarantor, _ = self.attributor._actor_phrase(self.ctx, i, who)
            if guarantor and guarantor != commitment.donor:
                self.out.append(
                    replace(
                        commitment,
                        donor=guarantor,
                        instrument=Instrument.GUARANTEE,
                        channel=commitment.donor,
                        confidence=commitment.confidence * 0.9,
                    )
                )
                return

    def _in_kind(self, i: int, used: list[Span]) -> None:
        """Counted or named deliveries: "five mobile gas turbine power generators", "F-16 jets"."""
        ctx = self.ctx
        doc = ctx.parse(i)
        assert doc is not None
        cues = ctx.cues
        sent = ctx.sentences[i]
        seen_heads: set[int] = set()
        for head in doc:
            if head.i in seen_heads or not (_is_item_head(cues, head) or self._handed_over(head)):
                continue
            if head.lower_ in cues.not_delivered_heads:
                continue
            if head.dep_ == "dative":
                continue  # "will give Ukraine's units the mobility": the units receive, they are not given
            if head.dep_ == "compound" and head.head.pos_ in {"NOUN", "PROPN"} and head.head.i > head.i:
                continue  # "mortar" in "120mm mortar rounds" names the rounds, not an item of its own
            if head.dep_ == "pobj" and head.head.lower_ == "for" and _is_item_head(cues, head.head.head):
                continue  # "munitions for NASAMS systems": the systems say what the munitions are for
            item_head = head
            # "units of heavy equipment", "tonnes of coal": the item is the whole phrase.
            quantity = self._count(head)
            if quantity is None and head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
                outer = head.head.head
                if outer.lower_ in {"number", "lot", "batch", "set"}:
                    item_head = outer
            verb = self._delivery_verb(item_head)
            if verb is None and self._list_item(i) and not any(a.pos_ in {"VERB", "AUX"} for a in item_head.ancestors):
                verb = item_head  # "• 500 TOW anti-tank missiles;" under "The package includes:"
            if verb is None or (verb is item_head and quantity is None and used):
                continue  # "- £27 million to the fund, for the repair of substations": what the money buys
            # A clause on the items ("6,000 sleeping bags, valued at EUR 210,000") prices them;
            # only money in the item's own words makes the counted thing money.
            priced = {t.i for c in item_head.children if c.dep_ in {"acl", "relcl"} for t in c.subtree}
            if any(
                Span(sent.span.start + t.idx, sent.span.start + t.idx + len(t)).overlaps(u)
                for t in item_head.subtree
                if t.i not in priced
                for u in used
            ):
                continue  # the counted thing is money ("$500 million in equipment")
            if quantity is None and head.lower_ in _GENERIC_ITEMS and not self._named_item(head):
                # "military equipment" is too vague to count; "an unmanned aircraft detecting system" is not.
                modifiers = [c for c in head.children if c.dep_ in {"compound", "amod", "nmod"}]
                if len(modifiers) < 2 and not any(c.dep_ == "compound" for c in head.children):
                    continue
            if _speculative(head, cues):
                continue  # "the move could pave the way for the U.S. to ... send Ukraine missiles"
            if quantity is None and not self._named_item(head) and self._beside_counted(item_head):
                continue  # "two fire trucks and a set of rescue equipment": one delivery, counted by its trucks
            if quantity is None and self._named_before(i, head):
                continue  # "the howitzers would be delivered": the ones an earlier sentence gave
            if verb != item_head and self._money_purpose(i, verb, counted=quantity is not None, priced=bool(used)):
                continue  # "allocate $37 million to provide a drone detection system": the money is the commitment
            if self._foreign_item(i, head):
                continue  # "send the U.S. Patriot missiles": a transfer to another state
            seen_heads.add(head.i)
            item = self._item_text(head, item_head)
            if not item:
                continue
            who = self.attributor.attribute(i, doc[item_head.i : item_head.i + 1])
            if who.donor is None:
                continue
            if who.recipient and who.recipient != self.attributor.recipient:
                actor = ctx.gaz.lookup(who.recipient)
                if actor is not None and actor.type.value == "country":
                    continue
            if head.lower_ in cues.stand_in_items and item_head is head:
                item = self._stood_for(i, head) or item
            fields = self._classified(i, head, head, in_kind=True)
            fields.pop("date")
            span = ctx.token_span(i, doc[min(t.i for t in head.subtree if t.i <= head.i) : head.i + 1])
            self.out.append(
                Commitment(
                    doc_id=ctx.article.id,
                    donor=who.donor,
                    recipient=who.recipient,
                    evidence=Evidence(ctx.article.id, sent.span, sent.text),
                    quantity=quantity,
                    item=item,
                    channel=who.channel or self._listed_channel(i, head, who.donor),
                    confidence=0.6 if quantity is None else 0.75,
                    figure=span,
                    date=_iso(_date(ctx, i)),
                    **fields,  # type: ignore[arg-type]
                )
            )

    def _stood_for(self, i: int, head: Token) -> str | None:
        """The items that "the first 80 units" stands for: the last counted things named before it.

        They are looked for in this sentence and the one before: "would donate 200 hybrid
        inverters ... The first 80 units have already been shipped".
        """
        cues = self.ctx.cues
        for k in (i, i - 1):
            doc = self.ctx.parse(k) if k >= 0 else None
            if doc is None:
                continue
            counted = [
                t
                for t in doc
                if (k < i or t.i < head.i)
                and t.tag_ == "NNS"
                and t.lower_ not in cues.stand_in_items
                and t.lemma_.lower() not in cues.not_items
                and self._count(t) is not None
            ]
            if counted:
                return self._item_text(counted[-1], counted[-1]) or None
        return None

    def _beside_counted(self, item: Token) -> bool:
        """Whether an item is coordinated with a counted item of the same delivery."""
        cues = self.ctx.cues
        partners = [item.head] if item.dep_ == "conj" else []
        partners += [c for c in item.children if c.dep_ == "conj"]
        return any(_is_item_head(cues, p) and self._count(p) is not None for p in partners)

    def _named_before(self, i: int, head: Token) -> bool:
        """Whether `head` is a definite reference ("the howitzers") to items an earlier sentence named."""
        if not any(c.dep_ == "det" and c.lower_ in {"the", "these", "those"} for c in head.children):
            return False
        word = re.compile(rf"\b{re.escape(head.lower_)}\b", re.IGNORECASE)
        return any(
            not s.is_furniture and not s.is_headline and word.search(s.text) for s in self.ctx.sentences[:i]
        )

    def _list_item(self, i: int) -> bool:
        """True for a line of a list that a sentence introduces ("The package includes:")."""
        sent = self.ctx.sentences[i]
        if sent.text.lstrip()[:1] in _BULLETS:
            return True
        for k in range(i - 1, max(-1, i - 40), -1):
            previous = self.ctx.sentences[k]
            if previous.is_furniture:
                continue
            if previous.text.rstrip().endswith(":"):
                return bool(
                    self.ctx.cues.contains_re.search(previous.text) or self.ctx.cues.aid_noun_re.search(previous.text)
                )
            if len(previous.text.split()) > 12:
                return False  # a paragraph of prose ends any list
        return False

    def _money_purpose(self, i: int, verb: Token, *, counted: bool, priced: bool) -> bool:
        """True if a money figure of this sentence governs the delivery verb (its purpose).

        "$650 million …, including 50 armoured vehicles" counts a part of the package, so the items
        stay a delivery of their own (`counted`); "a $1 billion package, including artillery
        rounds" only says what the money buys, as does any uncounted item a sentence that states a
        sum (`priced`) says the package includes.
        """
        contains = verb.lemma_.lower() in self.ctx.cues.contains_verbs
        if counted and contains:
            return False
        if contains and priced:
            return True  # "The package is worth SEK 13.5 billion and includes Archer systems": what it buys
        sent = self.ctx.sentences[i]
        for c in self.out:
            if c.figure is None or c.money is None or not sent.span.contains(c.figure):
                continue
            for anc in [verb, *verb.ancestors]:
                if any(
                    sent.span.start + t.idx >= c.figure.start and sent.span.start + t.idx < c.figure.end
                    for t in anc.children
                ):
                    return True
                if anc.dep_ in {"conj", "parataxis"} and any(g.dep_ in {"nsubj", "nsubjpass"} for g in anc.children):
                    break  # "X announced €5m ..., and Slovakia said it would hand over two machines": its own clause
        return False

    def _foreign_item(self, i: int, head: Token) -> bool:
        """True if the item phrase names a state other than donor and recipient ("the U.S. Patriot missiles")."""
        span = self.ctx.token_span(i, head.doc[min(t.i for t in head.subtree) : head.i + 1])
        recipient = self.attributor.recipient
        donors = {self.attributor.main_donor, self.attributor.last_donor}
        for m in self.ctx.actors.get(i, []):
            foreign = m.actor.name != recipient and m.actor.name not in donors
            if span.contains(m.span) and m.actor.type.value == "country" and m.form != "demonym" and foreign:
                return True
        return False

    def _count(self, head: Token) -> Decimal | None:
        words = self.ctx.cues.number_words
        for child in head.children:
            if child.dep_ in {"nummod", "quantmod"} or (child.dep_ == "amod" and child.lower_ in words):
                part = [c for c in child.children if c.dep_ == "quantmod" and c.like_num]
                if part and any(c.dep_ == "quantmod" and c.lower_ == "of" for c in child.children):
                    child = part[0]  # "the first 20 of 60 school buses": 20 are handed over now
                count = _number(child, words)
                if count is not None:
                    return count
        # "14 Leopard 2A4 tanks": the parser may hang the count on the model name and read the
        # model code as the count; the count is the first plain number of the phrase.
        for t in sorted((t for t in head.subtree if t.i < head.i), key=lambda t: t.i):
            if t.dep_ in {"nummod", "compound", "quantmod"} and (_NUMBER.match(t.text) or t.lower_ in words):
                return _number(t, words)
        if head.dep_ == "pobj" and head.head.lower_ == "of":
            outer = head.head.head
            for child in outer.children:
                if child.dep_ == "nummod":
                    return _number(child, words)
            return self._raised_count(outer)
        return None

    def _raised_count(self, measure: Token) -> Decimal | None:
        """The count a tally is lifted to: "bringing the number of ambulances it has donated to 70"."""
        verb = measure.head
        if measure.dep_ != "dobj" or measure.lower_ not in {"number", "total"}:
            return None
        if verb.lemma_.lower() not in self.ctx.cues.raising_verbs:
            return None
        for t in verb.subtree:
            if t.i > measure.i and t.lower_ == "to" and t.dep_ == "prep":
                for o in t.children:
                    if o.dep_ == "pobj" and o.like_num and not _YEARLIKE.match(o.text):
                        return _number(o, self.ctx.cues.number_words)
        return None

    def _handed_over(self, head: Token) -> bool:
        """A counted plural that a verb of handing over takes as its object, whatever the noun.

        "has donated more than 1,000 prosthetic components": no list of item words can name every
        thing a donor hands over, but the verb and the count say it is a delivery. The people and
        places aid reaches ("sent 20 instructors", "supplied 40 schools with") are not items.
        """
        cues = self.ctx.cues
        return (
            head.tag_ == "NNS"
            and head.dep_ == "dobj"
            and head.head.lemma_.lower() in cues.handing_verbs
            and head.lemma_.lower() not in cues.not_items
            and not any(c.dep_ == "prep" and c.lower_ == "with" for c in (*head.children, *head.head.children))
            and any(c.dep_ == "nummod" and c.like_num for c in head.children)
        )

    def _named_item(self, head: Token) -> bool:
        return any(t.text[:1].isupper() or "-" in t.text for t in head.subtree if t.i < head.i)

    def _delivery_verb(self, head: Token) -> Token | None:
        cues = self.ctx.cues
        for c in head.children:
            if (
                c.dep_ == "acl"
                and c.lemma_.lower() in cues.delivery_verbs | cues.paying_verbs
                and any(a.dep_ == "agent" for a in c.children)
            ):
                # "a shipment of 40 diesel generators donated by Taiwan has reached Odesa", "36 power
                # generators paid for by Taiwanese donations reached Zaporizhzhia"
                return c
        t = head
        for _ in range(6):
            parent = t.head
            if parent == t:
                return None
            if t.dep_ in {"dobj", "nsubjpass", "pobj", "conj", "appos", "attr"}:
                if parent.pos_ in {"VERB", "AUX"} and parent.lemma_.lower() in cues.delivery_verbs:
                    return parent
                if t.dep_ == "nsubjpass" and parent.pos_ == "VERB":
                    # "The remaining 12 vehicles are expected to be delivered by mid-2025", "The
                    # remaining 40 buses are scheduled to arrive by September"
                    for x in (c for c in parent.children if c.dep_ == "xcomp"):
                        if x.lemma_.lower() in cues.delivery_verbs and any(a.dep_ == "auxpass" for a in x.children):
                            return x
                        if x.lemma_.lower() in cues.arriving_verbs:
                            return x
                if parent.lower_ in _NOMINAL_DELIVERY:
                    for anc in list(parent.ancestors)[:4]:
                        if (
                            anc.pos_ == "VERB"
                            and anc.lemma_.lower() in set(cues.commitment_verbs) | cues.delivery_verbs
                        ):
                            return parent
                    return None
                if parent.lower_ == "with" and parent.head.lemma_.lower() in cues.delivery_verbs:
                    return parent.head
                if parent.lower_ in {"of", "with"} and parent.head.lower_ in _NOMINAL_DELIVERY:
                    # "pledged aid, including the provision of X" is a delivery; "discussed speeding
                    # up the delivery of X" is not.
                    nominal = parent.head
                    for anc in list(nominal.ancestors)[:4]:
                        if (
                            anc.pos_ == "VERB"
                            and anc.lemma_.lower() in set(cues.commitment_verbs) | cues.delivery_verbs
                        ):
                            return nominal
                    return None
                if parent.lower_ == "of" and parent.head.lower_ in {"number", "batch", "lot"}:
                    t = parent.head
                    if self._raised_count(t) is not None:
                        return t.head  # "bringing the number of ambulances it has donated to 70"
                    continue
            if t.dep_ in {"dobj", "nsubjpass", "conj", "appos", "pobj"} and parent.pos_ in {"NOUN", "ADP"}:
                t = parent
                continue
            if t.dep_ in {"prep", "advmod", "cc"} and t.lower_ in _LIST_JOINERS:
                # "will receive 50 Bradleys, along with 500 TOW missiles": the list goes on
                if parent.pos_ in {"VERB", "AUX"} and parent.lemma_.lower() in cues.delivery_verbs:
                    return parent
                t = parent
                continue
            return None
        return None

    def _item_text(self, head: Token, item_head: Token) -> str:
        words = self.ctx.cues.number_words
        toks = [t for t in item_head.subtree if not t.is_space]
        if item_head == head:
            # "units of heavy equipment": the head's own "of" phrase belongs to the item; the
            # rest of its subtree ("with 590 missiles and 295,000 rounds") names other items.
            of_phrase = {t.i for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for t in c.subtree}
            toks = [t for t in toks if t.i <= head.i or t.i in of_phrase]
        start = 0
        for j, t in enumerate(toks):
            if (
                t.like_num
                or t.lower_ in words
                or t.dep_ == "det"
                or t.lower_
                in {"over", "about", "around", "some", "up", "to", "more", "than", "nearly", "almost", "a", "an", "the"}
                or (
                    # "the first 20 of 60 buses", "a further 50,000 shells": the count follows
                    t.lower_ in _COUNT_LEADS
                    and any(u.like_num or u.lower_ in words for u in toks[j + 1 : j + 3])
                )
                or (t.dep_ in {"advmod", "quantmod"} and t.head.like_num)  # "approximately 95,000 rounds"
            ):
                start = j + 1
            else:
                break
        toks = toks[start:]
        while toks and (toks[-1].is_punct or toks[-1].dep_ in {"cc", "prep"}):
            toks = toks[:-1]
        if item_head != head:
            toks = [t for t in toks if t.i > item_head.i] or toks
            if toks and toks[0].lower_ == "of":
                toks = toks[1:]
        text = "".join(t.text_with_ws for t in toks).strip()
        return text[:120]


_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _number(token: Token, words: dict[str, int]) -> Decimal | None:
    text = token.text.replace(",", "")
    if _NUMBER.match(token.text) or re.fullmatch(r"\d+", text):
        try:
            value = Decimal(text)
        except ArithmeticError:
            return None
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if following is not None and following.lower_ in _SCALES:
            value *= _SCALES[following.lower_]  # "1.5 million shells"
        return value
    phrase = token.lower_
    if phrase in _SCALES:
        # "half a million artillery shells": a number phrase that stands only before a scale word.
        phrases = load_money_vocab(token.doc.lang_).number_phrases
        for n in (4, 3, 2, 1):
            lead = " ".join(t.lower_ for t in token.doc[max(0, token.i - n) : token.i])
            if lead in phrases and token.i - n >= 0:
                value = phrases[lead] * _SCALES[phrase]
                return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    prev = token.doc[token.i - 1] if token.i > 0 else None
    if prev is not None and f"{prev.lower_} {phrase}" in words:
        return Decimal(words[f"{prev.lower_} {phrase}"])
    return Decimal(words[phrase]) if phrase in words else None


def _iso(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _list_runs(ctx: DocContext, items: list[Commitment]) -> dict[int, int]:
    """For each commitment stated on a bullet line, an id of its run of bullets (negative, so it
    never equals a package's index): lines of one list are different parts, however alike."""
    run_of: dict[int, int] = {}  # sentence start -> run id
    run, bullets = 0, False
    for sent in ctx.sentences:
        bullet = sent.text.lstrip()[:1] in _BULLETS
        if bullet and not bullets:
            run -= 1
        bullets = bullet or (bullets and sent.is_furniture)
        if bullet:
            run_of[sent.span.start] = run
    return {k: run_of[c.evidence.span.start] for k, c in enumerate(items) if c.evidence.span.start in run_of}


def _proper_name(text: str) -> bool:
    """Whether a table's row label reads as a name ("Fennell Family Foundation"), not a lumped
    source ("Gifts in kind (see 4.3)"): every longer word capitalised."""
    words = [w for w in re.sub(r"\([^)]*\)", "", text).split() if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _merge(items: list[Commitment], listed_in: dict[int, int] | None = None) -> tuple[list[Commitment], list[int]]:
    """One commitment per real-world commitment: repeated figures and bracketed conversions join.

    Parts listed under the same package (`listed_in`: part index -> package index) stay apart
    however alike: "- NZ$5 million for the fund; - NZ$5 million in humanitarian aid" are two.
    Returns the merged list and, for each input position, where it ended up.
    """
    listed = listed_in or {}
    out: list[Commitment] = []
    first: list[int] = []  # the input position each merged commitment started from
    where: list[int] = []
    for k, c in enumerate(items):
        twin = next(
            (
                o
                for j, o in enumerate(out)
                if _same(o, c) and not (k in listed and listed.get(first[j]) == listed[k])
            ),
            None,
        )
        if twin is None:
            where.append(len(out))
            out.append(c)
            first.append(k)
            continue
        where.append(out.index(twin))
        keep, other = (twin, c) if _better(twin, c) else (c, twin)
        if keep.amount is None and other.amount is not None:
            keep, other = other, keep  # the delivery priced in the body outranks the headline's bare items
        scope = keep.scope
        if (
            other.scope is Scope.NEW
            and keep.scope is not other.scope
            and other.evidence.span.start > keep.evidence.span.start
        ):
            scope = Scope.NEW
        merged = replace(
            keep,
            scope=scope,
            alt_evidence=(*keep.alt_evidence, other.evidence, *other.alt_evidence),
            sectors=keep.sectors or other.sectors,
            channel=keep.channel or other.channel,
            purpose=keep.purpose or other.purpose,
            date=keep.date or other.date,
            equivalents=keep.equivalents or other.equivalents,
            quantity=keep.quantity if keep.quantity is not None else other.quantity,
        )
        out[out.index(twin)] = merged
    return out, where


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.01") * max(abs(a), abs(b))


def _amounts(c: Commitment) -> list[tuple[Decimal, str]]:
    out = []
    if c.amount is not None and c.currency:
        out.append((c.amount, c.currency))
    out.extend((e.amount, e.currency) for e in c.equivalents if e.currency)
    return out


def _fresh(c: Commitment) -> bool:
    """ "another three billion euros": a figure the text itself marks as a further one."""
    if c.money is None:
        return False
    before = c.evidence.text[: max(0, c.money.span.start - c.evidence.span.start)].lower().split()[-2:]
    return bool({"another", "additional", "further", "extra", "fresh"} & set(before))


def _same(a: Commitment, b: Commitment) -> bool:
    if (
        a.evidence.span != b.evidence.span
        and not _is_headline(a)
        and not _is_headline(b)
        and (_fresh(a) or _fresh(b))
        and (a.scope is not b.scope)
    ):
        return False
    if a.evidence.span == b.evidence.span and a.money and b.money and a.money.span != b.money.span:
        return False  # "$50 million for air defence and $50 million for drones": two figures, two commitments
    if a.donor != b.donor or (a.instrument is Instrument.GUARANTEE and b.instrument is not Instrument.GUARANTEE):
        return False
    if b.instrument is Instrument.GUARANTEE and a.instrument is not Instrument.GUARANTEE:
        return False
    if a.amount is not None and b.amount is not None:
        return any(ca == cb and _close(x, y) for x, ca in _amounts(a) for y, cb in _amounts(b))
    if a.item and b.item:  # at most one of them priced
        ha, hb = a.item.lower().split()[-1], b.item.lower().split()[-1]
        return ha.rstrip("s") == hb.rstrip("s") and (
            a.quantity is None or b.quantity is None or a.quantity == b.quantity
        )
    return False


def _is_headline(c: Commitment) -> bool:
    return c.evidence.span.start == 0 or c.evidence.text.startswith(("•", "-", "*"))


def _better(a: Commitment, b: Commitment) -> bool:
    """Whether `a` should be the evidence kept: body over headline, then the more confident."""
    a_head, b_head = _is_headline(a), _is_headline(b)
    if a_head != b_head:
        return b_head
    if a.confidence != b.confidence:
        return a.confidence > b.confidence
    return a.evidence.span.start <= b.evidence.span.start


def extract_commitments(ctx: DocContext, people: list[Person]) -> list[Commitment]:
    """Every commitment the article states, merged within the article."""
    builder = _Builder(ctx, people)
    builder.settle_donor()
    for i in ctx.fact_sentences():
        builder.sentence(i)
    builder.tables()
    parents = containment(ctx, builder.out)
    for part, package in builder.listed_in.items():
        parents.setdefault(part, package)
    merged, where = _merge(builder.out, {**_list_runs(ctx, builder.out), **builder.listed_in})
    for part, package in parents.items():
        child, whole = where[part], where[package]
        if child != whole and merged[child].part_of is None:
            merged[child] = replace(merged[child], part_of=whole)
            if _part_of_running_total(builder.out[part], builder.out[package]):
                # "Its total now exceeds $1.3 billion, including $1.1 billion in military aid": the
                # part is a running total too, never a new package to add to the totals.
                merged[child] = replace(merged[child], scope=Scope.CUMULATIVE)
    return _kinds_of_wholes(merged)


def _part_of_running_total(part: Commitment, whole: Commitment) -> bool:
    """A part stated after the running total it belongs to ("..., of which £7.8 billion").

    A figure stated before the total ("Together with this additional $500 million, the total
    reaches ...") is a new package that the total adds up, and stays new.
    """
    return (
        whole.scope is Scope.CUMULATIVE
        and part.figure is not None
        and whole.figure is not None
        and part.figure.start > whole.figure.start
    )


def _kinds_of_wholes(commitments: list[Commitment]) -> list[Commitment]:
    """A figure of no stated kind takes the kinds of its parts, and a running total is mixed;
    sectors pass from parts to a package that names none, and from a package to its parts.

    "NOK 4.5 billion to Ukraine" whose parts are for energy and for humanitarian needs is mixed
    aid; "£977 million in aid so far" sums every kind a donor has given.
    """
    parts: dict[int, set[Kind]] = {}
    part_sectors: dict[int, set[Sector]] = {}
    for c in commitments:
        if c.part_of is not None and c.kind is not Kind.UNSPECIFIED:
            parts.setdefault(c.part_of, set()).add(c.kind)
        if c.part_of is not None:
            part_sectors.setdefault(c.part_of, set()).update(c.sectors)
    out = []
    for k, c in enumerate(commitments):
        if c.kind is Kind.UNSPECIFIED and c.amount is not None:
            if k in parts:
                c = replace(c, kind=_one_kind(parts[k]))
            elif c.scope is Scope.CUMULATIVE:
                c = replace(c, kind=Kind.MIXED)
        if not c.sectors and c.amount is not None and part_sectors.get(k) and c.scope is Scope.NEW:
            # "NOK 4.5 billion to Ukraine", whose parts go to energy and humanitarian needs, is for both.
            c = replace(c, sectors=tuple(s for s in Sector if s in part_sectors[k]))
        out.append(c)
    # A part that names no sector is for what its package is for.
    return [
        replace(c, sectors=out[c.part_of].sectors)
        if not c.sectors and c.part_of is not None and 0 <= c.part_of < len(out) and out[c.part_of].scope is Scope.NEW
        else c
        for c in out
    ]
