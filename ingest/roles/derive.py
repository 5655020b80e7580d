"""The derivation step of an ingest run: roles, industry ties and automation risk.

It runs after the run's rows are merged, inside the same transaction (see
``GraphStore.ingest``), over the whole store, because what an account is depends on the
others: who endorses it, who acts in step with it. In order:

1. text roles for the profiles that changed (:mod:`.text`: rules and model);
2. automation risk for every account (:mod:`.automation`);
3. behaviour roles for accounts whose text says too little (:mod:`.behaviour`);
4. industry ties: from the text, confirmed ``@handle`` employers, paid partnerships and
   employer amplification.

The result is written to each account's ``inferred_role, role_confidence, role_evidence,
role_source, inferred_specialty, affiliation, employer, automation_risk,
automation_evidence``; a user label still wins over all of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kolmap.graph.store import Derivation
from kolmap.ingest.areas import Taxonomy
from kolmap.ingest.roles.automation import Signals, automation_risk
from kolmap.ingest.roles.behaviour import behaviour_roles, industry_ties
from kolmap.ingest.roles.rules import paid_partnership_tags
from kolmap.ingest.roles.text import TEXT_VERSION, text_role_table
from kolmap.model import INDUSTRY
from kolmap.settings import RoleSettings, Settings

__all__ = ["derive_accounts"]


def derive_accounts(ctx: Derivation, taxonomy: Taxonomy, settings: Settings) -> dict[str, Any]:
    """Run the derivation step on ``ctx`` (see module doc); returns counts for the run."""
    flag = settings.scoring.automation_flag
    roles_settings = settings.roles
    # Text roles read the taxonomy (specialties, areas a bio names): a changed one reclassifies.
    version = f"{TEXT_VERSION}-{taxonomy.digest}"
    work = ctx.profiles_to_classify(version)
    if not work.empty:
        ctx.save_text_roles(text_role_table(work, taxonomy))
    nodes = ctx.accounts()
    projection = ctx.projection()
    edges = _align(nodes, projection.nodes, projection.edges)
    keys = pd.Series(
        np.arange(len(nodes)), index=pd.MultiIndex.from_frame(nodes[["platform", "account_id"]])
    )

    signals = _signals(ctx, nodes, keys, roles_settings)
    risk, risk_evidence = automation_risk(nodes, edges, roles_settings, signals)
    posts = _post_profile(ctx.area_posts(), keys, len(nodes))
    behaviour = behaviour_roles(nodes, edges, posts, risk, roles_settings, flag)

    by_behaviour = behaviour["role"].notna().to_numpy()
    text_role = nodes["text_role"].astype(str).to_numpy()
    role = np.where(by_behaviour, behaviour["role"].fillna("").to_numpy(), text_role)
    confidence = np.where(
        by_behaviour,
        behaviour["confidence"].to_numpy(dtype=np.float64),
        nodes["text_confidence"].to_numpy(dtype=np.float64),
    )
    evidence = np.where(
        by_behaviour, behaviour["evidence"].to_numpy(), nodes["text_evidence"].fillna("").to_numpy()
    )
    stub = nodes["is_stub"].to_numpy(dtype=bool)
    none = np.full(len(nodes), None, dtype=object)
    source = np.where(stub, none, np.where(by_behaviour, "behaviour", "text"))
    specialty = np.where(role == "hcp", nodes["specialty"].to_numpy(dtype=object), none)

    affiliation, employer, tie_evidence = _industry(ctx, nodes, edges, keys, role, roles_settings)
    evidence = np.array(
        [
            e + ("; " + t if t else "") if e else t
            for e, t in zip(evidence, tie_evidence, strict=True)
        ],
        dtype=object,
    )
    table = pd.DataFrame(
        {
            "platform": nodes["platform"],
            "account_id": nodes["account_id"],
            "inferred_role": np.where(stub, "unknown", role),
            "role_confidence": np.where(stub, none, np.round(confidence, 4)),
            "role_evidence": np.where(stub | (evidence == ""), none, evidence),
            "role_source": source,
            "inferred_specialty": specialty,
            "affiliation": affiliation,
            "employer": employer,
            "automation_risk": risk,
            "automation_evidence": [e or None for e in risk_evidence],
        }
    )
    changed = ctx.write_derived(table)
    withheld = ctx.withhold_patient_details(version)
    return {
        "patients_withheld": withheld,
        "text_classified": len(work),
        "roles_from_behaviour": int(by_behaviour.sum()),
        "industry": int((affiliation == INDUSTRY).sum()),
        "automation_flagged": int((risk >= flag).sum()),
        "accounts_changed": changed,
    }


def _align(nodes: pd.DataFrame, proj_nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """The projection's edges with ``src``/``dst`` as positions in ``nodes``."""
    same = (
        len(proj_nodes) == len(nodes)
        and (proj_nodes["platform"].to_numpy() == nodes["platform"].to_numpy()).all()
        and (proj_nodes["account_id"].to_numpy() == nodes["account_id"].to_numpy()).all()
    )
    if same or edges.empty:
        return edges
    index = pd.Series(
        np.arange(len(nodes)), index=pd.MultiIndex.from_frame(nodes[["platform", "account_id"]])
    )
    where = index.reindex(pd.MultiIndex.from_frame(proj_nodes[["platform", "account_id"]]))
    mapping = where.to_numpy(dtype=np.float64)
    out = edges.copy()
    out["src"] = mapping[edges["src"].to_numpy()]
    out["dst"] = mapping[edges["dst"].to_numpy()]
    out = out.dropna(subset=["src", "dst"])
    return out.astype({"src": np.int64, "dst": np.int64})


