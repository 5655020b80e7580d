"""Every tunable of kolmap, declared once with its default and help text.

Settings come from, in increasing priority: the defaults below, a TOML file
(``kolmap.toml`` in the working folder, or the file named by ``--config`` / ``KOLMAP_CONFIG``),
and ``KOLMAP_<SECTION>_<NAME>`` environment variables for scalar settings. docs/settings.md lists
them all (a test keeps it complete).

>>> s = Settings()
>>> s.scoring.damping
0.85
>>> Settings.from_mapping({"scoring": {"damping": 0.9}}).scoring.damping
0.9
"""

from __future__ import annotations

import difflib
import math
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kolmap.errors import ConfigError
from kolmap.setting_ranges import RANGES, allowed

__all__ = [
    "RANGES",
    "IngestSettings",
    "Neo4jSettings",
    "PrivacySettings",
    "RoleSettings",
    "ScienceSettings",
    "ScoringSettings",
    "Settings",
    "StoreSettings",
    "allowed",
    "iter_settings",
    "load_settings",
    "read_toml",
]


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


# The largest file the app's uploader takes; larger ones are refused there, with a pointer to
# `kolmap ingest`, which reads any size within ``ingest.memory_limit`` (T17).
UPLOAD_LIMIT_MB = 200


@dataclass(frozen=True)
class IngestSettings:
    """How input files are read and validated."""

    batch_size: int = _setting(50_000, "Rows per batch written to the store; bounds memory.")
    memory_limit: str = _setting(
        "512MB",
        "Most memory the embedded store may hold while an ingest reads and merges (past it "
        "DuckDB spills to a file beside the store): with the row batches in flight, this keeps "
        "an ingest's peak memory the same whatever the input's size (docs/reliability.md). "
        "Empty: `store.memory_limit`.",
    )
    bulk_csv: bool = _setting(
        True,
        "Read large canonical posts, follows and accounts CSV files with DuckDB (same records, "
        "about 10x faster); `false` reads every row in Python.",
    )
    max_field_chars: int = _setting(
        1_000_000, "Longest accepted cell, in characters; a longer one sends its row to quarantine."
    )
    tolerance: str = _setting(
        "5%",
        "Rejected rows allowed before a run fails with nothing committed: a count (`0`, `100`) "
        "or a share of rows read (`5%`).",
    )
    encoding: str = _setting(
        "auto",
        "Text encoding of input files: `auto` accepts UTF-8 with or without BOM and refuses "
        "anything else with a hint; or name one (`cp1252`, `latin-1`).",
    )
    column_maps: str = _setting(
        "",
        "Path of a TOML file of extra column maps for flat exports (your listening tool's "
        "layout); same shape as ingest/formats/column_maps.toml.",
    )
    taxonomy: str = _setting(
        "",
        "Path of an extra taxonomy TOML merged into the built-in one (new areas, keywords, "
        "hashtags).",
    )
    congresses: str = _setting(
        "",
        "A congress registry file completing the built-in one (same layout as "
        "ingest/rules/congresses.toml: hashtags, areas, editions; docs/congress.md).",
    )


@dataclass(frozen=True)
class StoreSettings:
    """How kolmap uses its store."""

    memory_limit: str = _setting(
        "4GB",
        "Most memory the embedded DuckDB store may hold (`2GB`, `512MB`); past it, DuckDB "
        "spills to files beside the store. Empty leaves DuckDB's default (80% of RAM).",
    )
    lock_wait: float = _setting(
        10.0,
        "Seconds a command waits for another process (the app, another command) to let go "
        "of the embedded store's file before giving up; the app itself never waits (it "
        "reads its copy of the last committed version).",
    )


@dataclass(frozen=True)
class Neo4jSettings:
    """How kolmap reaches a Neo4j store (the password comes only from the environment:
    ``KOLMAP_NEO4J_PASSWORD``, never from a file)."""

    user: str = _setting("neo4j", "Neo4j user name.")
    database: str = _setting("neo4j", "Neo4j database that holds the kolmap graph.")
    cache_dir: str = _setting(
        "",
        "Folder of the local DuckDB copies of Neo4j graphs (empty: ~/.cache/kolmap/neo4j).",
    )
    server_algorithms: bool = _setting(
        True,
        "Run the rankings' PageRanks and Leiden on the Neo4j server with Graph Data Science "
        "when it has the plugin (false: always in this process).",
    )


