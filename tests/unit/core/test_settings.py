from __future__ import annotations

from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.settings import (
    APP_HOTKEYS,
    CLIPBOARD_BACKENDS,
    SCHEMA_VERSION,
    Settings,
    SettingsError,
    app_hotkey,
    from_dict_report,
    load_settings,
    read_settings,
    save_settings,
    set_app_hotkey,
)
from app.core.workspace import Workspace


def test_defaults_when_missing(tmp_path: Path) -> None:
    s = load_settings(tmp_path / "settings.toml")
    assert s.picker_hotkey == "ctrl+alt+space"
    assert s.paste_mode == "paste"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    s = Settings()
    s.profile.agent_no = "7"
    s.profile.set_shop("小美服饰旗舰店")
    s.recent_values = {"customer": ["张女士"]}
    save_settings(path, s)
    s2 = load_settings(path)
    assert s2 == s
    assert f"schema_version = {SCHEMA_VERSION}" in path.read_text("utf-8")


def test_newer_schema_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("schema_version = 99\n", "utf-8")
    with pytest.raises(SettingsError, match="newer Huashu"):
        load_settings(path)
    assert path.read_text("utf-8") == "schema_version = 99\n"


def test_v1_is_migrated_and_old_copy_kept(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('schema_version = 1\n[profile]\nagent_id = 12\nshop = "老店"\n', "utf-8")
    s = load_settings(path)
    assert s.profile.agent_no == "12"
    assert s.profile.shops == ["老店"] and s.profile.shop == "老店"
    assert "schema_version = 2" in path.read_text("utf-8")
    assert (tmp_path / "settings.toml.old").exists()


def test_broken_toml_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('schema_version = 2\n[profile\nagent_no = "1"\n', "utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert info.value.problem.line == 2


def test_wrong_value_names_key_and_drops_only_that_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'schema_version = 2\n[paste]\nmode = "shout"\nrestore_delay_ms = 120\n', "utf-8"
    )
    s, problems = read_settings(path)
    assert [p.message for p in problems] == ["paste mode 'shout' must be one of paste, copy, type"]
    assert s.paste_mode == "paste"
    assert s.restore_delay_ms == 120


def test_workspace_keeps_broken_settings_file(huashu_home: Path) -> None:
    paths = Paths(huashu_home)
    huashu_home.mkdir(parents=True)
    paths.settings.write_text("schema_version = [\n", "utf-8")
    ws = Workspace.open(paths)
    assert not ws.settings_ok
    assert any(p.file == "settings.toml" for p in ws.problems)
    with pytest.raises(SettingsError, match="failed to load, so it is not changed"):
        ws.save_settings()
    assert paths.settings.read_text("utf-8") == "schema_version = [\n"
    ws.close()


def test_malformed_old_file_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('profile = "x"\n', "utf-8")  # v1 (no schema_version), profile not a table
    with pytest.raises(SettingsError, match="cannot upgrade from schema_version 1"):
        load_settings(path)
    assert path.read_text("utf-8") == 'profile = "x"\n'


def test_app_hotkeys_by_action() -> None:
    assert APP_HOTKEYS == ("picker", "pause", "suggest", "panel")
    s = Settings()
    assert [app_hotkey(s, a) for a in APP_HOTKEYS] == [
        "ctrl+alt+space",
        "ctrl+alt+p",
        "ctrl+alt+s",
        "ctrl+alt+q",
    ]
    set_app_hotkey(s, "panel", "ctrl+alt+w")
    assert s.panel_hotkey == "ctrl+alt+w" and app_hotkey(s, "panel") == "ctrl+alt+w"
    with pytest.raises(KeyError):
        app_hotkey(s, "profile")  # an attribute that is no app hotkey
    with pytest.raises(KeyError):
        set_app_hotkey(s, "profile", "x")
    assert not hasattr(s, "profile_hotkey")


def test_clipboard_backend_must_be_known() -> None:
    assert CLIPBOARD_BACKENDS == ("auto", "qt", "pyperclip")
    s, problems = from_dict_report({"paste": {"clipboard_backend": "pyperclip"}})
    assert s.clipboard_backend == "pyperclip" and problems == []
    s, problems = from_dict_report({"paste": {"clipboard_backend": "xsel"}})
    assert s.clipboard_backend == "auto"
    assert [p.message for p in problems] == ["clipboard backend must be one of auto, qt, pyperclip"]
