"""Docs stay honest (every setting and command documented) and every docstring example runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import kolmap
from kolmap.cli import cli
from kolmap.scoring.rank import COMPONENTS
from kolmap.settings import iter_settings

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text("utf-8")
DOCS = {p.name: p.read_text("utf-8") for p in (REPO / "docs").glob("*.md")}

MODULES = sorted(
    ["kolmap"]
    + [
        m.name
        for m in pkgutil.walk_packages(kolmap.__path__, "kolmap.")
        if not m.name.startswith("kolmap.ui")
    ]
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_module_says_what_it_is_for(name):
    assert (importlib.import_module(name).__doc__ or "").strip(), name


@pytest.mark.parametrize(("setting", "default", "text"), list(iter_settings()))
def test_every_setting_is_documented(setting, default, text):
    assert f"`{setting}`" in DOCS["settings.md"], setting


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme_and_has_help(command):
    assert f"kolmap {command}" in README, command
    assert cli.commands[command].help


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_score_component_is_explained(component):
    assert f"`{component}`" in DOCS["scoring.md"], component


def test_readme_has_the_two_setup_commands():
    assert "make demo" in README and "make test" in README


def test_data_model_doc_names_every_table_and_relation():
    """The relation names come from the model, and the Neo4j store uses exactly those."""
    from kolmap.graph.neo4j.maps import DERIVED, REL_MAPS
    from kolmap.model import Interaction, Relation

    text = DOCS["data-model.md"]
    names = {str(r) for r in Relation} | {str(i) for i in Interaction}
    cypher = " ".join(q for queries in DERIVED.values() for q in queries)
    derived = {t for group in re.findall(r"\[\w*:([A-Z_|]+)\]", cypher) for t in group.split("|")}
    stored = {m.type for m in REL_MAPS} | derived | {"SCORED"}
    assert {"POSTED", "LABELS", "SAME_PERSON", "REPLIES_TO"} <= derived
    assert stored <= names, stored - names
    for word in ("Person", "Account", "Post", "Hashtag", "TherapeuticArea", "provenance", *names):
        assert re.search(rf"\b{word}\b", text), word
    for word in ("HAS_ACCOUNT", "IN_AREA"):  # names the store never used
        assert not re.search(rf"\b{word}\b", text), word
