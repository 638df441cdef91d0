"""One exception tree, so each interface has a single place that turns failures into messages.

    AidtrackerError                  base; `code` is stable so users can search for it
    ├── InputError                   a document we could not read (file, line, reason)
    │   ├── UnreadableInput          binary, empty, undecodable
    │   ├── InputTooLarge            over the configured size limit
    │   └── FetchFailed              a web source or page that could not be fetched or read (reason, status)
    ├── VocabularyError              a vocab/*.yml file that does not validate
    ├── StorageError                 the database refused or is at the wrong schema version
    │   └── BackupError              a backup or restore that could not be made
    ├── GoldFileError                an evaluation gold file that does not parse
    ├── ExportError                  an export that cannot be written as asked
    ├── RequestError                 a request an interface cannot answer as asked (API: 400)
    │   ├── InvalidFilter            a filter, cursor or query that does not make sense (422)
    │   ├── NotFound                 no record by that id (404)
    │   ├── ReviewError              a review or user change that cannot be made as asked (400)
    │   └── RequestTooLarge          a request body over the size limit (413)
    ├── AccessDenied                 no valid token (401) or not the role for it (403)
    └── RateLimited                  too many requests with one token (429)

The CLI prints `error[code]: message` on one line and exits 0 (none failed), 1 (some) or
2 (all); the API answers with one JSON error shape, `{"error": {"code": ..., "message": ...}}`.
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


class FetchFailed(InputError):
    """A URL that could not be fetched or read: refused, unreachable, too large, the wrong type.

    `status` is the HTTP status when there was one; `retryable` says whether trying again later
    may succeed (a timeout, a 503) rather than not (a 404, a robots.txt refusal); `retry_after`
    is the server's own Retry-After in seconds, if it sent one.
    """

    code = "AT110"

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(source, reason)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


class VocabularyError(AidtrackerError):
    code = "AT200"


class StorageError(AidtrackerError):
    code = "AT300"


class GoldFileError(AidtrackerError):
    code = "AT400"


class RequestError(AidtrackerError):
    code = "AT500"


class InvalidFilter(RequestError):
    code = "AT501"


class NotFound(RequestError):
    code = "AT502"


class ExportError(AidtrackerError):
    """An export that cannot be written as asked (an unknown format, nothing to write, a bad path)."""

    code = "AT600"


class ReviewError(RequestError):
    """A review, or a change to users, that cannot be made as asked: a bad field, a bad name."""

    code = "AT700"


class RequestTooLarge(RequestError):
    code = "AT701"


class AccessDenied(AidtrackerError):
    """A write without a valid token (`status` 401) or by a user without the role for it (403)."""

    code = "AT702"

    def __init__(self, message: str, *, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class RateLimited(AidtrackerError):
    """Too many requests with one token; `retry_after` says how many seconds until the next is allowed."""

    code = "AT703"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BackupError(StorageError):
    """A backup or restore that could not be made; the database is left as it was."""

    code = "AT310"
