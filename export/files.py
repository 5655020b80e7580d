"""Writing export files atomically: a temporary file beside the target, checked, then renamed.

A reader never sees a half-written export under the final name: the content goes to a
temporary file in the same folder, is flushed to disk, verified by the caller's ``check``
(for example re-parsed), and only then renamed over the target. On any error the temporary
file is removed and an existing file at the target is left untouched.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> digest = write_atomic(target, lambda fh: fh.write(b"hello"))
>>> target.read_bytes(), digest[:8]
(b'hello', '2cf24dba')
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from kolmap.errors import KolmapError

__all__ = ["write_atomic"]


def write_atomic(
    target: str | os.PathLike[str],
    write: Callable[[IO[bytes]], Any],
    *,
    check: Callable[[Path], None] | None = None,
) -> str:
    """Write via ``write(binary file)``, run ``check(temp path)``, rename; return the SHA-256.

    Only a regular file (or a new name) is a target: renaming over a device, a pipe or a
    symbolic link would replace it with a plain file (``/dev/null`` as root) or report
    success for bytes that went nowhere (``/dev/full``), so those are refused.
    """
    final = Path(target)
    if final.is_symlink():
        raise KolmapError(
            f"{final}: a symbolic link; refusing to replace it with a file (give the path of "
            "the file it points to)"
        )
    if final.exists() and not final.is_file():
        kind = "a folder" if final.is_dir() else "not a regular file (a device or a pipe)"
        raise KolmapError(f"{final}: {kind}; refusing to write an export over it")
    folder = final.parent if str(final.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    # The temporary name keeps the real extension: some readers (openpyxl) go by it.
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final.stem}.", suffix=f".part{final.suffix}", dir=folder
    )
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # the permissions a plain open() would give
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if check is not None:
            check(tmp)
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
