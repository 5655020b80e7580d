"""The values each numeric setting of :mod:`kolmap.settings` allows, declared once: what
loading settings checks (out of range, NaN or infinite values are refused, naming the
setting and its range) and what docs/settings.md prints in its "allowed" column.

>>> RANGES["scoring.damping"]
(0.0, 1.0, True, True)
"""

from __future__ import annotations

__all__ = ["RANGES", "allowed"]

# The values each numeric setting allows: (low, high, low excluded, high excluded), None for no
# bound; a table of numbers holds every number to it. Out of range, NaN or infinite values
# are refused when settings are read, naming the setting and its range.
_UNIT = (0.0, 1.0, False, False)
_AT_LEAST_0 = (0.0, None, False, False)
_AT_LEAST_1 = (1.0, None, False, False)
_POSITIVE = (0.0, None, True, False)
RANGES: dict[str, tuple[float | None, float | None, bool, bool]] = {
    "ingest.batch_size": _AT_LEAST_1,
    "ingest.max_field_chars": _AT_LEAST_1,
    "store.lock_wait": _AT_LEAST_0,
    "privacy.retention_days": _AT_LEAST_0,
    "roles.behaviour_min_peers": _AT_LEAST_0,
    "roles.behaviour_peer_share": _UNIT,
    "roles.behaviour_min_posts": _AT_LEAST_0,
    "roles.behaviour_endorser_confidence": _UNIT,
    "roles.behaviour_max_confidence": _UNIT,
    "roles.automation_weights": _AT_LEAST_0,
    "roles.coaction_window_seconds": _AT_LEAST_1,
    "roles.coaction_min_shared": _AT_LEAST_1,
    "roles.coaction_min_similarity": _UNIT,
    "roles.coaction_max_events": _AT_LEAST_1,
    "roles.template_min_chars": _AT_LEAST_1,
    "roles.template_min_shared": _AT_LEAST_1,
    "roles.template_max_authors": _AT_LEAST_1,
    "roles.institution_min_followers": _AT_LEAST_0,
    "roles.institution_follower_ratio": _AT_LEAST_0,
    "roles.industry_min_paid_posts": _AT_LEAST_1,
    "roles.industry_amplification_share": _UNIT,
    "scoring.damping": (0.0, 1.0, True, True),
    "scoring.seed": _AT_LEAST_0,
    "scoring.resolution": _POSITIVE,
    "scoring.relevance_exponent": _AT_LEAST_0,
    "scoring.relevance_prior_posts": _AT_LEAST_0,
    "scoring.relevance_full_posts": _POSITIVE,
    "scoring.bio_area_posts": _AT_LEAST_0,
    "scoring.min_posts_for_engagement": _AT_LEAST_0,
    "scoring.automation_flag": _UNIT,
    "scoring.trust_seed_confidence": _UNIT,
    "scoring.trust_seed_outside_endorsers": _AT_LEAST_0,
    "scoring.trust_share": _UNIT,
    "scoring.trust_leaf_endorsers": _AT_LEAST_0,
    "scoring.industry_source_weight": _UNIT,
    "scoring.topic_jump_share": _UNIT,
    "scoring.tier_shares": _UNIT,
    "scoring.tier_min_endorsers": _AT_LEAST_0,
    "scoring.rising_min_endorsers": _AT_LEAST_1,
    "scoring.rising_prior": _AT_LEAST_0,
    "scoring.congress_weights": _AT_LEAST_0,
    "scoring.role_weights": _AT_LEAST_0,
    "scoring.stub_weight": _UNIT,
    "scoring.no_bio_weight": _UNIT,
    "scoring.followers_for_full_weight": _AT_LEAST_0,
    "scoring.interaction_weights": _AT_LEAST_0,
    "scoring.kol_weights": _AT_LEAST_0,
    "scoring.dol_weights": _AT_LEAST_0,
    "scoring.influencer_weights": _AT_LEAST_0,
    "scoring.any_weights": _AT_LEAST_0,
    "scoring.organisation_weights": _AT_LEAST_0,
    "science.merge_threshold": _UNIT,
    "science.link_weights": (-20.0, 20.0, False, False),
    "science.review_threshold": _UNIT,
    "science.weights": _AT_LEAST_0,
    "science.half_life_years": _POSITIVE,
    "science.quadrant_threshold": (0.0, 100.0, False, False),
}


def allowed(name: str) -> str:
    """The values setting ``name`` allows, in words ("" when any value of its type does).

    >>> allowed("scoring.damping"), allowed("scoring.trust_share"), allowed("ingest.encoding")
    ('0 < x < 1', '0 ≤ x ≤ 1', '')
    """
    if name not in RANGES:
        return ""
    low, high, low_open, high_open = RANGES[name]
    parts = []
    if low is not None:
        parts.append(f"{low:g} {'<' if low_open else '≤'} ")
    parts.append("x")
    if high is not None:
        parts.append(f" {'<' if high_open else '≤'} {high:g}")
    return "".join(parts)
