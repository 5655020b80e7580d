"""Reading delimited files: encodings, structure faults, line numbers (reliability T01-T10)."""

from pathlib import Path

import pytest

from kolmap.errors import InputError
from kolmap.ingest.io.rows import Header, Rejected, Row, open_lines, parse_rows

from .conftest import write


def rows_of(path: Path, **kw):
    return list(parse_rows(open_lines(path, kw.pop("encoding", "auto")), path.name, **kw))


def test_bom_is_removed_from_the_header(tmp_path):
    path = write(tmp_path, "a.csv", "\ufeffplatform,account_id\nx,1\n")
    items = rows_of(path)
    assert items[0] == Header(["platform", "account_id"], 1)
    assert items[1] == Row(2, {"platform": "x", "account_id": "1"})


def test_cp1252_is_refused_with_offset_line_and_hint(tmp_path):
    path = write(
        tmp_path,
        "fr.csv",
        "platform,bio\nx,Hôpital Européen\nx,Cœur 1 234,56 €\n",
        encoding="cp1252",
    )
    with pytest.raises(InputError) as err:
        rows_of(path)
    message = str(err.value)
    assert "fr.csv line 2" in message
    assert "byte 16" in message
    assert "--encoding cp1252" in message
    assert "--encoding" in message


def test_cp1252_decodes_exactly_when_named(tmp_path):
    path = write(tmp_path, "fr.csv", "platform,bio\nx,Cœur € é\n", encoding="cp1252")
    items = rows_of(path, encoding="cp1252")
    assert items[1].values["bio"] == "Cœur € é"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\n\n", "empty file"),
        (b"PK\x03\x04rest-of-zip", "looks like a ZIP archive or an XLSX"),
        (b"%PDF-1.7\n", "looks like a PDF"),
        ("platform\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_empty_and_wrong_files_get_distinct_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        rows_of(path)


def test_header_only_file_yields_no_rows(tmp_path):
    path = write(tmp_path, "h.csv", "platform,account_id\n")
    assert rows_of(path) == [Header(["platform", "account_id"], 1)]


def test_ragged_rows_are_rejected_with_their_line(tmp_path):
    body = "a,b,c\n" + "1,2,3\n" * 3 + "1,2,3,4,5\n" + "1,2\n" + "7,8,9\n"
    path = write(tmp_path, "r.csv", body)
    items = rows_of(path)
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [(r.line, r.reason) for r in rejected] == [
        (5, "expected 3 fields, got 5"),
        (6, "expected 3 fields, got 2"),
    ]
    assert rejected[0].raw == "1,2,3,4,5\n"
    assert sum(isinstance(i, Row) for i in items) == 4


def test_multiline_quoted_field_is_kept_and_lines_stay_right(tmp_path):
    path = write(tmp_path, "m.csv", 'a,b\n1,"line one\nline two"\n2,x\n')
    items = rows_of(path)
    assert items[1] == Row(2, {"a": "1", "b": "line one\nline two"})
    assert items[2] == Row(4, {"a": "2", "b": "x"})


def test_unterminated_quote_is_fatal_and_names_the_opening_line(tmp_path):
    path = write(tmp_path, "q.csv", 'a,b\n1,ok\n2,"never closed\n3,x\n')
    with pytest.raises(InputError, match=r"q\.csv line 3: unterminated quoted field"):
        rows_of(path)


def test_huge_field_is_quarantined_not_a_traceback(tmp_path):
    path = write(tmp_path, "big.csv", "a,b\n1," + "x" * 500_000 + "\n2,y\n")
    items = rows_of(path, max_field_chars=100_000)
    assert isinstance(items[1], Rejected)
    assert "500,000 characters" in items[1].reason
    assert items[2] == Row(3, {"a": "2", "b": "y"})
    assert len(rows_of(path)[1].values["b"]) == 500_000  # under the default limit: stored


def test_nul_byte_row_is_rejected(tmp_path):
    path = write(tmp_path, "n.csv", "a,b\n1,ok\n2,bad\x00value\n3,fine\n")
    items = rows_of(path)
    assert [type(i).__name__ for i in items] == ["Header", "Row", "Rejected", "Row"]


def test_duplicate_header_names_are_an_error(tmp_path):
    path = write(tmp_path, "d.csv", "a,A\n1,2\n")
    with pytest.raises(InputError, match="duplicate column names"):
        rows_of(path)


def test_crlf_line_endings(tmp_path):
    path = write(tmp_path, "w.csv", "a,b\r\n1,2\r\n3,4\r\n")
    assert [i.values for i in rows_of(path)[1:]] == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16le", "utf-16-be", "utf-32"])
def test_wide_encodings_are_read_line_by_line(tmp_path, encoding):
    """UTF-16 and UTF-32 files were split on the byte b"\\n" before decoding: `utf-16` was
    refused with a traceback and `utf-16le` mis-split its lines."""
    text = 'platform,account_id,bio\r\nx,1,Cardiologue à Créteil\r\nx,2,"two\nlines"\r\n'
    path = tmp_path / "accounts.csv"
    path.write_bytes(text.encode(encoding))
    rows = list(parse_rows(open_lines(path, encoding), str(path)))
    assert [list(r.values.values()) for r in rows[1:]] == [["x", "1", "Cardiologue à Créteil"],
                                                          ["x", "2", "two\nlines"]]  # fmt: skip


def test_a_file_that_is_not_the_wide_encoding_named_is_a_clear_error(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"platform,account_id\nx,1\n")
    with pytest.raises(InputError, match=r"accounts.csv line 1: not valid utf-16"):
        list(open_lines(path, "utf-16"))
