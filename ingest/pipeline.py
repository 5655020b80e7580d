"""Ingest files or folders in the canonical format into a store, in one atomic run.

Files are read in the order labels, accounts, posts, follows; each row is validated, its
account classified and its text tagged with therapeutic areas, then staged in batches. Bad rows
go to a quarantine CSV (file, line, reason, raw text) and are counted. If more rows are rejected
than the tolerance allows, the run fails and nothing is committed.

>>> from kolmap.graph.duckdb_store import DuckDBStore
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "accounts.csv").write_text("platform,account_id,handle,bio\\nx,1,onco,Oncologue\\n")
>>> summary = ingest_paths(DuckDBStore(":memory:"), [d], quarantine_dir=d / "q")
>>> summary.merge["accounts"]["added"], summary.quarantined
(1, 0)
"""

from __future__ import annotations

import csv
import os
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kolmap import __version__
from kolmap.errors import InputError, RejectedRowsError
from kolmap.graph.store import GraphStore, RunInfo
from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.canonical import (
    KINDS,
    RowError,
    check_header,
    detect_kind,
    parse_account,
    parse_follow,
    parse_label,
    parse_post,
)
from kolmap.ingest.classify import classify
from kolmap.ingest.rows import Header, Rejected, Row, open_lines, parse_rows
from kolmap.ingest.text import extract_hashtags, extract_mentions, fold
from kolmap.settings import Settings

__all__ = [
    "FileReport",
    "IngestSummary",
    "discover_inputs",
    "ingest_paths",
    "parse_tolerance",
    "write_labels",
]

Progress = Callable[[str, int], None]


@dataclass
class FileReport:
    """What one input file gave."""

    path: str
    kind: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    """The outcome of one run: files, row counts, merge counts and the quarantine file."""

    run_id: str
    store: str
    files: list[FileReport]
    skipped: list[tuple[str, str]]
    merge: dict[str, Any]
    rows_read: int
    quarantined: int
    quarantine_path: str | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_tolerance(text: str, rows_read: int) -> int:
    """How many rejected rows a run may have: ``"100"`` or ``"5%"`` of rows read.

    >>> parse_tolerance("5%", 1000), parse_tolerance("0", 1000)
    (50, 0)
    """
    value = text.strip()
    try:
        if value.endswith("%"):
            share = float(value[:-1])
            if not 0 <= share <= 100:
                raise ValueError
            return int(rows_read * share / 100)
        count = int(value)
        if count < 0:
            raise ValueError
        return count
    except ValueError:
        raise InputError(
            f"tolerance must be a count like 100 or a share like 5%, got {text!r}"
        ) from None


