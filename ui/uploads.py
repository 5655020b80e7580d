"""Files uploaded on the Ingest page, ingested exactly as ``kolmap ingest`` would.

Errors and summaries name the files as uploaded (not the temporary folder they were saved in)
and speak of the page's fields instead of command-line flags.
"""

from __future__ import annotations

import re
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
    """Ingest uploaded files exactly as ``kolmap ingest`` would; returns the run summary,
    files named as uploaded. Raises :class:`KolmapError` (nothing committed) like the command
    line, in the app's words (:func:`in_app_words`); rejected rows are kept in the store's
    quarantine folder with the uploaded file names.
    """
    import tempfile

    from kolmap.ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory(prefix="kolmap-upload-") as tmp:
        paths = []
        for name, content in files:
            path = Path(tmp) / Path(name).name
            path.write_bytes(content)
            paths.append(path)
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
                )
        except KolmapError as err:
            quarantined = getattr(err, "quarantine_path", None)
            if quarantined:
                _name_uploads(Path(quarantined), tmp)
            if quarantined:
                raise RejectedRowsError(in_app_words(str(err), tmp), quarantined) from None
            raise KolmapError(in_app_words(str(err), tmp)) from None
        if summary.quarantine_path:
            _name_uploads(Path(summary.quarantine_path), tmp)
        result = summary.to_dict()
        for entry in result.get("files", []):
            entry["path"] = in_app_words(str(entry["path"]), tmp)
    state.clear_caches()
    return result


def _name_uploads(quarantine: Path, folder: str) -> None:
    """Name the uploaded files in a quarantine file by their own names."""
    if quarantine.is_file():
        text = quarantine.read_text("utf-8")
        quarantine.write_text(text.replace(folder.rstrip("/") + "/", ""), "utf-8")
