"""PubMed / MEDLINE files: the XML ``PubmedArticleSet`` (efetch, "Save → PubMed XML") and the
MEDLINE tagged text (``.nbib``, "Save → PubMed format"), read into work and authorship
records (:mod:`kolmap.ingest.science.records` declares them).

From each article kolmap keeps the PMID, DOI, title, journal, publication date, publication
types, MeSH descriptors, and each author with position, ORCID and first affiliation. An
article without a PMID or without authors is rejected with its line; a file that is not
well-formed XML is an :class:`~kolmap.errors.InputError` naming the file and line. The XML
is read with ``defusedxml`` (no entity expansion, no external fetches) one article at a time.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.nbib"
>>> _ = p.write_text("PMID- 101\\nTI  - Lupus nephritis outcomes.\\nDP  - 2024 Mar 5\\n"
...     "FAU - Dubois, Claire\\nAU  - Dubois C\\nAD  - CHU de Bordeaux, Bordeaux, France.\\n"
...     "MH  - Lupus Nephritis/*drug therapy\\nPT  - Journal Article\\n")
>>> [kind for item in read_nbib(p) for kind, _ in item.records]
['works', 'authorships']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from kolmap.errors import InputError
from kolmap.ingest.formats.spec import Item, Parsed
from kolmap.ingest.io.rows import Rejected
from kolmap.ingest.science.names import normalise_orcid
from kolmap.ingest.science.records import authorship, work

__all__ = ["read_nbib", "read_pubmed_xml", "sniff_nbib", "sniff_pubmed_xml"]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def sniff_pubmed_xml(head: bytes) -> bool:
    return b"<PubmedArticleSet" in head or b"<PubmedArticle>" in head


def sniff_nbib(head: bytes) -> bool:
    return re.search(rb"(?m)^PMID- ?\d", head) is not None


def parse_date(text: str | None) -> datetime | None:
    """A PubMed date ("2024 Mar 5", "2024 Mar-Apr", "2023", "2024-03-05") at its first day.

    >>> parse_date("2024 Mar-Apr").date().isoformat()
    '2024-03-01'
    """
    if not text:
        return None
    m = re.match(r"\s*(\d{4})(?:[-/ ](\w{1,9}))?(?:[-/ ](\d{1,2}))?", text)
    if not m:
        return None
    year, month_text, day_text = m.groups()
    month = 1
    if month_text:
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].lower(), 1)
    day = int(day_text) if day_text else 1
    try:
        return datetime(int(year), max(1, min(month, 12)), day, tzinfo=UTC)
    except ValueError:
        return datetime(int(year), max(1, min(month, 12)), 1, tzinfo=UTC)


# -- XML ----------------------------------------------------------------------------------
def _text(node: Element | None) -> str:
    return "".join(node.itertext()).strip() if node is not None else ""


def _xml_date(article: Element) -> datetime | None:
    pub = article.find("MedlineCitation/Article/Journal/JournalIssue/PubDate")
    if pub is not None:
        medline = _text(pub.find("MedlineDate"))
        if medline:
            return parse_date(medline)
        parts = [_text(pub.find(t)) for t in ("Year", "Month", "Day")]
        if parts[0]:
            return parse_date(" ".join(p for p in parts if p))
    for tag in ("ArticleDate", "DateCompleted"):
        node = article.find(f"MedlineCitation/Article/{tag}") or article.find(
            f"MedlineCitation/{tag}"
        )
        if node is not None and _text(node.find("Year")):
            return parse_date(
                " ".join(
                    _text(node.find(t))
                    for t in ("Year", "Month", "Day")
                    if node.find(t) is not None
                )
            )
    return None


def _xml_article(article: Element, name: str) -> list[tuple[str, dict[str, Any]]]:
    citation = article.find("MedlineCitation")
    if citation is None:
        raise ValueError("no MedlineCitation")
    pmid = _text(citation.find("PMID"))
    if not pmid.isdigit():
        raise ValueError(f"PMID {pmid!r} is not a number")
    art = citation.find("Article")
    doi = ""
    for node in article.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if node.get("IdType") == "doi":
            doi = _text(node)
    if not doi and art is not None:
        for node in art.iterfind("ELocationID"):
            if node.get("EIdType") == "doi":
                doi = _text(node)
    authors = []
    for node in art.iterfind("AuthorList/Author") if art is not None else ():
        if node.get("ValidYN", "Y") == "N":
            continue
        family = _text(node.find("LastName"))
        if not family:
            continue  # a collective name ("the XYZ group") is no person
        orcid = next(
            (
                normalise_orcid(_text(i))
                for i in node.iterfind("Identifier")
                if (i.get("Source") or "").upper() == "ORCID"
            ),
            None,
        )
        authors.append(
            {
                "family_name": family,
                "given_name": _text(node.find("ForeName")) or _text(node.find("Initials")),
                "orcid": orcid,
                "affiliation": _text(node.find("AffiliationInfo/Affiliation")) or None,
            }
        )
    record = work(
        source="pubmed",
        pmid=pmid,
        doi=doi or None,
        title=_text(art.find("ArticleTitle")) if art is not None else "",
        journal=_text(art.find("Journal/Title")) if art is not None else "",
        published_on=_xml_date(article),
        pub_types=[
            _text(t) for t in citation.iterfind("Article/PublicationTypeList/PublicationType")
        ],
        mesh=[_text(d) for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")],
        keywords=[_text(k) for k in citation.iterfind("KeywordList/Keyword")],
    )
    return [("works", record), *authorship(record["work_key"], authors)]


def read_pubmed_xml(path: Path) -> Iterator[Item]:
    """Each ``PubmedArticle`` of a ``PubmedArticleSet`` file as a work and its authors, or a
    rejection naming the article's line and PMID."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            events = iterparse(fh, events=("start", "end"), forbid_dtd=False)
            depth_line = 0
            parser_line = getattr(events, "_parser", None)
            for event, node in events:
                if event == "start" and node.tag == "PubmedArticle":
                    depth_line = _line_of(parser_line, depth_line)
                    continue
                if event != "end" or node.tag != "PubmedArticle":
                    continue
                try:
                    yield Parsed(depth_line, _xml_article(node, name))
                except ValueError as err:
                    pmid = _text(node.find("MedlineCitation/PMID")) or "?"
                    yield Rejected(name, depth_line, f"article PMID {pmid}: {err}", f"PMID {pmid}")
                node.clear()
    except ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else "?"
        raise InputError(f"{name} line {line}: not well-formed PubMed XML ({err})") from None
    except DefusedXmlException as err:
        raise InputError(f"{name}: refused XML construct ({err}); export it again") from None


