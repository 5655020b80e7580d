"""What the pages share: the store, cached library calls, privacy, ingest and the shortlist.

The store is opened for each call and closed right after (under one process-wide lock), so
the command line can use the same file between two clicks. Results are cached per store
version (the last ingest run) and per filter, so a filter seen once answers instantly. Large
results (projections, rankings, components, maps) are cached as shared objects without
copying, so pages must never modify them in place (they only derive new frames).
Private individuals are shown as pseudonyms unless the sidebar's switch says otherwise:
:func:`privacy` is the one place that decides, tables of accounts (endorsers, maps) come back
already protected, and pages name accounts through :func:`identity`. The filter bar, the
sidebar and the download button live in :mod:`kolmap.ui.widgets`.
"""

from __future__ import annotations

import dataclasses
import getpass
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from kolmap.errors import KolmapError, StoreLockedError
from kolmap.export.downloads import Download
from kolmap.graph import GraphStore, Projection, Scope, StoreLocation, open_engine, open_store
from kolmap.graph.store import Snapshots
from kolmap.ingest.areas import Taxonomy, taxonomy_for
from kolmap.ingest.congresses import Registry, load_registry
from kolmap.model import AccountKey
from kolmap.scoring.components import compute_components
from kolmap.scoring.explain import community_hashtags, community_summary, endorsers_of
from kolmap.scoring.rank import rank
from kolmap.settings import Settings, load_settings
from kolmap.views.access import may_change as may_change_role
from kolmap.views.access import may_reveal
from kolmap.views.communities import COMMUNITY_MIN_SIZE, describe_communities
from kolmap.views.display import posts_count
from kolmap.views.maps import MapResult, build_map
from kolmap.views.privacy import Privacy, mentioned_handles
from kolmap.views.scope_cache import ScopeCache

_LOCK = threading.Lock()
_SEEN: dict[str, str] = {}  # the store version this process last read
_VERSION_KEY = "_store_version"
KIND_LABELS = {
    "kol": "KOL",
    "dol": "DOL",
    "influencer": "Influencer",
    "organisation": "Organisation",
    "any": "Any account",
}


# -- store and settings --------------------------------------------------------------------
def location() -> str:
    return StoreLocation.resolve(None).text


@contextmanager
def store() -> Iterator[GraphStore]:
    """The store, opened for one call; errors stop the page with a readable message.

    While another process (``kolmap ingest``...) holds the store's file to write, DuckDB
    lets nobody else open it: the app then reads the copy it keeps of the last committed
    version (:func:`refresh_version` writes it), says so on the page, and refuses changes
    until the file is free again.
    """
    with _LOCK:
        try:
            handle = open_store(location(), settings=settings())
            st.session_state.pop(_BUSY_KEY, None)
        except StoreLockedError:
            handle = _snapshot_instead()
        except KolmapError as err:
            st.error(str(err))
            st.stop()
        try:
            yield handle
        except Exception:
            if st.session_state.get(_BUSY_KEY):  # a change, refused by the read-only copy
                st.warning(f"{BUSY_NOTICE} This change was not made: try again when it is done.")
                st.stop()
            raise
        finally:
            handle.close()


_BUSY_KEY = "_store_busy"
_BUSY = "Another kolmap command is writing to the store"
BUSY_NOTICE = f"{_BUSY}: the app shows the data as of the last committed run until it is done."


def _snapshot_instead() -> GraphStore:
    """The read-only copy of the store another process holds; without one, the page stops
    with a word."""
    snapshot = StoreLocation.resolve(location()).snapshot_path()
    if snapshot is None or not snapshot.exists():
        st.warning(f"{_BUSY}. Reload this page when it is done.")
        st.stop()
    st.session_state[_BUSY_KEY] = True
    return open_store(str(snapshot), read_only=True, settings=settings())


def store_busy() -> bool:
    """Whether the last store call read the copy because another process was writing."""
    return bool(st.session_state.get(_BUSY_KEY))


@st.cache_resource
def settings() -> Settings:
    """The settings, except that the app never waits for a store file another process
    holds: it reads its copy of the last committed version instead (see :func:`store`)."""
    loaded = load_settings()
    return dataclasses.replace(loaded, store=dataclasses.replace(loaded.store, lock_wait=0.0))


