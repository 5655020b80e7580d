"""Composite KOL / DOL / influencer / organisation rankings with the reasons behind each rank.

``score = 100 x relevance^gamma x sum(w_k x c_k) / sum(w_k)`` where each ``c_k`` is a component
from :mod:`kolmap.scoring.components` scaled to 0..1 among the candidates, the weights come
from the settings of the kind, and ``gamma`` is ``relevance_exponent`` (the relevance gate
applies to topical scopes only). docs/scoring.md explains every term and the traps it resists.

KOL and DOL are two axes of the same people: every HCP and researcher in scope gets a
``kol_score`` (standing among peers) and every HCP a ``dol_score`` (earned reach beyond
peers; blank for researchers, whom the DOL list does not hold), each
list ranks by its own axis, and :func:`axis_overlap` says how much the two top lists share.
Industry staff and paid partners leave the KOL, DOL and influencer lists unless
``include_industry`` (then they are kept, flagged).

>>> RankKind.parse("KOL").roles
('hcp', 'researcher')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

import numpy as np
import pandas as pd

from kolmap.errors import ScoringError
from kolmap.graph.store import Projection
from kolmap.scoring.components import PEER_ROLES, RING_SHARE, components_of
from kolmap.settings import ScoringSettings

__all__ = [
    "COMPONENTS",
    "OUTPUT_COLUMNS",
    "RankKind",
    "axis_overlap",
    "keep_roles",
    "rank",
    "tiers",
]


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

    @classmethod
    def listing(cls, role: str) -> RankKind | None:
        """The list an account of ``role`` is ranked in first (KOLs for HCPs and
        researchers, influencers, organisations), None for an unidentified account.

        >>> RankKind.listing("researcher"), RankKind.listing("media"), RankKind.listing("unknown")
        (<RankKind.KOL: 'kol'>, <RankKind.ORGANISATION: 'organisation'>, None)
        """
        for kind in (cls.KOL, cls.INFLUENCER, cls.ORGANISATION):
            if role in _ROLES[kind]:
                return kind
        return None

    @property
    def excludes_industry(self) -> bool:
        """Whether industry staff leave this list by default."""
        return self in (RankKind.KOL, RankKind.DOL, RankKind.INFLUENCER)

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
    RankKind.KOL: PEER_ROLES,
    RankKind.DOL: ("hcp",),
    RankKind.INFLUENCER: ("patient", "public"),
    RankKind.ORGANISATION: ("organisation", "brand", "media"),
    RankKind.ANY: (
        "hcp",
        "researcher",
        "patient",
        "organisation",
        "brand",
        "media",
        "public",
        "unknown",
    ),
}
# How each component is scaled to 0..1 among candidates.
_SQRT_SCALED = {"endorsers", "peer_endorsers", "audience", "lay_audience"}
COMPONENTS = (
    "pagerank",
    "peer_pagerank",
    "peer_endorsers",
    "lay_pagerank",
    "lay_audience",
    "audience_pagerank",
    "audience",
    "endorsers",
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
    "affiliation",
    "employer",
    "area",
    "score",
    "kol_score",
    "dol_score",
    "tier",
    "trust",
    "automation_risk",
    "flags",
    "community",
    "relevance",
    *COMPONENTS,
    "n_peer_endorsers",
    "n_lay_endorsers",
    "n_endorsers",
    "peer_share",
    "posts_in_scope",
    "followers",
    "lang",
    "location",
    "role_confidence",
    "role_source",
    "reasons",
]
# Below this trust an account is flagged "low trust" (its endorsements count little).
_LOW_TRUST = 0.3


def rank(
    projection: Projection,
    kind: RankKind | str,
    settings: ScoringSettings | None = None,
    *,
    top: int | None = None,
    components: pd.DataFrame | None = None,
    include_industry: bool | None = None,
) -> pd.DataFrame:
    """Rank the candidates of ``kind`` in ``projection``; columns are :data:`OUTPUT_COLUMNS`.

    ``components`` are those of ``projection`` when the caller has them already
    (:func:`~kolmap.scoring.components.components_of`). ``include_industry`` overrides the
    setting of that name.

    Candidates are non-stub accounts of the kind's roles with some activity in scope (a post,
    or an endorsement from another account). Ties are broken by handle, then account id, so
    the order is a deterministic permutation of the candidates.
    """
    settings = settings or ScoringSettings()
    kind = kind if isinstance(kind, RankKind) else RankKind.parse(kind)
    if include_industry is None:
        include_industry = settings.include_industry
    weights = kind.weights(settings)
    for name, axis_weights in (("kol", settings.kol_weights), ("dol", settings.dol_weights)):
        _check_weights(name, axis_weights)
    _check_weights(kind.value, weights)
    nodes = projection.nodes
    area = projection.scope.area or (
        "#" + ",#".join(projection.scope.hashtags) if projection.scope.hashtags else "all"
    )
    if nodes.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    comp = components_of(projection, settings, components)
    roles = nodes["role"].astype(str)
    stub = nodes["is_stub"].fillna(False).to_numpy(dtype=bool)
    active = (nodes["posts_in_scope"].to_numpy() > 0) | (comp["n_endorsers"].to_numpy() > 0)
    industry = _column(nodes, "affiliation").fillna("").to_numpy() == "industry"
    if kind.excludes_industry and not include_industry:
        active = active & ~industry
    idx = np.flatnonzero(roles.isin(kind.roles).to_numpy() & ~stub & active)
    if len(idx) == 0:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    gate = comp["relevance"].to_numpy() ** settings.relevance_exponent
    if not projection.scope.is_topical:
        gate = np.ones(len(nodes))
    # Both axes for every peer, scaled among the peers (so a DOL list and a KOL list print
    # the same two numbers for the same person). The DOL axis is printed for the roles a DOL
    # list holds (HCPs) only: a researcher's DOL score, beside a KOL list, named a place in a
    # list the researcher can never enter.
    peers = np.flatnonzero(roles.isin(PEER_ROLES).to_numpy() & ~stub & active)
    axes = {}
    for name, axis_weights in (("kol", settings.kol_weights), ("dol", settings.dol_weights)):
        combined, _scaled = _combine(comp.iloc[peers], axis_weights)
        value = np.full(len(nodes), np.nan)
        value[peers] = np.round(100.0 * gate[peers] * combined, 3)
        axes[name] = value
    axes["dol"][~roles.isin(RankKind.DOL.roles).to_numpy()] = np.nan
    table = nodes.iloc[idx].copy()
    cand = comp.iloc[idx]
    # A KOL or DOL list is scaled among all peers, as the axes are, so that its score is the
    # axis printed beside it: a DOL list holds HCPs only, and scaled among them its scores
    # differed from the DOL axis wherever a researcher led a component (SER 2019: 55.2
    # against 25.0 for the same HCP).
    group = peers if kind in (RankKind.KOL, RankKind.DOL) else idx
    combined, scaled = _combine(comp.iloc[group], weights)
    if group is not idx:
        at = np.searchsorted(group, idx)  # both ascending; the candidates are peers
        combined = combined[at]
        scaled = {name: values[at] for name, values in scaled.items()}
    for name in COMPONENTS:
        table[name] = np.round(scaled[name], 4)
    table["score"] = np.round(100.0 * gate[idx] * combined, 3)
    table["kol_score"] = axes["kol"][idx]
    table["dol_score"] = axes["dol"][idx]
    table["relevance"] = np.round(cand["relevance"].to_numpy(), 4)
    table["community"] = cand["community"].to_numpy()
    table["trust"] = np.round(cand["trust"].to_numpy(), 4)
    table["automation_risk"] = np.round(cand["automation_risk"].to_numpy(), 4)
    for name in ("n_peer_endorsers", "n_lay_endorsers", "n_endorsers"):
        table[name] = cand[name].to_numpy(dtype=np.int64)
    table["peer_share"] = np.round(cand["peer_share"].to_numpy(), 4)
    table["ring_share"] = _column(cand, "ring_share").fillna(0).to_numpy()
    for column in ("affiliation", "employer", "role_confidence", "role_source"):
        table[column] = _column(nodes, column).iloc[idx].to_numpy()
    table["flags"] = _flags(table, settings)
    table["area"] = area
    table["node_pos"] = idx
    table = table.sort_values(
        ["score", "handle", "account_id"],
        ascending=[False, True, True],
        na_position="last",
        kind="mergesort",
    )
    table["tier"] = tiers(
        len(table),
        settings.tier_shares,
        table["n_endorsers"].to_numpy(dtype=np.int64).tolist(),
        settings.tier_min_endorsers,
    )
    if top is not None:
        table = table.head(top)
    table["rank"] = np.arange(1, len(table) + 1)
    table["reasons"] = _reasons(projection, table, comp)
    return table[OUTPUT_COLUMNS].reset_index(drop=True)


def keep_roles(table: pd.DataFrame, roles: Sequence[str], top: int | None) -> pd.DataFrame:
    """The rows of a full ranking whose role is one of ``roles`` (all rows for none), then
    its first ``top``; each row keeps its rank in the whole list.

    >>> t = pd.DataFrame({"rank": [1, 2, 3], "role": ["media", "organisation", "organisation"]})
    >>> keep_roles(t, ["organisation"], 1)["rank"].tolist()
    [2]
    """
    kept = table[table["role"].isin(roles)] if roles else table
    return (kept if top is None else kept.head(top)).reset_index(drop=True)


def tiers(
    n: int,
    shares: Mapping[str, float],
    endorsers: Sequence[int] | None = None,
    min_endorsers: Mapping[str, float] | None = None,
) -> list[str]:
    """The tier of each of ``n`` ranked candidates, best first: a tier with share ``s``
    holds the first ``floor(s × n)`` ranks (the narrowest tier wins), ``local`` the rest; so
    the #1 of a list shorter than 100 is not "global". With ``endorsers`` (each candidate's
    count) and ``min_endorsers`` (a tier's least reach), a candidate short of a tier's reach
    falls to the next tier whose reach it has.

    >>> tiers(200, {"global": 0.01, "national": 0.05, "regional": 0.2}).count("global")
    2
    >>> tiers(10, {"global": 0.01, "national": 0.05, "regional": 0.2})[:3]
    ['regional', 'regional', 'local']
    >>> tiers(4, {"national": 0.5, "regional": 1.0}, [40, 3, 12, 1],
    ...       {"national": 10, "regional": 2})
    ['national', 'regional', 'regional', 'local']
    """
    result = ["local"] * n
    ordered = sorted(shares.items(), key=lambda item: -item[1])  # widest first
    for name, share in ordered:
        count = int(share * n + 1e-9)
        least = (min_endorsers or {}).get(name, 0)
        for i in range(min(count, n)):
            if endorsers is None or endorsers[i] >= least:
                result[i] = name
    return result


def axis_overlap(kol: pd.DataFrame, dol: pd.DataFrame, k: int) -> dict[str, float]:
    """How much the top ``k`` of a KOL and a DOL ranking share: ``shared`` accounts,
    ``k`` compared, and their Jaccard index.

    >>> a = pd.DataFrame({"platform": ["x"] * 3, "account_id": ["1", "2", "3"]})
    >>> b = pd.DataFrame({"platform": ["x"] * 3, "account_id": ["3", "4", "5"]})
    >>> axis_overlap(a, b, 3)
    {'k': 3, 'shared': 1, 'jaccard': 0.2}
    """
    top_kol = set(zip(kol["platform"].head(k), kol["account_id"].head(k), strict=True))
    top_dol = set(zip(dol["platform"].head(k), dol["account_id"].head(k), strict=True))
    union = top_kol | top_dol
    shared = len(top_kol & top_dol)
    return {"k": k, "shared": shared, "jaccard": round(shared / len(union), 4) if union else 0.0}


def _check_weights(kind: str, weights: Mapping[str, float]) -> None:
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ScoringError(f"{kind} weights name unknown components {sorted(unknown)}")
    if sum(weights.values()) <= 0:
        raise ScoringError(f"{kind} weights must not all be zero")


def _combine(
    cand: pd.DataFrame, weights: Mapping[str, float]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The weighted mean of the scaled components, and the scaled components."""
    combined = np.zeros(len(cand))
    scaled = {}
    for name in COMPONENTS:
        raw = cand[name].to_numpy(dtype=np.float64)
        scaled[name] = _scale(raw, sqrt=name in _SQRT_SCALED)
        combined += weights.get(name, 0.0) * scaled[name]
    return combined / sum(weights.values()), scaled


def _column(nodes: pd.DataFrame, name: str) -> pd.Series:
    return nodes[name] if name in nodes else pd.Series([None] * len(nodes), index=nodes.index)


def _scale(values: np.ndarray, *, sqrt: bool) -> np.ndarray:
    """Share of the leader (``x / max``); counts of endorsers use ``sqrt(x) / sqrt(max)``."""
    values = np.maximum(values, 0.0)
    if sqrt:
        values = np.sqrt(values)
    peak = float(values.max()) if len(values) else 0.0
    return values / peak if peak > 0 else np.zeros_like(values)


def _flags(table: pd.DataFrame, settings: ScoringSettings) -> list[str]:
    """What a reader should know before trusting a rank: industry ties, automation risk,
    low trust, a community that looks like a ring, a role read from behaviour."""
    out = []
    for affiliation, employer, risk, trust, source, confidence, ring in zip(
        table["affiliation"].tolist(),
        table["employer"].tolist(),
        table["automation_risk"].tolist(),
        table["trust"].tolist(),
        table["role_source"].tolist(),
        table["role_confidence"].tolist(),
        table["ring_share"].tolist(),
        strict=True,
    ):
        flags = []
        if affiliation == "industry":
            flags.append("industry" + (f" ({employer})" if isinstance(employer, str) else ""))
        if risk >= settings.automation_flag:
            flags.append(f"automation risk {risk:.2f}")
        elif trust < _LOW_TRUST:
            flags.append(f"low trust {trust:.2f}")
        if ring >= RING_SHARE:
            flags.append(f"possible ring ({ring:.0%} of its community look automated)")
        if source == "behaviour":
            flags.append(f"role from behaviour ({float(confidence):.2f})")
        out.append("; ".join(flags))
    return out


def _reasons(projection: Projection, table: pd.DataFrame, comp: pd.DataFrame) -> list[str]:
    """One sentence per ranked account: who endorses it, how much from peers, how on-topic."""
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
        table["n_peer_endorsers"].tolist(),
        table["n_lay_endorsers"].tolist(),
        table["n_endorsers"].tolist(),
        table["peer_share"].tolist(),
        table["posts_in_scope"].tolist(),
        table["relevance"].tolist(),
        strict=True,
    )
    for node, n_peer, n_lay, n_all, peer_share, in_scope, relevance in columns:
        # Every endorser counted: "4 peers and 7 lay among 15" left 4 unexplained.
        others = n_all - n_peer - n_lay
        parts = [
            f"endorsed by {n_all} account(s): {n_peer} peer(s) (HCPs, researchers), {n_lay} "
            "lay (patients, the public, unidentified)"
            + (
                f", {others} other(s) (organisations, brands, media, mention-only)"
                if others
                else ""
            )
        ]
        if n_all:
            parts.append(f"{peer_share:.0%} of trusted endorsement weight from peers")
        if topical:
            total, in_scope = int(totals[node]), int(in_scope)
            # "16/16 (relevance 0.84)" beside "1/1 (relevance 0.25)" read as a contradiction:
            # say when the few posts, not the share, held the relevance down.
            few = total and relevance < 0.6 * in_scope / total
            parts.append(
                f"{in_scope}/{total} posts in scope (relevance {relevance:.2f}"
                + (": few posts, less evidence" if few else "")
                + ")"
            )
        else:
            parts.append(f"{in_scope} posts")
        if top.get(node):
            parts.append("top endorsers " + ", ".join(top[node]))
        sentences.append("; ".join(parts))
    return sentences
