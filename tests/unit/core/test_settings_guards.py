"""Settings guards found by mutation testing (tests/mutation): the file's exact layout,
every value read back from its own key, wrong values falling back to their defaults, the
v1 upgrade, and problems naming the settings file."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Any

import pytest

import app.core.settings as settings_module
from app.core.model import Profile
from app.core.settings import (
    SCHEMA_VERSION,
    Settings,
    SettingsError,
    app_hotkey,
    from_dict,
    from_dict_report,
    migrate,
    read_settings,
    set_app_hotkey,
)


def _custom() -> Settings:
    return Settings(
        profile=Profile(
            agent_no="7", agent_name="小王", shops=["甲店", "乙店"], active_shop="乙店"
        ),
        picker_hotkey="ctrl+alt+1",
        pause_hotkey="ctrl+alt+2",
        suggest_hotkey="ctrl+alt+3",
        panel_hotkey="ctrl+alt+4",
        paste_mode="type",
        restore_delay_ms=900,
        hotkey_backend="x11",
        clipboard_backend="qt",
        language="en",
        autostart=True,
        recent_values={"单号": ["1", "2"]},
        subscriptions=["/team/pack.toml"],
    )


def test_the_file_layout_is_exactly_the_documented_one() -> None:
    assert _custom().to_data() == {
        "schema_version": SCHEMA_VERSION,
        "language": "en",
        "autostart": True,
        "profile": {
            "agent_no": "7",
            "agent_name": "小王",
            "shops": ["甲店", "乙店"],
            "active_shop": "乙店",
        },
        "hotkeys": {
            "picker": "ctrl+alt+1",
            "pause": "ctrl+alt+2",
            "suggest": "ctrl+alt+3",
            "panel": "ctrl+alt+4",
            "backend": "x11",
        },
        "paste": {"mode": "type", "restore_delay_ms": 900, "clipboard_backend": "qt"},
        "subscriptions": {"files": ["/team/pack.toml"]},
        "recent_values": {"单号": ["1", "2"]},
    }


def test_every_value_reads_back_from_its_own_key() -> None:
    settings, problems = from_dict_report(_custom().to_data())
    assert problems == []
    assert settings == _custom()


WRONG_TYPES: list[tuple[str, dict[str, Any]]] = [
    ("picker", {"hotkeys": {"picker": 1}}),
    ("pause", {"hotkeys": {"pause": 1}}),
    ("suggest", {"hotkeys": {"suggest": 1}}),
    ("panel", {"hotkeys": {"panel": 1}}),
    ("backend", {"hotkeys": {"backend": 1}}),
    ("mode", {"paste": {"mode": 1}}),
    ("clipboard_backend", {"paste": {"clipboard_backend": 1}}),
    ("language", {"language": 1}),
    ("recent_values", {"recent_values": 1}),
    ("active_shop", {"profile": {"active_shop": 1}}),
]


@pytest.mark.parametrize(("key", "data"), WRONG_TYPES, ids=[k for k, _ in WRONG_TYPES])
def test_a_value_of_the_wrong_type_is_reported_and_defaulted(
    key: str, data: dict[str, Any]
) -> None:
    settings, problems = from_dict_report(data, "mine.toml")
    assert len(problems) == 1
    assert problems[0].file == "mine.toml"
    assert key in problems[0].message
    assert settings == Settings()


@pytest.mark.parametrize(
    "data",
    [
        {"hotkeys": {"backend": "nope"}},
        {"language": "fr"},
        {"paste": {"restore_delay_ms": 60_001}},
        {"paste": {"restore_delay_ms": -1}},
    ],
)
def test_an_unknown_choice_falls_back_to_the_default(data: dict[str, Any]) -> None:
    settings, problems = from_dict_report(data)
    assert len(problems) == 1
    assert settings == Settings()
    assert settings.hotkey_backend == "auto" and settings.language == "auto"
    assert settings.restore_delay_ms == 400


def test_from_dict_names_the_source() -> None:
    assert from_dict({"language": "en"}) == Settings(language="en")


def test_v1_single_shop_becomes_the_active_one() -> None:
    data, changed = migrate({"profile": {"agent_id": 7, "shop": "甲店"}})
    assert changed is True
    assert data == {
        "schema_version": 2,
        "profile": {"agent_no": "7", "shops": ["甲店"], "active_shop": "甲店"},
    }


def test_v1_without_a_shop_or_with_shops_keeps_them() -> None:
    data, _ = migrate({"schema_version": 1, "profile": {"agent_name": "王"}})
    assert data == {"schema_version": 2, "profile": {"agent_name": "王"}}
    data, _ = migrate({"profile": {"shop": "甲店", "shops": ["乙店"]}})
    assert data["profile"] == {"shops": ["乙店"]}
    data, _ = migrate({})
    assert data == {"schema_version": 2, "profile": {}}


def test_current_data_is_not_changed() -> None:
    data = {"schema_version": SCHEMA_VERSION, "language": "en"}
    assert migrate(dict(data)) == (data, False)


@pytest.mark.parametrize("version", [True, False, "2", 0, 2.0])
def test_a_schema_version_that_is_not_a_whole_number_is_refused(version: object) -> None:
    with pytest.raises(SettingsError) as info:
        migrate({"schema_version": version}, "mine.toml")
    assert info.value.problem.file == "mine.toml"
    assert info.value.problem.line is None
    assert info.value.problem.message


def test_a_newer_file_is_refused_naming_it() -> None:
    with pytest.raises(SettingsError) as info:
        migrate({"schema_version": SCHEMA_VERSION + 1}, "mine.toml")
    assert info.value.problem.file == "mine.toml"
    assert "move the file away" in info.value.problem.message


def test_a_failed_upgrade_names_the_file() -> None:
    with pytest.raises(SettingsError) as info:
        migrate({"schema_version": 1, "profile": 5}, "mine.toml")
    assert info.value.problem.file == "mine.toml"


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe bad", b"language = \n", b"schema_version = 99\n", b"profile = 5\n"],
    ids=["not-utf8", "not-toml", "newer", "upgrade"],
)
def test_read_settings_problems_name_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(content)
    with pytest.raises(SettingsError) as info:
        read_settings(path)
    assert info.value.problem.file == "settings.toml"
    assert info.value.problem.message
    assert path.read_bytes() == content  # left untouched


def test_an_unreadable_settings_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()  # a folder where the file should be
    with pytest.raises(SettingsError) as info:
        read_settings(path)
    assert info.value.problem.file == "settings.toml"
    assert info.value.problem.message


def test_per_value_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"schema_version = {SCHEMA_VERSION}\nlanguage = 1\n", "utf-8")
    settings, problems = read_settings(path)
    assert settings == Settings()
    assert [p.file for p in problems] == ["settings.toml"]


def test_unknown_app_hotkey_actions_are_named() -> None:
    with pytest.raises(KeyError) as info:
        app_hotkey(Settings(), "nope")
    assert info.value.args == ("nope",)
    with pytest.raises(KeyError) as info:
        set_app_hotkey(Settings(), "nope", "ctrl+1")
    assert info.value.args == ("nope",)


def test_read_settings_names_a_file_of_any_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(f"schema_version = {SCHEMA_VERSION}\nlanguage = 1\n", "utf-8")
    with caplog.at_level(logging.WARNING, logger="app.core.settings"):
        _, problems = read_settings(path)
    assert [p.file for p in problems] == ["mine.toml"]
    assert [r.getMessage() for r in caplog.records] == [f"settings: {problems[0]}"]
    path.write_text("schema_version = 99\n", "utf-8")
    with pytest.raises(SettingsError) as info:
        read_settings(path)
    assert info.value.problem.file == "mine.toml"
    path.write_text("a = " + "[" * 200 + "]" * 200 + "\n", "utf-8")
    with pytest.raises(SettingsError) as info:
        read_settings(path)
    assert info.value.problem.file == "mine.toml"


def test_a_migration_is_logged_with_the_old_copy(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[profile]\nshop = "甲店"\n', "utf-8")
    with caplog.at_level(logging.INFO, logger="app.core.settings"):
        settings, _ = read_settings(path)
    assert settings.profile.shops == ["甲店"]
    keep = tmp_path / "settings.toml.old"
    assert [r.getMessage() for r in caplog.records] == [
        f"migrated {path} to schema {SCHEMA_VERSION} (old copy: {keep})"
    ]


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (PermissionError(errno.EACCES, "denied"), os.strerror(errno.EACCES)),
        (OSError("odd failure"), "odd failure"),
    ],
)
def test_a_read_failure_names_the_file_and_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, text: str
) -> None:
    def failing(_path: Path, _limit: int) -> bytes:
        raise error

    monkeypatch.setattr(settings_module, "read_regular", failing)
    with pytest.raises(SettingsError) as info:
        read_settings(tmp_path / "mine.toml")
    assert info.value.problem.file == "mine.toml"
    assert text in str(info.value.problem)


def test_migrate_names_settings_toml_by_default() -> None:
    with pytest.raises(SettingsError) as info:
        migrate({"schema_version": 0})
    assert info.value.problem.file == "settings.toml"