@dataclass(frozen=True)
class PrivacySettings:
    """Where the pseudonymisation key lives (the key itself may instead come from
    ``KOLMAP_PSEUDONYM_KEY``)."""

    key_file: str = _setting(
        "",
        "Pseudonymisation key file (empty: `<store>.pseudonym.key` beside an embedded store, "
        "~/.config/kolmap/<digest>.pseudonym.key for a Neo4j store).",
    )
    allow_identities: bool = _setting(
        False,
        "Whether private individuals (patients, the public) may be shown by name: "
        "`--no-pseudonymise` on the command line and an admin's switch in the app. Set it "
        "only with a documented legal basis (GDPR Art. 9 for patients); off, they are "
        "pseudonyms everywhere.",
    )
    purpose: str = _setting(
        "brand",
        "What this project's work is for: `compliance`, `medical_affairs`, `brand` or "
        "`marketing`. Declared payments (Open Payments, Transparence Santé) show only for "
        "compliance and medical affairs; their licence forbids marketing use.",
    )
    retention_days: int = _setting(
        0,
        "Posts older than this many days are removed by `kolmap purge` (their counts per "
        "area and month are kept); 0 keeps them until erased.",
    )


@dataclass(frozen=True)
class RoleSettings:
    """How roles, industry ties and automation risk are derived (docs/roles.md)."""

    behaviour_min_peers: int = _setting(
        5,
        "Distinct HCP or researcher endorsers an account needs to be read as a peer by behaviour.",
    )
    behaviour_peer_share: float = _setting(
        0.5, "Share of an account's identified endorsers that must be peers (behaviour roles)."
    )
    behaviour_min_posts: int = _setting(
        5, "Original posts, half of them in therapeutic areas, that behaviour roles ask for."
    )
    behaviour_endorser_confidence: float = _setting(
        0.5, "Text confidence from which an endorser's role counts in behaviour rules."
    )
    behaviour_max_confidence: float = _setting(
        0.8, "Highest confidence a role inferred from behaviour gets (a clear bio gives more)."
    )
    automation_weights: dict[str, float] = _setting(
        {
            "coaction": 0.85,
            "template": 0.5,
            "repeats": 0.5,
            "reciprocal": 0.5,
            "burst": 0.5,
            "shape": 0.3,
            "single_target": 0.3,
        },
        "Weight of each coordination signal in automation risk (noisy-OR of weight x signal).",
    )
    coaction_window_seconds: int = _setting(
        60, "Width of the time slot in which two accounts acting on one target co-act."
    )
    coaction_min_shared: int = _setting(
        3, "Different targets two accounts must co-act on to count as partners."
    )
    coaction_min_similarity: float = _setting(
        0.1,
        "Share of their activity two co-acting accounts must have in step to count as "
        "partners: co-timed targets / sqrt(targets of each), the cosine of what they act on. "
        "Live-tweeters at one talk share a few of their many targets; a ring acts in step.",
    )
    coaction_max_events: int = _setting(
        2000, "Targets with more actions than this (viral posts) are left out of co-actions."
    )
    template_min_chars: int = _setting(
        15, "Shortest normalised text that counts when two accounts post the same one."
    )
    template_min_shared: int = _setting(
        3, "Identical texts two accounts must both have posted to count as template partners."
    )
    template_max_authors: int = _setting(
        500, "Texts posted by more accounts than this (a greeting, a meme) are left out."
    )
    institution_min_followers: int = _setting(
        50_000,
        "An account without bio or label followed by at least this many is read as an "
        "institution if it also follows very few (next setting).",
    )
    institution_follower_ratio: float = _setting(
        200.0,
        "... that is, if its followers exceed this many times the accounts it follows.",
    )
    industry_min_paid_posts: int = _setting(
        2, "Paid-partnership posts (#ad, #partenariat...) mentioning one brand that make a tie."
    )
    industry_amplification_share: float = _setting(
        0.25,
        "Share of an account's endorsement coming from one brand it endorses back that makes "
        "an industry tie.",
    )