def discover_inputs(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files to read with their kind, in processing order, and files skipped with the reason.

    A folder contributes every ``*.csv``/``*.tsv`` below it whose name says its kind; other
    files there are listed as skipped. A file named explicitly must be recognisable, by name
    or header, or it is an error.
    """
    chosen: list[tuple[Path, str]] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            for file in found:
                if file.name.startswith("."):
                    continue
                kind = detect_kind(file, [])
                if kind is None:
                    skipped.append((str(file), "not a canonical kolmap file name"))
                else:
                    chosen.append((file, kind))
        else:
            kind = detect_kind(path, _peek_header(path))
            if kind is None:
                raise InputError(
                    f"{path}: cannot tell which kind of file this is; name it accounts.csv, "
                    "follows.csv, posts.csv or labels.csv (a prefix such as x_posts.csv is fine)"
                )
            chosen.append((path, kind))
    unique = list(dict.fromkeys(chosen))
    unique.sort(key=lambda item: (KINDS.index(item[1]), str(item[0])))
    return unique, skipped


def _peek_header(path: Path) -> list[str]:
    try:
        for item in parse_rows(open_lines(path), path.name):
            if isinstance(item, Header):
                return item.header
    except InputError:
        return []
    return []


def ingest_paths(
    store: GraphStore,
    paths: Sequence[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    taxonomy: Taxonomy | None = None,
    quarantine_dir: str | os.PathLike[str] | None = None,
    tolerance: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read ``paths`` (files or folders) into ``store`` as one atomic run."""
    settings = settings or Settings()
    taxonomy = taxonomy or load_taxonomy(settings.ingest.taxonomy or None)
    encoding = encoding or settings.ingest.encoding
    tolerance = tolerance if tolerance is not None else settings.ingest.tolerance
    parse_tolerance(tolerance, 0)  # fail early on a malformed value
    files, skipped = discover_inputs(paths)
    if not files:
        raise InputError(
            "no input files found in "
            + ", ".join(str(p) for p in paths)
            + "; expected accounts.csv, follows.csv, posts.csv or labels.csv"
        )
    started = time.perf_counter()
    now = datetime.now(UTC)
    run = RunInfo(
        run_id=now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3),
        started_at=now,
        inputs=[str(p) for p in paths],
        kolmap_version=__version__,
        areas={a.id: a.name for a in taxonomy.areas.values()},
    )
    qdir = Path(quarantine_dir) if quarantine_dir else _default_quarantine_dir(store.location)
    quarantine = _Quarantine(qdir, run.run_id)
    reports: list[FileReport] = []
    try:
        with store.ingest(run) as writer:
            for path, kind in files:
                report = FileReport(str(path), kind)
                reports.append(report)
                batches = _read_file(path, kind, report, quarantine, taxonomy, settings, encoding)
                for batch in batches:
                    writer.add(kind, batch)
                    if progress is not None:
                        progress(str(path), len(batch))
            rows_read = sum(r.rows_read for r in reports)
            allowed = parse_tolerance(tolerance, rows_read)
            if quarantine.count > allowed:
                qpath = quarantine.close()
                raise RejectedRowsError(
                    f"{quarantine.count} of {rows_read} rows were rejected, more than the "
                    f"tolerance of {allowed} ({tolerance}); nothing was committed. "
                    f"Rejected rows and reasons: {qpath}",
                    qpath,
                )
            writer.note("files", [asdict(r) for r in reports])
            writer.note("skipped", skipped)
            writer.note("rows_read", rows_read)
            writer.note("quarantined", quarantine.count)
            merge = writer.stats
    finally:
        qpath = quarantine.close()
    return IngestSummary(
        run_id=run.run_id,
        store=store.location,
        files=reports,
        skipped=skipped,
        merge=merge,
        rows_read=sum(r.rows_read for r in reports),
        quarantined=quarantine.count,
        quarantine_path=qpath,
        seconds=round(time.perf_counter() - started, 3),
    )


def _default_quarantine_dir(location: str) -> Path:
    if location == ":memory:":
        return Path("kolmap.quarantine")
    base = Path(location)
    return base.with_name(base.stem + ".quarantine")


class _Quarantine:
    """Rejected rows, streamed to a temporary file and moved into place when the run ends."""

    def __init__(self, folder: Path, run_id: str) -> None:
        self.folder = folder
        self.run_id = run_id
        self.count = 0
        self._tmp: Any = None
        self._writer: Any = None
        self._final: str | None = None

    def add(self, item: Rejected) -> None:
        if self._tmp is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in close())
                "w", encoding="utf-8", newline="", dir=self.folder, suffix=".part", delete=False
            )
            self._writer = csv.writer(self._tmp)
            self._writer.writerow(["run_id", "file", "line", "reason", "raw"])
        self._writer.writerow([self.run_id, item.file, item.line, item.reason, item.raw])
        self.count += 1

    def close(self) -> str | None:
        if self._tmp is not None and self._final is None:
            self._tmp.close()
            final = self.folder / f"{self.run_id}.csv"
            os.replace(self._tmp.name, final)
            self._final = str(final)
        return self._final


