"""A speed corpus: N articles of realistic length (600–900 words) made from the project's own articles.

FOR SPEED ONLY, never for accuracy: the facts in these texts are substitutions nobody checked.
Each document is one of the project's articles (the bundled samples and the test fixtures)
with its donors, figures and years swapped at random, then padded with paragraphs of
sentences from the same articles that state no fact (no figure, and no extracted evidence),
as real news pads a pledge with context. Generation is seeded, so a size always gives the
same corpus; files go 1,000 to a folder.

    python -m bench.corpus 1000 /tmp/speed-1k
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aidtracker.ingest import iter_articles
from aidtracker.pipeline import process_document
from aidtracker.records import Article, Fact
from aidtracker.segment import segment
from aidtracker.vocab import load_yaml

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    REPO / "aidtracker" / "samples",
    REPO / "tests" / "fixtures" / "articles",
    REPO / "tests" / "fixtures" / "articles2",
]
_FIGURE = re.compile(r"(?<=[$€£¥])\d+(?:\.\d+)?|\b\d+(?:\.\d+)?(?= (?:million|billion|bn|m)\b)")
_YEAR = re.compile(r"\b202[2-5]\b")


@dataclass(frozen=True)
class Material:
    """What documents are made of: base articles, filler sentences and donor names."""

    bases: list[str]
    filler: list[str]
    donors: list[str]


def material() -> Material:
    """Read the project's articles once; find their fact-free sentences by running the extractor."""
    articles = [a for a in iter_articles([str(s) for s in SOURCES]) if isinstance(a, Article)]
    filler: list[str] = []
    for article in articles:
        extraction = process_document(article)
        facts: list[Fact] = [*extraction.commitments, *extraction.agreements, *extraction.events, *extraction.people]
        spans = [f.evidence.span for f in facts]
        for s in segment(article):
            text = s.text.strip()
            if s.is_headline or s.is_furniture or len(text.split()) < 6 or re.search(r"\d", text):
                continue
            if any(s.span.overlaps(span) for span in spans):
                continue
            filler.append(text)
    countries = load_yaml("actors", "en")["countries"]
    donors = [entry["names"][0] for code, entry in countries.items() if code != "UA" and entry.get("names")]
    return Material(bases=[a.text for a in articles], filler=sorted(set(filler)), donors=donors)


def document(m: Material, n: int) -> str:
    """The n-th document of the corpus: a varied base article padded to 600–900 words."""
    rng = random.Random(n)
    text = rng.choice(m.bases)
    present = [d for d in m.donors if re.search(rf"\b{re.escape(d)}\b", text)]
    for donor in present:
        text = re.sub(rf"\b{re.escape(donor)}\b", rng.choice(m.donors), text)
    text = _FIGURE.sub(lambda x: f"{rng.randint(2, 950)}", text)
    text = _YEAR.sub(lambda x: str(rng.randint(2022, 2025)), text)
    target = rng.randint(600, 900)
    words = len(text.split())
    paragraphs = [text.rstrip()]
    while words < target:
        para = " ".join(rng.choice(m.filler) for _ in range(rng.randint(3, 5)))
        paragraphs.append(para)
        words += len(para.split())
    return "\n\n".join(paragraphs) + "\n"


def generate(size: int, out: Path) -> Iterator[Path]:
    """Write `size` documents under `out` (skipping any already there); yield their paths."""
    m = material()
    for n in range(size):
        path = out / f"{n // 1000:03d}" / f"doc{n:06d}.txt"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(document(m, n), encoding="utf-8")
        yield path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    count = sum(1 for _ in generate(args.size, args.out))
    print(f"{count} documents in {args.out}")


if __name__ == "__main__":
    main()
