"""Read large canonical CSV files (posts, follows, accounts) in bulk with DuckDB.

The row-by-row reader (:func:`~kolmap.ingest.formats.canonical.read_canonical`, then
:func:`~kolmap.ingest.enrich.enrich`) spends about 28 µs of Python on each row. This reader
gives the same records from one streaming DuckDB query per file: parsing, validation,
mentions, hashtags and area tags in SQL. It is exact by construction, not
by approximation:

- A file is read in bulk only when every physical line is one well-formed CSV record with
  the header's number of fields, valid UTF-8, no NUL byte and no blank line (one pass over
  the bytes, :func:`simple_lines`). Any other file goes to the row-by-row reader whole, which
  reports its problems as before.
- A row is finished in SQL only when each check the Python parser makes can be decided
  exactly there: ids and platforms in plain form, counts written as digits, ISO-8601 times,
  and text made only of characters on which DuckDB's regular expressions, lower-casing and
  accent stripping agree with Python's (verified character by character when the reader is
  built, :func:`safe_characters`). Every other row (a count written ``1 234``, a text in
  Greek, a bad id) goes with its values and line to the row-by-row parser, which accepts,
  repairs or quarantines it exactly as it always does.
- Rows keep their file order: the pipeline stages each one at ``first + line`` (see
  ``IngestWriter.reserve``), so of two rows with the same key the later still wins.

Accounts get their bio's areas here; their roles are inferred after the merge, from the
merged profiles, by :mod:`kolmap.ingest.roles` (whatever route read them).

>>> import tempfile, pathlib
>>> from kolmap.ingest.areas import load_taxonomy
>>> path = pathlib.Path(tempfile.mkdtemp()) / "posts.csv"
>>> _ = path.write_text("platform,post_id,author_id,text\\nx,1,7,Merci @DrX #ASCO26\\n")
>>> reader = BulkReader(load_taxonomy())
>>> batch = next(reader.read(path, "posts", ["platform", "post_id", "author_id", "text"]))
>>> row = batch.table.to_pylist()[0]
>>> row["mentions"], row["hashtags"], row["areas"], batch.lines.tolist()
(['DrX'], ['asco26'], ['oncology'], [2])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.formats.canonical import BOOL_FALSE as _FALSE
from kolmap.ingest.formats.canonical import BOOL_TRUE as _TRUE
from kolmap.ingest.text import code_point_ranges, fold, longest_first
from kolmap.model import PLATFORM_ALIASES

__all__ = [
    "BULK_KINDS",
    "BulkBatch",
    "BulkReadError",
    "BulkReader",
    "safe_characters",
    "simple_lines",
]

BULK_KINDS = ("posts", "follows", "accounts")

# Characters considered for the SQL route: printable ASCII and tab, Latin letters with their
# accents, general punctuation, currency, letterlike symbols, arrows, dingbats, emoji.
_CANDIDATE_RANGES = (
    (0x09, 0x09),
    (0x20, 0x7E),
    (0xA0, 0x24F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20C0),
    (0x2100, 0x214F),
    (0x2190, 0x2BFF),
    (0xFE0F, 0xFE0F),
    (0x1F000, 0x1FAFF),
)
_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"), ("’", "'"))
_WORD = r"\p{L}\p{N}_"  # Python's \w on the safe characters (checked in safe_characters)
_PY_WORD = re.compile(r"\w")
_PY_DIGIT = re.compile(r"\d")


def _sql_fold(expr: str) -> str:
    """SQL for :func:`kolmap.ingest.text.fold` of ``expr`` (exact on safe characters)."""
    for old, new in _LIGATURES:
        expr = f"replace({expr}, {_literal(old)}, {_literal(new)})"
    return f"lower(strip_accents({expr}))"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _char_class(chars: Sequence[str]) -> str:
    """An RE2 character class body listing ``chars`` as code-point ranges."""
    return "".join(
        f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in code_point_ranges(chars)
    )


@dataclass(frozen=True)
class SafeCharacters:
    """The characters the SQL route handles, and the classes built from them."""

    chars: str
    whitespace: str  # what Python's str.strip() removes among them
    folded_word: str  # non-ASCII word characters that folding can produce
    folded_whitespace: str  # what str.strip() removes among them and their folded forms


@cache
def safe_characters() -> SafeCharacters:
    """Candidate characters on which DuckDB and Python agree for everything the SQL route
    does with text: folding (ligatures, accents, case), lower-casing, word characters for
    hashtag, mention and keyword boundaries, and digits. Decided once per process, by asking DuckDB.

    >>> chars = safe_characters().chars
    >>> "é" in chars, "#" in chars, "\\u0301" in chars
    (True, True, False)
    """
    candidates = [chr(c) for a, b in _CANDIDATE_RANGES for c in range(a, b + 1)]
    folded = {c: fold(c) for c in candidates}
    probe = sorted(set(candidates) | {ch for f in folded.values() for ch in f})
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"""SELECT c, {_sql_fold("c")}, regexp_full_match(c, '[{_WORD}]'), lower(c)
                FROM unnest(?::VARCHAR[]) AS t(c)""",
            [probe],
        ).fetchall()
    finally:
        con.close()
    sql = {c: (fold_, word, lower) for c, fold_, word, lower in rows}

    def agrees(c: str) -> bool:
        _fold, word, lower = sql[c]
        return (
            bool(_PY_WORD.match(c)) == word
            and (c.isdigit() or bool(_PY_DIGIT.match(c))) == (c in "0123456789")
            and unicodedata.combining(c) == 0
            and lower == c.lower()  # platforms and mentions: lower-cased, not folded
        )

    safe = [
        c
        for c in candidates
        if agrees(c) and sql[c][0] == folded[c] and all(agrees(ch) for ch in folded[c])
    ]
    word_out = sorted(
        {ch for c in safe for ch in folded[c] if not ch.isascii() and _PY_WORD.match(ch)}
    )
    whitespace = {c for c in safe if c.isspace()}
    folded_space = {ch for c in safe for ch in folded[c] if ch.isspace()}
    return SafeCharacters(
        chars="".join(safe),
        whitespace="".join(sorted(whitespace)),
        folded_word="".join(word_out),
        folded_whitespace="".join(sorted(whitespace | folded_space)),
    )


_LONGEST_LINE = 1_000_000
# One CSV field, quoted or not, with no line break inside (RFC 4180, as Python's csv reads).
_FIELD = rb'(?:[^",\r\n]*|"(?:[^"\r\n]|"")*")'


def simple_lines(path: Path, columns: int, max_field_chars: int) -> int | None:
    """The number of data rows when every line after the header is one well-formed record
    of ``columns`` fields (valid UTF-8, no NUL, no blank line, none longer than
    ``max_field_chars`` nor 1 MB, the header's line ending throughout); None when the file
    needs the row-by-row reader.

    Under these conditions DuckDB's CSV parser and Python's read the same fields, and a
    row's line number is its position plus one. The checks run on 16 MB chunks with array
    operations (a Python loop over lines would cost more than the bulk read, see
    :func:`_records_per_line`).
    """
    bad_line = _bad_line_pattern(columns)
    # A line no longer than this many bytes has no field over max_field_chars characters,
    # and stays under DuckDB's max_line_size (2 MB); longer lines are read row by row.
    longest = min(max_field_chars, _LONGEST_LINE)
    rows = 0
    with path.open("rb") as fh:
        header = fh.readline()  # already read by the caller
        if header.count(b'"') % 2:
            return None  # a quoted line break: the header runs over several lines
        crlf = header.endswith(b"\r\n")
        while chunk := fh.read(1 << 24):
            chunk += fh.readline()  # end the chunk at a line end
            newlines = chunk.count(b"\n")
            returns = chunk.count(b"\r")
            if returns != (chunk.count(b"\r\n") if crlf else 0):
                return None  # a bare carriage return, or mixed line endings
            if crlf and returns != newlines:
                return None
            if b"\x00" in chunk or not _records_per_line(chunk, columns, longest, bad_line):
                return None
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                return None
            rows += newlines + (0 if chunk.endswith(b"\n") else 1)
    return rows


def _bad_line_pattern(columns: int) -> re.Pattern[bytes]:
    """Finds a line (not the empty end of a chunk) that is not one record of ``columns``
    fields."""
    return re.compile(
        rb"^(?!\Z)(?!" + _FIELD + rb"(?:," + _FIELD + rb"){%d}\r?$)" % (columns - 1), re.M
    )


def _records_per_line(
    chunk: bytes, columns: int, longest: int, bad_line: re.Pattern[bytes]
) -> bool:
    r"""Whether every line of ``chunk`` (a bare carriage return only before a line feed) is
    one record of ``columns`` fields and at most ``longest`` bytes long: what ``bad_line``
    decides, but with the regular expression run only on the lines that hold a quote. A
    line without one is a record exactly when it has ``columns - 1`` commas, which array
    operations count for all lines at once.

    >>> pattern = _bad_line_pattern(2)
    >>> _records_per_line(b'1,2\n3,"a, ""b"" c"\n', 2, 100, pattern)
    True
    >>> _records_per_line(b'1,2\n3,4,5\n', 2, 100, pattern)
    False
    >>> _records_per_line(b'1,a"b\n', 2, 100, pattern)
    False
    """
    data = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(chunk)]))
    if starts[-1] == len(chunk):  # the empty end after the last line feed is no line
        starts, stops = starts[:-1], stops[:-1]
    if len(starts) and int((stops - starts).max()) > longest:
        return False

    def per_line(byte: str) -> np.ndarray:
        at = np.flatnonzero(data == ord(byte))
        return np.searchsorted(at, stops) - np.searchsorted(at, starts)

    commas = per_line(",")
    quoted = per_line('"') > 0
    if np.any((commas != columns - 1) & ~quoted):
        return False
    lines = np.flatnonzero(quoted).tolist()
    if not lines:
        return True
    sample = b"\n".join(chunk[starts[i] : stops[i]] for i in lines) + b"\n"
    return bad_line.search(sample) is None


@dataclass
class BulkBatch:
    """Part of a file: the rows finished in SQL (``table``, the record columns without
    provenance, and their ``lines``) and the other rows, as ``(line, values)`` for the
    row-by-row parser."""

    table: pa.Table
    lines: np.ndarray
    others: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class BulkReadError(Exception):
    """DuckDB could not read a file that passed :func:`simple_lines`; the caller discards
    what it staged of the file and reads it row by row."""


class BulkReader:
    """Streams canonical posts, follows and accounts files through DuckDB; see the module
    docstring. One reader serves a whole ingest run (it keeps its own in-memory DuckDB)."""

    def __init__(self, taxonomy: Taxonomy, batch_size: int = 250_000) -> None:
        self.taxonomy = taxonomy
        self.batch_size = batch_size  # rows per Arrow batch; each insert costs ~50 ms extra
        self.safe = safe_characters()
        self.con = duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")

    def close(self) -> None:
        self.con.close()

    def supports(self, kind: str) -> bool:
        """Whether files of ``kind`` can take the bulk route with this taxonomy: for posts
        and accounts, every keyword (and for accounts every specialty) must be ASCII, begin
        and end with a word character and hold no "_" (so that RE2's \\b stands exactly for
        Python's look-arounds, see ``_keyword_matches``)."""
        if kind not in BULK_KINDS:
            return False
        words = list(self.taxonomy.keyword_areas()) if kind != "follows" else []
        if kind == "accounts":
            words += self.taxonomy.specialty_areas()
        return all(
            k.isascii() and _PY_WORD.match(k[0]) and _PY_WORD.match(k[-1]) and "_" not in k
            for k in words
        )

    def read(self, path: Path, kind: str, header: Sequence[str]) -> Iterator[BulkBatch]:
        """Batches of ``path`` (a canonical ``kind`` file with this ``header``, already
        checked by :func:`simple_lines`), in file order."""
        if kind not in BULK_KINDS:
            raise ValueError(f"no bulk reader for {kind}")
        names = [f"c{i}" for i in range(len(header))]
        cursor = self.con.cursor()
        source = cursor.read_csv(
            str(path),
            header=True,
            columns=dict.fromkeys(names, "VARCHAR"),
            auto_detect=False,
            delimiter=",",
            quotechar='"',
            escapechar='"',
            strict_mode=True,
            null_padding=False,
            encoding="utf-8",
        )
        query = _Query(self.safe, header)
        if kind == "posts":
            self._posts(query)
        elif kind == "follows":
            _follows(query)
        else:
            self._accounts(query)
        cursor.register("_bulk_source", source)
        try:
            reader = cursor.sql(
                query.sql("_bulk_source"), params=query.params if query.out else None
            ).to_arrow_reader(self.batch_size)
            # DuckDB hands out batches of about 90k rows whatever is asked; a staging insert
            # costs ~50 ms more per statement, so batches are joined up to batch_size rows.
            line, pending, held = 2, [], 0
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    break
                except (duckdb.Error, pa.ArrowException) as err:
                    raise BulkReadError(f"{path}: {str(err).splitlines()[0]}") from err
                pending.append(batch)
                held += batch.num_rows
                if held >= self.batch_size:
                    yield _split(pa.Table.from_batches(pending), names, header, line)
                    line, pending, held = line + held, [], 0
            if pending:
                yield _split(pa.Table.from_batches(pending), names, header, line)
        finally:
            cursor.close()

    @staticmethod
    def _created_at(query: _Query, column: str) -> None:
        """An ISO-8601 time column, as ``parse_post``/``parse_account`` read it."""
        created = query.get(column)
        iso = (
            r"\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{3}|\.\d{6})?"
            r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
        )
        query.checks.append(
            f"({created} IS NULL OR (regexp_full_match({created}, '{iso}') "
            f"AND TRY_CAST({created} AS TIMESTAMPTZ) IS NOT NULL))"
        )
        query.out[column] = f"TRY_CAST({created} AS TIMESTAMPTZ)"

    def _posts(self, query: _Query) -> None:
        """Posts as :func:`~kolmap.ingest.formats.canonical.parse_post` and ``enrich`` make them.
        Each derived list is computed once, in stages (see :class:`_Query`)."""
        query.platform()
        query.id("post_id", required=True)
        query.id("author_id", required=True)
        self._created_at(query, "created_at")
        query.out["text"] = query.get("text")
        for ref in ("reply_to_post_id", "repost_of_post_id", "quote_of_post_id"):
            query.id(ref, required=False)
            query.checks.append(f"{query.out[ref]} IS DISTINCT FROM {query.out['post_id']}")
        for count in ("likes", "reposts", "replies"):
            value = query.get(count)
            query.checks.append(f"({value} IS NULL OR regexp_full_match({value}, '[0-9]{{1,18}}'))")
            query.out[count] = f"TRY_CAST({value} AS BIGINT)"
        query.out["lang"] = query.get("lang")
        word = _WORD
        text = f"COALESCE({query.get('text')}, '')"
        # Stage 1: the raw matches and the folded text.
        query.let(
            "b_mentions",
            f"regexp_extract_all({text}, '(?:^|[^{word}@/])@([A-Za-z0-9_]"
            f"(?:[A-Za-z0-9_.-]{{0,98}}[A-Za-z0-9_])?)', 1)",
        )
        _raw_hashtags(query, text, "b_tags")
        query.let("b_folded", _sql_fold(text))
        # Stage 2: folded tags, keyword matches, lower-cased mentions.
        query.then()
        _folded_hashtags(query, "b_tags", "b_tags_f")
        query.let("b_mentions_lc", "list_transform(b_mentions, lambda y: lower(y))")
        query.let("b_words", self._keyword_matches(query, "b_folded"))
        # Stage 3: each once, in order of first use.
        query.then()
        query.let(
            "b_hashtags", "list_filter(b_tags_f, lambda t, i: list_position(b_tags_f, t) = i)"
        )
        query.let(
            "b_mentions_u",
            "list_filter(b_mentions, lambda x, i: list_position(b_mentions_lc, lower(x)) = i)",
        )
        # Stage 4: congress names of the hashtags.
        query.then()
        query.let("b_congress", self._congress_names(query, "b_hashtags"))
        query.out["mentions"] = (
            f"CASE WHEN {query.out['repost_of_post_id']} IS NOT NULL THEN []::VARCHAR[] "
            "ELSE b_mentions_u END"
        )
        query.out["hashtags"] = "b_hashtags"
        query.out["areas"] = self._areas(query, "b_words", "b_hashtags", "b_congress")
        query.out["reference"] = "NULL::BOOLEAN"

    def _accounts(self, query: _Query) -> None:
        """Accounts as :func:`~kolmap.ingest.formats.canonical.parse_account` and ``enrich`` make
        them (see :meth:`_bio_areas`)."""
        query.platform()
        query.id("account_id", required=True)
        handle = query.get("handle")
        bare = f"CASE WHEN starts_with({handle}, '@') THEN substr({handle}, 2) ELSE {handle} END"
        handle_chars = [c for c in self.safe.chars if not re.match(r"[\s@]", c)]
        query.checks.append(
            f"({handle} IS NULL OR regexp_full_match({bare}, "
            f"{query.param(f'[{_char_class(handle_chars)}]{{1,100}}')}))"
        )
        query.out["handle"] = bare
        for column in ("display_name", "bio"):
            query.out[column] = query.get(column)
        for count in ("followers", "following"):
            value = query.get(count)
            query.checks.append(f"({value} IS NULL OR regexp_full_match({value}, '[0-9]{{1,18}}'))")
            query.out[count] = f"TRY_CAST({value} AS BIGINT)"
        for column in ("location", "lang", "url"):
            query.out[column] = query.get(column)
        verified = f"lower({query.get('verified')})"
        known = query.param(sorted(_TRUE | _FALSE))
        query.checks.append(
            f"({verified} IS NULL OR list_contains({known}::VARCHAR[], {verified}))"
        )
        query.out["verified"] = (
            f"CASE WHEN {verified} IS NULL THEN NULL::BOOLEAN "
            f"ELSE list_contains({query.param(sorted(_TRUE))}::VARCHAR[], {verified}) END"
        )
        self._created_at(query, "created_at")
        self._bio_areas(query)

    def _bio_areas(self, query: _Query) -> None:
        """The bio's areas as ``enrich`` finds them: keywords, disease and congress hashtags,
        and the area of a named specialty. Roles are inferred after the merge (see
        :mod:`kolmap.ingest.roles`).

        A row is finished here only when its folded bio holds no word character outside
        ASCII, where RE2's ASCII ``\\b`` and ``\\w`` are Python's."""
        bio = query.get("bio")
        # Stage 1: the folded bio and its hashtags.
        query.let("a_bio_f", _sql_fold(f"COALESCE({bio}, '')"))
        _raw_hashtags(query, f"COALESCE({bio}, '')", "a_tags")
        query.then()
        _folded_hashtags(query, "a_tags", "a_tags_f")
        query.let("a_words", self._keyword_matches(query, "a_bio_f"))
        query.let("a_spec", self._specialty(query, "a_bio_f"))
        query.then()
        if self.safe.folded_word:
            cls = query.param(f"[{_char_class(self.safe.folded_word)}]")
            query.checks.append(f"NOT regexp_matches(a_bio_f, {cls})")
        query.let("a_congress", self._congress_names(query, "a_tags_f"))
        query.then()
        spec_area = query.lookup("a_spec", self.taxonomy.specialty_areas())
        areas = self._areas(query, "a_words", "a_tags_f", "a_congress")
        # Nothing is derived for an account with neither bio nor name.
        none = f"{bio} IS NULL AND {query.get('display_name')} IS NULL"
        query.out["bio_areas"] = (
            f"CASE WHEN {none} THEN NULL ELSE list_sort(list_distinct(list_concat({areas}, "
            f"CASE WHEN a_spec <> '' THEN [{spec_area}] ELSE []::VARCHAR[] END))) END"
        )
        query.out["reference"] = "NULL::BOOLEAN"

    def _specialty(self, query: _Query, folded: str) -> str:
        """SQL for the first specialty named in ``folded`` text, or '' (as ``specialty_of``)."""
        names = list(self.taxonomy.specialty_areas())
        if not names:
            return "''"
        body = "|".join(_re2_escape(k) for k in longest_first(names))
        pattern = query.param(r"\b(" + body + r")(?:s|x)?\b")
        return f"regexp_extract({folded}, {pattern}, 1)"

    def _keyword_matches(self, query: _Query, folded: str) -> str:
        """SQL for the taxonomy keywords found in ``folded`` text, as ``tag_text`` finds
        them (whole words, longest first, an optional plural s or x), each as the text it
        matched: :meth:`_areas` knows the keyword behind each possible match (see
        :func:`_longest_phrase_of`), and RE2 finds whole matches three times faster than
        it captures a group.

        RE2's \\b stands for Python's look-arounds because every keyword begins and ends
        with a word character (see :meth:`supports`); non-ASCII word characters of the
        folded text become "_" (never in a keyword), so that RE2's ASCII \\b sees the same
        boundaries as Python's Unicode ones."""
        keywords = longest_first(list(self.taxonomy.keyword_areas()))
        if not keywords:
            return "[]::VARCHAR[]"
        body = "|".join(_re2_escape(k) for k in keywords)
        if self.safe.folded_word:
            cls = query.param(f"[{_char_class(self.safe.folded_word)}]")
            folded = f"regexp_replace({folded}, {cls}, '_', 'g')"
        pattern = query.param(r"\b(?:" + body + r")(?:s|x)?\b")
        return f"regexp_extract_all({folded}, {pattern})"

    def _congress_names(self, query: _Query, hashtags: str) -> str:
        """SQL for the congress name (or '') each of ``hashtags`` names, with or without
        a year (as the taxonomy's congress pattern)."""
        names = sorted(self.taxonomy.congress_areas(), key=len, reverse=True)
        if not names:
            return "[]::VARCHAR[]"
        pattern = "^(" + "|".join(_re2_escape(n) for n in names) + r")((?:19|20)?\d\d)?$"
        return f"list_transform({hashtags}, lambda t: regexp_extract(t, {query.param(pattern)}, 1))"

    def _areas(self, query: _Query, words: str, hashtags: str, congress_names: str) -> str:
        """SQL for the sorted area ids of a post: its keywords, disease hashtags and
        congress hashtags (as ``tag_text`` and ``tag_hashtags``)."""
        tax = self.taxonomy
        keyword_of = _longest_phrase_of(tax.keyword_areas(), ("", "s", "x"))
        keywords = {match: tax.keyword_areas()[k] for match, k in keyword_of.items()}
        found = [
            _lookup(query, listed, mapping)
            for listed, mapping in (
                (words, keywords),
                (hashtags, tax.hashtag_areas()),
                (congress_names, tax.congress_areas()),
            )
            if mapping
        ]
        if not found:
            return "[]::VARCHAR[]"
        return f"list_sort(list_distinct(list_concat({', '.join(found)})))"


def _raw_hashtags(query: _Query, text: str, name: str) -> None:
    """Let ``name`` be the hashtags of ``text`` as ``extract_hashtags`` finds them (each run
    of word characters whole; see :func:`_folded_hashtags`)."""
    word = _WORD
    query.let(name, f"regexp_extract_all({text}, '(?:^|[^{word}#&/])#([{word}]+)', 1)")


def _folded_hashtags(query: _Query, raw: str, name: str) -> None:
    """Let ``name`` be the hashtags ``raw`` folded, all-digit tags left out. Python's
    \\w{1,139} takes the first 139 characters of a longer run; RE2 is far slower with a
    bounded repeat of a Unicode class, so the run is taken whole and cut here."""
    query.let(
        name,
        f"list_transform(list_filter(list_transform({raw}, lambda t: left(t, 139)), "
        f"lambda t: NOT regexp_full_match(t, '[0-9]+')), lambda t: {_sql_fold('t')})",
    )


def _longest_phrase_of(phrases: Iterable[str], endings: Sequence[str]) -> dict[str, str]:
    """Each text a phrase with one of its ``endings`` can match, and the phrase that gives
    it: the longest that can, which is the one a longest-first alternation tried first.

    >>> _longest_phrase_of(["nurse", "nurses", "nurs"], ("", "s", "es"))["nurses"]
    'nurses'
    >>> _longest_phrase_of(["nurse", "nurs"], ("", "s", "es"))["nurses"]
    'nurse'
    """
    phrase_of: dict[str, str] = {}
    for phrase in phrases:
        for ending in endings:
            if len(phrase) > len(phrase_of.get(phrase + ending, "")):
                phrase_of[phrase + ending] = phrase
    return phrase_of


def _re2_edges(body: str) -> str:
    """A regex body whose every match begins and ends with a word character, as whole
    words in RE2 (``\\b`` is then Python's ``(?<![\\w])`` and ``(?![\\w])``)."""
    return r"\b(" + body + r")\b"


def _lookup(query: _Query, listed: str, mapping: Mapping[str, set[str]]) -> str:
    """SQL for the areas that the strings of list ``listed`` point to in ``mapping``."""
    areas = query.lookup("w", {k: sorted(v) for k, v in mapping.items()}, "VARCHAR[]")
    return (
        f"flatten(list_filter(list_transform({listed}, lambda w: {areas}), "
        "lambda a: a IS NOT NULL))"
    )


def _re2_escape(text: str) -> str:
    """``text`` as a literal in an RE2 pattern (ASCII punctuation escaped)."""
    return "".join("\\" + c if not c.isalnum() and c != " " and c.isascii() else c for c in text)


class _Query:
    """One file's bulk query: record columns ``r_<name>`` (``out``), the checks that decide
    the SQL route (``fast``) and the parameters. Intermediate columns are computed in
    stages (``let``, ``then``), each a projection over the previous one, so that a value
    used many times (a post's hashtags) is computed once."""

    def __init__(self, safe: SafeCharacters, header: Sequence[str]) -> None:
        self.header = list(header)
        self.params: list[Any] = []
        self.out: dict[str, str] = {}
        self.checks: list[str] = []
        whitespace = self.param(safe.whitespace)
        allowed = self.param(f"[{_char_class(safe.chars)}]*")
        self.stripped: dict[str, str] = {}
        self.stages: list[list[tuple[str, str]]] = [[], []]
        for i, name in enumerate(header):
            self.stripped[name] = f"s{i}"
            # trim() only when an end is white: a third of its cost on this common case.
            ends = (
                f"contains({whitespace}, left(c{i}, 1)) OR contains({whitespace}, right(c{i}, 1))"
            )
            stripped = f"CASE WHEN {ends} THEN trim(c{i}, {whitespace}) ELSE c{i} END"
            self.stages[0].append((f"s{i}", f"NULLIF({stripped}, '')"))
        every = ", ".join(f"c{i}" for i in range(len(header)))
        self.checks.append(f"regexp_full_match(concat({every}), {allowed})")

    def let(self, name: str, expr: str) -> None:
        """Define column ``name`` in the current stage (it may use earlier stages)."""
        self.stages[-1].append((name, expr))

    def then(self) -> None:
        """Start a new stage."""
        self.stages.append([])

    def sql(self, source: str) -> str:
        """The whole query over ``source``: the raw columns, ``r_*`` and ``fast``."""
        raw = ", ".join(f"c{i}" for i in range(len(self.header)))
        if not self.out:
            return f"SELECT {raw}, FALSE AS fast FROM {source}"
        inner = source
        for stage in self.stages:
            if stage:
                defs = ", ".join(f"{expr} AS {name}" for name, expr in stage)
                inner = f"(SELECT *, {defs} FROM {inner})"
        columns = ", ".join(f"{expr} AS r_{name}" for name, expr in self.out.items())
        return (
            f"SELECT {raw}, {columns}, ({' AND '.join(self.checks)}) IS TRUE AS fast FROM {inner}"
        )

    def param(self, value: Any) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def lookup(self, key: str, mapping: Mapping[str, Any], sql_type: str = "VARCHAR") -> str:
        """SQL for ``mapping[key]`` (NULL for a key it lacks), the mapping passed as two
        parameter lists; ``sql_type`` is the SQL type of its values."""
        keys = sorted(mapping)
        values = self.param([mapping[k] for k in keys])
        return (
            f"list_extract({values}::{sql_type}[], "
            f"list_position({self.param(keys)}::VARCHAR[], {key}))"
        )

    def get(self, name: str) -> str:
        """A column's value as Python's parser sees it: stripped, empty as NULL."""
        return self.stripped.get(name, "NULL::VARCHAR")

    def platform(self) -> None:
        """As :func:`kolmap.model.normalise_platform`."""
        lowered = f"lower({self.get('platform')})"
        platform = f"COALESCE({self.lookup(lowered, PLATFORM_ALIASES)}, {lowered})"
        self.checks.append(
            f"regexp_full_match(COALESCE({platform}, ''), '[a-z0-9][a-z0-9_.-]{{0,31}}')"
        )
        self.out["platform"] = platform

    def id(self, name: str, *, required: bool) -> None:
        """A platform id: not a handle (``@``), at most 300 characters."""
        expr = self.get(name)
        test = f"(NOT starts_with({expr}, '@') AND length({expr}) <= 300)"
        self.checks.append(
            f"({expr} IS NOT NULL AND {test})" if required else f"({expr} IS NULL OR {test})"
        )
        self.out[name] = expr


def _follows(query: _Query) -> None:
    query.platform()
    query.id("follower_id", required=True)
    query.id("followed_id", required=True)
    query.checks.append(f"{query.out['follower_id']} <> {query.out['followed_id']}")


def _split(batch: pa.Table, names: list[str], header: Sequence[str], first_line: int) -> BulkBatch:
    """Separate the rows finished in SQL from those for the row-by-row parser."""
    fast = batch.column("fast")
    lines = np.arange(first_line, first_line + batch.num_rows, dtype=np.int64)
    mask = np.asarray(fast.to_numpy(), dtype=bool)
    outputs = [n for n in batch.schema.names if n.startswith("r_")]
    table = batch.select(outputs).filter(fast)
    table = table.rename_columns([n[2:] for n in outputs])
    others: list[tuple[int, dict[str, str]]] = []
    if not mask.all():
        rest = batch.select(names).filter(pa.compute.invert(fast)).to_pylist()
        for number, row in zip(lines[~mask].tolist(), rest, strict=True):
            others.append((number, {h: row[n] or "" for h, n in zip(header, names, strict=True)}))
    return BulkBatch(table=table, lines=lines[mask], others=others)
