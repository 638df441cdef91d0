"""The snapshot archive: every response read from the web, kept byte for byte in WARC files.

    archive = Archive("aidtracker-snapshots")
    with archive.writer(started_at) as w:        # one new .warc.gz per run
        snap = w.response(response, source=feed_url, role="article", entry=entry)
        w.revisit(response, source=..., role=..., refers_to=last_snapshot)   # same bytes as last time
        w.event(source_url, "source-added", kind="feed", at=now)
    for item in archive.records():               # every record of every file, in fetch order
        ...

A response record holds the status line, every header and the body as received (a
Content-Encoding the server applied is kept; chunked transfer coding is not, since the body is
stored whole), with the fetch time as WARC-Date (to the microsecond, WARC/1.1), the URL asked
for and the URL that answered. What aidtracker needs to read the page again exactly as it did
the first time (which followed source led to it, what the feed said of it) travels in the
record's own headers, so that the archive alone is enough for `replay`. Each record is its own
gzip member, flushed as it is written: a run that dies leaves every earlier record readable, and
a torn last record is reported and skipped on reading.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from aidtracker.errors import StorageError
from aidtracker.sources.feeds import Entry
from aidtracker.sources.fetch import Response
from aidtracker.store import SnapshotRow

WARC_VERSION = "WARC/1.1"
SUFFIX = ".warc.gz"
_H_SOURCE = "Aidtracker-Source"
_H_ROLE = "Aidtracker-Role"
_H_REQUESTED = "Aidtracker-Requested-URI"
_H_ENTRY = "Aidtracker-Entry"
_H_DIGEST = "Aidtracker-Payload-SHA256"
_DROPPED = ("transfer-encoding",)  # the body is stored de-chunked, so the header would lie


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One kept response, as written or as read back: enough to read the page again exactly."""

    id: str
    url: str  # as requested
    final_url: str
    source: str
    role: str  # feed, sitemap, page or article
    fetched_at: datetime
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # as received (empty for a revisit)
    digest: str  # sha256:HEX of the body
    file: str
    offset: int
    entry: Entry | None = None
    revisit_of: str | None = None  # a revisit repeats the body of this earlier record

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    def row(self, doc_id: str | None) -> SnapshotRow:
        """The manifest row of this snapshot, naming the document it was read as."""
        return SnapshotRow(
            id=self.id,
            url=self.url,
            final_url=self.final_url,
            source=self.source,
            role=self.role,
            fetched_at=self.fetched_at,
            status=self.status,
            content_type=self.content_type,
            etag=self.header("etag"),
            last_modified=self.header("last-modified"),
            digest=self.digest,
            length=len(self.body),
            file=self.file,
            offset=self.offset,
            doc_id=doc_id,
        )


@dataclass(frozen=True, slots=True)
class SourceEvent:
    """A source added to or removed from the followed list, as the archive records it."""

    url: str
    event: str  # source-added or source-removed
    kind: str | None
    at: datetime
    file: str
    offset: int


@dataclass
class ReadProblem:
    """A record that could not be read back (a torn write at the end of a file, say)."""

    file: str
    reason: str


