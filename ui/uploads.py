"""Files uploaded on the Ingest page, ingested exactly as ``kolmap ingest`` would.

Errors and summaries name the files as uploaded (not the temporary folder they were saved in)
and speak of the page's fields instead of command-line flags.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from kolmap.errors import KolmapError, RejectedRowsError
from kolmap.graph import StoreLocation
from kolmap.ui import state

__all__ = ["in_app_words", "ingest_uploads"]

# What the command line's advice means in the app.
_IN_APP_WORDS = (
    (re.compile(r"re-run with --encoding ([\w-]+)"), r"choose the encoding \1 and ingest again"),
    (re.compile(r"\(or pass --encoding ([\w-]+)\)"), r"(or choose the encoding \1)"),
    (re.compile(r"or give --format \(see `kolmap formats`\)"), "or choose its format"),
    (re.compile(r"pass --platform"), "fill in the platform"),
    (re.compile(r"or pass --owner USERNAME"), "or fill in the owner"),
)


def in_app_words(message: str, folder: str) -> str:
    """An ingest error as the app says it: uploaded files by their own names (not the
    temporary folder they were saved in), the page's fields instead of command-line flags.

    >>> in_app_words("/tmp/u1/posts.csv: it looks like cp1252: re-run with --encoding cp1252",
    ...              "/tmp/u1")
    'posts.csv: it looks like cp1252: choose the encoding cp1252 and ingest again'
    """
    text = message.replace(folder.rstrip("/") + "/", "")
    for pattern, words in _IN_APP_WORDS:
        text = pattern.sub(words, text)
    return text


def ingest_uploads(
    files: list[tuple[str, bytes]],
    *,
    tolerance: str,
    encoding: str,
    fmt: str | None = None,
    platform: str | None = None,
    owner: str | None = None,
) -> dict[str, Any]:
    """Ingest uploaded files exactly as ``kolmap ingest`` would; returns the run summary.
    Raises :class:`KolmapError` (nothing committed) like the command line, in the app's
    words (:func:`in_app_words`).

    Each upload is saved in a folder of its own (two files both named ``accounts.csv`` used
    to overwrite each other) and named as uploaded in the summary, the records' provenance,
    errors and the quarantine file: ``accounts.csv``, or ``accounts.csv (upload 2)`` when
    several share that name.
    """
    from kolmap.ingest.pipeline import ingest_paths, work_folder

    with work_folder() as tmp:
        paths: list[Path] = []
        names: dict[str, str] = {}
        counts = Counter(Path(name).name for name, _ in files)
        for number, (name, content) in enumerate(files, start=1):
            base = Path(name).name
            path = Path(tmp) / str(number) / base
            path.parent.mkdir()
            path.write_bytes(content)
            paths.append(path)
            names[str(path)] = base if counts[base] == 1 else f"{base} (upload {number})"
        qdir = StoreLocation.resolve(state.location()).quarantine_dir()
        try:
            with state.store() as s:
                summary = ingest_paths(
                    s,
                    paths,
                    settings=state.settings(),
                    tolerance=tolerance,
                    encoding=encoding,
                    quarantine_dir=qdir,
                    fmt=fmt or None,
                    platform=platform or None,
                    owner=owner or None,
                    names=names,
                )
        except KolmapError as err:
            quarantined = getattr(err, "quarantine_path", None)
            if quarantined:
                raise RejectedRowsError(in_app_words(str(err), tmp), quarantined) from None
            raise KolmapError(in_app_words(str(err), tmp)) from None
        result = summary.to_dict()
    state.clear_caches()
    return result
