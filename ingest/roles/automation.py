"""Automation and coordination risk from the exports alone, with its evidence.

Seven signals, each scaled to 0..1, combined as a noisy-OR ``1 - prod(1 - w_i s_i)`` with the
weights of :class:`~kolmap.settings.RoleSettings` (docs/roles.md gives the sources: the QUT
coordination toolkit and Pacheco et al. 2021 for co-actions, BotometerLite for profile
shapes):

- ``coaction``: partners with which the account acted on the same target (reposted, replied
  to, quoted the same post, or mentioned the same account) within the same minute, on at
  least ``coaction_min_shared`` different targets that are at least
  ``coaction_min_similarity`` of what the two do (a crowd live-tweeting one talk is not a
  ring); 5 such partners read 1.
- ``template``: accounts with which it posted at least ``template_min_shared`` identical
  texts (mentions, links and punctuation aside; greetings and memes that hundreds post left
  out); 5 such partners read 1. Copy-paste campaigns share many texts with the same accounts.
- ``repeats``: it posted one text (mentions, links and punctuation aside) again and again:
  3 times read 1/8, 10 or more read 1. A complaint pasted at one account after another, or
  a bot's slogan; an announcement posted twice is nothing.
- ``reciprocal``: how densely its mutual follows follow each other (local clustering of the
  mutual-follow graph), from 5 mutual follows on; rings follow each other back.
- ``burst``: it was created in a burst: at least 10 endorsers of one account created within
  the same three days, five times more than that account's endorsers would give by chance.
- ``shape``: a throwaway profile shape: following ten times more than followed (from 200
  follows), or a name of letters and 6+ digits with no bio.
- ``single_target``: 80% or more of its interactions (5 or more) go to one account.

Risk down-weights an account's endorsements in scoring; nothing is deleted.

>>> import pandas as pd
>>> nodes = pd.DataFrame({"handle_lc": ["a", "b"], "has_bio": [True, True],
...     "followers": [10, 500], "following": [2000, 300], "created_at": [None, None]})
>>> edges = pd.DataFrame({"src": [0], "dst": [1], "kind": ["MENTIONS"], "count": [6]})
>>> risk, evidence = automation_risk(nodes, edges, RISK_TEST)
>>> round(float(risk[0]), 2), evidence[0]
(0.51, 'profile: follows 2000, followed by 10; 100% of 6 interactions go to one account')
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import pandas as pd

from kolmap.settings import RoleSettings

__all__ = ["RISK_TEST", "Signals", "automation_risk"]

RISK_TEST = RoleSettings()
_DIGIT_HANDLE = r"^[a-z_]*[a-z][a-z_]*\d{6,}$"


@dataclass
class Signals:
    """Per-account inputs beyond the projection (aligned with the nodes; zeros when the
    export has no times or texts): how many accounts co-acted with it, how many posted the
    same texts as it (``template_min_shared`` of them or more), and the most times it posted
    one text."""

    coaction_partners: np.ndarray
    template_partners: np.ndarray
    repeats: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Signals:
        return cls(np.zeros(n), np.zeros(n), np.zeros(n))


def automation_risk(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    settings: RoleSettings,
    signals: Signals | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Risk (0..1) and evidence of every node of a whole-store projection (see module)."""
    n = len(nodes)
    signals = signals or Signals.empty(n)
    scores: dict[str, np.ndarray] = {}
    notes: dict[str, list[str]] = {}

    partners = signals.coaction_partners
    scores["coaction"] = np.minimum(1.0, partners / 5.0)
    notes["coaction"] = [f"co-acted within a minute with {int(p)} accounts" for p in partners]

    texts = signals.template_partners
    scores["template"] = np.minimum(1.0, texts / 5.0)
    notes["template"] = [f"posted the same texts as {int(t)} accounts" for t in texts]

    repeats = signals.repeats
    scores["repeats"] = np.clip((repeats - 2.0) / 8.0, 0.0, 1.0)
    notes["repeats"] = [f"posted one text {int(r)} times" for r in repeats]

    clustering, mutual = _reciprocal(n, edges)
    scores["reciprocal"] = np.where(mutual >= 5, clustering, 0.0)
    notes["reciprocal"] = [
        f"its {int(m)} mutual follows follow each other ({c:.0%} of pairs)"
        for m, c in zip(mutual, clustering, strict=True)
    ]

    burst = _bursts(nodes, edges)
    scores["burst"] = np.minimum(1.0, burst / 30.0)
    notes["burst"] = [f"created with {int(b)} other endorsers of one account" for b in burst]

    shape, shape_notes = _shape(nodes)
    scores["shape"] = shape
    notes["shape"] = shape_notes

    top_share, actions = _single_target(n, edges)
    scores["single_target"] = np.where((actions >= 5) & (top_share >= 0.8), 1.0, 0.0)
    notes["single_target"] = [
        f"{s:.0%} of {int(a)} interactions go to one account"
        for s, a in zip(top_share, actions, strict=True)
    ]

    weights = settings.automation_weights
    keep = np.ones(n)
    for name, values in scores.items():
        keep *= 1.0 - weights.get(name, 0.0) * np.clip(values, 0.0, 1.0)
    risk = np.round(1.0 - keep, 4)
    evidence = []
    for i in range(n):
        fired = [notes[name][i] for name, values in scores.items() if values[i] > 0]
        evidence.append("; ".join(fired))
    return risk, evidence


