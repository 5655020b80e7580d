"""Composite KOL / DOL / influencer / organisation rankings with the reasons behind each rank.

``score = 100 x relevance^gamma x sum(w_k x c_k) / sum(w_k)`` where each ``c_k`` is a component
from :mod:`kolmap.scoring.components` scaled to 0..1 among the candidates, the weights come
from the settings of the kind, and ``gamma`` is ``relevance_exponent`` (the relevance gate
applies to topical scopes only). docs/scoring.md explains every term and the traps it resists.

>>> RankKind.parse("KOL").roles
('hcp',)
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import numpy as np
import pandas as pd

from kolmap.errors import ScoringError
from kolmap.graph.store import Projection
from kolmap.scoring.components import components_of
from kolmap.settings import ScoringSettings

__all__ = ["OUTPUT_COLUMNS", "RankKind", "rank"]


class RankKind(StrEnum):
    """What is being ranked, and among which roles."""

    KOL = "kol"
    DOL = "dol"
    INFLUENCER = "influencer"
    ORGANISATION = "organisation"
    ANY = "any"

    @classmethod
    def parse(cls, text: str) -> RankKind:
        try:
            return cls(text.strip().lower())
        except ValueError:
            allowed = ", ".join(k.value for k in cls)
            raise ScoringError(f"unknown kind {text!r}; expected one of {allowed}") from None

    @property
    def roles(self) -> tuple[str, ...]:
        return _ROLES[self]

    def weights(self, settings: ScoringSettings) -> dict[str, float]:
        table: Mapping[RankKind, dict[str, float]] = {
            RankKind.KOL: settings.kol_weights,
            RankKind.DOL: settings.dol_weights,
            RankKind.INFLUENCER: settings.influencer_weights,
            RankKind.ORGANISATION: settings.organisation_weights,
            RankKind.ANY: settings.any_weights,
        }
        return table[self]


_ROLES = {
    RankKind.KOL: ("hcp",),
    RankKind.DOL: ("hcp",),
    RankKind.INFLUENCER: ("patient", "public"),
    RankKind.ORGANISATION: ("organisation", "brand", "media"),
    RankKind.ANY: ("hcp", "patient", "organisation", "brand", "media", "public", "unknown"),
}
# How each component is scaled to 0..1 among candidates.
_SQRT_SCALED = {"endorsers", "hcp_endorsers", "audience"}
COMPONENTS = (
    "pagerank",
    "peer_pagerank",
    "audience_pagerank",
    "endorsers",
    "hcp_endorsers",
    "audience",
    "engagement",
    "reach",
)

OUTPUT_COLUMNS = [
    "rank",
    "platform",
    "account_id",
    "handle",
    "display_name",
    "role",
    "specialty",
    "area",
    "score",
    "community",
    "relevance",
    *COMPONENTS,
    "n_hcp_endorsers",
    "n_endorsers",
    "hcp_share",
    "posts_in_scope",
    "followers",
    "lang",
    "location",
    "reasons",
]


def rank(
    projection: Projection,
    kind: RankKind | str,
    settings: ScoringSettings | None = None,
    *,
    top: int | None = None,
    components: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank the candidates of ``kind`` in ``projection``; columns are :data:`OUTPUT_COLUMNS`.

    ``components`` are those of ``projection`` when the caller has them already
    (:func:`~kolmap.scoring.components.components_of`).

    Candidates are non-stub accounts of the kind's roles with some activity in scope (a post,
    or an endorsement from another account). Ties are broken by handle, then account id, so
    the order is a deterministic permutation of the candidates.
    """
    settings = settings or ScoringSettings()
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    weights = kind.weights(settings)
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ScoringError(f"{kind.value} weights name unknown components {sorted(unknown)}")
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise ScoringError(f"{kind.value} weights must not all be zero")
    nodes = projection.nodes
    area = projection.scope.area or (
        "#" + ",#".join(projection.scope.hashtags) if projection.scope.hashtags else "all"
    )
    if nodes.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    comp = components_of(projection, settings, components)
    active = (nodes["posts_in_scope"].to_numpy() > 0) | (comp["n_endorsers"].to_numpy() > 0)
    candidate = (
        nodes["role"].astype(str).isin(kind.roles).to_numpy()
        & ~nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
        & active
    )
    idx = np.flatnonzero(candidate)
    if len(idx) == 0:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    table = nodes.iloc[idx].copy()
    cand = comp.iloc[idx]
    combined = np.zeros(len(idx))
    for name in COMPONENTS:
        raw = cand[name].to_numpy(dtype=np.float64)
        scaled = _scale(raw, sqrt=name in _SQRT_SCALED)
        table[name] = np.round(scaled, 4)
        combined += weights.get(name, 0.0) * scaled
    gate = cand["relevance"].to_numpy() ** settings.relevance_exponent
    if not projection.scope.is_topical:
        gate = np.ones(len(idx))
    table["score"] = np.round(100.0 * gate * combined / total_weight, 3)
    table["relevance"] = np.round(cand["relevance"].to_numpy(), 4)
    table["community"] = cand["community"].to_numpy()
    for name in ("n_hcp_endorsers", "n_endorsers"):
        table[name] = cand[name].to_numpy(dtype=np.int64)
    table["hcp_share"] = np.round(cand["hcp_share"].to_numpy(), 4)
    table["area"] = area
    table["node_pos"] = idx
    table = table.sort_values(
        ["score", "handle", "account_id"],
        ascending=[False, True, True],
        na_position="last",
        kind="mergesort",
    )
    if top is not None:
        table = table.head(top)
    table["rank"] = np.arange(1, len(table) + 1)
    table["reasons"] = _reasons(projection, table, comp)
    return table[OUTPUT_COLUMNS].reset_index(drop=True)


