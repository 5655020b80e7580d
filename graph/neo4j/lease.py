"""The version stamp that keeps local copies of a Neo4j graph honest, and the writer's lease.

Every write through kolmap changes the graph's version (a ``KolmapMeta {key: 'graph'}``
node). A reader compares it with its copy's; a writer first *claims* it (compare-and-set in
one transaction, so two writers cannot both build on the same version), renews the claim
every few seconds while it works (a heartbeat), and stamps a new version when done. A claim
not renewed for longer than the lease is taken over: its writer crashed; so is at once the
claim of a process of the same user on the same machine that no longer runs.
"""

from __future__ import annotations

import getpass
import os
import socket

from kolmap.graph.neo4j.driver import Neo4jGraph
from kolmap.graph.store import process_alive

__all__ = ["Lease", "holder", "holder_is_gone"]


class Lease:
    """The version stamp of the graph behind ``graph`` (a :class:`~.driver.Neo4jGraph`)."""

    def __init__(self, graph: Neo4jGraph) -> None:
        self.graph = graph

    def version(self) -> str | None:
        """The graph's version stamp (changed by every write through kolmap), or None."""
        rows = self.graph.run("MATCH (m:KolmapMeta {key: 'graph'}) RETURN m.version AS version")
        return str(rows[0]["version"]) if rows and rows[0]["version"] is not None else None

    def claim_age(self) -> float | None:
        """Seconds since the current version was claimed or last renewed (None if never)."""
        rows = self.graph.run(
            "MATCH (m:KolmapMeta {key: 'graph'}) WHERE m.claimed_at IS NOT NULL "
            "RETURN duration.inSeconds(m.claimed_at, datetime()).seconds AS age"
        )
        return float(rows[0]["age"]) if rows else None

    def renew(self, version: str) -> None:
        """Tell other writers that the writer holding ``version`` is still at work."""
        self.graph.run(
            "MATCH (m:KolmapMeta {key: 'graph'}) WHERE m.version = $version "
            "SET m.claimed_at = datetime()",
            version=version,
        )

    def claim(self, expected: str | None, new: str, holder: str = "") -> bool:
        """Set the version to ``new`` if it is still ``expected`` (one transaction): a
        writer's claim, so two writers cannot both build on the same version. ``holder``
        names the writer (``user@host:pid``, see :func:`holder`)."""
        record = self.graph.write_single(
            "MERGE (m:KolmapMeta {key: 'graph'}) "
            "WITH m, coalesce(m.version, '') AS found "
            "SET m.version = CASE WHEN found = $expected THEN $new ELSE found END, "
            "m.claimed_at = CASE WHEN found = $expected THEN datetime() "
            "ELSE m.claimed_at END, "
            "m.claimed_by = CASE WHEN found = $expected THEN $holder ELSE m.claimed_by END "
            "RETURN found = $expected AS ok",
            expected=expected or "",
            new=new,
            holder=holder,
        )
        return bool(record and record["ok"])

    def claimed_by(self) -> str:
        """Who holds the current claim (``user@host:pid``), or "" if unknown."""
        rows = self.graph.run("MATCH (m:KolmapMeta {key: 'graph'}) RETURN m.claimed_by AS holder")
        return str(rows[0]["holder"] or "") if rows else ""


def holder() -> str:
    """This process as a writer: ``user@host:pid``."""
    return f"{getpass.getuser()}@{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(name: str) -> bool:
    """Whether ``name`` (a :func:`holder`) is a process of this user on this machine that
    no longer runs: its claim can be taken over at once, without waiting for the lease."""
    mine = holder().rsplit(":", 1)[0]
    who, _, pid = name.rpartition(":")
    return who == mine and pid.isdigit() and not process_alive(int(pid))
