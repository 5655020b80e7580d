"""Conflicts of interest from declared payments, shown only where the project's purpose
allows (``privacy.purpose``: ``compliance`` or ``medical_affairs``), never as a score.

Transparence Santé's licence forbids marketing reuse, and a payment is a conflict of
interest to disclose, not a sign of standing (the PhRMA code forbids it as a ranking
signal): :func:`with_coi` adds columns after ranking, so scores and order are the same with
or without them, and brand or marketing work never sees them.

>>> import pandas as pd
>>> ranked = pd.DataFrame({"platform": ["x"], "account_id": ["1"], "score": [0.9]})
>>> coi = pd.DataFrame({"platform": ["x"], "account_id": ["1"], "currency": ["EUR"],
...     "amount_cents": [123456], "payments": [2], "payers": ["Exemplar SAS"],
...     "years": ["2021"], "sources": ["transparence_sante"], "licences": ["..."],
...     "disputed": [0]})
>>> with_coi(ranked, coi, "brand").columns.tolist()
['platform', 'account_id', 'score']
>>> with_coi(ranked, coi, "compliance")[["coi", "coi_amounts"]].to_dict("records")
[{'coi': True, 'coi_amounts': 'EUR 1,234.56 (2 payments, 2021: Exemplar SAS)'}]
"""

from __future__ import annotations

import pandas as pd

from kolmap.errors import KolmapError

__all__ = ["COI_PURPOSES", "PURPOSES", "check_purpose", "coi_lines", "with_coi"]

PURPOSES = ("compliance", "medical_affairs", "brand", "marketing")
COI_PURPOSES = ("compliance", "medical_affairs")


def check_purpose(purpose: str, *, for_coi: bool = False) -> None:
    """Refuse an unknown purpose, and (``for_coi``) one that may not see declared payments."""
    if purpose not in PURPOSES:
        raise KolmapError(f"privacy.purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    if for_coi and purpose not in COI_PURPOSES:
        raise KolmapError(
            f"declared payments are for compliance and medical affairs only (privacy.purpose "
            f"is {purpose!r}); Transparence Santé's licence forbids marketing use"
        )


def coi_lines(coi: pd.DataFrame) -> pd.DataFrame:
    """One line per account: ``coi_amounts`` (per currency: total, payments, years, payers)
    and ``coi_disputed``."""
    if coi.empty:
        return pd.DataFrame(columns=["platform", "account_id", "coi_amounts", "coi_disputed"])
    text = coi.apply(
        lambda r: (
            f"{r['currency']} {r['amount_cents'] / 100:,.2f} ({int(r['payments'])} "
            f"payments, {r['years']}: {r['payers']})"
        ),
        axis=1,
    )
    frame = coi.assign(coi_amounts=text)
    return frame.groupby(["platform", "account_id"], as_index=False).agg(
        coi_amounts=("coi_amounts", "; ".join), coi_disputed=("disputed", "sum")
    )


def with_coi(ranked: pd.DataFrame, coi: pd.DataFrame, purpose: str) -> pd.DataFrame:
    """``ranked`` with ``coi`` (flag) and ``coi_amounts`` columns when ``purpose`` allows,
    else unchanged; never reordered or rescored."""
    check_purpose(purpose)
    if purpose not in COI_PURPOSES:
        return ranked
    lines = coi_lines(coi)
    out = ranked.merge(lines, on=["platform", "account_id"], how="left")
    out["coi"] = out["coi_amounts"].notna()
    out["coi_disputed"] = out["coi_disputed"].fillna(0).astype(int)
    return out