def _line_of(parser: Any, fallback: int) -> int:
    try:
        return int(parser._parser.CurrentLineNumber)  # the expat parser under iterparse
    except AttributeError:
        return fallback


# -- MEDLINE (.nbib) -----------------------------------------------------------------------
_TAG_RE = re.compile(r"^([A-Z]{2,4})\s*-\s?(.*)$")


def _nbib_records(path: Path) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Each record's start line and its ``(tag, value)`` pairs (continuations joined)."""
    fields: list[tuple[str, str]] = []
    start = 0
    with path.open(encoding="utf-8-sig", errors="strict") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if fields:
                    yield start, fields
                fields = []
                continue
            m = _TAG_RE.match(line)
            if m and not line.startswith(" "):
                if not fields:
                    start = number
                fields.append((m.group(1), m.group(2).strip()))
            elif fields and line.startswith(" "):
                tag, value = fields[-1]
                fields[-1] = (tag, f"{value} {line.strip()}")
            else:
                raise InputError(f"{path} line {number}: not a MEDLINE tagged line: {line[:80]!r}")
    if fields:
        yield start, fields


def _nbib_article(fields: list[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    values: dict[str, list[str]] = {}
    authors: list[dict[str, Any]] = []
    for tag, value in fields:
        values.setdefault(tag, []).append(value)
        if tag == "FAU":
            family, _, given = value.partition(",")
            authors.append(
                {
                    "family_name": family.strip(),
                    "given_name": given.strip(),
                    "orcid": None,
                    "affiliation": None,
                }
            )
        elif tag == "AUID" and authors:
            authors[-1]["orcid"] = normalise_orcid(value)
        elif tag == "AD" and authors and authors[-1]["affiliation"] is None:
            authors[-1]["affiliation"] = value
    pmid = (values.get("PMID") or [""])[0]
    if not pmid.isdigit():
        raise ValueError(f"PMID {pmid!r} is not a number")
    if not authors:  # files saved without full names: AU "Dubois C"
        for value in values.get("AU", []):
            family, _, initials = value.rpartition(" ")
            authors.append(
                {
                    "family_name": family or initials,
                    "given_name": initials if family else "",
                    "orcid": None,
                    "affiliation": None,
                }
            )
    doi = next(
        (v.split(" [")[0] for tag in ("LID", "AID") for v in values.get(tag, []) if "[doi]" in v),
        None,
    )
    record = work(
        source="pubmed",
        pmid=pmid,
        doi=doi,
        title=" ".join(values.get("TI", [])),
        journal=(values.get("JT") or values.get("TA") or [""])[0],
        published_on=parse_date((values.get("DP") or [""])[0]),
        pub_types=values.get("PT", []),
        mesh=[m.split("/")[0].lstrip("*") for m in values.get("MH", [])],
        keywords=values.get("OT", []),
    )
    return [("works", record), *authorship(record["work_key"], authors)]


def read_nbib(path: Path) -> Iterator[Item]:
    """Each record of a MEDLINE tagged file as a work and its authors, or a rejection."""
    name = str(path)
    try:
        for line, fields in _nbib_records(path):
            try:
                yield Parsed(line, _nbib_article(fields))
            except ValueError as err:
                raw = "\n".join(f"{t} - {v}" for t, v in fields[:3])
                yield Rejected(name, line, f"record: {err}", raw)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not UTF-8 text at byte {err.start}") from None