@st.cache_resource
def congress_registry() -> Registry:
    """The congress registry, completed by the project's file (``ingest.congresses``)."""
    return load_registry(settings().ingest.congresses or None)


@st.cache_resource
def taxonomy() -> Taxonomy:
    return taxonomy_for(settings().ingest)


def version() -> str:
    """Changes whenever the store's data changes (an ingest run, labels, suppressions).

    Every cached call keys on it, a page makes a score of them, and reading it opens the
    store (about 30 ms), so it is read once per script run: ``app.py`` calls
    :func:`refresh_version` first, and so does :func:`clear_caches` after a write.
    """
    known = st.session_state.get(_VERSION_KEY)
    return str(known) if known is not None else refresh_version()


def refresh_version() -> str:
    """Read the store's version (and the size of the current shortlist, which other users
    may change) now and keep it for the rest of this script run."""
    with store() as s:
        value = s.version()
        st.session_state["_shortlist_size"] = len(s.shortlist(shortlist_name()))
        st.session_state["_saved_views"] = s.saved_views()
        if not store_busy():
            _keep_snapshot(s, value)
    st.session_state[_VERSION_KEY] = value
    if _SEEN.setdefault("version", value) != value:
        # Results cached for the old version are never read again; they may hold an
        # account erased since (T29): they leave memory now, not when evicted.
        _SEEN["version"] = value
        _drop_cached_results()
    return value


def _keep_snapshot(s: GraphStore, value: str) -> None:
    """Copy the store for the times another process holds it (see :func:`store`), once per
    store version; about 50 ms for a 100,000-account store."""
    target = StoreLocation.resolve(location()).snapshot_path()
    if target is None or not isinstance(s, Snapshots):
        return
    stamp = target.with_suffix(".version")
    if target.exists() and stamp.exists() and stamp.read_text("utf-8") == value:
        return
    try:
        s.write_snapshot(target)
        stamp.write_text(value, "utf-8")
    except (OSError, KolmapError):
        return  # no copy: the app only loses its answer while another process writes


def saved_views() -> pd.DataFrame:
    """The store's saved views (``name, page, params, owner, updated_at``), read with the
    version: other users may save some."""
    if "_saved_views" not in st.session_state:
        refresh_version()
    return st.session_state["_saved_views"]  # type: ignore[no-any-return]


def save_view(name: str, page: str, params: dict[str, str | list[str]]) -> None:
    """Keep the page ``page`` (its address path) with its filters as the view ``name``."""
    with store() as s:
        s.save_view(name, page, params, owner())
    refresh_version()


def delete_view(name: str) -> None:
    with store() as s:
        s.delete_view(name)
    refresh_version()


def scope_key_of(scope: Scope) -> str:
    return json.dumps(dataclasses.asdict(scope), default=str, sort_keys=True)


def scope_from_key(key: str) -> Scope:
    data = json.loads(key)
    for name in ("since", "until"):
        if data[name]:
            data[name] = datetime.fromisoformat(data[name])
    data["platforms"] = tuple(data["platforms"])
    data["hashtags"] = tuple(data["hashtags"])
    return Scope(**data)


# -- cached library calls ------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def _stats(version_key: str) -> dict[str, Any]:
    with store() as s:
        return s.stats()


def stats() -> dict[str, Any]:
    return _stats(version())


@st.cache_resource(show_spinner=False)
def _scope_cache(store_location: str) -> ScopeCache | None:
    """Computed scopes kept on disk beside the store (None for a store in memory)."""
    folder = StoreLocation.resolve(store_location).cache_dir()
    if folder is None:
        return None
    return ScopeCache(
        folder, settings().scoring, lambda: open_engine(store_location, settings=settings())
    )


@st.cache_data(show_spinner=False)
def _engine_note(store_location: str) -> str:
    with open_engine(store_location, settings=settings()) as (_engine, note):
        return note


def engine_note() -> str:
    """Where the rankings' PageRanks and Leiden run, for a Neo4j store ("" embedded). (A
    server that does not answer has stopped the run before the sidebar, with the error.)"""
    return _engine_note(location())


def _load_projection(scope: Scope) -> Projection:
    with store() as s:
        return s.projection(scope)


@st.cache_resource(show_spinner=False, max_entries=32)
def _projection(version_key: str, scope_key: str) -> Projection:
    scope = scope_from_key(scope_key)
    disk = _scope_cache(location())
    if disk is None:
        return _load_projection(scope)
    return disk.projection(version_key, scope, lambda: _load_projection(scope))


