"""Issue 9: settings.toml degrades per value; hostile files are refused cheaply."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.settings import (
    SettingsError,
    from_dict,
    from_dict_report,
    read_settings,
)


def _msgs(data: dict[str, object]) -> list[str]:
    return [p.message for p in from_dict_report(data)[1]]


def test_a_number_agent_no_is_taken_as_text() -> None:
    s, problems = from_dict_report({"profile": {"agent_no": 7, "shops": ["小美"]}})
    assert s.profile.agent_no == "7" and s.profile.shops == ["小美"] and problems == []


def test_one_wrong_value_drops_only_that_value() -> None:
    s, problems = from_dict_report(
        {
            "profile": {"agent_no": "42", "agent_name": 5, "shops": ["A"], "active_shop": "A"},
            "paste": {"restore_delay_ms": "soon", "mode": "type"},
            "autostart": "yes",
        }
    )
    assert s.profile.agent_no == "42" and s.profile.shop == "A"
    assert s.profile.agent_name == ""
    assert s.paste_mode == "type" and s.restore_delay_ms == 400 and s.autostart is False
    assert [p.message for p in problems] == [
        "'agent_name' must be text, not int; using the default",
        "'restore_delay_ms' must be a whole number, not str; using the default",
        "'autostart' must be true or false, not str; using the default",
    ]
    assert all(p.file == "settings.toml" for p in problems)


def test_bool_is_not_a_whole_number() -> None:
    s, problems = from_dict_report({"paste": {"restore_delay_ms": True}})
    assert s.restore_delay_ms == 400
    assert [p.message for p in problems] == [
        "'restore_delay_ms' must be a whole number, not bool; using the default"
    ]


def test_lists_of_the_wrong_type_are_refused_not_stringified() -> None:
    s, problems = from_dict_report(
        {"subscriptions": {"files": [1, {"a": 1}, "/ok.toml"]}, "profile": {"shops": "one"}}
    )
    assert s.subscriptions == ["/ok.toml"]
    assert s.profile.shops == []
    assert [p.message for p in problems] == [
        "'shops' must be a list, not str; using the default",
        "'files' must hold only text; dropped an entry of type int",
        "'files' must hold only text; dropped an entry of type dict",
    ]


def test_duplicate_shops_are_kept_once() -> None:
    assert from_dict({"profile": {"shops": ["A", "A", "B"]}}).profile.shops == ["A", "B"]


@pytest.mark.parametrize("bad", ["7\n\x1b[31m", "cf\u200b1", "x" * 65])
def test_profile_values_with_bad_characters_are_not_used(bad: str) -> None:
    s, problems = from_dict_report({"profile": {"agent_no": bad, "shops": [bad, "ok"]}})
    assert s.profile.agent_no == "" and s.profile.shops == ["ok"]
    assert len(problems) == 2
    assert all(p.message.endswith("; the value is not used") for p in problems)
    assert problems[0].message.startswith("'agent_no' ")
    assert problems[1].message.startswith("'shops' ")


def test_a_table_of_the_wrong_type_uses_its_defaults() -> None:
    s, problems = from_dict_report({"profile": "x", "hotkeys": {"picker": "ctrl+q"}})
    assert s.picker_hotkey == "ctrl+q" and s.profile.agent_no == ""
    assert [p.message for p in problems] == ["[profile] must be a table; using the defaults"]


def test_recent_values_must_be_lists_of_text() -> None:
    s, problems = from_dict_report({"recent_values": {"customer": ["a"], "product": [1]}})
    assert s.recent_values == {"customer": ["a"]}
    assert _msgs({"recent_values": {"product": "x"}}) == [
        "'recent_values.product' must be a list of text; the value is not used"
    ]
    assert len(problems) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"hotkeys": {"backend": "magic"}},
            "hotkey backend must be one of auto, windows, keyboard, x11",
        ),
        ({"language": "fr"}, "language must be one of auto, zh_CN, en"),
        ({"paste": {"restore_delay_ms": 60_001}}, "restore_delay_ms must be between 0 and 60000"),
        ({"paste": {"restore_delay_ms": -1}}, "restore_delay_ms must be between 0 and 60000"),
    ],
)
def test_out_of_range_values_fall_back(data: dict[str, object], message: str) -> None:
    assert _msgs(data) == [message]


def test_range_edges_are_accepted() -> None:
    assert _msgs({"paste": {"restore_delay_ms": 0}}) == []
    assert _msgs({"paste": {"restore_delay_ms": 60_000}}) == []


def test_read_settings_reports_problems_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'schema_version = 2\n[profile]\nagent_no = 7\nagent_name = 5\nshops = ["A"]\n', "utf-8"
    )
    s, problems = read_settings(path)
    assert s.profile.agent_no == "7" and s.profile.shops == ["A"]
    assert len(problems) == 1


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    s, problems = read_settings(tmp_path / "settings.toml")
    assert problems == [] and s.paste_mode == "paste"


def test_hostile_settings_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(SettingsError, match="nested too deeply") as info:
        read_settings(path)
    assert info.value.problem.line == 1


def test_folder_or_huge_settings_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.mkdir()
    with pytest.raises(SettingsError, match="not a regular file"):
        read_settings(path)
    path.rmdir()
    path.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(SettingsError, match="the limit is 1 MB"):
        read_settings(path)