@dataclass(frozen=True)
class ScoringSettings:
    """Weights and parameters of the ranking (docs/scoring.md explains each)."""

    damping: float = _setting(0.85, "PageRank damping factor.")
    seed: int = _setting(42, "Seed for community detection (Leiden); same seed, same result.")
    resolution: float = _setting(1.0, "Leiden modularity resolution; above 1 gives smaller groups.")
    relevance_exponent: float = _setting(
        0.5, "Topic relevance is raised to this power before it multiplies the score."
    )
    relevance_prior_posts: float = _setting(
        3.0, "Pseudo-posts added to an account's post count when computing topic share."
    )
    relevance_full_posts: float = _setting(
        20.0,
        "On-topic posts in scope from which an account is fully relevant whatever else it "
        "posts about (a KOL of two areas); fewer count in proportion.",
    )
    bio_area_posts: float = _setting(
        2.0, "Pseudo on-topic posts credited to an account whose bio or specialty is in the area."
    )
    min_posts_for_engagement: int = _setting(
        5, "Posts needed before an account's mean engagement counts at full weight."
    )
    automation_flag: float = _setting(
        0.5,
        "Automation risk from which an account is flagged: shown, never a trust seed, and its "
        "endorsements left out of behaviour roles.",
    )
    trust_seed_confidence: float = _setting(
        0.8, "Role confidence (from the text, or a label) a trust seed needs."
    )
    trust_seed_outside_endorsers: int = _setting(
        2,
        "Unflagged endorsers from outside its own community a trust seed needs (verified and "
        "labelled accounts need none).",
    )
    trust_share: float = _setting(
        0.5,
        "Share of the even spread of trust from which an account's endorsements count fully "
        "(below, in proportion).",
    )
    trust_leaf_endorsers: int = _setting(
        2,
        "Accounts with fewer unflagged endorsers than this are trusted on their own record "
        "(1 - automation risk): most of an audience is endorsed by nobody.",
    )
    industry_source_weight: float = _setting(
        0.25,
        "Weight of endorsements by industry staff (between an employer and its staff, or two "
        "staff of one employer: 0).",
    )
    include_industry: bool = _setting(
        False,
        "Keep industry staff and paid partners in the KOL, DOL and influencer lists (marked).",
    )
    topic_jump_share: float = _setting(
        0.75,
        "Share of each account's PageRank random jump scaled by its topic relevance (the rest "
        "lands whatever the topic, so off-topic accounts are not unreachable).",
    )
    tier_shares: dict[str, float] = _setting(
        {"global": 0.01, "national": 0.05, "regional": 0.2},
        "Tiers of a ranking: each holds this top share of the candidates of its area and kind "
        "(the narrowest wins); the rest are `local`.",
    )
    tier_min_endorsers: dict[str, float] = _setting(
        {"global": 25, "national": 10, "regional": 3},
        "The least reach of each tier: a candidate with fewer endorsers in the scope falls to "
        "the next tier whose reach it has (`local` needs none).",
    )
    rising_min_endorsers: int = _setting(
        5, "Rising stars: the least endorsers an account needs in the later window."
    )
    rising_prior: float = _setting(
        10.0,
        "Rising stars: growth × n / (n + prior), n the endorsers in the later window; the "
        "larger, the more evidence a rise needs.",
    )
    congress_weights: dict[str, float] = _setting(
        {"pagerank": 0.5, "audience": 0.3, "engagement": 0.2},
        "Weights of the congress view's drivers: influence (PageRank), audience (square root "
        "of followers) and engagement per post.",
    )
    role_weights: dict[str, float] = _setting(
        {
            "hcp": 1.0,
            "researcher": 0.9,
            "organisation": 0.6,
            "media": 0.5,
            "patient": 0.5,
            "public": 0.3,
            "unknown": 0.25,
            "brand": 0.2,
        },
        "Weight of an endorsement (mention, repost, follow...) by the source account's role.",
    )
    stub_weight: float = _setting(
        0.1, "Multiplier on endorsements from stub accounts (known only by a mention or an id)."
    )
    no_bio_weight: float = _setting(
        0.5, "Multiplier on endorsements from accounts with no bio (typical of throwaways)."
    )
    followers_for_full_weight: int = _setting(
        50,
        "Followers an account needs for its endorsements to count fully; below, they count "
        "ln(1+followers)/ln(1+this) (at least 5%). Accounts with unknown followers count fully.",
    )
    interaction_weights: dict[str, float] = _setting(
        {
            "REPOSTS": 1.0,
            "QUOTES": 1.0,
            "MENTIONS": 0.8,
            "REPLIES_TO": 0.6,
            "INTERACTS": 0.6,
            "FOLLOWS": 0.3,
        },
        "Weight of each relation type in the influence graph.",
    )
    kol_weights: dict[str, float] = _setting(
        {"peer_pagerank": 0.5, "peer_endorsers": 0.3, "pagerank": 0.1, "engagement": 0.1},
        "Components of the KOL score: trust-weighted standing among peers (HCPs, researchers).",
    )
    dol_weights: dict[str, float] = _setting(
        {"lay_audience": 0.35, "lay_pagerank": 0.3, "engagement": 0.2, "reach": 0.15},
        "Components of the DOL score: earned reach beyond the peer circle (patients, "
        "caregivers, the public).",
    )
    influencer_weights: dict[str, float] = _setting(
        {"audience_pagerank": 0.4, "audience": 0.25, "engagement": 0.2, "reach": 0.15},
        "Components of the influencer score (patients and other non-HCP individuals).",
    )
    any_weights: dict[str, float] = _setting(
        {"audience_pagerank": 0.4, "audience": 0.25, "engagement": 0.2, "reach": 0.15},
        "Components of the `any` score: every account whatever its role (for data without "
        "bios, where roles cannot be told).",
    )
    organisation_weights: dict[str, float] = _setting(
        {"pagerank": 0.5, "endorsers": 0.3, "engagement": 0.2},
        "Components of the organisation score (institutions, societies, brands, media).",
    )