@st.cache_resource(show_spinner=False)
def _warm(version_key: str, store_location: str) -> bool:
    """Once per store version: compute all data, then each area, in the background (with
    no Streamlit call in that thread: it has no page to report to)."""
    disk = _scope_cache(store_location)
    if disk is not None:
        busy = [area for area in stats()["posts_by_area"] if area in taxonomy().areas]
        scopes = [Scope(), *(Scope(area=area) for area in busy)]
        opened_with = settings()

        def load(scope: Scope) -> Projection:
            with _LOCK:
                handle = open_store(store_location, settings=opened_with)
                try:
                    return handle.projection(scope)
                finally:
                    handle.close()

        disk.warm(version_key, scopes, load)
    return True


def warm() -> None:
    """Start computing the scopes a user opens first (see :mod:`kolmap.views.scope_cache`)."""
    _warm(version(), location())


def score_all_data() -> bool:
    """Compute the all-data scope of the store as it is now and keep it on disk, as
    ``kolmap ingest`` does at its end: after an ingest from the app, the first page opened
    reads it instead of computing it. False for a store in memory (nothing to keep)."""
    disk = _scope_cache(location())
    if disk is None:
        return False
    disk.fill(version(), Scope(), _load_projection)
    return True


def projection(scope: Scope) -> Projection:
    return _projection(version(), scope_key_of(scope))


@st.cache_resource(show_spinner=False, max_entries=64)
def _ranking(version_key: str, scope_key: str, kind: str) -> pd.DataFrame:
    proj = _projection(version_key, scope_key)
    return rank(proj, kind, settings().scoring, components=_components(version_key, scope_key))


def ranking(scope: Scope, kind: str) -> pd.DataFrame:
    """The full ranking of ``kind`` in ``scope`` (cached per store version and filter)."""
    return _ranking(version(), scope_key_of(scope), kind)


@st.cache_resource(show_spinner=False, max_entries=32)
def _components(version_key: str, scope_key: str) -> pd.DataFrame:
    disk = _scope_cache(location())
    if disk is None:
        with open_engine(location(), settings=settings()) as (engine, _note):
            projection = _projection(version_key, scope_key)
            return compute_components(projection, settings().scoring, engine)
    return disk.components(
        version_key, scope_from_key(scope_key), lambda: _projection(version_key, scope_key)
    )


def components(scope: Scope) -> pd.DataFrame:
    return _components(version(), scope_key_of(scope))


@st.cache_resource(show_spinner=False, max_entries=32)
def _communities(version_key: str, scope_key: str, hashtags: bool) -> pd.DataFrame:
    proj = _projection(version_key, scope_key)
    comp = _components(version_key, scope_key)
    if not hashtags:
        return community_summary(proj, comp)
    scope = scope_from_key(scope_key)
    groups = proj.nodes[["platform", "account_id"]].assign(group=comp["community"].to_numpy())
    with store() as s:
        tags = community_hashtags(s.top_hashtags_by_group(scope, groups))
    return community_summary(proj, comp, hashtags=tags)


def communities(scope: Scope, *, hashtags: bool = False) -> pd.DataFrame:
    """One row per community in ``scope`` (:func:`~kolmap.scoring.explain.community_summary`);
    with ``hashtags``, their top hashtags too, counted by the store in one query instead of
    reading every post in scope."""
    return _communities(version(), scope_key_of(scope), hashtags)


@st.cache_resource(show_spinner=False, max_entries=32)
def _community_table(version_key: str, scope_key: str, reveal: bool) -> pd.DataFrame:
    summary = _communities(version_key, scope_key, True)
    summary = summary[summary["size"] >= COMMUNITY_MIN_SIZE]
    nodes = _projection(version_key, scope_key).nodes
    described = describe_communities(
        summary,
        nodes,
        _components(version_key, scope_key),
        automation_flag=settings().scoring.automation_flag,
    )
    summary = summary.merge(described, on="community", how="left")
    role_of = dict(
        zip(zip(nodes["platform"], nodes["account_id"], strict=True), nodes["role"], strict=True)
    )
    shown = privacy()
    return summary.assign(
        leaders=[
            ", ".join(shown.identity(p, a, role_of[(p, a)], h) for p, a, h in leaders)
            for leaders in summary["leaders"]
        ],
        top_hashtags=[" ".join(t) for t in summary["top_hashtags"]],
    )


