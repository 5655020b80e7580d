"""Network files: GraphML, GML, and plain edge or contact lists, as imported relations.

A network file has accounts (nodes) and relations (edges) but no posts. Nodes become
accounts keyed by their name when it looks like a handle (``@name`` ids, folded into real
accounts when their ids arrive) or by their id; edges become imported relations (the
``edges`` records of docs/data-model.md) whose type comes from the edge's ``type``/``kind``
attribute, else the file name ("mentions", "replies", "retweets", "follow"), else
``INTERACTS``. Parallel edges add up. The platform is ``--platform`` (``network`` when not
given: a network not tied to a social platform).

Plain lists are whitespace- or comma-separated ``source target`` (or ``time source target``
for contact lists such as SocioPatterns). A sibling ``*node*name*`` file (``node_id,name``)
names the nodes; a sibling ``*metadata*`` file (``node role``) labels their roles
(``MED``/``NUR`` → hcp, ``PAT`` → patient, ``ADM`` → public).

>>> relation_from_name("amca19_mentions_k3.graphml"), relation_from_name("x.gml")
('MENTIONS', 'INTERACTS')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd

from kolmap.errors import InputError
from kolmap.ingest.formats.canonical import RowError, parse_edge, parse_follow, parse_label
from kolmap.ingest.formats.records import account
from kolmap.ingest.formats.spec import FormatSpec, Item, Parsed, ReadOptions
from kolmap.ingest.io.rows import Rejected

__all__ = [
    "EDGE_LIST",
    "GML",
    "GRAPHML",
    "NETWORK_FORMATS",
    "UNTIED",
    "platform_hint",
    "read_edge_list",
    "read_gml",
    "read_graphml",
    "relation_from_name",
    "sniff_edge_list",
    "sniff_gml",
    "sniff_graphml",
]

Records = list[tuple[str, dict[str, Any]]]
_HANDLE = re.compile(r"^@?[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")
_RELATIONS = (
    ("mention", "MENTIONS"),
    ("repl", "REPLIES_TO"),
    ("retweet", "REPOSTS"),
    ("repost", "REPOSTS"),
    ("quote", "QUOTES"),
    ("follow", "FOLLOWS"),
)
SELF_LOOP = "self-relation-ignored"  # counted with the file's notes; not a relation
_ROLES = {"MED": "hcp", "NUR": "hcp", "DOC": "hcp", "PAT": "patient", "ADM": "public"}


def relation_from_name(name: str) -> str:
    """The relation a file's name announces (``INTERACTS`` when it names none)."""
    lowered = name.lower()
    for word, relation in _RELATIONS:
        if word in lowered:
            return relation
    return "INTERACTS"


# The platform of a network file's accounts when ``--platform`` names none.
UNTIED = "network"
# From this share of a network's handles found on one platform, the ingest suggests it.
_SAME_HANDLES = 0.5


def _platform(options: ReadOptions) -> str:
    return options.platform or UNTIED


def platform_hint(accounts: pd.DataFrame) -> str | None:
    """What to say when the accounts of network files read without ``--platform`` (platform
    ``network``) mostly share their handles with another platform's accounts in the store:
    a publisher's mention graph of the tweets it came with (the real ISMB/ECCB 2017 files)
    made every person two accounts, ranked twice. None otherwise; nothing is merged, since
    only the user knows whether the graph is of that platform.

    >>> frame = pd.DataFrame({"platform": ["network", "network", "x", "x"],
    ...                       "handle": ["Ana", "ben", "ana", "cy"]})
    >>> platform_hint(frame)[:76]
    "1 of the 2 accounts of network files (platform 'network') share their handle"
    """
    handles = accounts["handle"].astype("string").str.lower()
    untied = accounts["platform"].eq(UNTIED) & handles.notna()
    mine = set(handles[untied])
    if not mine:
        return None
    counts = {
        str(platform): len(mine & set(group.dropna()))
        for platform, group in handles[~untied].groupby(accounts["platform"][~untied])
    }
    platform, shared = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
    if shared < _SAME_HANDLES * len(mine):
        return None
    return (
        f"{shared:,} of the {len(mine):,} accounts of network files (platform '{UNTIED}') share "
        f"their handle with accounts of platform {platform} in the store: if the network is "
        f"of {platform}, "
        f"they are the same people, listed and ranked twice; ingest those files again with "
        f"--platform {platform} into a new store (with the others) to read them as one"
    )