@dataclass(frozen=True)
class ScienceSettings:
    """Person linking and the scientific score (docs/science.md explains each)."""

    merge_threshold: float = _setting(
        0.9, "Person links at or above this confidence merge identities automatically."
    )
    review_threshold: float = _setting(
        0.5, "Person links from this confidence up to the merge threshold wait for review."
    )
    link_weights: dict[str, float] = _setting(
        {
            "same_name": -1.0,
            "initial_only": -2.0,
            "orcid": 9.0,
            "other_orcid": -9.0,
            "same_town": 2.5,
            "other_town": -2.5,
            "same_institution": 1.5,
            "same_specialty": 2.0,
            "other_specialty": -3.0,
            "shared_area": 0.8,
            "no_shared_area": -1.0,
            "same_url": 5.0,
            "cites_handle": 4.0,
            "same_handle": 2.5,
            "same_platform": -2.0,
        },
        "Log-odds each piece of evidence adds to a person link (confidence = logistic of "
        "the sum); a name match alone stays below review.",
    )
    weights: dict[str, float] = _setting(
        {
            "publications": 0.25,
            "recency": 0.15,
            "leadership": 0.15,
            "coauthor_centrality": 0.15,
            "trials": 0.15,
            "congress": 0.15,
        },
        "Weights of the scientific score's components (each scaled 0..1 within the area).",
    )
    half_life_years: float = _setting(
        3.0, "A publication's recency weight halves every this many years before the newest."
    )
    pubmed_url: str = _setting(
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
        "NCBI E-utilities address `kolmap fetch-pubmed` uses (the API key comes only from "
        "`NCBI_API_KEY`).",
    )
    openalex_url: str = _setting(
        "https://api.openalex.org",
        "OpenAlex API address `kolmap fetch-openalex` uses (an API key only from "
        "`OPENALEX_API_KEY`).",
    )
    quadrant_threshold: float = _setting(
        33.0,
        "On the KOL × DOL × science quadrant, a person is high on an axis at or above this "
        "score (0–100, the best of the area at 100; 33: a third of the best).",
    )