def community_table(scope: Scope) -> pd.DataFrame:
    """The Communities page's table: communities of three or more accounts with a name from
    their members, a possible-ring flag, their hashtags, leaders named as they may be shown
    (cached per switch position)."""
    return _community_table(version(), scope_key_of(scope), show_private())


@st.cache_resource(show_spinner=False, max_entries=64)
def _endorsers(version_key: str, scope_key: str, node: int, incoming: bool) -> pd.DataFrame:
    return endorsers_of(
        _projection(version_key, scope_key),
        node,
        settings().scoring,
        incoming=incoming,
        components=_components(version_key, scope_key),
    )


def endorsers(scope: Scope, node: int, *, incoming: bool = True) -> pd.DataFrame:
    """Who interacts with the account at ``node`` (or whom it interacts with), strongest
    first (:func:`~kolmap.scoring.explain.endorsers_of`), private individuals protected."""
    return privacy().accounts(_endorsers(version(), scope_key_of(scope), node, incoming))


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_graph(
    version_key: str,
    scope_key: str,
    kind: str,
    top: int,
    colour_by: str,
    size_by: str,
    reveal: bool,
) -> MapResult:
    return build_map(
        _projection(version_key, scope_key),
        kind,
        settings().scoring,
        top=top,
        colour_by=colour_by,
        size_by=size_by,
        privacy=privacy(),
        seed=settings().scoring.seed,
        components=_components(version_key, scope_key),
    )


def map_graph(scope: Scope, kind: str, top: int, colour_by: str, size_by: str) -> MapResult:
    """The area map, private individuals protected (cached per switch position)."""
    return _map_graph(version(), scope_key_of(scope), kind, top, colour_by, size_by, show_private())


def ego_map(ego: Projection, kind: str = "kol") -> MapResult:
    """The map of an account's neighbourhood (not cached: it is small)."""
    return build_map(ego, kind, settings().scoring, top=None, privacy=privacy())


@st.cache_data(show_spinner=False, max_entries=32)
def _posts(
    version_key: str, scope_key: str, authors: tuple[tuple[str, str], ...] | None, limit: int | None
) -> pd.DataFrame:
    keys = [AccountKey(p, a) for p, a in authors] if authors is not None else None
    with store() as s:
        return s.posts(scope_from_key(scope_key), authors=keys, limit=limit)