class Archive:
    """A folder of WARC files; see the module docstring."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.problems: list[ReadProblem] = []

    def writer(self, started: datetime) -> ArchiveWriter:
        """A writer to a new file named for `started` (and this process), created on first write."""
        stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return ArchiveWriter(self.folder, f"aidtracker-{stamp}-{os.getpid()}{SUFFIX}")

    def files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())

    def records(self) -> Iterator[Snapshot | SourceEvent]:
        """Every record of every file, in the order things happened (fetch time, then file order).

        Records that cannot be read are skipped and listed in `problems`.
        """
        found: list[Snapshot | SourceEvent] = []
        self.problems = []
        for path in self.files():
            found.extend(self._read_file(path))
        found.sort(key=lambda r: (r.fetched_at if isinstance(r, Snapshot) else r.at, r.file, r.offset))
        yield from found

    def read(self, file: str, offset: int) -> Snapshot:
        """The snapshot at `offset` in `file` (from the manifest), with its body."""
        path = self.folder / file
        try:
            with path.open("rb") as fh:
                fh.seek(offset)
                for record in ArchiveIterator(fh):
                    item = _from_record(record, file, offset)
                    if isinstance(item, Snapshot):
                        return item
                    break
        except (OSError, ArchiveLoadFailed, ValueError) as exc:
            raise StorageError(f"snapshot {file}@{offset} cannot be read: {exc}") from exc
        raise StorageError(f"snapshot {file}@{offset} is not a response record")

    def _read_file(self, path: Path) -> Iterator[Snapshot | SourceEvent]:
        try:
            with path.open("rb") as fh:
                iterator = ArchiveIterator(fh)
                for record in iterator:
                    item = _from_record(record, path.name, iterator.offset)
                    if item is not None:
                        yield item
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            self.problems.append(ReadProblem(path.name, f"unreadable from here on ({type(exc).__name__}: {exc})"))


class ArchiveWriter:
    """Appends records to one WARC file, each flushed to disk as it is written."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self._fh: BinaryIO | None = None
        self._warc: WARCWriter | None = None

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def response(self, response: Response, *, source: str, role: str, entry: Entry | None = None) -> Snapshot:
        """Keep a response with its body; returns it as a `Snapshot` (which is what gets read)."""
        digest = sha256(response.body)
        headers = [(k, v) for k, v in response.headers if k.lower() not in _DROPPED]
        http = StatusAndHeaders(
            f"{response.status} {response.reason}".strip(), headers, protocol=_protocol(response.http_version)
        )
        warc_headers = self._headers(response, source=source, role=role, entry=entry, digest=digest)
        record_id, offset = self._write(
            response.final_url, "response", warc_headers, payload=response.body, http_headers=http
        )
        return Snapshot(
            id=record_id,
            url=response.url,
            final_url=response.final_url,
            source=source,
            role=role,
            fetched_at=response.fetched_at,
            status=response.status,
            headers=tuple(headers),
            body=response.body,
            digest=digest,
            file=self.name,
            offset=offset,
            entry=entry,
        )

    def revisit(self, response: Response, *, source: str, role: str, refers_to: SnapshotRow) -> Snapshot:
        """Record that a page was fetched again and its body was the same as `refers_to`'s."""
        headers = [(k, v) for k, v in response.headers if k.lower() not in _DROPPED]
        http = StatusAndHeaders(
            f"{response.status} {response.reason}".strip(), headers, protocol=_protocol(response.http_version)
        )
        warc_headers = self._headers(response, source=source, role=role, entry=None, digest=refers_to.digest)
        warc_headers["WARC-Profile"] = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
        warc_headers["WARC-Refers-To"] = refers_to.id
        warc_headers["WARC-Refers-To-Target-URI"] = refers_to.final_url
        warc_headers["WARC-Refers-To-Date"] = _warc_date(refers_to.fetched_at)
        record_id, offset = self._write(response.final_url, "revisit", warc_headers, payload=b"", http_headers=http)
        return Snapshot(
            id=record_id,
            url=response.url,
            final_url=response.final_url,
            source=source,
            role=role,
            fetched_at=response.fetched_at,
            status=response.status,
            headers=tuple(headers),
            body=b"",
            digest=refers_to.digest,
            file=self.name,
            offset=offset,
            revisit_of=refers_to.id,
        )

    def event(self, url: str, event: str, *, kind: str | None, at: datetime) -> SourceEvent:
        """Record a change to the followed sources, so that a replay restores the list."""
        body = json.dumps({"event": event, "kind": kind}, sort_keys=True).encode()
        warc_headers = {"WARC-Date": _warc_date(at), "Content-Type": "application/json"}
        _, offset = self._write(url, "metadata", warc_headers, payload=body, http_headers=None)
        return SourceEvent(url=url, event=event, kind=kind, at=at, file=self.name, offset=offset)

    def _headers(
        self, response: Response, *, source: str, role: str, entry: Entry | None, digest: str
    ) -> dict[str, str]:
        headers = {
            "WARC-Date": _warc_date(response.fetched_at),
            _H_REQUESTED: response.url,
            _H_SOURCE: source,
            _H_ROLE: role,
            _H_DIGEST: digest,
        }
        if entry is not None:
            headers[_H_ENTRY] = json.dumps(
                {
                    "url": entry.url,
                    "title": entry.title,
                    "published": entry.published.isoformat() if entry.published else None,
                },
                sort_keys=True,
                ensure_ascii=True,  # a header is ASCII
            )
        return headers

    def _write(
        self,
        uri: str,
        record_type: str,
        warc_headers: dict[str, str],
        *,
        payload: bytes,
        http_headers: StatusAndHeaders | None,
    ) -> tuple[str, int]:
        if self._fh is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._fh = (self.folder / self.name).open("ab")
            except OSError as exc:
                raise StorageError(f"cannot write snapshots to {self.folder}: {exc.strerror or exc}") from exc
            self._warc = WARCWriter(self._fh, gzip=True, warc_version=WARC_VERSION)
        assert self._warc is not None
        offset = self._fh.tell()
        content_type = "application/json" if record_type == "metadata" else None
        record = self._warc.create_warc_record(
            uri,
            record_type,
            payload=io.BytesIO(payload),
            length=len(payload),  # known, so warcio digests the bytes in place instead of spooling them
            warc_headers_dict=warc_headers,
            http_headers=http_headers,
            warc_content_type=content_type,
        )
        try:
            self._warc.write_record(record)
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as exc:
            raise StorageError(f"cannot write snapshots to {self.folder / self.name}: {exc.strerror or exc}") from exc
        return str(record.rec_headers.get_header("WARC-Record-ID")), offset