def _scale(values: np.ndarray, *, sqrt: bool) -> np.ndarray:
    """Share of the leader (``x / max``); counts of endorsers use ``sqrt(x) / sqrt(max)``."""
    values = np.maximum(values, 0.0)
    if sqrt:
        values = np.sqrt(values)
    peak = float(values.max()) if len(values) else 0.0
    return values / peak if peak > 0 else np.zeros_like(values)


def _reasons(projection: Projection, table: pd.DataFrame, comp: pd.DataFrame) -> list[str]:
    """One sentence per ranked account: who endorses it, how much from HCPs, how on-topic."""
    nodes = projection.nodes
    handles = nodes["handle"].fillna(nodes["account_id"]).astype(str).to_numpy()
    tops = comp[[f"top_endorser_{i}" for i in (1, 2, 3)]].to_numpy()
    top = {
        node: ["@" + handles[source] for source in tops[node] if source >= 0]
        for node in table["node_pos"].tolist()
    }
    sentences = []
    topical = projection.scope.is_topical
    totals = nodes["posts_total"].to_numpy()
    # Plain lists, not to_dict(orient="records"): boxing every column of every candidate
    # was most of the ranking's time on large scopes.
    columns = zip(
        table["node_pos"].tolist(),
        table["n_hcp_endorsers"].tolist(),
        table["n_endorsers"].tolist(),
        table["hcp_share"].tolist(),
        table["posts_in_scope"].tolist(),
        table["relevance"].tolist(),
        strict=True,
    )
    for node, n_hcp, n_all, hcp_share, in_scope, relevance in columns:
        parts = [f"endorsed by {n_hcp} HCP(s) among {n_all} account(s)"]
        if n_all:
            parts.append(f"{hcp_share:.0%} of endorsement weight from HCPs")
        if topical:
            parts.append(
                f"{in_scope}/{int(totals[node])} posts in scope (relevance {relevance:.2f})"
            )
        else:
            parts.append(f"{in_scope} posts")
        if top.get(node):
            parts.append("top endorsers " + ", ".join(top[node]))
        sentences.append("; ".join(parts))
    return sentences
