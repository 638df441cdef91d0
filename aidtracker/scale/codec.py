"""Records ↔ JSON text, exactly: how articles, extractions and input errors cross processes and disks.

A partition file written by one worker is read by another process, maybe on another machine,
so what it holds must come back equal and of the same types: `Decimal`s stay `Decimal`s,
dates stay dates and enum fields become their enums again. The tagged JSON of
`store.rows.to_json` covers the first two; the enums are restored here from the records'
type hints. JSON rather than pickle, so that a partition file can be read (and trusted) by
anything that reads Parquet.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from aidtracker import errors
from aidtracker.errors import InputError
from aidtracker.records import Article, Extraction
from aidtracker.store.rows import from_json, to_json

R = TypeVar("R")


def dumps(record: object) -> str:
    """A record (an `Article`, an `Extraction`, ...) as one line of JSON."""
    return json.dumps(to_json(record, what="partition record"), ensure_ascii=False, separators=(",", ":"))


def loads(text: str, kind: type[R]) -> R:
    """The record `dumps` wrote, checked to be a `kind`."""
    value = _revive(from_json(json.loads(text)))
    if not isinstance(value, kind):
        raise TypeError(f"expected a {kind.__name__}, read a {type(value).__name__}")
    return value


def load_article(text: str) -> Article:
    return loads(text, Article)


def load_extraction(text: str) -> Extraction:
    return loads(text, Extraction)


def dump_error(error: InputError) -> str:
    """An input error as JSON: its class (so its code survives), source and reason."""
    return json.dumps({"class": type(error).__name__, "source": error.source, "reason": error.reason})


def load_error(text: str) -> InputError:
    """The input error `dump_error` wrote, of the same class."""
    raw = json.loads(text)
    return input_error(raw["class"], raw["source"], raw["reason"])


def input_error(class_name: str, source: str, reason: str) -> InputError:
    """An `InputError` of the named subclass (plain `InputError` for a name it does not know)."""
    cls = getattr(errors, class_name, InputError)
    if not (isinstance(cls, type) and issubclass(cls, InputError)):
        cls = InputError
    return cls(source, reason)


@cache
def _enum_fields(cls: type) -> dict[str, tuple[type[Enum], bool]]:
    """The fields of a record that hold an enum, or a tuple of them (`True`), by name."""
    found: dict[str, tuple[type[Enum], bool]] = {}
    for name, hint in typing.get_type_hints(cls).items():
        many = False
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
            hint = args[0]
        if typing.get_origin(hint) is tuple:
            hint, many = typing.get_args(hint)[0], True
        if isinstance(hint, type) and issubclass(hint, Enum):
            found[name] = (hint, many)
    return found


def _revive(value: Any) -> Any:
    """`value` with every enum field of every record in it turned back from its plain value."""
    if isinstance(value, tuple):
        return tuple(_revive(v) for v in value)
    if isinstance(value, list):
        return [_revive(v) for v in value]
    if isinstance(value, dict):
        return {k: _revive(v) for k, v in value.items()}
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    enums = _enum_fields(type(value))
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        old = getattr(value, f.name)
        if f.name in enums:
            enum, many = enums[f.name]
            new = tuple(enum(v) for v in old) if many else (None if old is None else enum(old))
        else:
            new = _revive(old)
        if new is not old:
            changes[f.name] = new
    return dataclasses.replace(value, **changes) if changes else value