def _positions(keys: pd.Series, platform: pd.Series, account: pd.Series) -> np.ndarray:
    found = keys.reindex(pd.MultiIndex.from_arrays([platform, account]))
    return np.asarray(found.to_numpy(dtype=np.float64))


def _signals(
    ctx: Derivation, nodes: pd.DataFrame, keys: pd.Series, settings: RoleSettings
) -> Signals:
    n = len(nodes)
    signals = Signals.empty(n)
    pairs = ctx.coactions(
        settings.coaction_window_seconds,
        settings.coaction_max_events,
        settings.coaction_min_shared,
        settings.coaction_min_similarity,
    )
    signals.coaction_partners = _partners(keys, pairs, settings.coaction_min_shared, n)
    texts = ctx.shared_texts(
        settings.template_min_chars, settings.template_max_authors, settings.template_min_shared
    )
    signals.template_partners = _partners(keys, texts, settings.template_min_shared, n)
    repeats = ctx.own_repeats(settings.template_min_chars)
    if not repeats.empty:
        at = _positions(keys, repeats["platform"], repeats["account_id"])
        known = np.isfinite(at)
        signals.repeats[at[known].astype(np.int64)] = repeats["repeats"].to_numpy(np.float64)[known]
    return signals


def _partners(keys: pd.Series, pairs: pd.DataFrame, min_shared: int, n: int) -> np.ndarray:
    """How many partners each node has among ``pairs`` (``platform, a, b, shared``) that
    share at least ``min_shared`` things."""
    pairs = pairs[pairs["shared"] >= min_shared]
    if pairs.empty:
        return np.zeros(n)
    ends = np.concatenate(
        [
            _positions(keys, pairs["platform"], pairs["a"]),
            _positions(keys, pairs["platform"], pairs["b"]),
        ]
    )
    ends = ends[np.isfinite(ends)].astype(np.int64)
    return np.bincount(ends, minlength=n).astype(np.float64)


def _post_profile(area_posts: pd.DataFrame, keys: pd.Series, n: int) -> pd.DataFrame:
    """``originals``, ``on_topic`` and ``top_area`` per node from :meth:`area_posts`."""
    out = pd.DataFrame({"originals": np.zeros(n), "on_topic": np.zeros(n), "top_area": [None] * n})
    if area_posts.empty:
        return out
    at = _positions(keys, area_posts["platform"], area_posts["account_id"])
    rows = area_posts.assign(at=at).dropna(subset=["at"])
    rows = rows.astype({"at": np.int64})
    for area, column in (("", "originals"), ("*", "on_topic")):
        part = rows[rows["area"] == area]
        out.loc[part["at"].to_numpy(), column] = part["posts"].to_numpy(dtype=np.float64)
    areas = rows[~rows["area"].isin(["", "*"])].sort_values(
        ["at", "posts", "area"], ascending=[True, False, True]
    )
    first = areas.drop_duplicates("at")
    out.loc[first["at"].to_numpy(), "top_area"] = first["area"].to_numpy()
    return out


def _industry(
    ctx: Derivation,
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    keys: pd.Series,
    role: np.ndarray,
    settings: RoleSettings,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``affiliation``, ``employer`` and extra evidence per node (see module doc)."""
    n = len(nodes)
    labels = nodes["label_role"]
    roles = np.where(labels.notna(), labels.fillna("").astype(str), role).astype(object)
    handles = nodes["handle_lc"].fillna("").astype(str).to_numpy()
    text_aff = nodes["text_affiliation"].fillna("").astype(str).to_numpy()
    text_emp = nodes["text_employer"].to_numpy(dtype=object)
    none = np.full(n, None, dtype=object)
    affiliation = np.where(text_aff == INDUSTRY, INDUSTRY, none).astype(object)
    employer = np.where(text_aff == INDUSTRY, text_emp, none).astype(object)
    evidence = [""] * n
    # An @handle employer counts when that handle is a brand account on the same platform.
    by_handle = pd.Series(
        np.arange(n), index=pd.MultiIndex.from_arrays([nodes["platform"], handles])
    )
    by_handle = by_handle[~by_handle.index.duplicated()]
    for i in np.flatnonzero(text_aff == "unconfirmed"):
        handle = str(text_emp[i] or "").lstrip("@").lower()
        j = by_handle.get((nodes["platform"].iloc[i], handle))
        if j is not None and roles[int(j)] == "brand":
            affiliation[i] = INDUSTRY
            employer[i] = "@" + handle
            evidence[i] = f"bio names the brand account @{handle}"
    paid = ctx.paid_mentions(paid_partnership_tags())
    if len(paid):
        src = _positions(keys, paid["platform"], paid["account_id"])
        dst = _positions(keys, paid["platform"], paid["mentioned_id"])
        ok = np.isfinite(src) & np.isfinite(dst)
        paid = pd.DataFrame(
            {"src": src[ok].astype(np.int64), "dst": dst[ok].astype(np.int64),
             "posts": paid["posts"].to_numpy()[ok]}
        )  # fmt: skip
    else:
        paid = pd.DataFrame({"src": [], "dst": [], "posts": []})
    flagged, brand_at, tie_notes = industry_ties(nodes, edges, paid, roles, settings)
    for i in np.flatnonzero(flagged & (affiliation != INDUSTRY)):
        affiliation[i] = INDUSTRY
        employer[i] = "@" + handles[brand_at[i]] if handles[brand_at[i]] else None
        evidence[i] = tie_notes[i]
    stub = nodes["is_stub"].to_numpy(dtype=bool)
    affiliation[stub] = None
    employer[stub] = None
    return affiliation, employer, evidence
