"""A first load of a whole store into a new Neo4j database with Neo4j's offline importer.

Sending a graph through Cypher costs the server a transaction per batch (about 7,000
elements per second on a 2-core machine, docs/benchmarks.md); ``neo4j-admin database import
full`` writes the database files directly, an order of magnitude faster, but only into a
database that does not exist yet and on the server's own machine. :func:`write_import_files`
writes every table of a DuckDB store as the importer's CSV files (one per label or
relationship type, typed headers, the browsing relationships made in SQL exactly as
:mod:`.maps` makes them in Cypher), and :func:`run_import` runs the importer on them into a
*new* database: the live one is never touched, and the new one becomes current only once
the import succeeded (``CREATE DATABASE`` on Enterprise, ``initial.dbms.default_database`` and
a restart on Community; docs/neo4j.md). Read back, the imported graph has the same
fingerprint as the store (tests/test_neo4j_bulk.py).

>>> _header("created_at")
'created_at:datetime'
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kolmap.errors import StoreError
from kolmap.graph.duckdb.connection import Connection
from kolmap.graph.neo4j.maps import NODE_MAPS, POINTERS, REL_MAPS, RelMap, check_name
from kolmap.model import Relation
from kolmap.sqltext import sql_string
from kolmap.tables import TABLE, ColumnType, column_type

__all__ = ["ImportFiles", "run_import", "write_import_files"]

# Separates the parts of a composite node id and the items of a list value: a control
# character (U+001F) no text in a store holds; in SQL, and as the importer is told it.
_SEP_SQL = "chr(31)"
_ARRAY_DELIMITER = "U+001F"
_TYPES = {
    ColumnType.TEXT: "string",
    ColumnType.INT: "long",
    ColumnType.FLOAT: "double",
    ColumnType.BOOL: "boolean",
    ColumnType.TIME: "datetime",
    ColumnType.TEXT_LIST: "string[]",
    ColumnType.JSON: "string",
}


@dataclass(frozen=True)
class ImportFiles:
    """The importer's input: ``(label or type, file)`` pairs and the elements they hold."""

    folder: Path
    nodes: tuple[tuple[str, Path], ...]
    relationships: tuple[tuple[str, Path], ...]
    node_count: int
    relationship_count: int

    @property
    def elements(self) -> int:
        return self.node_count + self.relationship_count

    def arguments(self, database: str) -> list[str]:
        """``neo4j-admin database import full`` arguments for these files into
        ``database``: every bad entry fails the import (nothing is skipped)."""
        return [
            "database",
            "import",
            "full",
            database,
            *(f"--nodes={label}={path}" for label, path in self.nodes),
            *(f"--relationships={kind}={path}" for kind, path in self.relationships),
            f"--array-delimiter={_ARRAY_DELIMITER}",
            "--multiline-fields=true",
            "--bad-tolerance=0",
            "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false",
            f"--report-file={self.folder / 'import.report'}",
        ]


def _header(column: str) -> str:
    return f"{check_name(column)}:{_TYPES[column_type(column)]}"


def _value(column: str, alias: str = "") -> str:
    """SQL giving ``column`` as the importer reads it: instants as ISO text in UTC, lists
    joined by the array delimiter."""
    source = f"{alias}{column}"
    kind = column_type(column)
    if kind is ColumnType.TIME:
        return f"strftime({source} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')"
    if kind is ColumnType.TEXT_LIST:
        return f"array_to_string({source}, {_SEP_SQL})"
    if kind is ColumnType.JSON:
        return f"CAST({source} AS VARCHAR)"
    return source


def _node_id(label: str, columns: Sequence[str], alias: str = "") -> str:
    parts = ", ".join(f"CAST({alias}{c} AS VARCHAR)" for c in columns)
    return f"concat_ws({_SEP_SQL}, '{check_name(label)}', {parts})"


