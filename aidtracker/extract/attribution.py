"""Who gives, who receives, and through whom: attributing a figure using the dependency parse.

Input: a prepared `DocContext`, a sentence index and the tokens of a figure. Output: donor,
recipient and channel names with how they were found. The rules follow how news states a
donor — a possessive ("Japan's $12.1 billion contribution"), an agent ("a grant from the
United States", "allocated by the Danish government"), a relative clause ("the $111 billion
that the United States … have provided"), the subject of the governing verb, a pronoun or
minister standing for their government — and fall back to the article's main donor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from aidtracker.extract.actors import Actor, ActorMention
from aidtracker.extract.context import DocContext
from aidtracker.extract.cues import Cues
from aidtracker.records import Person, Span
from aidtracker.types import ActorType, Status

_CLIMB = {
    "prep",
    "pobj",
    "dobj",
    "attr",
    "appos",
    "conj",
    "npadvmod",
    "nmod",
    "compound",
    "nummod",
    "quantmod",
    "amod",
    "dative",
    "oprd",
    "acomp",
    "pcomp",
    "advmod",
    "cc",
    "poss",
    "nsubjpass",
    "nsubj",
}
_PRONOUNS = {"she", "he", "they", "it", "we", "i"}
_DONOR_TYPES = {
    ActorType.COUNTRY,
    ActorType.COALITION,
    ActorType.INTERGOVERNMENTAL,
    ActorType.GOVERNMENT_BODY,
    ActorType.FUND,
    ActorType.COMPANY,
    ActorType.OTHER,
}
_RECEIVING_BEFORE = re.compile(
    r"\b(?:to|for|help|helping|helps|helped|support|supporting|supports|supported|lend|lends|lending|lent|give|"
    r"gives|giving|gave|given|provide|provides|providing|provided|assist|assisting|assisted|aid|aiding|aided)"
    r"\s+(?:the\s+)?$"
)
_NOT_RECEIVING_TO = re.compile(
    r"\b(?:ambassadors?|envoys?|embassy|representatives?|missions?|delegations?|visits?|trips?|travel(?:led|ed|s)?|"
    r"journey|flights?|exports?|sales?)\s+to\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "demining in Ukraine", "projects in Ukraine": the place aid is for.
_WORK_IN = re.compile(
    r"\b(?:demining|reconstruction|recovery|rebuilding|projects?|programmes?|programs?|aid|support|assistance|"
    r"investment|energy|infrastructure|operations?|needs)\s+in\s+(?:the\s+)?$"
)
_RECEIVING_AFTER = re.compile(
    r"(?:'s|’s)\s+(?:recovery|reconstruction|rebuilding|needs|defen[cs]e|energy|people|economy|budget|government|grid)"
    r"|\s+(?:will|would|has|have)?\s*(?:receive|received|receives|get|got)\b"
)
# Between an actor and its figure in "Italy €150 million" or "the European Union about 18 billion euros".
_ADJACENT = re.compile(
    r"\s*(?:,\s*)?(?:at\s+|with\s+)?(?:an?\s+)?"
    r"(?:about|around|some|roughly|nearly|almost|over|more than|up to|approximately|least)?\s*"
)  # "Italy €150 million", "Norway with EUR 180 million", "Switzerland a $100 million grant"
# Only in a list of donors and figures: after a comma, "and" or "while", or opening the sentence.
_LIST_BEFORE = re.compile(r"(?:^|,|;|\band|\bwhile|\bwhereas|\bfollowed by)\s*(?:the\s*)?$")
# "with USAID funding", "funded by Austria", "thanks to financing from Japan"
_NAME = r"[A-Z][\w.&'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.&'’-]*)*"  # "Government of Finland"
_FUNDED_BY = re.compile(
    r"\b(?:(?i:with|thanks to)\s+(?:the\s+)?(?:funding|financing|financial support|money|a grant|grants)\s+from\s+"
    rf"(?:the\s+)?(?P<who>{_NAME})"
    rf"|(?i:with|thanks to)\s+(?:the\s+)?(?P<who2>{_NAME})(?:'s|’s)?\s+(?:funding|financing|money|support)"
    rf"|(?i:funded|financed|paid for|sponsored)\s+by\s+(?:the\s+)?(?P<who3>{_NAME}))"
)
_GIVER_GAP = re.compile(r"(?:\s+(?!and\b|but\b|or\b)[\w.'’-]+){0,5}?\s+(?P<last>[\w-]+)\s+(?:from|by)\s+(?:the\s+)?")
_GIVING_PARTICIPLES = {
    "provided", "granted", "pledged", "given", "allocated", "disbursed", "extended", "donated", "lent"
}  # fmt: skip
_RECIPIENT_GAP = re.compile(r"[\w\s-]{0,25}?\b(?:to|for|with)\s+(?:the\s+)?")
# Between an aggressor and its act ("Russia's full-scale invasion", "Russian attacks"), and after
# an act before its agent ("attacks by Russia"): a possessive, a few words, or a preposition.
_AGGRESSOR_BEFORE = re.compile(r"(?:'s|’s)?(?:\s+[\w-]+){0,2}\s+|\s+")
_AGGRESSOR_AFTER = re.compile(r"\s+(?:by|from|of)\s+(?:the\s+)?")
_NAMED_OUTRIGHT = {"subject", "possessive", "agent", "relative", "funded"}
# Clauses a verb hangs on another by, without a subject of its own the figure's giver could be.
_CLAUSES = {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp"}


@dataclass(frozen=True, slots=True)
class Attribution:
    donor: str | None
    how: str  # possessive | agent | relative | subject | pronoun | person | document | currency
    recipient: str | None = None
    channel: str | None = None


def _mentions_in(ctx: DocContext, i: int, span: Span) -> list[ActorMention]:
    return [m for m in ctx.actors.get(i, []) if span.contains(m.span)]


def _subtree_span(ctx: DocContext, i: int, token: Token) -> Span:
    toks = list(token.subtree)
    return ctx.token_span(i, token.doc[toks[0].i : toks[-1].i + 1])


def possessed_by_pronoun(cues: Cues, noun: Token) -> bool:
    """Whether "its", "their" or another possessive pronoun owns `noun` ("its Executive Board")."""
    return any(c.dep_ == "poss" and c.lower_ in cues.possessive_pronouns for c in noun.children)


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a token, climbing through noun phrases and prepositions."""
    t = token
    for _ in range(12):
        if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"amod"}:
            return t
        if t.head == t:
            return None
        t = t.head
    return None


