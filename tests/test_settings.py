"""Settings are checked when read: unknown names, wrong types and out-of-range values are a
clear error naming the setting, never a traceback or silently wrong scores."""

from __future__ import annotations

import math

import pytest

from kolmap.errors import ConfigError
from kolmap.settings import RANGES, Settings, allowed, iter_settings, load_settings


def test_every_numeric_setting_declares_its_range():
    numeric = {
        name
        for name, default, _ in iter_settings()
        if (isinstance(default, int | float) and not isinstance(default, bool))
        or isinstance(default, dict)
    }
    assert numeric == set(RANGES)
    for name, default, _ in iter_settings():  # the defaults are in range themselves
        if name in RANGES:
            section, key = name.split(".")
            Settings.from_mapping({section: {key: default}})


@pytest.mark.parametrize(
    ("section", "values", "message"),
    [
        (
            "scoring",
            {"damping": 1.5},
            r"scoring\.damping: 1\.5 is out of range; allowed: 0 < x < 1",
        ),
        ("scoring", {"damping": 1.0}, "allowed: 0 < x < 1"),
        ("scoring", {"damping": math.nan}, r"scoring\.damping: expected a finite number"),
        ("scoring", {"relevance_exponent": math.inf}, "expected a finite number"),
        ("scoring", {"resolution": 0}, "allowed: 0 < x"),
        ("ingest", {"batch_size": -5}, r"ingest\.batch_size: -5 is out of range; allowed: 1 ≤ x"),
        ("roles", {"behaviour_peer_share": 2}, "allowed: 0 ≤ x ≤ 1"),
        ("scoring", {"tier_shares": {"global": 1.5}}, r"scoring\.tier_shares\.global: 1\.5"),
        ("scoring", {"kol_weights": {"peer_pagerank": math.nan}}, "finite"),
    ],
)
def test_out_of_range_values_are_refused(section, values, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_mapping({section: values}, source="kolmap.toml")


def test_environment_values_are_checked_too(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KOLMAP_SCORING_DAMPING", "nan")
    with pytest.raises(ConfigError, match=r"scoring\.damping: expected a finite number"):
        load_settings()
    monkeypatch.setenv("KOLMAP_SCORING_DAMPING", "0.9")
    assert load_settings().scoring.damping == 0.9


def test_allowed_reads_as_a_range():
    assert allowed("scoring.damping") == "0 < x < 1"
    assert allowed("ingest.batch_size") == "1 ≤ x"
    assert allowed("ingest.encoding") == ""


def test_a_settings_path_that_is_a_folder_or_a_device_is_refused(tmp_path):
    from kolmap.settings import read_toml

    with pytest.raises(ConfigError, match="a folder, not a taxonomy file"):
        read_toml(tmp_path, "taxonomy")
    with pytest.raises(ConfigError, match="not a regular file"):
        read_toml("/dev/zero", "taxonomy")  # used to read forever
    assert read_toml("/dev/null", "config") == {}  # `--config /dev/null`: no settings file