@dataclass(frozen=True)
class Settings:
    """All settings, grouped by section."""

    ingest: IngestSettings = field(default_factory=IngestSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    neo4j: Neo4jSettings = field(default_factory=Neo4jSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    roles: RoleSettings = field(default_factory=RoleSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    science: ScienceSettings = field(default_factory=ScienceSettings)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "settings") -> Settings:
        """Build settings from a nested mapping (as read from TOML), rejecting unknown keys."""
        sections = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for section_name, section_values in data.items():
            if section_name not in sections:
                raise ConfigError(_unknown(source, section_name, sections))
            if not isinstance(section_values, Mapping):
                raise ConfigError(f"{source}: [{section_name}] must be a table")
            default_section = getattr(cls(), section_name)
            values[section_name] = _section_from_mapping(
                default_section, section_values, f"{source}: {section_name}"
            )
        return cls(**values)


def _check_range(name: str, value: Any, where: str) -> None:
    if name not in RANGES:
        return
    items = (
        [(f"{where}.{k}", v) for k, v in value.items()]
        if isinstance(value, Mapping)
        else [(where, value)]
    )
    low, high, low_open, high_open = RANGES[name]
    for place, number in items:
        ok = math.isfinite(number)
        ok = ok and (low is None or (number > low if low_open else number >= low))
        ok = ok and (high is None or (number < high if high_open else number <= high))
        if not ok:
            raise ConfigError(f"{place}: {number!r} is out of range; allowed: {allowed(name)}")


def _section_from_mapping(section: Any, data: Mapping[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(section)}
    section_name = where.rsplit(": ", 1)[-1]
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(_unknown(where, key, known))
        default = getattr(section, key)
        changes[key] = _coerce(default, value, f"{where}.{key}")
        _check_range(f"{section_name}.{key}", changes[key], f"{where}.{key}")
    return replace(section, **changes)


def _coerce(default: Any, value: Any, where: str) -> Any:
    if isinstance(default, dict):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a table of numbers, got {value!r}")
        merged = dict(default)
        for k, v in value.items():
            if k not in default:
                raise ConfigError(_unknown(where, str(k), default))
            merged[k] = _coerce(default[k], v, f"{where}.{k}")
        return merged
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        # From the environment (KOLMAP_SECTION_NAME), a bool arrives as text.
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a whole number, got {value!r}") from None
    if isinstance(default, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: expected a number, got {value!r}") from None
        if not math.isfinite(number):
            raise ConfigError(f"{where}: expected a finite number, got {value!r}")
        return number  # its range is checked by the caller (every number declares one)
    return str(value)


def _unknown(where: str, key: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(known))}"
    return f"{where}: unknown setting {key!r}{hint}"


def iter_settings() -> Iterator[tuple[str, Any, str]]:
    """Yield ``(dotted name, default, help)`` for every setting (for docs and ``kolmap config``)."""
    root = Settings()
    for section_field in fields(root):
        section = getattr(root, section_field.name)
        for f in fields(section):
            yield f"{section_field.name}.{f.name}", getattr(section, f.name), f.metadata["help"]


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """The TOML file a user points kolmap at (settings, taxonomy, column maps).

    A missing, non-UTF-8 or malformed file is a :class:`ConfigError` naming the file and
    ``what`` it was meant to be, never a traceback.

    >>> read_toml("no-such.toml", "taxonomy")
    Traceback (most recent call last):
    kolmap.errors.ConfigError: no-such.toml: taxonomy file not found
    """
    target = Path(path)
    if str(path) == os.devnull:
        return {}  # ``--config /dev/null``: no settings file at all
    if target.is_dir():
        raise ConfigError(f"{path}: a folder, not a {what} file")
    if target.exists() and not target.is_file():
        raise ConfigError(f"{path}: not a regular file (a device or a pipe); {what} refused")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} file not found") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read this {what} file ({err.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not a valid TOML {what}: {err}") from None


def load_settings(config_path: str | Path | None = None) -> Settings:
    """Read defaults, then the TOML file, then ``KOLMAP_SECTION_NAME`` environment variables.

    Without ``config_path``, ``KOLMAP_CONFIG`` or ``./kolmap.toml`` is used when present.
    """
    path = config_path or os.environ.get("KOLMAP_CONFIG") or None
    data: dict[str, Any] = {}
    source = "settings"
    if path is None and Path("kolmap.toml").is_file():
        path = "kolmap.toml"
    if path is not None:
        source = str(path)
        data = read_toml(path, "config")
    for name, default, _help in iter_settings():
        if isinstance(default, dict):
            continue
        env_name = "KOLMAP_" + name.replace(".", "_").upper()
        if env_name in os.environ:
            section, key = name.split(".")
            data.setdefault(section, {})[key] = os.environ[env_name]
    return Settings.from_mapping(data, source=source)
