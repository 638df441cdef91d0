"""An attribute ruler that looks one-token rules up instead of matching them.

spaCy's `AttributeRuler` runs a `Matcher` of all its patterns over every token, then builds a
`Span` per match to set the attributes; on the parsed sentences that costs a third of what the
tagger and parser together cost. Nearly every pattern of a trained pipeline's ruler is one
token tested against exact values ({"TAG": "VBZ", "LOWER": "'s"}, {"DEP": {"IN": [...]}}), so
the rules a token meets follow from a handful of its values: worked out once per distinct
combination and cached, they cost a dictionary lookup per token. Patterns it cannot read that
way (several tokens, operators, other attributes or predicates) still go through a `Matcher`,
and every token gets its rules in the stock order, so the annotations are the stock ruler's
exactly: the tests compare both token by token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

FACTORY = "aidtracker_indexed_attribute_ruler"

# The token values a one-token rule may test here, read as the Matcher reads them.
_VALUES: dict[str, Callable[[Token], object]] = {
    "ORTH": lambda t: t.text,
    "TEXT": lambda t: t.text,
    "LOWER": lambda t: t.lower_,
    "NORM": lambda t: t.norm_,
    "SHAPE": lambda t: t.shape_,
    "TAG": lambda t: t.tag_,
    "POS": lambda t: t.pos_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
    "IS_PUNCT": lambda t: t.is_punct,
    "IS_ALPHA": lambda t: t.is_alpha,
    "IS_DIGIT": lambda t: t.is_digit,
}
_UNNAMED = object()  # any value no rule names: equal, IN and NOT_IN all judge it alike
_CACHE_BOUND = 200_000  # distinct value combinations kept, for endless streams of new words

Test = tuple[str, str, Any]  # (attribute, "==" | "IN" | "NOT_IN" | "REGEX", operand)


def _tests(token_pattern: dict[str, Any]) -> list[Test] | None:
    """The tests of one token's pattern, or None if any is beyond this lookup."""
    out: list[Test] = []
    for attr, spec in token_pattern.items():
        if attr not in _VALUES:
            return None
        if isinstance(spec, str | bool | int):
            out.append((attr, "==", spec))
        elif isinstance(spec, dict) and len(spec) == 1:
            op, operand = next(iter(spec.items()))
            if op in ("IN", "NOT_IN") and isinstance(operand, list):
                out.append((attr, op, frozenset(operand)))
            elif op == "REGEX" and isinstance(operand, str):
                out.append((attr, op, re.compile(operand)))
            else:
                return None
        else:
            return None
    return out


def _passes(test: Test, value: object) -> bool:
    _, op, operand = test
    if op == "==":
        return bool(value == operand)
    if op == "IN":
        return value in operand
    if op == "NOT_IN":
        return value not in operand
    return isinstance(value, str) and operand.search(value) is not None


class IndexedAttributeRuler(AttributeRuler):
    """An `AttributeRuler` whose one-token patterns are looked up (see the module's docstring)."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._index: _Index | None = None

    def add(self, patterns: Iterable[Any], attrs: dict[Any, Any], index: int = 0) -> None:
        """As `AttributeRuler.add`; the lookup is rebuilt on the next document."""
        super().add(patterns, attrs, index)
        self._index = None

    def clear(self) -> None:
        """As `AttributeRuler.clear`."""
        super().clear()
        self._index = None

    def __call__(self, doc: Doc) -> Doc:
        """Set the rules' attributes on `doc`'s tokens, as the stock ruler would."""
        error_handler = self.get_error_handler()
        try:
            if self._index is None:
                self._index = _Index(self)
            self._index.apply(doc)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """As `__call__` over a stream."""
        for doc in stream:
            yield self(doc)


class _Index:
    """The rules of one ruler split into a lookup (one-token, plain tests) and a residual `Matcher`."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs: list[dict[Any, Any]] = ruler.attrs
        self.residual = Matcher(ruler.vocab, validate=False)
        self.lookup: list[tuple[int, list[list[Test]]]] = []  # rule id, its alternative token tests
        for rule, p in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = p["patterns"]  # type: ignore[assignment]
            alternatives = [_tests(tokens[0]) if len(tokens) == 1 else None for tokens in patterns]
            if all(a is not None for a in alternatives):
                self.lookup.append((rule, [a for a in alternatives if a is not None]))
            else:
                self.residual.add(str(rule), patterns)
        self.has_residual = len(self.residual) > 0
        self.indices: list[int] = ruler.indices
        self.strings = ruler.vocab.strings
        tests = [t for _, alts in self.lookup for a in alts for t in a]
        self.attributes = sorted({attr for attr, op, _ in tests if op != "REGEX"})
        self.named: dict[str, set[object]] = {a: set() for a in self.attributes}
        for attr, op, operand in tests:
            if op == "==":
                self.named[attr].add(operand)
            elif op in ("IN", "NOT_IN"):
                self.named[attr].update(operand)
        self.regexes = sorted({(attr, operand.pattern) for attr, op, operand in tests if op == "REGEX"})
        self.compiled = [(attr, re.compile(rx)) for attr, rx in self.regexes]
        self.getters = [(a, _VALUES[a]) for a in self.attributes]
        self.cache: dict[tuple[object, ...], tuple[tuple[int, ...], dict[Any, Any]]] = {}

    def _key(self, token: Token) -> tuple[object, ...]:
        values = []
        for attr, get in self.getters:
            v = get(token)
            values.append(v if v in self.named[attr] else _UNNAMED)
        for attr, rx in self.compiled:
            v = _VALUES[attr](token)
            values.append(isinstance(v, str) and rx.search(v) is not None)
        return tuple(values)

    def _rules(self, token: Token) -> tuple[tuple[int, ...], dict[Any, Any]]:
        """The ids of the lookup rules `token` meets, in order, and their attributes merged (later win)."""
        key = self._key(token)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        values = {attr: get(token) for attr, get in _VALUES.items()}
        ids = tuple(
            rule for rule, alts in self.lookup if any(all(_passes(t, values[t[0]]) for t in a) for a in alts)
        )
        merged: dict[Any, Any] = {}
        for rule in ids:
            merged.update(self.attrs[rule])
        if len(self.cache) > _CACHE_BOUND:
            self.cache.clear()
        self.cache[key] = found = (ids, merged)
        return found

    def apply(self, doc: Doc) -> None:
        """What `AttributeRuler.__call__` does: every match found first, then applied by rule order."""
        extra: dict[int, list[int]] = {}
        if self.has_residual:
            for match_id, start, end in self.residual(doc, allow_missing=True, as_spans=False):
                rule = int(self.strings[match_id])
                span = doc[start:end]
                extra.setdefault(span[self.indices[rule]].i, []).append(rule)  # IndexError as the stock's
        planned = [(token, self._rules(token)) for token in doc]
        for token, (ids, merged) in planned:
            more = extra.get(token.i)
            if more is None:
                if merged:
                    set_token_attrs(token, merged)
                continue
            for rule in sorted((*ids, *more)):
                set_token_attrs(token, self.attrs[rule])


@Language.factory(FACTORY, default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    """The spaCy factory, so that `Language.replace_pipe` can put the ruler in a loaded pipeline."""
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language) -> None:
    """Swap `nlp`'s stock attribute ruler for an `IndexedAttributeRuler` with the same patterns."""
    for name, component in list(nlp.pipeline):
        if type(component) is AttributeRuler:
            patterns = component.patterns
            indexed = nlp.replace_pipe(name, FACTORY)
            assert isinstance(indexed, IndexedAttributeRuler)
            indexed.add_patterns(patterns)
