"""Roles from what a profile says: the rules and the model, combined, with evidence.

Rules decide when one of them speaks clearly (a role scoring ``RULE_DECIDES`` or more, see
:func:`~kolmap.ingest.roles.model.rule_decision`): a self-description is the most reliable
evidence there is, and the rules were grown from real bios. Their confidence is the share of
training bios that such a decision (by score and margin over the runner-up) gets right. Where
no rule speaks clearly, the model (:mod:`kolmap.ingest.roles.model`, which also reads the
weak rule scores) decides, with its calibrated probability as the confidence. The evidence
names the rule phrases behind the role, then the rules' or the model's confidence and, when
no rule spoke, the words that weighed most.
Industry affiliation comes from the rules: a strong cue (MSL, medical affairs, #ad...), or a
weak one (works at, founder...) with a named company.

>>> from kolmap.ingest.areas import load_taxonomy
>>> found = classify("Cardiologue interventionnel, PU-PH", "Dr Lina Roux", taxonomy=load_taxonomy())
>>> found.role, found.specialty, found.confidence > 0.8
('hcp', 'cardiologue interventionnel', True)
>>> classify("Medical Science Liaison, oncology | PharmD", "Sam").affiliation
'industry'
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from kolmap.graph.store import TEXT_ROLE_FIELDS
from kolmap.ingest.areas import Taxonomy, load_taxonomy
from kolmap.ingest.roles.model import (
    MODEL_REVISION,
    TRAINING,
    profile_frame,
    profile_hits,
    role_model,
    rule_decision,
)
from kolmap.ingest.roles.rules import CUES, RULES_SOURCE, RuleHits, names_an_area
from kolmap.model import INDUSTRY

__all__ = ["TEXT_VERSION", "TextRole", "classify", "infer_text_roles"]

# Stored text roles are recomputed when the rules (their cues or their code), the training
# set, this module or the model's revision change.
_REVISION = "1"
TEXT_VERSION = hashlib.sha256(
    (_REVISION + MODEL_REVISION).encode()
    + CUES.read_bytes()
    + RULES_SOURCE.read_bytes()
    + Path(__file__).read_bytes()
    + TRAINING.read_bytes()
).hexdigest()[:16]
# Below this probability the model names no role (public or unknown instead): chosen on the
# dev half of the hand-labelled real bios once the model's probabilities were calibrated by
# temperature scaling and the training set grown to 3,231 bios (macro-F1 0.743, 0.743,
# 0.761, 0.754, 0.755 at 0.3 to 0.7).
MODEL_DECIDES = 0.5
# An HCP needs more: with no rule speaking, the model's HCPs are mostly a "Dr" in the name
# beside a bio that says nothing clinical (a PhD, a politician, a lager). Of its 32 HCPs
# among 12,274 unlabelled real bios, 6 of the 19 under 0.65 were clinicians and 7 of the 13
# above; on the dev half its 3 (at 0.51-0.60) were all wrong. Below it the account is
# public, and behaviour (peers who vouch for it, clinical posts) can still make it an HCP.
MODEL_DECIDES_HCP = 0.65
# Roles for which an industry affiliation is meaningful (a brand *is* the industry).
_PERSON_ROLES = ("hcp", "researcher", "patient", "public", "media", "unknown")


@dataclass(frozen=True)
class TextRole:
    """The role a profile's text gives, its calibrated confidence and evidence."""

    role: str
    confidence: float
    evidence: str
    specialty: str | None = None
    specialty_area: str | None = None
    affiliation: str | None = None
    employer: str | None = None
    informative: bool = False


def classify(
    bio: str | None,
    display_name: str | None,
    *,
    handle: str | None = None,
    followers: int | None = None,
    following: int | None = None,
    taxonomy: Taxonomy | None = None,
) -> TextRole:
    """The text role of one profile (see :func:`infer_text_roles` for many at once)."""
    frame = profile_frame(
        [
            {
                "bio": bio,
                "display_name": display_name,
                "handle": handle,
                "followers": followers,
                "following": following,
            }
        ]
    )
    table = infer_text_roles(frame, taxonomy or load_taxonomy())
    row = table.iloc[0]
    return TextRole(
        role=str(row["role"]),
        confidence=float(row["confidence"]),
        evidence=str(row["evidence"] or ""),
        specialty=_none(row["specialty"]),
        specialty_area=_none(row["specialty_area"]),
        affiliation=_none(row["affiliation"]),
        employer=_none(row["employer"]),
        informative=bool(row["informative"]),
    )