def _node_account(platform: str, node_id: str, name: str | None) -> tuple[str, dict[str, Any]]:
    """(account id, record) for a node: a handle-like name keys it by handle. A node only
    refers to an account, so its record fills gaps and never overrides richer data."""
    if name and _HANDLE.match(name) and not name.isdigit():
        handle = name.lstrip("@")
        return "@" + handle.lower(), account(platform, "@" + handle, handle, reference=True)
    return node_id, account(platform, node_id, None, reference=True, display_name=name or "")


def _relation(
    platform: str, src: str, dst: str, kind: str, count: int
) -> tuple[str, dict[str, Any]]:
    if kind == "FOLLOWS":
        return "follows", parse_follow(
            {"platform": platform, "follower_id": src, "followed_id": dst}, handle_ids=True
        )
    return "edges", parse_edge(
        {"platform": platform, "src_id": src, "dst_id": dst, "kind": kind, "count": str(count)},
        handle_ids=True,
    )


# -- GraphML ----------------------------------------------------------------------------------
def sniff_graphml(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".graphml" or (
        path.suffix.lower() == ".xml" and b"<graphml" in head[:2048]
    )


def read_graphml(path: Path, options: ReadOptions) -> Iterator[Item]:
    """Nodes then edges of a GraphML file, streamed (Python's expat refuses entity bombs)."""
    platform = _platform(options)
    name = str(path)
    default_kind = relation_from_name(path.name)
    keys: dict[str, str] = {}
    ids: dict[str, str] = {}
    position = 0  # the n-th node or edge element: ElementTree gives no line numbers
    try:
        for _event, element in ElementTree.iterparse(path, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "key":
                keys[element.get("id", "")] = element.get("attr.name", "").lower()
            elif tag in ("node", "edge"):
                data = {
                    keys.get(d.get("key", ""), d.get("key", "")): (d.text or "").strip()
                    for d in element
                    if d.tag.rsplit("}", 1)[-1] == "data"
                }
                position += 1
                line = position
                try:
                    if tag == "node":
                        node_id = element.get("id", "")
                        label = (
                            data.get("name")
                            or data.get("screen_name")
                            or data.get("label")
                            or data.get("id")
                        )
                        key, record = _node_account(platform, node_id, label)
                        ids[node_id] = key
                        yield Parsed(line, [("accounts", record)])
                    else:
                        src, dst = element.get("source", ""), element.get("target", "")
                        if ids.get(src, src) == ids.get(dst, dst):
                            yield Parsed(line, [], [SELF_LOOP])
                            element.clear()
                            continue
                        kind = (
                            data.get("type")
                            or data.get("kind")
                            or data.get("relation")
                            or default_kind
                        ).upper()
                        count = int(float(data.get("weight") or data.get("count") or 1))
                        yield Parsed(
                            line,
                            [
                                _relation(
                                    platform, ids.get(src, src), ids.get(dst, dst), kind, count
                                )
                            ],
                        )
                except (RowError, ValueError) as err:
                    yield Rejected(
                        name,
                        line,
                        str(err),
                        ElementTree.tostring(element, encoding="unicode")[:10_000],
                    )
                element.clear()
    except ElementTree.ParseError as err:
        raise InputError(f"{name}: not valid GraphML/XML ({err})") from None


# -- GML --------------------------------------------------------------------------------------
def sniff_gml(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".gml"


def read_gml(path: Path, options: ReadOptions) -> Iterator[Item]:
    """A GML graph through networkx's reader (the reference implementation of the format)."""
    import networkx as nx

    platform = _platform(options)
    try:
        graph = nx.read_gml(path, label="id")
    except (nx.NetworkXError, ValueError, OSError) as err:
        raise InputError(f"{path}: not a readable GML graph ({err})") from None
    default_kind = relation_from_name(path.name)
    ids = {}
    for position, (node, attrs) in enumerate(graph.nodes(data=True), start=1):
        label = attrs.get("label")
        key, record = _node_account(platform, str(node), str(label) if label else None)
        ids[node] = key
        yield Parsed(position, [("accounts", record)])
    for position, (u, v, attrs) in enumerate(graph.edges(data=True), start=1):
        kind = str(attrs.get("type") or attrs.get("kind") or default_kind).upper()
        count = int(float(attrs.get("value") or attrs.get("weight") or 1))
        if ids[u] == ids[v]:
            yield Parsed(graph.number_of_nodes() + position, [], [SELF_LOOP])
            continue
        try:
            records = [_relation(platform, ids[u], ids[v], kind, count)]
            if not graph.is_directed() and kind != "FOLLOWS":
                records.append(_relation(platform, ids[v], ids[u], kind, count))
            yield Parsed(graph.number_of_nodes() + position, records)
        except RowError as err:
            yield Rejected(str(path), graph.number_of_nodes() + position, str(err), f"{u} {v}")


# -- edge and contact lists ---------------------------------------------------------------------
_NUMBERS = re.compile(rb"^\s*\d+[\s,;]+\d+([\s,;]+\d+)?\s*$")


def sniff_edge_list(path: Path, head: bytes) -> bool:
    if path.suffix.lower() not in (".txt", ".dat", ".edges", ".tsv", ".csv"):
        return False
    lines = [line for line in head.splitlines()[:20] if line.strip()]
    return len(lines) >= 2 and all(_NUMBERS.match(line) for line in lines[:-1])


def sidecar_kind(path: Path) -> str | None:
    """What an edge list's sibling file gives it: ``"node names"`` (a ``*node*name*`` file),
    ``"node roles"`` (a ``*metadata*`` file), or None.

    >>> sidecar_kind(Path("node_names.csv")), sidecar_kind(Path("posts.csv"))
    ('node names', None)
    """
    lowered = path.name.lower()
    if "name" in lowered and "node" in lowered:
        return "node names"
    if "metadata" in lowered:
        return "node roles"
    return None


@lru_cache(maxsize=16)
def _sidecars(folder: Path, stem: str) -> tuple[dict[str, str], dict[str, str]]:
    """(node names, node roles) from sibling files of an edge list."""
    names: dict[str, str] = {}
    roles: dict[str, str] = {}
    for sibling in sorted(folder.iterdir()):
        kind = sidecar_kind(sibling)
        if sibling.stem == stem or not sibling.is_file():
            continue
        if kind == "node names":
            for line in sibling.read_text("utf-8", errors="replace").splitlines()[1:]:
                node, _, label = line.partition(",")
                if node.strip() and label.strip():
                    names[node.strip()] = label.strip()
        elif kind == "node roles":
            for line in sibling.read_text("utf-8", errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[-1].upper() in _ROLES:
                    roles[parts[-2]] = _ROLES[parts[-1].upper()]
    return names, roles


def read_edge_list(path: Path, options: ReadOptions) -> Iterator[Item]:
    platform = _platform(options)
    name = str(path)
    kind = relation_from_name(path.name)
    names, roles = _sidecars(path.parent, path.stem)
    # Names key accounts by handle only if they are unique; repeated names are display names.
    unique = len(set(names.values())) == len(names)
    handles = names if unique else {}
    seen: set[str] = set()
    with path.open("r", encoding="utf-8", errors="strict") as fh:
        for number, line in enumerate(fh, start=1):
            parts = re.split(r"[\s,;]+", line.strip())
            if not line.strip():
                continue
            if not all(p.isdigit() for p in parts) or len(parts) not in (2, 3):
                yield Rejected(
                    name,
                    number,
                    "expected 'source target' or 'time source target' as whole numbers",
                    line[:10_000],
                )
                continue
            if number == 1 and len(parts) == 2 and names and int(parts[0]) >= len(names) - 1:
                continue  # a "nodes edges" header line (as in SNAP-style files)
            src, dst = parts[-2], parts[-1]
            if src == dst:
                yield Parsed(number, [], [SELF_LOOP])
                continue
            records: Records = []
            ids = []
            for node in (src, dst):
                key, record = _node_account(platform, node, handles.get(node))
                if not unique and node in names:
                    record["display_name"] = names[node]
                ids.append(key)
                if node not in seen:
                    seen.add(node)
                    records.append(("accounts", record))
                    if node in roles and key == node:
                        records.append(
                            (
                                "labels",
                                parse_label(
                                    {"platform": platform, "account_id": node, "role": roles[node]}
                                ),
                            )
                        )
            try:
                records.append(_relation(platform, ids[0], ids[1], kind, 1))
                if len(parts) == 3:  # a contact (time source target) goes both ways
                    records.append(_relation(platform, ids[1], ids[0], kind, 1))
            except RowError as err:
                yield Rejected(name, number, str(err), line[:10_000])
                continue
            yield Parsed(number, records)


GRAPHML = FormatSpec(
    "graphml",
    "GraphML network (nodes as accounts, edges as relations)",
    sniff_graphml,
    read_graphml,
)


GML = FormatSpec(
    "gml",
    "GML network (nodes as accounts, edges as relations)",
    sniff_gml,
    read_gml,
)


EDGE_LIST = FormatSpec(
    "edge-list",
    "Plain edge or contact list ('source target' or 'time source "
    "target'), with optional node-name and role sidecar files",
    sniff_edge_list,
    read_edge_list,
)


NETWORK_FORMATS = (GRAPHML.name, GML.name, EDGE_LIST.name)