def _read_file(
    path: Path,
    kind: str,
    report: FileReport,
    quarantine: _Quarantine,
    taxonomy: Taxonomy,
    settings: Settings,
    encoding: str,
) -> Iterator[list[dict[str, Any]]]:
    """Yield batches of staged records from one file, quarantining bad rows."""
    batch: list[dict[str, Any]] = []
    size = settings.ingest.batch_size
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    name = str(path)
    build = _BUILDERS[kind]
    rows: Iterable[Header | Row | Rejected] = parse_rows(
        open_lines(path, encoding),
        name,
        delimiter=delimiter,
        max_field_chars=settings.ingest.max_field_chars,
    )
    for item in rows:
        if isinstance(item, Header):
            report.ignored_columns = check_header(kind, item.header, name, item.line)
            continue
        report.rows_read += 1
        if isinstance(item, Rejected):
            report.rows_quarantined += 1
            quarantine.add(item)
            continue
        try:
            record = build(item.values, taxonomy)
        except RowError as err:
            report.rows_quarantined += 1
            quarantine.add(Rejected(name, item.line, str(err), _raw(item.values)))
            continue
        record["source_file"] = name
        record["source_line"] = item.line
        batch.append(record)
        report.rows_accepted += 1
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _raw(values: dict[str, str]) -> str:
    buffer: list[str] = []

    class _W:
        def write(self, s: str) -> None:
            buffer.append(s)

    csv.writer(_W()).writerow(values.values())
    return "".join(buffer)[:10_000]


def _account_record(values: dict[str, str], taxonomy: Taxonomy) -> dict[str, Any]:
    record = parse_account(values)
    bio, name = record["bio"], record["display_name"]
    if bio is None and name is None:
        record.update(
            inferred_role=None,
            role_evidence=None,
            role_confidence=None,
            inferred_specialty=None,
            bio_areas=None,
        )
        return record
    found = classify(
        bio,
        name,
        handle=record["handle"],
        followers=record["followers"],
        following=record["following"],
        taxonomy=taxonomy,
    )
    areas = set(taxonomy.tag_text(bio or ""))
    areas |= set(taxonomy.tag_hashtags(extract_hashtags(bio or "")))
    if found.specialty_area:
        areas.add(found.specialty_area)
    record.update(
        inferred_role=found.role.value,
        role_evidence=found.evidence or None,
        role_confidence=found.confidence,
        inferred_specialty=found.specialty,
        bio_areas=sorted(areas),
    )
    return record


def _post_record(values: dict[str, str], taxonomy: Taxonomy) -> dict[str, Any]:
    record = parse_post(values)
    text = record["text"] or ""
    tags = extract_hashtags(text)
    is_repost = record["repost_of_post_id"] is not None
    # A repost's text repeats the original's; its mentions are the original author's.
    record["mentions"] = [] if is_repost else extract_mentions(text)
    record["hashtags"] = [fold(t) for t in tags]
    areas = set(taxonomy.tag_text(text)) | set(taxonomy.tag_hashtags(tags))
    record["areas"] = sorted(areas)
    return record


def _follow_record(values: dict[str, str], taxonomy: Taxonomy) -> dict[str, Any]:
    return parse_follow(values)


def _label_record(values: dict[str, str], taxonomy: Taxonomy) -> dict[str, Any]:
    return parse_label(values)


_BUILDERS: dict[str, Callable[[dict[str, str], Taxonomy], dict[str, Any]]] = {
    "accounts": _account_record,
    "posts": _post_record,
    "follows": _follow_record,
    "labels": _label_record,
}


def write_labels(
    store: GraphStore, labels: Sequence[dict[str, Any]], *, source: str = "user"
) -> dict[str, Any]:
    """Record user-verified labels (``platform, account_id, role, specialty, person_id``) as
    one ingest run, validated exactly like ``labels.csv`` rows; returns the merge counts.

    Raises :class:`InputError` naming the first invalid label; nothing is written then.
    """
    records = []
    for number, values in enumerate(labels, start=1):
        try:
            record = parse_label({k: "" if v is None else str(v) for k, v in values.items()})
        except RowError as err:
            raise InputError(f"label {number}: {err}") from None
        record["source_file"] = source
        record["source_line"] = number
        records.append(record)
    now = datetime.now(UTC)
    run = RunInfo(
        run_id=now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3),
        started_at=now,
        inputs=[source],
        kolmap_version=__version__,
    )
    with store.ingest(run) as writer:
        writer.add("labels", records)
        writer.note("rows_read", len(records))
        writer.note("quarantined", 0)
        stats: dict[str, Any] = writer.stats
    return stats
