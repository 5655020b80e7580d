"""The Profile page's own lines, under AppTest on a copy of the sample store."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from . import test_ui
from .test_ui import add_accounts, open_page

app_store = test_ui.app_store  # the app's store fixture: a copy of the sample


def test_the_specialty_and_evidence_line_reads_cleanly(app_store, tmp_path):
    """A researcher has no specialty and the rules' evidence ends with their confidence: the
    line read "— · evidence: bio:…; rules 0.85 (0.85 confidence)"."""
    add_accounts(
        app_store,
        tmp_path,
        "bio,location\nx,9201,epi_prof,Epi Prof,Assistant professor of epidemiology,Leeds\n",
    )
    at = open_page("profile")
    at.text_input(key="profile_search").set_value("epi_prof").run()
    assert not at.exception, [e.value for e in at.exception]
    line = next(t.value for t in at.text if "confidence" in t.value)
    assert line.startswith("evidence: bio:"), line
    assert "—" not in line and "rules 0." not in line, line
    confidence = line.rsplit("confidence ", 1)[1]
    assert line.count(confidence) == 1 and line.endswith(f"by the rules, confidence {confidence}")
