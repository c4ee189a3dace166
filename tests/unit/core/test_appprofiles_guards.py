"""App-profile guards found by mutation testing (tests/mutation): problems name their
file, a bad entry is skipped without ending the list, bad values fall back to defaults,
and the user file is written exactly as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

import app.core.datafiles as datafiles
from app.core import appprofiles as ap


def test_the_user_file_header_and_format_key() -> None:
    text = ap.dump_profiles([])
    assert text.startswith(
        "# Huashu app profiles (see docs/app-profiles.md). A profile with the id of a\n"
        "# built-in one replaces it.\n"
    )
    assert tomllib.loads(text) == {"format": ap.FORMAT, "profile": []}


def test_problems_of_the_user_file_name_it(tmp_path: Path) -> None:
    path = tmp_path / ap.USER_FILE
    path.write_text('profile = "x"\n', "utf-8")
    profiles, problems = ap.load_user(path)
    assert profiles == []
    assert [p.file for p in problems] == [ap.USER_FILE]
    assert "array of tables" in problems[0].message


def test_problems_of_the_builtin_file_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ap.BUILTIN_FILE).write_text("profile = [1]\n", "utf-8")
    monkeypatch.setattr(datafiles, "data_files", lambda name: tmp_path)
    profiles, problems = ap.load_builtin()
    assert profiles == []
    assert [p.file for p in problems] == [ap.BUILTIN_FILE]


def test_a_non_table_profile_is_skipped_and_the_next_loads() -> None:
    text = 'profile = [1, { id = "b", match = ["b.exe"] }]\n'
    profiles, problems = ap.parse_profiles(text, "f.toml")
    assert [p.id for p in profiles] == ["b"]
    assert [p.file for p in problems] == ["f.toml"]


def test_a_bad_name_or_note_falls_back_to_the_defaults() -> None:
    table = {"id": "qn", "name": 5, "note": 7, "match": ["x"]}
    profile, errors = ap.profile_from_table(table)
    assert profile is not None
    assert profile.name == "qn"
    assert profile.note == ""
    assert errors == ["'name' must be a string", "'note' must be a string"]


def test_a_bad_layout_entry_is_skipped_and_the_next_kept() -> None:
    text = 'apps.aaa = 5\n[apps.zzz]\nside = "left"\nwidth = 300\n'
    assert ap.parse_layouts(text) == {"zzz": ap.PanelLayout("left", 300)}