def posts(
    scope: Scope, authors: list[tuple[str, str]] | None = None, limit: int | None = None
) -> pd.DataFrame:
    return _posts(version(), scope_key_of(scope), tuple(authors) if authors else None, limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _top_hashtags(version_key: str, scope_key: str, limit: int) -> pd.DataFrame:
    with store() as s:
        return s.top_hashtags(scope_from_key(scope_key), limit=limit)


def top_hashtags(scope: Scope, limit: int = 200) -> pd.DataFrame:
    return _top_hashtags(version(), scope_key_of(scope), limit)


def clear_caches() -> None:
    """After a write from the app: drop every cached result and read the new version."""
    _drop_cached_results()
    refresh_version()


def _drop_cached_results() -> None:
    st.cache_data.clear()
    for cached in (
        _projection,
        _ranking,
        _components,
        _communities,
        _community_table,
        _endorsers,
        _map_graph,
    ):
        cached.clear()


# -- filter values -------------------------------------------------------------------------
def area_options() -> list[str]:
    """ "" (all data) plus the taxonomy's areas that have posts, busiest first."""
    by_area = stats()["posts_by_area"]
    known = [a for a in by_area if a in taxonomy().areas]
    return ["", *known, *[a for a in taxonomy().ids if a not in by_area]]


def area_name(area: str) -> str:
    """An area by its taxonomy name ("Diabetes & endocrinology"), its id when the taxonomy
    has none."""
    spec = taxonomy().areas.get(area)
    return spec.name if spec else area


def area_label(area: str) -> str:
    if not area:
        return "All data"
    count = stats()["posts_by_area"].get(area, 0)
    return f"{area_name(area)} ({posts_count(count)})"


# -- privacy -------------------------------------------------------------------------------
ROLE_KEY = "_app_role"  # this session's role (ui/access.py settles it before each page)


def may_reveal_identities() -> bool:
    """Whether this session may reveal identities: an admin, in a project that allows it
    (``privacy.allow_identities``)."""
    allowed = settings().privacy.allow_identities
    return allowed and may_reveal(st.session_state.get(ROLE_KEY))


def show_private() -> bool:
    """Whether identities are revealed: the sidebar's switch, where it may be turned on."""
    return bool(st.session_state.get("show_private", False)) and may_reveal_identities()


def privacy() -> Privacy:
    """Protection with the store's key, unless the sidebar's switch reveals identities."""
    if show_private():
        return Privacy.revealed()
    return _protection(location())


@st.cache_resource(show_spinner=False)
def _protection(store_location: str) -> Privacy:
    return Privacy.for_store(store_location, settings().privacy)


def protect(table: pd.DataFrame, proj: Projection) -> pd.DataFrame:
    """A ranking-like table as it may be shown: private individuals pseudonymised (their
    handles in the reasons too) unless the user opted in."""
    return privacy().ranking(table, proj)


def protect_texts(texts: Sequence[Any], platforms: Sequence[Any]) -> list[str]:
    """Post texts as a page may quote them: the private individuals they mention named by
    pseudonym (:meth:`~kolmap.views.privacy.Privacy.mentions`)."""
    guard = privacy()
    if not guard.protects:
        return guard.mentions(texts, platforms, pd.DataFrame())  # the texts, as written
    wanted = {
        (str(p), h)
        for t, p in zip(texts, platforms, strict=True)
        for h in mentioned_handles([str(t or "")])
    }
    with store() as s:
        accounts = s.accounts(handles=sorted(wanted)) if wanted else pd.DataFrame()
    return guard.mentions(texts, platforms, accounts)


def protect_accounts(frame: pd.DataFrame) -> pd.DataFrame:
    """Any table with platform, account_id and role as it may be shown: private individuals'
    id and handle become the pseudonym, and every other identifying column is blanked."""
    return privacy().accounts(frame)


def identity(platform: str, account_id: str, role: str, handle: Any) -> str:
    """How an account is named on screen."""
    return privacy().identity(platform, account_id, role, handle)


def is_hidden(role: Any, is_stub: bool) -> bool:
    """Whether an account's identity is hidden on screen right now."""
    return privacy().is_private(role, is_stub)


def deferred_download(download: Download) -> Callable[[], bytes]:
    """``download``'s contents for a download button, made when the browser asks for them:
    the export log is written first, then the file is served, so no file leaves unlogged.
    (A callback on the click ran on the page's next run, which a user who clicked and went
    to another page at once cut short: the file was saved and the log had no line.) The
    callable runs on a thread of its own, without the page's session: it opens the store
    this session uses, with its settings, and if the log cannot be written nothing is served.
    """
    where, config = location(), settings()

    def contents() -> bytes:
        with _LOCK, open_store(where, settings=config) as s:
            download.log(s)
        return download.data

    return contents


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: Any) -> str:
    """Escape social text for use inside Streamlit markdown (no links, no HTML, no markup)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# -- the session's shortlist (ui/shortlists.py reads and edits it) ---------------------
DEFAULT_SHORTLIST = "Shortlist"


def shortlist_name() -> str:
    """The shortlist being worked on: the address's ``?list=`` (the Shortlist page keeps it
    there, so a link or a reload opens the same list), else the last one chosen in this
    session, else the default one."""
    named = st.query_params.get("list")
    if named:
        st.session_state["_shortlist_name"] = str(named)
    return str(st.session_state.get("_shortlist_name") or DEFAULT_SHORTLIST)


def owner() -> str:
    """Who is making changes, for the shortlists' trail: the sidebar's name, else
    ``$KOLMAP_USER``, else the account running the app."""
    name = st.session_state.get("owner") or os.environ.get("KOLMAP_USER")
    return str(name or getpass.getuser())


def may_change() -> bool:
    """Whether this session's role may change data (shortlists, labels, ingests)."""
    return may_change_role(st.session_state.get(ROLE_KEY))


# -- notices ----------------------------------------------------------------------------
def notify(message: str) -> None:
    """Show ``message`` as a toast on the next run (it survives ``st.rerun``)."""
    st.session_state.setdefault("_notices", []).append(message)


def show_notices() -> None:
    for message in st.session_state.pop("_notices", []):
        st.toast(message)
