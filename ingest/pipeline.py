"""Ingest files, folders and ZIP archives into a store, in one atomic run.

Every file whose format is recognised (:mod:`kolmap.ingest.formats`; ``fmt`` forces one) is
read; a ZIP archive is checked and extracted first (:mod:`kolmap.ingest.io.archives`).
Canonical files come first, in the order labels, accounts, posts, follows, edges, then the
other formats, each group by path. Each row is validated and enriched (a bio's areas; a
post's mentions, hashtags and areas: :mod:`kolmap.ingest.enrich`), then staged in batches.
Canonical posts, follows and accounts CSV files take the fast route when the
``ingest.bulk_csv`` setting is on and the file allows it (:mod:`kolmap.ingest.fast`); it
gives the same records. Roles are inferred once all is staged, from the merged profiles, inside the
run (:mod:`kolmap.ingest.roles.derive`). Bad rows go to a quarantine CSV (file, line,
reason, raw text) and are counted; if more rows are rejected than the tolerance allows, the
run fails and nothing is committed.

>>> from kolmap.graph.duckdb import DuckDBStore
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "accounts.csv").write_text("platform,account_id,handle,bio\\nx,1,onco,Oncologue\\n")
>>> summary = ingest_paths(DuckDBStore(":memory:"), [d], quarantine_dir=d / "q")
>>> summary.merge["accounts"]["added"], summary.quarantined
(1, 0)
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from kolmap import __version__
from kolmap.errors import InputError, KolmapError, RejectedRowsError
from kolmap.graph.location import StoreLocation
from kolmap.graph.store import GraphStore, IngestWriter, RunInfo, process_alive, stamped_id
from kolmap.ingest.areas import Taxonomy, taxonomy_for
from kolmap.ingest.enrich import enrich
from kolmap.ingest.fast.bulk_csv import BulkReader, BulkReadError
from kolmap.ingest.fast.lines import simple_lines
from kolmap.ingest.fast.parallel_rows import RowParser
from kolmap.ingest.fast.prefetch import prefetched
from kolmap.ingest.formats import all_formats, detect_format, get_format
from kolmap.ingest.formats.canonical import (
    KINDS,
    RowError,
    check_header,
    detect_kind,
    ignored_columns,
    parse_label,
)
from kolmap.ingest.formats.networks import NETWORK_FORMATS, platform_hint, sidecar_kind
from kolmap.ingest.formats.spec import FormatSpec, Item, ReadOptions
from kolmap.ingest.io.archives import extract_safely
from kolmap.ingest.io.rows import Header, Rejected, open_lines, parse_rows
from kolmap.ingest.quarantine import Quarantine
from kolmap.ingest.roles.derive import derive_accounts
from kolmap.model import normalise_platform
from kolmap.settings import Settings

__all__ = [
    "FileReport",
    "IngestSummary",
    "discover_inputs",
    "ingest_paths",
    "parse_tolerance",
    "remove_stale_workdirs",
    "work_folder",
    "write_labels",
]

Progress = Callable[[str, int], None]
_log = logging.getLogger(__name__)


@dataclass
class FileReport:
    """What one input file gave: rows read, accepted and quarantined; records by kind;
    repairs made (by type); columns ignored."""

    path: str
    format: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    records: dict[str, int] = field(default_factory=dict)
    repaired: dict[str, int] = field(default_factory=dict)
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
    # What the user should know about the data read (a network file's likely platform).
    notes: list[str] = field(default_factory=list)

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
    fmt: str | None = None,
    column_maps: str | None = None,
    workdir: Path | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[list[tuple[Path, FormatSpec]], list[tuple[str, str]], dict[Path, str]]:
    """Files to read with their format, in processing order, files skipped with why, and
    the name each file is reported and recorded by.

    A folder contributes every file below it whose format is recognised (or, with ``fmt``,
    every file); the others are listed as skipped. A file named explicitly must be
    recognisable, or it is an error. A ZIP archive is checked and extracted into a folder of
    its own in ``workdir`` (see :mod:`kolmap.ingest.io.archives`), then read like a folder;
    its members are named after the archive (``jan/export.zip/accounts.csv``), never after
    the temporary folder. ``names`` gives other names for input paths (the app's uploads are
    named as uploaded, not by the temporary file they were saved in).
    """
    formats = all_formats(column_maps)
    forced = get_format(fmt, formats) if fmt else None
    chosen: list[tuple[Path, FormatSpec]] = []
    skipped: list[tuple[str, str]] = []
    shown = {Path(k): v for k, v in (names or {}).items()}
    pending = [Path(p) for p in paths]

    def name_of(path: Path) -> str:
        for parent in (path, *path.parents):
            if parent in shown:
                rest = path.relative_to(parent).as_posix()
                return shown[parent] if rest == "." else f"{shown[parent]}/{rest}"
        return str(path)

    while pending:
        path = pending.pop(0)
        if not path.exists():
            raise InputError(f"{name_of(path)}: no such file or folder")
        if path.is_file() and path.suffix.lower() == ".zip":
            if workdir is None:
                raise InputError(f"{path}: ZIP archives are read through ingest_paths")
            folder = extract_safely(path, workdir, shown_as=name_of(path))
            shown[folder] = name_of(path)
            pending.insert(0, folder)
            continue
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name.startswith("."):
                    continue
                if file.suffix.lower() == ".zip":
                    pending.append(file)
                    continue
                spec = forced or detect_format(file, formats)
                if spec is None:
                    skipped.append((name_of(file), "not a format kolmap recognises"))
                else:
                    chosen.append((file, spec))
        else:
            spec = forced or detect_format(path, formats)
            if spec is None:
                raise InputError(
                    f"{name_of(path)}: cannot tell which format this is; name a canonical "
                    "file accounts.csv, follows.csv, posts.csv or labels.csv (a prefix such "
                    "as x_posts.csv is fine), or give --format (see `kolmap formats`)"
                )
            chosen.append((path, spec))
    unique = list(dict.fromkeys(chosen))
    unique.sort(key=lambda item: (_order(item), name_of(item[0])))
    return unique, _sidecars_read(skipped, unique, name_of), {p: name_of(p) for p, _ in unique}


def _sidecars_read(
    skipped: list[tuple[str, str]],
    chosen: list[tuple[Path, FormatSpec]],
    name_of: Callable[[Path], str],
) -> list[tuple[str, str]]:
    """The skipped files, each that an edge list of its folder reads as its node names or
    roles said so (a user seeing "not a format kolmap recognises" beside node_names.csv
    would think the names were lost)."""
    lists = {
        name_of(path.parent): name_of(path) for path, spec in chosen if spec.name == "edge-list"
    }
    out = []
    for shown, reason in skipped:
        kind = sidecar_kind(Path(shown))
        edge_list = lists.get(str(Path(shown).parent))
        if kind is not None and edge_list is not None:
            reason = f"not read alone: {edge_list} reads it as its {kind}"
        out.append((shown, reason))
    return out


def _order(item: tuple[Path, FormatSpec]) -> int:
    """Canonical files in the order labels, accounts, posts, follows; other formats after."""
    path, spec = item
    if spec.name == "canonical":
        kind = detect_kind(path.name, [])
        return KINDS.index(kind) if kind else len(KINDS)
    return len(KINDS) + 1


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
    fmt: str | None = None,
    platform: str | None = None,
    owner: str | None = None,
    names: Mapping[str, str] | None = None,
) -> IngestSummary:
    """Read ``paths`` (files or folders) into ``store`` as one atomic run.

    ``fmt`` forces a format (else each file's is detected); ``platform`` and ``owner`` name
    the platform and the exporting account for exports whose files do not say them.
    ``names`` gives the name to report and record for an input path instead of the path
    (the app names uploads as the user's files, not the temporary copies it reads).
    """
    settings = settings or Settings()
    taxonomy = taxonomy or taxonomy_for(settings.ingest)
    encoding = encoding or settings.ingest.encoding
    tolerance = tolerance if tolerance is not None else settings.ingest.tolerance
    parse_tolerance(tolerance, 0)  # fail early on a malformed value
    # Archives are extracted here for the run and removed afterwards, whatever happens; a
    # run killed outright (kill -9) cannot, so the next run removes what it left.
    remove_stale_workdirs()
    workdir = work_folder()
    try:
        files, skipped, shown = discover_inputs(
            paths, fmt, settings.ingest.column_maps or None, Path(workdir.name), names
        )
        if not files:
            raise InputError(
                "no input files found in "
                + ", ".join(str(p) for p in paths)
                + "; expected canonical CSV files (accounts.csv, follows.csv, posts.csv, "
                "labels.csv) or an export kolmap recognises (see `kolmap formats`)"
            )
        options = ReadOptions(
            encoding=encoding,
            max_field_chars=settings.ingest.max_field_chars,
            platform=normalise_platform(platform) if platform else None,
            owner=owner,
        )
        started = time.perf_counter()
        now = datetime.now(UTC)
        run = RunInfo(
            run_id=stamped_id(now),
            started_at=now,
            inputs=[str(p) for p in paths],
            kolmap_version=__version__,
            areas={a.id: a.name for a in taxonomy.areas.values()},
        )
        qdir = (
            Path(quarantine_dir)
            if quarantine_dir
            else StoreLocation(store.location).quarantine_dir()
        )
        if qdir.exists() and not qdir.is_dir():
            raise InputError(f"{qdir}: not a folder; rejected rows are kept in a folder")
        quarantine = Quarantine(qdir, run.run_id)
        reports: list[FileReport] = []
        bulk = (
            # Bulk batches are larger: staging an Arrow batch has a fixed cost of ~50 ms.
            BulkReader(taxonomy, 5 * settings.ingest.batch_size)
            if settings.ingest.bulk_csv
            else None
        )
        row_parser = RowParser(taxonomy)
        derive = partial(derive_accounts, taxonomy=taxonomy, settings=settings)
        try:
            with store.ingest(run, derive, settings.ingest.memory_limit) as writer:
                for path, spec in files:
                    report = FileReport(shown[path], spec.name)
                    reports.append(report)
                    stager = _Stager(
                        writer, report, quarantine, taxonomy, settings.ingest.batch_size, progress
                    )
                    try:
                        if spec.unused is not None:
                            report.ignored_columns = spec.unused(path, options)
                        if not _stage_in_bulk(path, spec, options, stager, bulk, row_parser):
                            stager.stage_items(spec.read(path, options))
                    except KolmapError as err:
                        _rename_in(err, str(path), shown[path])
                        raise
                    stager.flush()
                rows_read = sum(r.rows_read for r in reports)
                if rows_read == 0:
                    raise InputError(
                        f"{', '.join(r.path for r in reports)}: no rows, only a header or "
                        "nothing at all; nothing to ingest (a run that reads nothing is "
                        "refused rather than reported as done)"
                    )
                allowed = parse_tolerance(tolerance, rows_read)
                if quarantine.count > allowed:
                    qpath = quarantine.close(suppressed=store.suppressed_names)
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
            if bulk is not None:
                bulk.close()
            row_parser.close()
            # A suppressed account's rejected rows are not kept in clear (T30).
            qpath = quarantine.close(suppressed=store.suppressed_names)
        notes = []
        if platform is None and any(r.format in NETWORK_FORMATS for r in reports):
            # Read after the commit: the store's other platforms may come from earlier runs.
            hint = platform_hint(store.accounts())
            notes += [hint] if hint else []
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
            notes=notes,
        )
    finally:
        workdir.cleanup()


_WORKDIR_PREFIX = "kolmap-ingest-"


def work_folder() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder for one run's files (extracted archives, the app's uploads),
    named after this process so that one left by a killed process is known as stale and
    removed by the next run (:func:`remove_stale_workdirs`)."""
    return tempfile.TemporaryDirectory(prefix=f"{_WORKDIR_PREFIX}{os.getpid()}-")


def remove_stale_workdirs(folder: Path | None = None) -> list[Path]:
    """Remove the extraction folders of ingest runs whose process is gone (their name
    carries the process id); the folders removed. ``folder``: the temporary folder."""
    base = Path(folder or tempfile.gettempdir())
    removed = []
    for path in base.glob(f"{_WORKDIR_PREFIX}*-*"):
        pid = path.name[len(_WORKDIR_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or not path.is_dir() or process_alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _rename_in(err: KolmapError, path: str, shown: str) -> None:
    """Name a file in an error as the run reports it (an archive member by its archive, an
    upload by its own name), not by the temporary path it was read from."""
    if path != shown and err.args and isinstance(err.args[0], str):
        err.args = (err.args[0].replace(path, shown), *err.args[1:])


class _Stager:
    """Stages one file's rows: counts them, quarantines rejections, enriches records and
    sends them to the writer in batches (in file order, or at ``first + line`` when a bulk
    read gave ``first``; see :mod:`kolmap.ingest.fast.bulk_csv`)."""

    def __init__(
        self,
        writer: IngestWriter,
        report: FileReport,
        quarantine: Quarantine,
        taxonomy: Taxonomy,
        batch_size: int,
        progress: Progress | None,
    ) -> None:
        self.writer = writer
        self.report = report
        self.quarantine = quarantine
        self.taxonomy = taxonomy
        self.batch_size = batch_size
        self.progress = progress
        self.first: int | None = None
        self.buffers: dict[str, list[dict[str, Any]]] = {}

    def stage_items(self, items: Iterable[Item]) -> None:
        report, name = self.report, self.report.path
        for item in items:
            if isinstance(item, Rejected):
                self.reject([item])
                continue
            report.rows_read += 1
            report.rows_accepted += 1
            for repair in item.repairs:
                report.repaired[repair] = report.repaired.get(repair, 0) + 1
            for kind, record in item.records:
                record["source_file"] = name
                record["source_line"] = item.line
                buffer = self.buffers.setdefault(kind, [])
                buffer.append(enrich(kind, record, self.taxonomy))
                report.records[kind] = report.records.get(kind, 0) + 1
                if len(buffer) >= self.batch_size:
                    self._send(kind)

    def stage_table(self, kind: str, table: pa.Table, lines: np.ndarray) -> None:
        """Rows already parsed and enriched in bulk, with their line numbers."""
        count = table.num_rows
        if not count:
            return
        assert self.first is not None
        table = table.append_column(
            "source_file", pa.array([self.report.path] * count, pa.string())
        )
        table = table.append_column("source_line", pa.array(lines))
        table = table.append_column("seq", pa.array(lines + self.first))
        self.writer.add_table(kind, table)
        self.report.rows_read += count
        self.report.rows_accepted += count
        self.report.records[kind] = self.report.records.get(kind, 0) + count
        if self.progress is not None:
            self.progress(self.report.path, count)

    def reject(self, rows: Sequence[Rejected]) -> None:
        """Quarantine rejected rows and count them as read."""
        for item in rows:
            self.quarantine.add(replace(item, file=self.report.path))
        self.report.rows_read += len(rows)
        self.report.rows_quarantined += len(rows)

    def flush(self) -> None:
        for kind in list(self.buffers):
            self._send(kind)

    def _send(self, kind: str) -> None:
        batch = self.buffers.pop(kind, [])
        if not batch:
            return
        if self.first is None:
            self.writer.add(kind, batch)
        else:
            self.writer.add(kind, batch, seq=[self.first + r["source_line"] for r in batch])
        if self.progress is not None:
            self.progress(self.report.path, len(batch))


def _stage_in_bulk(
    path: Path,
    spec: FormatSpec,
    options: ReadOptions,
    stager: _Stager,
    bulk: BulkReader | None,
    row_parser: RowParser,
) -> bool:
    """Stage a canonical file through the bulk reader when it can take that route (see
    :mod:`kolmap.ingest.fast.bulk_csv`); False when it must be read row by row."""
    if spec.name != "canonical":
        return False
    stager.report.ignored_columns = ignored_columns(path, options)
    if bulk is None or path.suffix.lower() != ".csv":
        return False
    if options.encoding not in ("auto", "utf-8", "utf8"):
        return False
    first = next(iter(parse_rows(open_lines(path, options.encoding), str(path))), None)
    if not isinstance(first, Header) or first.line != 1:
        return False
    kind = detect_kind(path.name, first.header)
    if kind is None or not bulk.supports(kind):
        return False
    check_header(kind, first.header, str(path), first.line)
    rows = simple_lines(path, len(first.header), options.max_field_chars)
    if rows is None:
        return False
    stager.first = stager.writer.reserve(rows + 2)
    name = str(path)
    rejected: list[Rejected] = []  # quarantined once the whole file has been read
    try:
        for batch in prefetched(bulk.read(path, kind, first.header)):
            stager.stage_table(kind, batch.table, batch.lines)
            for part in row_parser.parse(kind, name, batch.others):
                stager.stage_table(kind, part.table, part.lines)
                rejected.extend(part.rejected)
    except BulkReadError as err:
        # DuckDB refused something the checks let through: take the file back and read it
        # row by row, which reports its faults as it always has.
        _log.warning("%s: reading row by row (%s)", name, err)
        stager.writer.discard(kind, stager.first, rows + 2)
        stager.first = None
        report = stager.report
        report.rows_read = report.rows_accepted = report.rows_quarantined = 0
        report.records.clear()
        return False
    stager.reject(rejected)
    return True


def write_labels(
    store: GraphStore,
    labels: Sequence[dict[str, Any]],
    *,
    source: str = "user",
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Record user-verified labels (``platform, account_id, role, specialty, person_id,
    affiliation, employer``) as one ingest run, validated exactly like ``labels.csv`` rows;
    returns the merge counts. Roles derived from behaviour are derived again (a label can
    change who vouches for whom).

    Raises :class:`InputError` naming the first invalid label; nothing is written then.
    """
    settings = settings or Settings()
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
        run_id=stamped_id(now),
        started_at=now,
        inputs=[source],
        kolmap_version=__version__,
    )
    taxonomy = taxonomy_for(settings.ingest)
    derive = partial(derive_accounts, taxonomy=taxonomy, settings=settings)
    with store.ingest(run, derive) as writer:
        writer.add("labels", records)
        writer.note("rows_read", len(records))
        writer.note("quarantined", 0)
        stats: dict[str, Any] = writer.stats
    return stats
