"""Score extracted facts against hand-checked gold files (the format of `shared/gold/SCHEMA.md`).

Input: predictions and gold records as dicts in the gold format, plus the documents' texts
for the distractor check. Output: an `EvalReport` with precision/recall/F1 per fact type,
field accuracy on matched commitments, the false positives and misses, and any distractor
sentence that produced a commitment.

Matching rules (SCHEMA.md "Scoring", made precise):
- commitment: same doc, same donor ("X and others" matches X), and either amounts within 1 %
  in the same currency (a gold record's `equivalents` count too), or, for in-kind records
  without an amount, items naming the same thing (same head word, or half their words shared);
- agreement: same doc and either the same `count` or the same set of parties (each party
  matched by shared words, so "Sumitomo Corp." is "Sumitomo Corporation");
- event: same doc, same type and same date (both may be null);
- person: same doc and the name equal to the gold name or one of its aliases.
Each gold record matches at most one prediction; matching is greedy in document order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aidtracker.errors import GoldFileError

FACT_TYPES = ("commitment", "agreement", "event", "person")
FIELDS = ("scope", "status", "instrument", "channel", "sectors", "kind")
_STOP = {
    "the",
    "of",
    "a",
    "an",
    "and",
    "for",
    "to",
    "in",
    "on",
    "s",
    "corp",
    "corporation",
    "co",
    "inc",
    "ltd",
    "plc",
    "group",
    "company",
    "ag",
    "sa",
    "llc",
}


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold records from a JSONL file; a bad line raises GoldFileError naming file and line."""
    out = []
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFileError(f"{p}: cannot read gold file: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(f"{p}:{n}: not JSON: {exc.msg}") from exc
        if not isinstance(record, dict) or "doc" not in record or "type" not in record:
            raise GoldFileError(f"{p}:{n}: a gold record needs 'doc' and 'type'")
        out.append(record)
    return out


def load_distractors(path: str | Path) -> list[dict[str, str]]:
    """Distractor rows (doc, sentence, why_not_a_commitment) from a TSV file."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFileError(f"{p}: cannot read distractors: {exc.strerror or exc}") from exc
    if not lines:
        return []
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise GoldFileError(f"{p}:{n}: expected tab-separated doc and sentence")
        rows.append(dict(zip(header, cells, strict=False)))
    return rows


def _words(text: str | None) -> set[str]:
    words = {w.lower().rstrip("s") if len(w) > 3 else w.lower() for w in re.findall(r"[\w-]+", text or "")}
    return words - _STOP


def _norm(name: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", "", (name or "").lower())).strip()


def _canonical(name: str | None) -> str:
    """A donor name through the actor registry, so "EIB" and "European Investment Bank" agree."""
    from aidtracker.extract.actors import gazetteer

    bare = (name or "").strip()
    lead = bare.removesuffix(" and others")
    actor = gazetteer().lookup(lead)
    return _norm(actor.name if actor else lead)


def _same_donor(gold: str | None, pred: str | None) -> bool:
    return _canonical(gold) == _canonical(pred)


def _amounts(record: dict[str, Any]) -> list[tuple[Decimal, str | None]]:
    out = []
    if record.get("amount") is not None:
        out.append((Decimal(str(record["amount"])), record.get("currency")))
    for eq in record.get("equivalents") or []:
        if eq.get("amount") is not None:
            out.append((Decimal(str(eq["amount"])), eq.get("currency")))
    return out


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= Decimal("0.01") * max(abs(a), abs(b))


def _same_item(gold: str | None, pred: str | None) -> bool:
    g, p = _words(gold), _words(pred)
    if not g or not p:
        return False
    head_g = re.findall(r"[\w-]+", (gold or "").lower())[-1].rstrip("s")
    head_p = re.findall(r"[\w-]+", (pred or "").lower())[-1].rstrip("s")
    return head_g == head_p or len(g & p) * 2 >= min(len(g), len(p))


def commitment_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if not _same_donor(gold.get("donor"), pred.get("donor")):
        return False
    gold_amounts = _amounts(gold)
    if gold_amounts:
        pa = pred.get("amount")
        if pa is None:
            return False
        pc = pred.get("currency")
        return any(_close(a, Decimal(str(pa))) and (c is None or pc is None or c == pc) for a, c in gold_amounts)
    return pred.get("amount") is None and _same_item(gold.get("item"), pred.get("item"))


def _same_party(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if _norm(a) == _norm(b) or _canonical(a) == _canonical(b):
        return True
    return bool(wa and wb) and len(wa & wb) * 2 >= min(len(wa), len(wb)) and len(wa & wb) >= 1


def agreement_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold.get("count") is not None and pred.get("count") is not None:
        return int(gold["count"]) == int(pred["count"])
    gp, pp = list(gold.get("parties") or []), list(pred.get("parties") or [])
    if not gp or not pp:
        return False
    return all(any(_same_party(g, p) for p in pp) for g in gp) and all(any(_same_party(g, p) for g in gp) for p in pp)


def event_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return gold.get("event_type") == pred.get("event_type") and (gold.get("date") or None) == (pred.get("date") or None)


def person_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    names = {_norm(gold.get("name"))} | {_norm(a) for a in gold.get("aliases") or []}
    pred_names = {_norm(pred.get("name"))} | {_norm(a) for a in pred.get("aliases") or [] if len(str(a).split()) > 1}
    return _norm(pred.get("name")) in names or bool(
        names & pred_names and len(pred_names) > 0 and _norm(gold.get("name")) in pred_names
    )


MATCHERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "commitment": commitment_match,
    "agreement": agreement_match,
    "event": event_match,
    "person": person_match,
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class EvalReport:
    scores: dict[str, Score]
    fields: dict[str, tuple[int, int]]  # field -> (correct, compared)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)
    distractor_hits: list[dict[str, Any]] = field(default_factory=list)
    dedup: dict[str, float] | None = None
    dedup_events: dict[str, float] | None = None
    actors: dict[str, float] | None = None

    def field_accuracy(self, name: str) -> float | None:
        correct, total = self.fields.get(name, (0, 0))
        return correct / total if total else None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {t: self.scores[t].as_dict() for t in FACT_TYPES}
        out["fields"] = {f: (round(a, 4) if (a := self.field_accuracy(f)) is not None else None) for f in FIELDS}
        out["distractors_extracted"] = len(self.distractor_hits)
        if self.dedup is not None:
            out["dedup"] = self.dedup
        if self.dedup_events is not None:
            out["dedup_events"] = self.dedup_events
        if self.actors is not None:
            out["actors"] = self.actors
        out["false_positives"] = self.false_positives
        out["misses"] = self.misses
        out["distractor_hits"] = self.distractor_hits
        return out


def _field_equal(name: str, gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g, p = gold.get(name), pred.get(name)
    if name == "sectors":
        return set(g or []) == set(p or [])
    if name == "channel":
        if g is None or p is None:
            return g is None and p is None
        return _same_party(str(g), str(p))
    return g == p


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _affinity(gold: dict[str, Any], pred: dict[str, Any]) -> tuple[int, int]:
    """How well a matching prediction lines up with a gold record: same sentence, same type."""
    g = _squash(gold.get("evidence", ""))
    p = _squash(pred.get("evidence", ""))
    alts = [_squash(a) for a in gold.get("alt_evidence") or []]
    same_place = bool(g and p and (g in p or p in g or any(a in p or p in a for a in alts if a)))
    same_type = sum(
        gold.get(k) == pred.get(k) for k in ("agreement_type", "event_type", "scope", "currency") if k in gold
    )
    return int(same_place), same_type


def score(gold: Sequence[dict[str, Any]], predictions: Sequence[dict[str, Any]]) -> EvalReport:
    """Precision, recall and F1 per fact type, and field accuracy over matched commitments."""
    scores = {t: Score() for t in FACT_TYPES}
    fields = {f: (0, 0) for f in FIELDS}
    report = EvalReport(scores, fields)
    docs = sorted({r["doc"] for r in gold} | {r["doc"] for r in predictions})
    for fact_type in FACT_TYPES:
        match = MATCHERS[fact_type]
        for doc in docs:
            golds = [g for g in gold if g["doc"] == doc and g["type"] == fact_type]
            preds = [p for p in predictions if p["doc"] == doc and p["type"] == fact_type]
            used: set[int] = set()
            for g in golds:
                candidates = [k for k, p in enumerate(preds) if k not in used and match(g, p)]
                # Of several matching predictions, take the one stated where the gold record is.
                hit = max(candidates, key=lambda k: _affinity(g, preds[k]), default=None)
                if hit is None:
                    scores[fact_type].fn += 1
                    report.misses.append(g)
                    continue
                used.add(hit)
                report.matches.append((g, preds[hit]))
                scores[fact_type].tp += 1
                if fact_type == "commitment":
                    for f in FIELDS:
                        correct, total = fields[f]
                        fields[f] = (correct + _field_equal(f, g, preds[hit]), total + 1)
            for k, p in enumerate(preds):
                if k not in used:
                    scores[fact_type].fp += 1
                    report.false_positives.append(p)
    return report


def _find_loose(text: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` occurs in `text`, white space compared loosely."""
    parts = [re.escape(p) for p in needle.split()]
    if not parts:
        return None
    m = re.search(r"\s+".join(parts), text)
    return (m.start(), m.end()) if m else None


def distractor_hits(
    distractors: Iterable[dict[str, str]], predictions: Sequence[dict[str, Any]], texts: dict[str, str]
) -> list[dict[str, Any]]:
    """Distractor sentences whose text holds the figure of one of `predictions` (pass the wrong ones)."""
    hits = []
    for row in distractors:
        text = texts.get(row.get("doc", ""))
        if text is None:
            continue
        where = _find_loose(text, row.get("sentence", ""))
        if where is None:
            continue
        start, end = where
        for p in predictions:
            if p["doc"] != row["doc"] or p["type"] != "commitment":
                continue
            fig = p.get("figure_span") or p.get("evidence_span")
            if fig and start <= fig[0] and fig[1] <= end:
                hits.append({"doc": row["doc"], "sentence": row["sentence"], "prediction": p})
    return hits


def fact_record(fact: Any, doc: str) -> dict[str, Any]:
    """A stored fact in the gold format of SCHEMA.md, with its spans for the distractor check."""
    from aidtracker.records import Agreement, Commitment, Event, Person

    base: dict[str, Any] = {
        "doc": doc,
        "evidence": fact.evidence.text,
        "evidence_span": [fact.evidence.span.start, fact.evidence.span.end],
        "confidence": fact.confidence,
    }
    if isinstance(fact, Commitment):
        figure = fact.figure or fact.evidence.span
        return {
            **base,
            "type": "commitment",
            "donor": fact.donor,
            "recipient": fact.recipient,
            "amount": _number(fact.amount),
            "currency": fact.currency,
            "quantity": _number(fact.quantity),
            "item": fact.item,
            "scope": fact.scope.value,
            "kind": fact.kind.value,
            "instrument": fact.instrument.value,
            "channel": fact.channel,
            "status": fact.status.value,
            "purpose": fact.purpose,
            "sectors": [s.value for s in fact.sectors],
            "date": fact.date.isoformat() if fact.date else None,
            "equivalents": [{"amount": _number(e.amount), "currency": e.currency} for e in fact.equivalents],
            "usd": _number(fact.usd.usd) if fact.usd else None,
            "alt_evidence": [e.text for e in fact.alt_evidence],
            "figure_span": [figure.start, figure.end],
        }
    if isinstance(fact, Agreement):
        return {
            **base,
            "type": "agreement",
            "parties": list(fact.parties),
            "agreement_type": fact.agreement_type.value,
            "subject": fact.subject,
            "sectors": [s.value for s in fact.sectors],
            "count": fact.count,
            "status": fact.status.value,
            "date": fact.date.isoformat() if fact.date else None,
        }
    if isinstance(fact, Event):
        return {
            **base,
            "type": "event",
            "name": fact.name,
            "event_type": fact.event_type.value,
            "date": fact.date.isoformat() if fact.date else None,
            "end_date": fact.end_date.isoformat() if fact.end_date else None,
            "location": fact.location,
            "participants": list(fact.participants),
        }
    if isinstance(fact, Person):
        return {
            **base,
            "type": "person",
            "name": fact.name,
            "aliases": list(fact.aliases),
            "role": fact.role,
            "affiliation": fact.affiliation,
        }
    raise TypeError(f"not a fact: {fact!r}")


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def run_evaluation(
    gold_path: str | Path,
    docs_dir: str | Path,
    distractors_path: str | Path | None = None,
    *,
    db_url: str,
) -> tuple[EvalReport, list[dict[str, Any]]]:
    """Ingest, extract and resolve `docs_dir` into the store at `db_url`, then score what it holds."""
    from aidtracker.pipeline import ingest
    from aidtracker.resolve import build_registry
    from aidtracker.store import open_store

    gold = load_gold(gold_path)
    docs = Path(docs_dir)
    if not docs.is_dir():
        raise GoldFileError(f"{docs}: not a folder of documents")
    store = open_store(db_url)
    try:
        summary = ingest([str(docs)], store)
        names = {doc_id: Path(source.split(":")[0]).stem for doc_id, source in summary.articles}
        texts: dict[str, str] = {}
        for doc_id, name in names.items():
            article = store.article(doc_id)
            if article is not None:
                texts[name] = article.text
        mentions = [m for m in store.mentions() if m.fact.doc_id in names]
        resolution = store.resolution()
    finally:
        store.close()
    predictions = []
    for m in mentions:
        record = fact_record(m.fact, names[m.fact.doc_id])
        record["mention_id"] = m.id
        predictions.append(record)
    report = score(gold, predictions)
    cluster_of = {member: c.id for c in resolution.clusters for member in c.members}
    report.dedup = pairwise_dedup(gold, report.matches, cluster_of, "commitment")
    report.dedup_events = pairwise_dedup(gold, report.matches, cluster_of, "event")
    report.actors = actor_accuracy(gold, build_registry(mentions))
    if distractors_path is not None:
        # A prediction that matches a gold commitment is right whatever sentence it shares.
        wrong = [p for p in report.false_positives if p["type"] == "commitment"]
        report.distractor_hits = distractor_hits(load_distractors(distractors_path), wrong, texts)
    return report, predictions


def pairwise_dedup(
    gold: Sequence[dict[str, Any]],
    matches: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    cluster_of: dict[str, str],
    fact_type: str,
) -> dict[str, float]:
    """Pairwise precision and recall of cross-document de-duplication against gold `key`s.

    Recall: of the pairs of gold records in different documents that share a key, the share
    whose matched predictions sit in one cluster (an unmatched record loses its pairs).
    Precision: of the pairs of matched predictions in different documents that sit in one
    cluster, the share whose gold records share a key.
    """
    pairs = [(g, p) for g, p in matches if g["type"] == fact_type and g.get("key")]
    pred_of = {id(g): p for g, p in pairs}
    keyed = [g for g in gold if g["type"] == fact_type and g.get("key")]
    gold_pairs = found = 0
    for i, a in enumerate(keyed):
        for b in keyed[i + 1 :]:
            if a["doc"] == b["doc"] or a["key"] != b["key"]:
                continue
            gold_pairs += 1
            pa, pb = pred_of.get(id(a)), pred_of.get(id(b))
            if pa and pb and cluster_of.get(pa.get("mention_id", "")) == cluster_of.get(pb.get("mention_id", "")):
                found += 1
    same_cluster = correct = 0
    for i, (ga, pa) in enumerate(pairs):
        for gb, pb in pairs[i + 1 :]:
            if ga["doc"] == gb["doc"]:
                continue
            ca, cb = cluster_of.get(pa.get("mention_id", "")), cluster_of.get(pb.get("mention_id", ""))
            if ca is not None and ca == cb:
                same_cluster += 1
                correct += ga["key"] == gb["key"]
    return {
        "precision": round(correct / same_cluster, 4) if same_cluster else 1.0,
        "recall": round(found / gold_pairs, 4) if gold_pairs else 1.0,
        "gold_pairs": gold_pairs,
        "predicted_pairs": same_cluster,
    }


def actor_accuracy(gold: Sequence[dict[str, Any]], registry: Any) -> dict[str, float]:
    """The share of gold person names and aliases that resolve to the gold canonical person."""
    from aidtracker.dedupe.compare import fold

    total = correct = 0
    for g in gold:
        if g["type"] != "person":
            continue
        for form in [g["name"], *(g.get("aliases") or [])]:
            total += 1
            actor = registry.resolve(form)
            correct += actor is not None and fold(actor.name) == fold(g["name"])
    return {"accuracy": round(correct / total, 4) if total else 1.0, "names": total, "resolved": correct}
