"""The app's cached reads of persons and the scientific record (one computation per store
version): person links, the scientific ranking and the quadrant of an area, and the record
of the person behind an account."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kolmap.graph.store import Scope
from kolmap.ingest.persons import PersonLinks
from kolmap.scoring.science import quadrant, science_scores
from kolmap.ui import state
from kolmap.views.persons import best_axes, person_links, person_record

__all__ = ["links", "quadrant_of", "record_of", "science_of", "tables"]


@st.cache_data(show_spinner=False, max_entries=4)
def _links(version_key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with state.store() as s:
        found = person_links(s, state.settings(), state.taxonomy())
    return found.links, found.members


def links() -> PersonLinks:
    """The store's persons and person links (the user's decisions applied)."""
    found, members = _links(state.version())
    return PersonLinks(found, members)


@st.cache_data(show_spinner=False, max_entries=4)
def _tables(version_key: str) -> dict[str, pd.DataFrame]:
    with state.store() as s:
        return s.science_tables()


def tables() -> dict[str, pd.DataFrame]:
    return _tables(state.version())


@st.cache_data(show_spinner=False, max_entries=32)
def _science(version_key: str, area: str) -> pd.DataFrame:
    return science_scores(tables(), links().members, area or None, state.settings().science)


def science_of(area: str) -> pd.DataFrame:
    """Persons ranked by the scientific score in ``area`` ("" for all areas)."""
    return _science(state.version(), area)


def quadrant_of(area: str) -> pd.DataFrame:
    """The KOL × DOL × science quadrant of ``area`` (the cached KOL ranking gives both axes)."""
    digital = best_axes(state.ranking(Scope(area=area or None), "kol"), links().members)
    table = quadrant(science_of(area), digital, state.settings().science.quadrant_threshold)
    return table


def record_of(identity: str) -> dict[str, pd.DataFrame]:
    """The scientific record of the person behind ``identity`` (an account ``x:123``)."""
    return person_record(tables(), links().members, identity)
