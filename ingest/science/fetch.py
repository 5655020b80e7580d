"""Live pulls from PubMed (NCBI E-utilities) and OpenAlex, behind explicit commands
(``kolmap fetch-pubmed``, ``kolmap fetch-openalex``): the one place kolmap reaches the
network, and only when told to. Tests point them at a local server.

Each pull writes the files a user could have downloaded by hand (PubMed XML pages, OpenAlex
JSON Lines), each written whole (``.part`` then renamed), then ``kolmap science import``
reads them like any other file.

- **PubMed**: ``esearch`` (with the history server) then ``efetch`` in pages of up to 200
  records as XML. NCBI asks for at most 3 requests a second without an API key and 10 with
  one (``NCBI_API_KEY``), and for ``tool`` and ``email`` parameters; kolmap spaces its
  requests accordingly and sends both.
- **OpenAlex**: ``/works?search=…`` with cursor paging, 200 works a page, at most 10
  requests a second; ``mailto`` (the polite pool) and an ``OPENALEX_API_KEY`` when set.

A 429 or 5xx answer is retried after a growing pause (three times); any other failure is an
:class:`~kolmap.errors.InputError` naming the URL (without the key).

>>> t = Throttle(per_second=2, clock=iter([0.0, 0.1, 0.6]).__next__, sleep=print)
>>> t.wait(); t.wait()
0.4
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kolmap.errors import InputError

__all__ = ["OPENALEX_URL", "PUBMED_URL", "Throttle", "fetch_openalex", "fetch_pubmed"]

PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
OPENALEX_URL = "https://api.openalex.org"
_PAGE = 200
_RETRIES = 3


@dataclass
class Throttle:
    """Spaces calls to at most ``per_second`` a second."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Any] = time.sleep
    _last: float | None = field(default=None, init=False)

    def wait(self) -> None:
        now = self.clock()
        if self._last is not None:
            pause = 1.0 / self.per_second - (now - self._last)
            if pause > 0:
                self.sleep(round(pause, 3))
                now += pause
        self._last = now


def _get(url: str, params: dict[str, Any], throttle: Throttle, secret: str | None) -> bytes:
    """GET ``url`` with ``params``, spaced by ``throttle``, retried on 429 and 5xx."""
    full = f"{url}?{urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})}"
    shown = full.replace(secret, "***") if secret else full
    for attempt in range(_RETRIES + 1):
        throttle.wait()
        try:
            with urllib.request.urlopen(full, timeout=60) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as err:
            if (err.code == 429 or err.code >= 500) and attempt < _RETRIES:
                throttle.sleep(2.0 * (attempt + 1))
                continue
            raise InputError(f"{shown}: HTTP {err.code} {err.reason}") from None
        except (urllib.error.URLError, TimeoutError) as err:
            raise InputError(f"{shown}: {getattr(err, 'reason', err)}") from None
    raise InputError(f"{shown}: no answer after {_RETRIES} retries")  # pragma: no cover


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)


def _check_url(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise InputError(f"{url}: only http and https addresses are fetched")
    return url.rstrip("/")


def fetch_pubmed(
    query: str,
    out: Path,
    *,
    max_records: int = 1000,
    api_key: str | None = None,
    email: str | None = None,
    base_url: str = PUBMED_URL,
    throttle: Throttle | None = None,
) -> dict[str, Any]:
    """Search PubMed for ``query`` and save up to ``max_records`` articles as PubMed XML
    pages in ``out`` (``pubmed-0001.xml``, …); returns the count found and the files."""
    base = _check_url(base_url)
    throttle = throttle or Throttle(per_second=10 if api_key else 3)
    common = {"db": "pubmed", "tool": "kolmap", "email": email, "api_key": api_key}
    found = json.loads(
        _get(
            f"{base}/esearch.fcgi",
            {**common, "term": query, "usehistory": "y", "retmax": 0, "retmode": "json"},
            throttle,
            api_key,
        )
    ).get("esearchresult", {})
    if "ERROR" in found or "webenv" not in found:
        raise InputError(f"PubMed search {query!r} failed: {found.get('ERROR', found)}")
    count = int(found.get("count", 0))
    files = []
    for page, start in enumerate(range(0, min(count, max_records), _PAGE), start=1):
        body = _get(
            f"{base}/efetch.fcgi",
            {**common, "WebEnv": found["webenv"], "query_key": found["querykey"],
             "retstart": start, "retmax": min(_PAGE, max_records - start), "retmode": "xml"},
            throttle,
            api_key,
        )  # fmt: skip
        path = out / f"pubmed-{page:04d}.xml"
        _write(path, body)
        files.append(str(path))
    return {"query": query, "found": count, "files": files}


def fetch_openalex(
    query: str,
    out: Path,
    *,
    max_records: int = 1000,
    api_key: str | None = None,
    email: str | None = None,
    base_url: str = OPENALEX_URL,
    throttle: Throttle | None = None,
) -> dict[str, Any]:
    """Search OpenAlex works for ``query`` and save up to ``max_records`` of them as JSON
    Lines in ``out / "openalex-works.jsonl"``; returns the count found and the file."""
    base = _check_url(base_url)
    throttle = throttle or Throttle(per_second=10)
    cursor: str | None = "*"
    lines: list[str] = []
    count = 0
    while cursor and len(lines) < max_records:
        params = {"search": query, "per-page": min(_PAGE, max_records - len(lines)),
                  "cursor": cursor, "mailto": email, "api_key": api_key}  # fmt: skip
        page = json.loads(_get(f"{base}/works", params, throttle, api_key))
        results = page.get("results") or []
        count = int((page.get("meta") or {}).get("count") or 0)
        lines += [json.dumps(work, ensure_ascii=False) for work in results]
        cursor = (page.get("meta") or {}).get("next_cursor") if results else None
    path = out / "openalex-works.jsonl"
    _write(path, ("\n".join(lines[:max_records]) + "\n").encode("utf-8"))
    return {"query": query, "found": count, "files": [str(path)]}