def _interactions(edges: pd.DataFrame) -> pd.DataFrame:
    return edges[edges["kind"] != "FOLLOWS"] if len(edges) else edges


def _reciprocal(n: int, edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Local clustering of each node in the mutual-follow graph, and its mutual follows."""
    follows = edges[edges["kind"] == "FOLLOWS"] if len(edges) else edges
    if follows.empty:
        return np.zeros(n), np.zeros(n)
    src = follows["src"].to_numpy(dtype=np.int64)
    dst = follows["dst"].to_numpy(dtype=np.int64)
    pairs = pd.DataFrame({"a": np.minimum(src, dst), "b": np.maximum(src, dst)})
    counts = pairs.groupby(["a", "b"]).size()
    mutual = counts[counts >= 2].reset_index()
    if mutual.empty:
        return np.zeros(n), np.zeros(n)
    ends = zip(mutual["a"].tolist(), mutual["b"].tolist(), strict=True)
    graph = ig.Graph(n=n, edges=list(ends))
    clustering = np.nan_to_num(
        np.asarray(graph.transitivity_local_undirected(mode="zero"), dtype=np.float64)
    )
    return clustering, np.asarray(graph.degree(), dtype=np.float64)


def _bursts(nodes: pd.DataFrame, edges: pd.DataFrame) -> np.ndarray:
    """For each node, the largest group of co-endorsers of one target created within the
    same three days (when that is 10+ and 5x chance), itself included; else 0."""
    n = len(nodes)
    out = np.zeros(n)
    created = pd.to_datetime(nodes["created_at"], utc=True, errors="coerce")
    if created.isna().all() or len(edges) == 0:
        return out
    days = (created - pd.Timestamp("1970-01-01", tz="UTC")).dt.days.to_numpy(dtype=np.float64)
    pairs = edges[["src", "dst"]].drop_duplicates()
    pairs = pairs.assign(day=days[pairs["src"].to_numpy()]).dropna(subset=["day"])
    if pairs.empty:
        return out
    known = np.isfinite(days)
    span = max(float(np.nanmax(days) - np.nanmin(days)), 365.0) if known.any() else 365.0
    for offset in (0, 1, 2):
        bucket = pairs.assign(slot=((pairs["day"] + offset) // 3).astype(np.int64))
        per_target = bucket.groupby("dst")["src"].transform("size").to_numpy(dtype=np.float64)
        size = bucket.groupby(["dst", "slot"])["src"].transform("size").to_numpy(np.float64)
        chance = per_target * 3.0 / span
        hot = (size >= 10) & (size >= 5.0 * chance)
        members = bucket["src"].to_numpy()[hot]
        np.maximum.at(out, members, size[hot])
    return out


def _shape(nodes: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    followers = pd.to_numeric(nodes["followers"], errors="coerce").to_numpy(dtype=np.float64)
    following = pd.to_numeric(nodes["following"], errors="coerce").to_numpy(dtype=np.float64)
    lopsided = (following >= 200) & (following >= 10.0 * (np.nan_to_num(followers) + 1.0))
    lopsided &= np.isfinite(following)
    handles = nodes["handle_lc"].fillna("").astype(str)
    digits = handles.str.match(_DIGIT_HANDLE).to_numpy(dtype=bool).copy()
    digits &= ~nodes["has_bio"].fillna(False).to_numpy(dtype=bool)
    shape = np.where(lopsided | digits, 1.0, 0.0)
    notes = [
        "profile: "
        + (
            f"follows {int(fo)}, followed by {int(np.nan_to_num(fr))}"
            if lop
            else "a name of digits and no bio"
        )
        for fo, fr, lop in zip(np.nan_to_num(following), followers, lopsided.tolist(), strict=True)
    ]
    return shape, notes


def _single_target(n: int, edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    acts = _interactions(edges)
    if acts.empty:
        return np.zeros(n), np.zeros(n)
    per_pair = acts.groupby(["src", "dst"])["count"].sum()
    total = per_pair.groupby(level=0).sum()
    top = per_pair.groupby(level=0).max()
    share = np.zeros(n)
    actions = np.zeros(n)
    idx = total.index.to_numpy(dtype=np.int64)
    actions[idx] = total.to_numpy(dtype=np.float64)
    share[idx] = top.to_numpy(dtype=np.float64) / np.maximum(total.to_numpy(np.float64), 1.0)
    return share, actions
