"""Rewrite the settings table of docs/settings.md from kolmap.settings (the one declaration).

python tools/settings_doc.py        # rewrites the table between the header row and the
                                    # first line after it that is not a table row
"""

from __future__ import annotations

import json
from pathlib import Path

from kolmap.settings import allowed, iter_settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
HEADER = "| setting | default | allowed | meaning |"


def rows() -> list[str]:
    out = [HEADER, "|---|---|---|---|"]
    for name, default, text in iter_settings():
        shown = json.dumps(default)
        out.append(f"| `{name}` | `{shown}` | {allowed(name)} | {text} |")
    return out


def main() -> None:
    lines = DOC.read_text("utf-8").splitlines()
    start = lines.index(HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    DOC.write_text("\n".join([*lines[:start], *rows(), *lines[end:]]) + "\n", "utf-8")


if __name__ == "__main__":
    main()