class _Writer:
    def __init__(self, db: Connection, folder: Path) -> None:
        self.db = db
        self.folder = folder
        self.nodes: list[tuple[str, Path]] = []
        self.relationships: list[tuple[str, Path]] = []
        self.node_count = 0
        self.relationship_count = 0

    def _copy(self, name: str, select: str) -> tuple[Path, int]:
        path = self.folder / f"{name}.csv"
        count = self.db.scalar(
            f"COPY ({select}) TO {sql_string(str(path))} (FORMAT csv, HEADER true, QUOTE '\"', "
            "ESCAPE '\"', NULLSTR '', FORCE_QUOTE *)"
        )
        return path, count

    def node_set(self, label: str, select: str) -> None:
        path, count = self._copy(f"nodes-{label}", select)
        if count:
            self.nodes.append((label, path))
            self.node_count += count

    def relationship_set(self, kind: str, select: str) -> None:
        path, count = self._copy(f"relationships-{kind}-{len(self.relationships)}", select)
        if count:
            self.relationships.append((kind, path))
            self.relationship_count += count


def _id(label: str) -> str:
    return f'":ID({label})"'


def _start(label: str) -> str:
    return f'":START_ID({label})"'


def _end(label: str) -> str:
    return f'":END_ID({label})"'


def _properties(columns: Sequence[str], alias: str = "") -> str:
    return ", ".join(f'{_value(c, alias)} AS "{_header(c)}"' for c in columns)


def write_import_files(db: Connection, folder: Path) -> ImportFiles:
    """Write the store behind ``db`` as ``neo4j-admin`` CSV files into the new folder
    ``folder`` (see module doc)."""
    folder = folder.resolve()  # the importer may run elsewhere: absolute paths
    if folder.exists() and any(folder.iterdir()):
        raise StoreError(f"{folder}: not empty; give a new folder for the import files")
    folder.mkdir(parents=True, exist_ok=True)
    out = _Writer(db, folder)
    for m in NODE_MAPS:
        columns = TABLE[m.table].columns
        out.node_set(
            m.label,
            f"SELECT {_node_id(m.label, m.key)} AS {_id(m.label)}, "
            f"{_properties(columns)} FROM {m.table}",
        )
    out.node_set(
        "Hashtag",
        f"SELECT DISTINCT {_node_id('Hashtag', ['tag'])} AS {_id('Hashtag')}, "
        'tag AS "tag:string" FROM post_hashtags',
    )
    out.node_set(
        "Person",
        f"SELECT DISTINCT {_node_id('Person', ['person_id'])} AS {_id('Person')}, "
        'person_id AS "person_id:string" FROM labels WHERE person_id IS NOT NULL',
    )
    out.node_set(
        "Author",
        f"SELECT DISTINCT {_node_id('Author', ['author_key'], 's.')} AS {_id('Author')}, "
        's.author_key AS "author_key:string" FROM authorships s '
        "JOIN works w ON w.work_key = s.work_key",
    )
    # The graph's version stamp (graph/neo4j/lease.py): the imported graph is a complete
    # version, so its users can read a scope's rows from it without copying it first.
    out.node_set(
        "KolmapMeta",
        f"SELECT 'KolmapMeta' AS {_id('KolmapMeta')}, 'graph' AS \"key:string\", "
        f"'v-{uuid.uuid4().hex}' AS \"version:string\"",
    )
    for rel in REL_MAPS:
        out.relationship_set(rel.type, _relationship_select(rel))
    for kind, select in _derived_selects():
        out.relationship_set(kind, select)
    return ImportFiles(
        folder,
        tuple(out.nodes),
        tuple(out.relationships),
        out.node_count,
        out.relationship_count,
    )


def _relationship_select(m: RelMap) -> str:
    (start_label, start_cols), (end_label, end_cols) = m.start, m.end
    ends = set(start_cols.values()) | set(end_cols.values())
    rest = [c for c in TABLE[m.table].columns if c not in ends]
    props = _properties(rest)
    start_keys = [start_cols[k] for k in _key_of(start_label)]
    end_keys = [end_cols[k] for k in _key_of(end_label)]
    return (
        f"SELECT {_node_id(start_label, start_keys)} AS {_start(start_label)}, "
        f"{_node_id(end_label, end_keys)} AS {_end(end_label)}"
        f"{', ' + props if props else ''} FROM {m.table}"
    )


def _key_of(label: str) -> tuple[str, ...]:
    for m in NODE_MAPS:
        if m.label == label:
            return m.key
    return {"Hashtag": ("tag",), "Person": ("person_id",), "Author": ("author_key",)}[label]


_POST_ID = _node_id("Post", ["platform", "post_id"], "p.")