class Attributor:
    """Attributes figures in one document; remembers the last donor for "it"/"the government"."""

    def __init__(self, ctx: DocContext, people: list[Person]) -> None:
        self.ctx = ctx
        self._aggressors: dict[int, list[ActorMention]] = {}
        self.people = sorted(people, key=lambda p: p.evidence.span.start)
        self.recipient = self._main_recipient()
        self.main_donor = self._main_donor()
        self.last_donor: str | None = None
        self._said_last: tuple[int, str] | None = None  # the sentence and donor of the last figure whose giver is named
        self.received_by: list[Actor | None] = []
        self.via: str | None = None
        self._subnationals: set[str] = set()  # "Upper Austria", once a text has called it a federal state
        self._companies: set[str] = set()  # "Corvanta", once a text has called it a group or a maker
        self.companies = self._described_companies()
        self._surnames = {}
        for p in people:
            for form in (p.name, *p.aliases):
                self._surnames[form.split()[-1].lower()] = p
                self._surnames[form.lower()] = p

    def _described_companies(self) -> frozenset[str]:
        """Names the text puts in apposition to a company noun ("Corvanta, the Antwerp-based
        specialty chemicals group"), gathered once so every extractor knows them."""
        found: set[str] = set()
        for doc in self.ctx.parses.values():
            for head in doc:
                if head.pos_ != "PROPN" or not any(
                    c.dep_ == "appos" and c.lemma_.lower() in self.ctx.cues.company_nouns for c in head.children
                ):
                    continue
                words = [
                    t for t in head.subtree if t.i <= head.i and t.pos_ == "PROPN" and t.dep_ in {"compound", "flat"}
                ]
                found.add(" ".join(t.text for t in [*words, head]))
        return frozenset(found)

    def forget(self) -> None:
        """Drop what earlier figures said, before the document is read again from the top."""
        self.last_donor = None
        self._said_last = None

    # -- document-level guesses ------------------------------------------------------------
    def _main_recipient(self) -> str | None:
        """The state the text is about helping: the one named as receiving ("to X", "help X",
        "X's recovery", "lend X"), falling back to the most named state."""
        signalled: dict[str, float] = {}
        named: dict[str, float] = {}
        for i, mentions in self.ctx.actors.items():
            if self.ctx.sentences[i].is_furniture:
                continue
            text = self.ctx.sentences[i].text
            base = self.ctx.sentences[i].span.start
            for m in mentions:
                if m.actor.type is not ActorType.COUNTRY:
                    continue
                named[m.actor.name] = named.get(m.actor.name, 0.0) + (0.3 if m.form == "demonym" else 1.0)
                if m.form == "demonym":
                    continue  # "for Korean companies" is not "for Korea"
                before = text[max(0, m.span.start - base - 16) : m.span.start - base].lower()
                after = text[m.span.end - base : m.span.end - base + 24].lower()
                if _NOT_RECEIVING_TO.search(before):
                    continue  # "Ukrainian Ambassador to Japan", "a visit to Tokyo": a post or a trip, not aid
                if _RECEIVING_BEFORE.search(before) or _RECEIVING_AFTER.match(after) or _WORK_IN.search(before):
                    # "aid to Kyiv" stands for the state, but "welcomed his ministers to Prague" is a trip:
                    # a capital counts half of the state's own name.
                    weight = 0.5 if m.form == "capital" else 1.0
                    signalled[m.actor.name] = signalled.get(m.actor.name, 0.0) + weight
        self._places_weigh(signalled, named)
        giving = self._givers()
        signalled = {n: k for n, k in signalled.items() if n not in giving} or signalled
        if signalled:
            return max(signalled, key=lambda n: signalled[n])  # the first signalled wins a tie
        named = {n: k for n, k in named.items() if n not in giving} or named
        return max(sorted(named), key=lambda n: named[n]) if named else None

    def _places_weigh(self, signalled: dict[str, float], named: dict[str, float]) -> None:
        """Add what the text's towns and regions say of the recipient to `signalled`, at half a name's weight.

        A regional administration's news ("Chernihiv region has received generators from Upper
        Austria") may never write its state's name; its places then outweigh the donors' states.
        Only a place shown receiving counts ("aid to Kharkiv", "Poltava region has received"),
        and only for a state the text never names (`named`): where it names the state, its own
        words say more than its towns do.
        """
        for sent in self.ctx.sentences:
            if sent.is_furniture:
                continue
            for start, end, state in self.ctx.gaz.find_places(sent.text):
                if state.name in named:
                    continue
                before = sent.text[max(0, start - 16) : start].lower()
                after = sent.text[end : end + 24].lower()
                if _RECEIVING_BEFORE.search(before) or _RECEIVING_AFTER.match(after):
                    signalled[state.name] = signalled.get(state.name, 0.0) + 0.5

    def _givers(self) -> set[str]:
        """States the text shows giving, which the recipient is not.

        A state whose own agency acts ("KOICA agreed to provide"), or that is the subject of a
        verb of giving ("France would deliver two systems"; not "announced", which anyone does).
        """
        ctx = self.ctx
        out = {
            m.actor.acts_for
            for mentions in ctx.actors.values()
            for m in mentions
            if m.actor.acts_for and m.actor.type is not ActorType.COUNTRY and not m.actor.pooled
        }
        giving_verbs = {
            lemma for lemma, status in ctx.cues.commitment_verbs.items() if status is not Status.ANNOUNCED
        } | ctx.cues.delivery_verbs | ctx.cues.paying_verbs
        giving_verbs -= ctx.cues.receiving_verbs | ctx.cues.contains_verbs | ctx.cues.mutual_verbs
        for i in ctx.fact_sentences():
            doc = ctx.parse(i)
            if doc is None:
                continue
            for verb in doc:
                if verb.pos_ != "VERB" or verb.lemma_.lower() not in giving_verbs:
                    continue
                # "donated by Luxembourg"; not "financed by its Ukraine Fund", where a state only names the fund.
                agents = [
                    o
                    for c in verb.children
                    if c.dep_ == "agent"
                    for o in c.children
                    if o.dep_ == "pobj"
                    and any(m.span.contains(ctx.token_span(i, o)) for m in ctx.actors.get(i, []))
                ]
                for subj in [*(c for c in verb.children if c.dep_ == "nsubj"), *agents]:
                    span = _subtree_span(ctx, i, subj)
                    states = {
                        m.actor.name
                        for m in ctx.actors.get(i, [])
                        if span.contains(m.span) and m.actor.type is ActorType.COUNTRY and m.form != "demonym"
                    }
                    if len(states) == 1:  # "France and Ukraine signed": parties, not one giver
                        out |= states
        return {n for n in out if n}

    def _main_donor(self) -> str | None:
        """The actor the text is about giving: most named in the headline and figure sentences."""
        counts: dict[str, float] = {}
        self._mention_counts: dict[str, float] = counts
        for i, mentions in self.ctx.actors.items():
            s = self.ctx.sentences[i]
            if s.is_furniture:
                continue
            weight = 3.0 if s.is_headline else (2.0 if any(ch.isdigit() for ch in s.text) else 1.0)
            hostile = self._hostile(i)
            for m in mentions:
                if (
                    m in hostile  # "as Russia bombards its power plants": the aggressor is named, not a donor
                    or m.actor.donor == self.recipient
                    or m.actor.type not in _DONOR_TYPES
                    or m.actor.type is ActorType.OTHER
                ):
                    continue
                counts[m.actor.donor] = counts.get(m.actor.donor, 0.0) + weight * (0.5 if m.form == "demonym" else 1.0)
        return max(sorted(counts), key=lambda n: counts[n]) if counts else None

    def _hostile(self, i: int) -> list[ActorMention]:
        """The mentions of sentence `i` naming an aggressor: "Russia bombards", "Russian attacks", "attacks by Russia".

        Only those are left out, so "The EIB signed a loan to rebuild schools damaged by Russian
        attacks" still names the EIB. Kept per sentence: `_named` asks for every noun phrase.
        """
        if i not in self._aggressors:
            self._aggressors[i] = self._find_hostile(i)
        return self._aggressors[i]

    def _find_hostile(self, i: int) -> list[ActorMention]:
        mentions = self.ctx.actors.get(i, [])
        s = self.ctx.sentences[i]
        hits = [(s.span.start + h.start(), s.span.start + h.end()) for h in self.ctx.cues.hostility_re.finditer(s.text)]
        if not hits:
            return []
        text = self.ctx.article.text
        return [
            m
            for m in mentions
            if any(
                (0 <= start - m.span.end <= 24 and _AGGRESSOR_BEFORE.fullmatch(text[m.span.end : start]))
                or (0 <= m.span.start - end <= 16 and _AGGRESSOR_AFTER.fullmatch(text[end : m.span.start]))
                for start, end in hits
            )
        ]

    def settle_main_donor(self, explicit: Counter[str]) -> None:
        """Weigh the donors that figure sentences name outright above ones merely mentioned."""
        if not explicit:
            return
        scores = dict(self._mention_counts)
        for donor, n in explicit.items():
            scores[donor] = scores.get(donor, 0.0) + 3 * n
        self.main_donor = max(sorted(scores), key=lambda n: scores[n])

    # -- resolution helpers ------------------------------------------------------------------
    def person_before(self, pos: int, name: str | None = None, *, giving: bool = False) -> Person | None:
        """The person a pronoun or surname at `pos` stands for: the last one named before it.

        A pronoun that gives (`giving`) passes over the recipient's officials named last: in "At a
        press conference with his Ukrainian counterpart Andrii Sybiha he announced €1.5m", "he"
        is the visiting minister, who alone of the two has aid to give.
        """
        if name is not None:
            return self._surnames.get(name.lower()) or self._surnames.get(name.split()[-1].lower())
        before = [p for p in self.people if p.evidence.span.start < pos]
        if giving:
            for p in reversed(before):
                donor = self.donor_of_person(p)
                if donor is not None and donor != self.recipient:
                    return p
                if donor is None:
                    break  # an official of no known state: the pronoun's, as before
        return before[-1] if before else None

    def donor_of_person(self, person: Person | None) -> str | None:
        if person is None or person.affiliation is None:
            return None
        actor = self.ctx.gaz.lookup(person.affiliation)
        return actor.donor if actor else None

    def _actor_phrase(self, ctx: DocContext, i: int, token: Token, *, unlisted: bool = True) -> tuple[str | None, str]:
        """The donor a noun phrase names: an actor in it, a person's government, or a pronoun."""
        span = _subtree_span(ctx, i, token)
        mentions = [m for m in _mentions_in(ctx, i, span) if m.actor.type in _DONOR_TYPES]
        # "An August 2024 package, which included NZ$2 million for NATO's trust fund": whom the
        # phrase is for does not give it.
        beneficiaries = [
            _subtree_span(ctx, i, t)
            for t in token.subtree
            if t is not token and t.dep_ == "prep" and t.lower_ in ctx.cues.beneficiary_prepositions
        ]
        if beneficiaries:
            mentions = [m for m in mentions if not any(b.contains(m.span) for b in beneficiaries)]
        if len(mentions) > 1:
            # "Ukraine and Italy sign a grant agreement": the recipient is party, not donor.
            mentions = [m for m in mentions if m.actor.donor != self.recipient] or mentions
        words = {t.lower_ for t in token.subtree}
        region = self._subnational(i, token, span)
        if region is not None:
            return region, "subject"
        for led in (c for c in token.children if c.dep_ == "amod" and c.lemma_.lower() in ctx.cues.leading_verbs):
            # "the Czech-led initiative had delivered": the leading state and the others in it.
            for lead in (c for c in led.children if c.dep_ in {"npadvmod", "compound", "nmod"}):
                actor = ctx.gaz.lookup(lead.text)
                if actor is not None and actor.type is ActorType.COUNTRY and actor.name != self.recipient:
                    return f"{actor.donor} and others", "subject"
        own = ctx.token_span(i, token)
        if (
            unlisted
            and mentions
            and all(m.form in {"demonym", "capital"} and not m.span.contains(own) for m in mentions)
        ):
            # "Alpenstrom Technik GmbH, the Austrian manufacturer, has donated", "Valoa Power, a
            # maker listed in Helsinki, said it would donate": the company, not the state.
            named = self._unlisted_organisation(token)
            if named is not None:
                return named, "subject"
        if self._unnamed_givers(token) and all(m.actor.donor == self.recipient for m in mentions):
            # "from 16 member countries", "Ukraine's partners have provided": givers not named one by one.
            return self.ctx.cues.unnamed_donors, "coalition"
        if mentions:
            first = mentions[0].actor
            if first.type is ActorType.OTHER and len(mentions) > 1:
                first = mentions[1].actor
            donor = first.donor
            distinct = {m.actor.donor for m in mentions if m.actor.type is not ActorType.OTHER and m.form != "demonym"}
            if first.type is not ActorType.OTHER and (
                any(m.actor.type is ActorType.OTHER for m in mentions)
                or ({"other", "others"} & words and token.conjuncts)
            ):
                donor = f"{donor} and others"
            elif first.type is not ActorType.OTHER and len(distinct) > 1 and token.conjuncts:
                # "Qatar and the United Arab Emirates together offered": both, named as the text names them.
                givers = list(dict.fromkeys(m.actor.donor for m in mentions if m.form != "demonym"))
                donor = f"{', '.join(givers[:-1])} and {givers[-1]}"
            if first.acts_for and first.name != donor and not first.governs:
                self.via = first.name  # JICA gives Japan's money: Japan donates, JICA is the channel
            if first.type is ActorType.OTHER:
                return None, "group"
            return donor, "subject"
        if token.lower_ in _PRONOUNS and token.lower_ not in {"it", "they", "we"}:
            person = self.person_before(span.start, giving=True)
            return self.donor_of_person(person) or self.last_donor or self.main_donor, "pronoun"
        if token.ent_type_ == "PERSON" or token.pos_ == "PROPN":
            person = self.person_before(span.start, token.text)
            if person is not None:
                return self.donor_of_person(person) or self.main_donor, "person"
        if token.lower_ in self.ctx.cues.organ_heads and possessed_by_pronoun(self.ctx.cues, token):
            # "the IMF said its Executive Board had approved": an organ of the body named just before.
            before = [
                m
                for m in ctx.actors.get(i, [])
                if m.span.end <= span.start and m.actor.type in _DONOR_TYPES and m.actor.donor != self.recipient
            ]
            return (before[-1].actor.donor if before else self.last_donor or self.main_donor), "subject"
        named = self._unlisted_organisation(token) if unlisted else None
        if named is None and unlisted:
            named = self._body_named_before(i, token)
        if named is not None:
            return named, "subject"
        return None, "none"

    def _body_named_before(self, i: int, token: Token) -> str | None:
        """The body "the Council" or "the Foundation" stands for: the last name the text gave
        that ends in that word ("The City of Edinburgh Council ... the Council had sent 17 vehicles").

        A government's organ ("the Ministry") stays the article's government unless the name is
        a town's or region's own ("City of Edinburgh Council").
        """
        cues = self.ctx.cues
        word = token.text
        if word.lower() not in cues.organisation_descriptors or not word[:1].isupper():
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        before = self.ctx.article.text[: self.ctx.sentences[i].span.start]
        names = re.findall(rf"((?:[A-Z][\w'’.-]*\s+(?:(?:of|for|and)\s+)?){{1,6}}){re.escape(word)}\b", before)
        full = [f"{n}{word}".removeprefix("The ").strip() for n in names]
        full = [n for n in full if len(n.split()) >= 2]  # "The Council noted" names nothing new
        if not full or self.ctx.gaz.lookup(full[-1]) is not None:
            return None
        name = full[-1]
        words = {w.lower() for w in name.split()}
        if word.lower() in cues.public_body_descriptors and not words & cues.municipal_words:
            return None
        return name

    def _unnamed_givers(self, token: Token) -> bool:
        """Whether a noun phrase is givers counted together ("16 member countries", "all donors", "partners").

        Only plurals: "the government" is the article's donor, "governments" are many.
        """
        if token.tag_ not in {"NNS", "NNPS"}:
            return False
        lemma = token.lemma_.lower()
        compound = [t.lemma_.lower() for t in token.children if t.dep_ == "compound" and t.i < token.i]
        return bool({lemma, " ".join([*compound, lemma])} & self.ctx.cues.donor_group_nouns)

    def _from_many(self, root: Token) -> bool:
        """Whether the figure's clause gives it as coming from givers counted together.

        "signed 9 agreements with partners for EUR 1.6 billion", "Across all donors, aid comes to
        €270 billion", "has received USD 24.7 billion in external financing": no one donor's figure,
        so not the article's main donor's either.
        """
        cues = self.ctx.cues
        verb = governing_verb(root)
        holders: list[Token] = []
        for anc in (root, *root.ancestors):  # "contributions of about CAD 90 million from 11 donor governments"
            holders.append(anc)
            if anc == verb:
                break
        while verb is not None and verb.dep_ in _CLAUSES and verb.head != verb:
            verb = governing_verb(verb.head)  # "decided to give ..., with partners": the clause above
            if verb is None or verb in holders:
                break
            holders.append(verb)
        for holder in holders:
            for prep in (c for c in holder.children if c.dep_ == "prep"):
                # "from institutional, foundation and corporate funders": the parser may leave the
                # list without a pobj; its plural nouns are what the preposition takes.
                objects = [o for o in prep.children if o.dep_ == "pobj"] or [
                    t for t in prep.subtree if t.tag_ in {"NNS", "NNPS"}
                ]
                if prep.lower_ in cues.donor_group_prepositions and any(self._unnamed_givers(o) for o in objects):
                    return True
                if prep.lower_ == "in" and any(
                    o.lemma_.lower() in cues.aid_nouns
                    and any(a.dep_ == "amod" and a.lower_ in cues.donor_group_modifiers for a in o.children)
                    for o in objects
                ):
                    return True
        return False

    def _subnational(self, i: int, token: Token, span: Span) -> str | None:
        """A foreign region, state or province that gives on its own account, by its name.

        "The government of the Austrian federal state of Upper Austria has handed over ...", "The
        Pardubice Region of the Czech Republic has handed over ...": a part of a state other than
        the recipient, so its own name is the donor, not its country's; and once named so, "Upper
        Austria" alone is the region too. The phrase must tie it to such a state (a demonym or the
        state's name), so the recipient's own oblasts and cities never become donors.
        """
        ctx = self.ctx
        words = ctx.cues.subnational_words

        def name_of(head: Token) -> str:
            parts = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < head.i]
            return head.doc[(parts[0].i if parts else head.i) : head.i + 1].text

        if token.pos_ == "PROPN" and name_of(token) in self._subnationals:
            return name_of(token)
        chain = [token]
        while len(chain) < 4:
            of = [
                o
                for c in chain[-1].children
                if c.dep_ == "prep" and c.lower_ == "of"
                for o in c.children
                if o.dep_ == "pobj"
            ]
            if not of:
                break
            chain.append(of[0])
        if not any(t.lemma_.lower() in words for t in chain):
            return None
        # `span` is the phrase's subtree, which `_actor_phrase` has already measured.
        foreign = [
            m
            for m in ctx.actors.get(i, [])
            if m.actor.type is ActorType.COUNTRY and m.actor.name != self.recipient and m.span.overlaps(span)
        ]
        if not foreign:
            return None
        for k, t in enumerate(chain):
            if t.lemma_.lower() not in words:
                continue
            if t.pos_ == "PROPN" and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in t.children):
                name = name_of(t)  # "The Pardubice Region of the Czech Republic"
            elif k + 1 < len(chain) and chain[k + 1].pos_ == "PROPN":
                name = name_of(chain[k + 1])  # "the Austrian federal state of Upper Austria"
                if ctx.gaz.lookup(name) is not None:
                    return None  # "the state of Israel" is the state itself
            else:
                continue
            self._subnationals.add(name)
            return name
        return None

    def _unlisted_organisation(self, token: Token) -> str | None:
        """A donor the gazetteer does not know: a city, a company, a charity, named by the parser.

        "Alpenstrom Technik GmbH has donated ...", "from its twin city Nuremberg": a proper-noun
        phrase the NER tags as an organisation or place, or that ends in a legal form.
        """
        head = token
        appos = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if token.pos_ != "PROPN" and appos:
            head = appos[0]
        # "Corvanta, the Antwerp-based specialty chemicals group": the apposition says it is a company.
        company = any(c.dep_ == "appos" and c.lemma_.lower() in self.ctx.cues.company_nouns for c in head.children)
        company = company or head.text in self._companies
        legal = company or head.text.strip(".,").lower() in self.ctx.cues.legal_suffixes
        if head.dep_ == "compound" and head.head.lemma_.lower() in self.ctx.cues.aid_nouns and not legal:
            return None  # "This Presidential Drawdown Authority package": the name of the package, not a giver
        if head.pos_ != "PROPN" or (
            head.ent_type_ in {"PERSON", "DATE", "TIME", "NORP", "CARDINAL", "MONEY", "PRODUCT"} and not legal
        ):
            return None  # a legal form ("GmbH") outranks what the NER thought the name was
        if head.text.isupper() and len(head.text) > 3:
            return None  # "SEOUL, June 12 (Yonhap) --": a dateline, not a donor
        words = [
            t
            for t in head.subtree
            if (t.pos_ == "PROPN" and t.i <= head.i and t.dep_ in {"compound", "flat"}) or t == head
        ]
        words = [t for t in words if t.i >= min(w.i for w in words)]
        start, end = min(t.i for t in words), head.i
        while (
            end + 1 < len(head.doc)
            and head.doc[end + 1].pos_ == "PROPN"
            and head.doc[end + 1].dep_ in {"appos", "compound", "flat"}
        ):
            end += 1
        text = head.doc[start : end + 1].text
        suffixes = self.ctx.cues.legal_suffixes
        bare = " ".join(w for w in text.split() if w.strip(".,").lower() not in suffixes)
        has_legal_form = bare != text or company
        descriptor = head.doc[start - 1].lower_ if start > 0 else ""
        municipal = descriptor in self.ctx.cues.municipal_words
        organisation = head.ent_type_ == "ORG" and len(bare.split()) >= 2
        if not bare or not (has_legal_form or municipal or organisation or head.ent_type_ == "GPE"):
            return None  # too little to tell an organisation from a product, a place or a section name
        names = [w.lower() for w in bare.split()]
        kinds = self.ctx.cues.organisation_descriptors
        if not has_legal_form and any(w in self.ctx.cues.public_body_descriptors for w in names):
            return None  # "the Foreign Ministry": the article's government, resolved elsewhere
        if not has_legal_form and (len(names) < 2 or names[0] in kinds) and any(w in kinds for w in names):
            return None  # "Foundation", "Group": a kind of body; "Kalina Foundation" names one
        if self.ctx.cues.role_re.fullmatch(bare) or bare.lower() in self.ctx.cues.organisation_descriptors:
            return None
        if company:
            self._companies.add(bare)  # a later bare "Corvanta delivers ..." is the same company
        return bare

    # -- the figure ---------------------------------------------------------------------------
    def attribute(self, i: int, tokens: SpacySpan) -> Attribution:
        """Donor, recipient and channel of a figure at `tokens` of sentence `i`."""
        ctx = self.ctx
        root = tokens.root
        self.received_by = []
        self.via = None
        donor, how = self._donor(i, tokens, root)
        if how == "recipient":
            return Attribution(None, how, self.recipient, None)
        if donor is None and how == "none" and self._from_many(root):
            donor, how = ctx.cues.unnamed_donors, "coalition"
        if donor is None and self._said_last is not None and i - self._said_last[0] <= 1 and not self._names_a_giver(i):
            # "The IMF disbursed $2.2 billion. Total disbursements now amount to $7.6 billion.":
            # a figure naming no one goes on from the donor named in the sentence before.
            donor, how = self._said_last[1], "previous"
        if donor is None:
            donor, how = self.main_donor, "document"
        recipient, channel = self._recipient_and_channel(i, tokens, root, donor)
        if how == "funded":
            channel = channel or self._subject_organisation(i, root, donor)
        channel = channel or self.via
        for actor in self.received_by:
            # "Israel will get about $26 billion", "Unesco will receive ...": who receives is named.
            if actor is not None and actor.type is ActorType.OTHER and actor.name != self.recipient:
                recipient = actor.name  # "allies in the Indo-Pacific, which will get about $8 billion"
            elif actor is not None and actor.type is ActorType.COUNTRY and recipient is None:
                recipient = actor.name
            elif actor is not None and actor.type is not ActorType.COUNTRY and channel is None and actor.donor != donor:
                channel = actor.name
        if how == "document":
            taken = {recipient, *(a.name for a in self.received_by if a is not None)}
            if (state := self._only_state_named(i, taken, root)) is not None:
                donor, how = state, "sentence"
        if donor is not None:
            self.last_donor = donor
        if donor is not None and how in _NAMED_OUTRIGHT:
            self._said_last = (i, donor)
        del ctx
        return Attribution(donor, how, recipient or self.recipient, channel)

    def _is_recipient(self, i: int, subj: Token) -> bool:
        """Whether a subject is the recipient itself ("Ukraine", "Ukraine's government", "the Ukrainian cabinet").

        Only the subject's head and the words before it count: "its assistance to Ukraine" is
        someone else's.
        """
        head_part = [t for t in subj.subtree if t.i <= subj.i]
        span = self.ctx.token_span(i, subj.doc[head_part[0].i : subj.i + 1])
        named = [m for m in self.ctx.actors.get(i, []) if span.contains(m.span) and m.actor.type in _DONOR_TYPES]
        if not named or any(m.actor.donor != self.recipient for m in named):
            return False
        # The state itself, or its government; "The Ukraine portion totals $60.8 billion" is aid to it.
        own = self.ctx.token_span(i, subj)
        return any(m.span.contains(own) for m in named) or subj.lower_ in self.ctx.cues.organ_heads

    def _names_a_giver(self, i: int) -> bool:
        """Whether sentence `i` names any actor that could give, other than the recipient."""
        return any(
            m.actor.type in _DONOR_TYPES and m.actor.donor != self.recipient for m in self.ctx.actors.get(i, [])
        )

    def _only_state_named(self, i: int, receiving: set[str | None], root: Token) -> str | None:
        """The one giving state sentence `i` names, if it is not the document's donor.

        When no rule ties a figure to its giver, the document's donor is the guess; but a
        sentence that names one other state and no other giver ("Taiwan's foreign ministry says
        its assistance has exceeded US$56 million", in a round-up led by another donor) is about
        that state's aid. Demonyms are left out ("French-made howitzers" are not France's), and so
        are states named in a relative clause on another noun ("through the fund, which the United
        Kingdom administers"): they describe that noun, not the figure.
        """
        if self.ctx.cues.hostility_re.search(self.ctx.sentences[i].text):
            return None
        aside = [
            _subtree_span(self.ctx, i, t)
            for t in root.sent
            if t.dep_ == "relcl" and t.head != root and root not in t.subtree
        ]
        mentions = [m for m in self.ctx.actors.get(i, []) if not any(a.contains(m.span) for a in aside)]
        states = {
            m.actor.donor
            for m in mentions
            if m.actor.type in {ActorType.COUNTRY, ActorType.GOVERNMENT_BODY}
            and m.form != "demonym"
            and m.actor.donor != self.recipient
            and m.actor.name not in receiving
        }
        givers = {m.actor.donor for m in mentions if m.actor.type in _DONOR_TYPES}
        givers -= {self.recipient, *receiving}
        if len(states) != 1 or givers != states or self.main_donor in states:
            return None
        return next(iter(states))

    def _donor(self, i: int, tokens: SpacySpan, root: Token) -> tuple[str | None, str]:
        ctx = self.ctx
        # "with USAID funding, UNDP delivered ...", "funded by Austria": whose money it is, named outright.
        funder = self._funder(i)
        if funder is not None:
            return funder, "funded"
        # The noun the figure describes: "$31 million package", "contribution" in "Japan's $12.1bn contribution".
        noun = root.head if root.dep_ in {"nummod", "compound", "amod", "quantmod", "nmod"} else root
        # "Japan’s $12.1 billion contribution", however the parser reads the "’s".
        base = ctx.sentences[i].span.start
        before = ctx.sentences[i].text[: tokens.start_char].rstrip()
        if before.endswith(("'s", "’s")):
            for m in ctx.actors.get(i, []):
                if (
                    m.span.end - base == len(before) - 2
                    and m.actor.type in _DONOR_TYPES
                    and m.actor.type is not ActorType.OTHER
                ) and m.actor.donor != self.recipient:
                    return m.actor.donor, "possessive"
        after = self._giver_after(i, tokens)
        if after is not None:
            return after, "agent"
        # "France pledged €200 million, Italy €150 million": an actor right before the figure.
        for m in ctx.actors.get(i, []):
            gap = ctx.sentences[i].text[m.span.end - base : tokens.start_char]
            if m.span.end - base <= tokens.start_char and _ADJACENT.fullmatch(gap) and m.actor.type in _DONOR_TYPES:
                lead = ctx.sentences[i].text[: m.span.start - base].rstrip().lower()
                if (
                    m.actor.type is not ActorType.OTHER
                    and m.actor.donor != self.recipient
                    and _LIST_BEFORE.search(lead)
                ):
                    return m.actor.donor, "subject"
        # "£600 million in UK support", "€50m in EU grants": whose aid the figure is counted in.
        holders = [root] + ([root.head] if root.head != root else []) + [governing_verb(root)]
        preps = [c for h in holders if h is not None for c in h.children if c.dep_ == "prep" and c.lower_ == "in"]
        for prep in preps:
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                if prep.head != root and obj.lemma_.lower() not in ctx.cues.aid_nouns:
                    continue  # "manage €50m in EU grants", not "signed in Kyiv"
                for c in obj.children:
                    if c.dep_ in {"poss", "compound", "amod"} and c.i < obj.i:
                        donor, _ = self._actor_phrase(ctx, i, c, unlisted=False)
                        if donor and donor != self.recipient:
                            return donor, "possessive"
        # "... £600 million in UK support, including £242 million ...": a part has its whole's donor.
        if root.dep_ == "pobj" and root.head.lower_ in {"including", "of"} and root.head.head.like_num:
            whole = root.head.head
            parent = tokens.doc[min(t.i for t in whole.subtree if t.i <= whole.i) : whole.i + 1]
            donor, how = self._donor(i, parent, whole)
            if donor is not None:
                return donor, how
        # "a grant of 3 billion yen from the Government of Japan": the aid noun above "of" names its giver.
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
            for prep in (c for c in root.head.head.children if c.dep_ == "prep" and c.lower_ in {"from", "by"}):
                for obj in (o for o in prep.children if o.dep_ == "pobj"):
                    donor, _ = self._actor_phrase(ctx, i, obj)
                    if donor and donor != self.recipient:
                        return donor, "agent"
        # "the first €3 billion of the European Union's loan"
        for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                for c in obj.children:
                    if c.dep_ in {"poss", "compound"}:
                        donor, _ = self._actor_phrase(ctx, i, c)
                        if donor and donor != self.recipient:
                            return donor, "possessive"
        candidates = [root, noun] + [t for t in tokens if t != root]
        for t in candidates:
            for child in t.children:
                if child.dep_ == "poss":
                    donor, _ = self._actor_phrase(ctx, i, child)
                    if donor and donor != self.recipient:
                        return donor, "possessive"
        for t in (noun, root):
            for child in t.children:
                if child.dep_ in {"prep", "agent"} and child.lower_ in {"from", "by"}:
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            donor, _ = self._actor_phrase(ctx, i, obj)
                            if donor and donor != self.recipient:
                                return donor, "agent"
                if child.dep_ in {"relcl", "acl"} and child.lemma_.lower() not in ctx.cues.not_giving_verbs:
                    for sub in child.children:
                        if sub.dep_ in {"nsubj", "agent"}:
                            obj = (
                                next((o for o in sub.children if o.dep_ == "pobj"), sub) if sub.dep_ == "agent" else sub
                            )
                            donor, _ = self._actor_phrase(ctx, i, obj)
                            if donor and donor != self.recipient:
                                return donor, "relative"
        # "a $500 million World Bank loan": the lender named inside the phrase; "$750 million is an
        # IBRD loan": inside the noun the copula says the figure is.
        named = [noun]
        copula = governing_verb(root)
        if copula is not None and copula.lemma_ == "be" and root.dep_ in {"nsubj", "nsubjpass"}:
            named += [c for c in copula.children if c.dep_ == "attr" and c.lemma_.lower() in ctx.cues.aid_nouns]
        for t in (c for n in named for c in n.children):
            if t.dep_ in {"compound", "poss"} and t.i not in range(tokens.start, tokens.end):
                donor, _ = self._actor_phrase(ctx, i, t, unlisted=False)
                if donor and donor != self.recipient:
                    return donor, "possessive"
        verb = governing_verb(root)
        seen = 0
        while verb is not None and seen < 4:
            seen += 1
            subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}]
            subjects += [
                c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN"
            ]  # "Sweden, meanwhile, will"
            agents = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
            if verb.lemma_.lower() in ctx.cues.not_giving_verbs:
                agents = []  # "NZ$5 million, managed by the United Nations": who runs it is not who gives it
            froms = [
                o
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ in {"from", "by"}
                for o in c.children
                if o.dep_ == "pobj"
            ]
            receiving = verb.lemma_.lower() in self.ctx.cues.receiving_verbs
            if receiving:
                # "Israel, which will get about $26 billion": the relative pronoun stands for its noun.
                self.received_by = [self._named(i, self._antecedent(verb, s)) for s in subjects if s.dep_ == "nsubj"]
            # "Latvia, which paid in EUR 2 million": the relative pronoun stands for its noun.
            actors_first = [
                self._antecedent(verb, s) for s in subjects if s.dep_ in {"nsubj", "npadvmod"} and not receiving
            ]
            if verb.lemma_.lower() in ctx.cues.raising_verbs:
                # "The contribution brings New Zealand's support to NZ$100 million", "the fund, which
                # takes the Dutch total in it to €165 million": the total's owner, whoever the subject.
                for obj in (c for c in verb.children if c.dep_ == "dobj"):
                    for owner in (c for c in obj.children if c.dep_ in {"poss", "amod", "compound"} and c.i < obj.i):
                        donor, _ = self._actor_phrase(ctx, i, owner)
                        if donor and donor != self.recipient:
                            return donor, "possessive"
            onlookers = False
            for subj in agents + actors_first + froms:
                if subj.i in range(tokens.start, tokens.end):
                    continue
                donor, how = self._actor_phrase(ctx, i, subj)
                if subj == verb.head and verb.dep_ == "relcl":
                    # The noun a relative clause hangs on is the giver itself, not its conjuncts
                    # ("Estonia, which paid ..., and Denmark, which ...").
                    own = self._named(i, subj, whole=False)
                    donor, how = (own.donor, "relative") if own is not None else (donor, how)
                poss = [c for c in subj.children if c.dep_ == "poss"]
                if donor is None and poss:
                    donor, how = self._actor_phrase(ctx, i, poss[0])
                if donor and donor != self.recipient:
                    return donor, how
                if donor and subj.dep_ == "nsubj" and subj in actors_first and self._is_recipient(i, subj):
                    # "Ukraine and the Nordic Investment Bank signed a grant": the party beside the
                    # recipient gives; "Ukraine's government allocated 3.5 billion hryvnias" is the
                    # recipient's own money.
                    for other in subj.conjuncts:
                        partner, how = self._actor_phrase(ctx, i, other)
                        if partner and partner != self.recipient:
                            return partner, how
                    return None, "recipient"
                if how == "none" and subj.dep_ == "nsubj" and subj.pos_ in {"NOUN", "PRON", "PROPN"}:
                    if subj.lower_ in {"it", "they"} and verb.dep_ == "ccomp":
                        # "The European Commission said ... it would provide": the one who said it.
                        # The parser may not make the reporter a subject ("USAID said it had disbursed").
                        for reporter in (
                            c
                            for c in verb.head.children
                            if c.dep_ == "nsubj" or (c.dep_ in {"advmod", "npadvmod"} and c.i < verb.head.i)
                        ):
                            donor, _ = self._actor_phrase(ctx, i, reporter)
                            if donor and donor != self.recipient:
                                return donor, "subject"
                    relative = verb.dep_ == "relcl" or (
                        verb.dep_ == "advcl"  # the parser's reading of "an initiative that diplomats put at"
                        and any(c.dep_ == "mark" and c.lower_ in ctx.cues.relative_pronouns for c in verb.children)
                    )
                    if relative and subj.pos_ == "NOUN" and subj.lower_ not in ctx.cues.relative_pronouns:
                        # "the bloc was working on an initiative that some diplomats put at up to 20
                        # billion euros": the onlookers value it; whose it is, the noun's clause says.
                        onlookers = True
                        break
                    # "The government", "the Foreign Ministry", "This aid", "It": no giver named here,
                    # so the one named just before, or the article's donor (see `attribute`).
                    return None, "none"
            if onlookers:
                verb = governing_verb(verb.head)
                continue
            if any(s.dep_ == "nsubj" for s in subjects) or verb.dep_ not in _CLAUSES:
                break
            # Infinitive or clause without its own subject: "decided to provide", "decision to provide".
            head = verb.head
            for child in head.children:
                if child.dep_ in {"poss", "compound"} and child.i < head.i:
                    donor, how = self._actor_phrase(ctx, i, child)
                    if donor and donor != self.recipient:
                        return donor, "possessive"
            verb = governing_verb(head) if head != verb else None
        return None, "none"

    def _antecedent(self, verb: Token, subject: Token) -> Token:
        """The noun a relative pronoun subject stands for ("Israel, which will get ..."), else the subject."""
        relative = verb.dep_ == "relcl" and subject.lower_ in self.ctx.cues.relative_pronouns
        return verb.head if relative else subject

    def _giver_after(self, i: int, tokens: SpacySpan) -> str | None:
        """The giver named after the figure's own noun: "GBP 2.26 billion loan from the United Kingdom".

        Read from the text rather than the parse, which often hangs "from ..." on the verb or
        on a preposition before the figure. The words between must stay inside one phrase (no
        comma, no "and") and end with an aid noun or a giving participle before "from"/"by".
        """
        sent = self.ctx.sentences[i]
        base = sent.span.start
        for m in self.ctx.actors.get(i, []):
            if m.span.start - base < tokens.end_char or m.actor.type not in _DONOR_TYPES:
                continue
            gap = sent.text[tokens.end_char : m.span.start - base]
            found = _GIVER_GAP.fullmatch(gap)
            if found is None:
                continue
            last = found.group("last").lower()
            giving = last in self.ctx.cues.aid_nouns or last in _GIVING_PARTICIPLES
            if giving and m.actor.donor != self.recipient and m.actor.type is not ActorType.OTHER:
                return m.actor.donor
            return None  # only the first actor after the figure can be its giver
        return None

    def _subject_organisation(self, i: int, root: Token, donor: str | None) -> str | None:
        """The organisation that acts with someone else's money ("with USAID funding, UNDP delivered")."""
        verb = governing_verb(root)
        for subj in (c for c in verb.children if c.dep_ == "nsubj") if verb is not None else ():
            actor = self._named(i, subj)
            if actor is not None and actor.type is not ActorType.COUNTRY and actor.donor != donor:
                return actor.name
        return None

    def _funder(self, i: int) -> str | None:
        sent = self.ctx.sentences[i]
        for m in _FUNDED_BY.finditer(sent.text):
            group = next(g for g in ("who", "who2", "who3") if m.group(g))
            where = Span(sent.span.start + m.start(group), sent.span.start + m.end(group))
            for a in self.ctx.actors.get(i, []):
                if where.overlaps(a.span) and a.actor.type in _DONOR_TYPES and a.actor.type is not ActorType.OTHER:
                    return a.actor.donor
        return None

    def _recipient_and_channel(
        self, i: int, tokens: SpacySpan, root: Token, donor: str | None
    ) -> tuple[str | None, str | None]:
        ctx = self.ctx
        recipient = channel = None
        verb = governing_verb(root)
        anchors = [root, root.head] + ([verb] if verb is not None else [])
        for anchor in anchors:
            for child in anchor.children:
                if child.dep_ == "dative" or (
                    child.dep_ == "dobj"
                    and anchor == verb
                    and child.i not in range(tokens.start, tokens.end)
                    and any(c.lower_ == "with" for c in anchor.children)
                ):
                    r = self._named(i, child)
                    if r is not None and r.type is ActorType.COUNTRY and recipient is None:
                        recipient = r.name
                if child.dep_ not in {"prep", "dative"} or child.lower_ not in {
                    "to",
                    "for",
                    "through",
                    "via",
                    "into",
                    "under",
                    "within",
                    "with",
                }:
                    continue
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    named = self._named(i, obj)
                    if (
                        named is not None
                        and named.type is ActorType.OTHER
                        and child.lower_ == "to"
                        and obj.lemma_.lower() in ctx.cues.channel_heads
                        and channel is None
                    ):
                        # "AUD10 million to the UN Humanitarian Fund": a fund passes the money on.
                        channel = self._channel_text(i, obj) or named.name
                    elif (
                        named is not None
                        and named.type in {ActorType.COUNTRY, ActorType.OTHER}
                        and child.lower_ in {"to", "for"}
                    ):
                        if recipient is None and named.donor != donor:
                            recipient = named.name
                    elif (
                        named is not None
                        and named.type is not ActorType.COUNTRY
                        and channel is None
                        and named.donor != donor
                    ) or (
                        named is not None
                        and named.type is not ActorType.COUNTRY
                        and channel is None
                        and child.lower_ in {"through", "via"}
                    ):
                        channel = named.name
                    elif channel is None and obj.lemma_.lower() in ctx.cues.channel_heads and child.lower_ != "for":
                        channel = self._channel_text(i, obj)
        if recipient is None:
            # "a US$135 million loan for Moldova to ...", however the parser attaches the "for".
            sent = ctx.sentences[i]
            end = ctx.token_span(i, tokens).end
            for m in ctx.actors.get(i, []):
                gap = sent.text[end - sent.span.start : m.span.start - sent.span.start]
                near = 0 <= m.span.start - end <= 40 and m.actor.type is ActorType.COUNTRY and m.form != "demonym"
                if near and _RECIPIENT_GAP.fullmatch(gap) and m.actor.donor != donor:
                    recipient = m.actor.name
                    break
        return recipient, channel

    def _named(self, i: int, token: Token, *, whole: bool = True) -> Actor | None:
        """The actor a noun phrase is: the first one named within it, leaving out an aggressor
        ("plants damaged by Russian missile attacks" names no one) and clauses on the noun
        ("medical supplies delivered through the ICRC" are not the ICRC). `whole=False` looks
        only at the token itself."""
        span = _subtree_span(self.ctx, i, token) if whole else self.ctx.token_span(i, token.doc[token.i : token.i + 1])
        mentions = _mentions_in(self.ctx, i, span)
        if mentions:
            hostile = self._hostile(i)
            clauses = [_subtree_span(self.ctx, i, c) for c in token.children if c.dep_ in {"acl", "relcl"}]
            mentions = [m for m in mentions if m not in hostile and not any(c.contains(m.span) for c in clauses)]
        return mentions[0].actor if mentions else None

    def _channel_text(self, i: int, obj: Token) -> str | None:
        """A named intermediary such as "a NATO fund" or "the Grain from Ukraine initiative"."""
        words = [t for t in obj.subtree if t.dep_ not in {"det", "punct"} and t.i <= obj.i]
        if not any(t.text[:1].isupper() for t in words):
            return None
        if obj.text[:1].isupper():
            # "the International Fund for Ukraine": a title-case "for"/"of" phrase is part of the name.
            for prep in (c for c in obj.rights if c.dep_ == "prep" and c.lower_ in {"for", "of"}):
                tail: list[Token] = []
                for t in (t for t in prep.subtree if t.i > prep.i):
                    if t.i != prep.i + len(tail) + 1 or not (t.text[:1].isupper() or t.dep_ == "det"):
                        break
                    tail.append(t)
                while tail and tail[-1].dep_ == "det":
                    tail.pop()
                if tail:
                    words += [prep, *tail]
                break
        return " ".join(t.text for t in words)
