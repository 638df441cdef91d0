"""One exception tree, so each interface has a single place that turns failures into messages.

    AidtrackerError                  base; `code` is stable so users can search for it
    ├── InputError                   a document we could not read (file, line, reason)
    │   ├── UnreadableInput          binary, empty, undecodable
    │   └── InputTooLarge            over the configured size limit
    ├── VocabularyError              a vocab/*.yml file that does not validate
    ├── StorageError                 the database refused or is at the wrong schema version
    └── GoldFileError                an evaluation gold file that does not parse

The CLI prints `error[code]: message` on one line and exits 0 (none failed), 1 (some) or
2 (all); the API answers with one JSON error shape.
"""

from __future__ import annotations


class AidtrackerError(Exception):
    """Base of every error aidtracker raises on purpose."""

    code = "AT000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(AidtrackerError):
    """A document that cannot be ingested; `source` names the file (and line) at fault."""

    code = "AT100"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnreadableInput(InputError):
    code = "AT101"


class InputTooLarge(InputError):
    code = "AT102"


class VocabularyError(AidtrackerError):
    code = "AT200"


class StorageError(AidtrackerError):
    code = "AT300"


class GoldFileError(AidtrackerError):
    code = "AT400"
