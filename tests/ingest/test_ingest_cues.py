"""The furniture vocabulary loads, and a broken one fails loudly at load time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aidtracker.errors import VocabularyError
from aidtracker.ingest.cues import build_cues, fold, load_cues
from aidtracker.vocab import load_yaml


@pytest.fixture(scope="module")
def raw() -> Any:
    return load_yaml("furniture", "en")


def test_english_cues_load() -> None:
    cues = load_cues("en")
    assert cues.lines["advertisement"] == "advertisement"
    assert "most popular" in cues.related_markers
    assert cues.dates and cues.times


def test_fold_ignores_case_quotes_spacing_and_decoration() -> None:
    assert fold("  EDITOR’S   Picks: ") == "editor's picks"
    assert fold("— Advertisement —") == "advertisement"
    assert fold("* * *") == ""


@pytest.mark.parametrize(
    ("section", "value", "message"),
    [
        ("patterns", {"number": ["(unclosed"]}, "bad regular expression"),
        ("lines", ["not", "a", "mapping"], "'lines'"),
        ("related_markers", "most popular", "'related_markers'"),
        ("dateline", None, "'dateline'"),
    ],
)
def test_broken_vocabulary_is_a_vocabulary_error(
    raw: Any, section: str, value: object, message: str
) -> None:
    broken = copy.deepcopy(raw)
    broken[section] = value
    with pytest.raises(VocabularyError, match=message):
        build_cues("en", broken)


def test_unknown_language_is_a_vocabulary_error() -> None:
    with pytest.raises(VocabularyError):
        load_cues("xx")
