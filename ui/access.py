"""Signing in to the app, and the rights of the signed-in role (:mod:`kolmap.views.access`
decides them). :func:`gate` runs before every page: it settles this session's role, and asks
who you are when the store has users. Revealing identities is an admin's, and audited."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from kolmap.ui import state
from kolmap.views.access import role_without_users, verify

__all__ = ["gate", "record_reveal", "sidebar_panel"]

ROLE_KEY = state.ROLE_KEY
USER_KEY = "_app_user"


@st.cache_data(show_spinner=False, max_entries=4)
def _users_of(version_key: str) -> pd.DataFrame:
    with state.store() as s:
        return s.app_users()


def _users() -> pd.DataFrame:
    """The store's users, read once per store version (adding one changes the version)."""
    return _users_of(state.version())


def gate() -> None:
    """Settle the session's role; without one (the store has users and nobody signed in),
    show the sign-in form and stop the page."""
    users = _users()
    if users.empty:
        st.session_state[ROLE_KEY] = role_without_users(os.environ.get("KOLMAP_APP_HOST", ""))
        st.session_state.pop(USER_KEY, None)
        return
    name = st.session_state.get(USER_KEY)
    known = users[users["name"] == name] if name else users.iloc[0:0]
    if not known.empty:  # a role changed or removed since sign-in takes effect at once
        st.session_state[ROLE_KEY] = str(known.iloc[0]["role"])
        return
    st.session_state.pop(ROLE_KEY, None)
    st.title("Sign in")
    st.caption("This store has users: sign in to open kolmap (`kolmap users list`).")
    with st.form("sign_in"):
        who = st.text_input("Name", key="signin_name")
        password = st.text_input("Password", type="password", key="signin_password")
        if st.form_submit_button("Sign in"):
            found = users[users["name"] == who.strip()]
            row = found.iloc[0] if not found.empty else None
            if row is not None and verify(password, str(row["salt"]), str(row["password_hash"])):
                st.session_state[USER_KEY] = who.strip()
                st.session_state[ROLE_KEY] = str(row["role"])
                st.rerun()
            st.error("Unknown name or wrong password.")
    st.stop()


def sidebar_panel() -> None:
    """Who is signed in, with what role, and a way out."""
    role = st.session_state.get(ROLE_KEY)
    name = st.session_state.get(USER_KEY)
    st.caption(f"Signed in as {name} ({role})" if name else f"Single-user store ({role})")
    if name and st.button("Sign out", key="sign_out"):
        for key in (USER_KEY, ROLE_KEY, "show_private"):
            st.session_state.pop(key, None)
        st.rerun()


def record_reveal() -> None:
    """The identity switch was turned on: say who, in the audit trail."""
    if st.session_state.get("show_private"):
        who = st.session_state.get(USER_KEY) or state.owner()
        with state.store() as s:
            s.record_audit(
                "reveal-identities", {"user": who, "role": st.session_state.get(ROLE_KEY)}
            )