def sha256(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _protocol(http_version: str) -> str:
    return http_version if http_version.startswith("HTTP/") else "HTTP/1.1"


def _from_record(record: Any, file: str, offset: int) -> Snapshot | SourceEvent | None:
    """A WARC record as a snapshot or a source event; None for records aidtracker did not write."""
    h = record.rec_headers
    kind = record.rec_type
    uri = h.get_header("WARC-Target-URI") or ""
    when = _parse_date(h.get_header("WARC-Date") or "")
    if kind == "metadata":
        body = json.loads(record.raw_stream.read().decode() or "{}")
        if body.get("event") not in ("source-added", "source-removed"):
            return None
        return SourceEvent(url=uri, event=body["event"], kind=body.get("kind"), at=when, file=file, offset=offset)
    if kind not in ("response", "revisit") or h.get_header(_H_ROLE) is None:
        return None
    http = record.http_headers
    status = int(http.get_statuscode()) if http is not None else 0
    headers = tuple(http.headers) if http is not None else ()
    body = record.raw_stream.read() if kind == "response" else b""
    return Snapshot(
        id=str(h.get_header("WARC-Record-ID")),
        url=h.get_header(_H_REQUESTED) or uri,
        final_url=uri,
        source=h.get_header(_H_SOURCE) or uri,
        role=h.get_header(_H_ROLE),
        fetched_at=when,
        status=status,
        headers=headers,
        body=body,
        digest=h.get_header(_H_DIGEST) or sha256(body),
        file=file,
        offset=offset,
        entry=_entry(h.get_header(_H_ENTRY)),
        revisit_of=h.get_header("WARC-Refers-To") if kind == "revisit" else None,
    )


def _entry(value: str | None) -> Entry | None:
    if not value:
        return None
    data = json.loads(value)
    published = data.get("published")
    return Entry(
        url=data["url"], title=data.get("title"), published=date.fromisoformat(published) if published else None
    )