def _derived_selects() -> list[tuple[str, str]]:
    """The browsing relationships (:data:`~kolmap.graph.neo4j.maps.FIRST_LOAD_DERIVED`) as
    SQL over the store's tables: the same ends, the same properties."""
    account = _node_id("Account", ["platform", "account_id"], "a.")
    label = _node_id("Label", ["platform", "account_id"], "l.")
    selects = [
        (
            Relation.POSTED.value,
            f"SELECT {account} AS {_start('Account')}, {_POST_ID} AS {_end('Post')} "
            "FROM posts p JOIN accounts a "
            "ON a.platform = p.platform AND a.account_id = p.author_id",
        )
    ]
    for kind, column, _index in POINTERS:
        target = _node_id("Post", ["platform", "post_id"], "q.")
        selects.append(
            (
                kind,
                f"SELECT {_POST_ID} AS {_start('Post')}, {target} AS {_end('Post')} "
                f"FROM posts p JOIN posts q ON q.platform = p.platform "
                f"AND q.post_id = p.{column}",
            )
        )
    selects += [
        (
            Relation.LABELS.value,
            f"SELECT {label} AS {_start('Label')}, {account} AS {_end('Account')} "
            "FROM labels l JOIN accounts a "
            "ON a.platform = l.platform AND a.account_id = l.account_id",
        ),
        (
            Relation.SAME_PERSON.value,
            f"SELECT {label} AS {_start('Label')}, "
            f"{_node_id('Person', ['person_id'], 'l.')} AS {_end('Person')} "
            "FROM labels l WHERE l.person_id IS NOT NULL",
        ),
        (
            Relation.AUTHORED.value,
            # One per author, work and rank, as MERGE on {author_rank} makes them.
            f"SELECT {_node_id('Author', ['author_key'], 's.')} AS {_start('Author')}, "
            f"{_node_id('Work', ['work_key'], 'w.')} AS {_end('Work')}, "
            's.author_rank AS "author_rank:long", any_value(s.position) AS "position:string" '
            "FROM authorships s JOIN works w ON w.work_key = s.work_key "
            "GROUP BY ALL",
        ),
        (
            Relation.CO_AUTHOR.value,
            f"""WITH pairs AS (
                  SELECT DISTINCT x.author_key AS a, y.author_key AS b, w.work_key,
                         year(w.published_on AT TIME ZONE 'UTC') AS year
                  FROM authorships x JOIN authorships y
                    ON y.work_key = x.work_key AND y.author_key > x.author_key
                  JOIN works w ON w.work_key = x.work_key)
                SELECT {_node_id("Author", ["a"])} AS {_start("Author")},
                       {_node_id("Author", ["b"])} AS {_end("Author")},
                       count(DISTINCT work_key) AS "count:long",
                       min(year) AS "first_year:long", max(year) AS "last_year:long"
                FROM pairs GROUP BY a, b""",
        ),
    ]
    return selects


def run_import(
    files: ImportFiles,
    database: str,
    *,
    admin: Sequence[str] | None = None,
    neo4j_home: Path | None = None,
) -> str:
    """Run ``neo4j-admin database import full`` on ``files`` into the new ``database``;
    returns the importer's output. ``admin`` is the command that runs ``neo4j-admin``
    (default: ``$NEO4J_HOME/bin/neo4j-admin``). The importer refuses a database that already
    holds data, and kolmap never passes ``--overwrite-destination``: a failed or refused
    import leaves every existing database as it was."""
    home = neo4j_home or (Path(os.environ["NEO4J_HOME"]) if "NEO4J_HOME" in os.environ else None)
    if admin is None:
        if home is None:
            raise StoreError(
                "no neo4j-admin: give the Neo4j server's home (--neo4j-home or $NEO4J_HOME) "
                "or the command that runs neo4j-admin"
            )
        admin = [str(home / "bin" / "neo4j-admin")]
    if shutil.which(admin[0]) is None:
        raise StoreError(f"{admin[0]}: neo4j-admin not found")
    env = {**os.environ, **({"NEO4J_HOME": str(home)} if home is not None else {})}
    done = subprocess.run(
        [*admin, *files.arguments(database)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        lines = [line for line in output.splitlines() if line.strip()]
        reason = next(
            (line for line in reversed(lines) if "rror" in line or "xception" in line),
            lines[-1] if lines else f"exit status {done.returncode}",
        )
        raise StoreError(
            f"neo4j-admin import into database {database!r} failed, nothing imported: "
            f"{reason.strip()} (files in {files.folder})"
        )
    return output