def infer_text_roles(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Text roles of the profiles in ``frame`` (``bio, display_name, handle, followers,
    following``, optionally ``verified``), aligned with it: ``role, confidence, evidence,
    specialty, specialty_area, affiliation, employer, informative``."""
    columns = list(TEXT_ROLE_FIELDS)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = profile_frame(frame)
    hits = profile_hits(frame, taxonomy)
    model = role_model()
    undecided = [i for i, found in enumerate(hits) if rule_decision(found) is None]
    probs = model.predict_proba(frame.iloc[undecided], [hits[i] for i in undecided])
    by_model = dict(zip(undecided, probs, strict=True))
    rows: list[dict[str, Any]] = []
    notes: dict[int, str] = {}
    for i, found in enumerate(hits):
        decided = rule_decision(found)
        if decided is not None:
            role, top, margin = decided
            confidence = model.rule_confidence(top, margin)
            evidence = list(dict.fromkeys(found.evidence.get(role, [])))
            evidence.append(f"rules {confidence:.2f}")
        else:
            best = int(by_model[i].argmax())
            role = model.classes[best]
            confidence = round(float(by_model[i][best]), 4)
            needed = MODEL_DECIDES_HCP if role == "hcp" else MODEL_DECIDES
            unsure = confidence < needed
            if role == "patient" and not unsure:
                # A patient is one through a condition: the bio must name an area.
                unsure = not names_an_area(str(frame["bio"].iat[i] or ""), taxonomy)
            if unsure and role not in ("public", "unknown"):
                # An unsure model names no role: the bio says nothing the rules know.
                role = "public" if found.informative else "unknown"
                p = by_model[i][model.classes.index(role)] if role in model.classes else 0.0
                confidence = round(float(max(p, 1.0 - confidence)), 4)
            evidence = list(dict.fromkeys(found.evidence.get(role, [])))
            if not evidence and role not in ("unknown", "public"):
                notes[i] = role  # the model's words are looked up below, all at once
            evidence.append(f"model:{role} {confidence:.2f}")
        specialty = found.specialty if role == "hcp" else None
        affiliation, employer = _industry(found, role)
        rows.append(
            {
                "role": role,
                "confidence": confidence,
                "evidence": "; ".join(evidence),
                "specialty": specialty[1] if specialty else None,
                "specialty_area": specialty[0] if specialty else None,
                "affiliation": affiliation,
                "employer": employer,
                "informative": found.informative,
            }
        )
    wanted = sorted(notes)
    bios = frame["bio"].tolist()
    for i, words in zip(
        wanted, model.top_words([bios[i] for i in wanted], [notes[i] for i in wanted]), strict=True
    ):
        if words:
            rows[i]["evidence"] += " (" + ", ".join(f"'{w}'" for w in words) + ")"
    return pd.DataFrame(rows, columns=columns)


def _industry(found: RuleHits, role: str) -> tuple[str | None, str | None]:
    """``industry`` and the employer when the cues say so for a person's role. A weak cue
    needs a named company; an ``@handle`` employer is confirmed later against the store."""
    if role not in _PERSON_ROLES:
        return None, None
    if found.industry:
        return INDUSTRY, found.employer
    if found.industry_weak and found.employer:
        named = not found.employer.startswith("@")
        return (INDUSTRY if named else "unconfirmed"), found.employer
    return None, None


def _none(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


# Profiles from which classification is split across forked worker processes, one per core.
PARALLEL_ROWS = 20_000
_worker_taxonomy: Taxonomy | None = None


def _start_worker(taxonomy: Taxonomy) -> None:
    global _worker_taxonomy
    _worker_taxonomy = taxonomy


def _infer_part(part: pd.DataFrame) -> pd.DataFrame:
    assert _worker_taxonomy is not None
    return infer_text_roles(part, _worker_taxonomy)


def _infer_many(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """:func:`infer_text_roles`, split over forked workers for many profiles (the model is
    loaded first, so each worker shares it; they never touch the store)."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if len(frame) < PARALLEL_ROWS or workers < 2 or sys.platform != "linux":
        return infer_text_roles(frame, taxonomy)
    role_model()
    size = -(-len(frame) // workers)
    parts = [frame.iloc[i : i + size] for i in range(0, len(frame), size)]
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(taxonomy,),
    ) as pool:
        return pd.concat(list(pool.map(_infer_part, parts)), ignore_index=True)


def text_role_table(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """:func:`infer_text_roles` joined to ``frame``'s keys and ``profile_hash`` (what the
    derivation step stores)."""
    found = _infer_many(frame, taxonomy)
    keys: Mapping[str, Any] = {
        "platform": frame["platform"].to_numpy(),
        "account_id": frame["account_id"].to_numpy(),
        "profile_hash": frame["profile_hash"].to_numpy(),
    }
    return pd.concat([pd.DataFrame(keys), found.reset_index(drop=True)], axis=1)
