"""A user's list of brands and products for share of voice: ``brand,company,aliases`` (aliases
separated by ``|``: brand and generic names, FR/EN spellings, handles with ``@``).

A post names a brand when its own text holds one of the brand's names as whole words (case-
and accent-insensitive, a trailing plural tolerated) or mentions one of its handles. A bad
row is an :class:`~kolmap.errors.InputError` naming the file and line: a share of voice
computed over a silently shortened list would be wrong.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "brands.csv"
>>> _ = p.write_text("brand,company,aliases\\nOnkavir,Exemplar Pharma,onkavirumab|@onkavir\\n")
>>> matcher = BrandMatcher(read_brands(p))
>>> matcher.brands_in("Switched to ONKAVIRUMAB last week, thanks @Onkavir")
['Onkavir']
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from kolmap.errors import InputError
from kolmap.ingest.text import fold

__all__ = ["Brand", "BrandMatcher", "parse_brands", "read_brands"]


@dataclass(frozen=True)
class Brand:
    """A brand or product, its company and every name it goes by."""

    brand: str
    company: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.brand, *self.aliases]))


def read_brands(path: Path) -> list[Brand]:
    """The brands of a ``brand,company,aliases`` CSV (UTF-8, comma or semicolon)."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the brand list ({err})") from None
    return parse_brands(text, str(path))


def parse_brands(text: str, path: str) -> list[Brand]:
    """The brands of a brand list's text (``path`` names it in errors)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    rows = csv.DictReader(
        text.splitlines(), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    names = [n.strip().lower() for n in rows.fieldnames or []]
    if not {"brand", "company", "aliases"} <= set(names):
        raise InputError(f"{path} line 1: expected the columns brand,company,aliases")
    brands: list[Brand] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(rows, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not row.get("brand"):
            raise InputError(f"{path} line {line}: no brand name")
        key = fold(row["brand"])
        if key in seen:
            raise InputError(
                f"{path} line {line}: brand {row['brand']!r} is already on line {seen[key]}"
            )
        seen[key] = line
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        brands.append(Brand(row["brand"], row.get("company", ""), aliases))
    if not brands:
        raise InputError(f"{path}: the brand list is empty")
    return brands


class BrandMatcher:
    """Finds the brands a text names (see the module docstring)."""

    def __init__(self, brands: list[Brand]) -> None:
        self.brands = brands
        owner: dict[str, str] = {}
        for brand in brands:
            for name in brand.names:
                owner.setdefault(
                    fold(name).lstrip("@") if name.startswith("@") else fold(name), brand.brand
                )
        self._owner = owner
        words = sorted(owner, key=len, reverse=True)
        body = "|".join(re.escape(w) for w in words)
        self._re = re.compile(rf"(?<![\w@])@?({body})(?:s|x)?(?![\w])")

    def brands_in(self, text: str | None) -> list[str]:
        """The brands ``text`` names, in the order of the list."""
        if not text:
            return []
        found = {self._owner[m.group(1)] for m in self._re.finditer(fold(text))}
        return [b.brand for b in self.brands if b.brand in found]
