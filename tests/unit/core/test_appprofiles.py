"""Per-app profiles: matching, plans, the TOML format, panel layouts and docking."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import appprofiles as ap
from app.core.appprofiles import (
    DEFAULT_PROFILE,
    AppProfile,
    PanelLayout,
    ProfileSet,
    TargetWindow,
    dock_rect,
    normalise_app,
    parse_profiles,
    plan_delivery,
)

XTERM = TargetWindow(1, "XTerm", "xterm", "bash")
QIANNU = TargetWindow(2, "AliWorkbench.exe", "", "千牛工作台 - 接待中心")


# -- names and matching -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AliWorkbench.exe", "aliworkbench"),
        ("  QQ.EXE ", "qq"),
        ("XTerm", "xterm"),
        ("exe", "exe"),
        (".exe", ""),
        ("notepad++.exe", "notepad++"),
        ("a.exe.exe", "a.exe"),
    ],
)
def test_normalise_app(raw: str, expected: str) -> None:
    assert normalise_app(raw) == expected


def test_window_names_and_key() -> None:
    assert XTERM.names() == ("xterm",)  # class and instance fold into one
    assert TargetWindow(3, "Google-chrome", "google-chrome").names() == ("google-chrome",)
    assert TargetWindow(3, "Code", "code-oss").names() == ("code", "code-oss")
    assert TargetWindow(3, "", "inst").names() == ("inst",)
    assert TargetWindow(3, "", "").names() == ()
    assert TargetWindow(3, "", "").key() == ""
    assert QIANNU.key() == "aliworkbench"
    assert TargetWindow(3, "Code", "code-oss").key() == "code"


def test_match_by_instance_or_class_case_insensitive() -> None:
    by_instance = AppProfile("t", "T", match=("code-oss",))
    assert by_instance.matches(TargetWindow(3, "Code", "code-oss"))
    assert AppProfile("q", "Q", match=("ALIWORKBENCH",)).matches(QIANNU)
    assert not AppProfile("q", "Q", match=("aliim.exe",)).matches(QIANNU)
    assert not AppProfile("none", "N").matches(QIANNU)


def test_title_condition() -> None:
    web = AppProfile("w", "W", match=("chrome.exe",), title_contains=("千牛", "Workbench"))
    assert web.matches(TargetWindow(4, "chrome.exe", "", "千牛 - 接待"))
    assert web.matches(TargetWindow(4, "chrome.exe", "", "my WORKBENCH page"))
    assert not web.matches(TargetWindow(4, "chrome.exe", "", "新标签页"))
    assert not web.matches(TargetWindow(4, "msedge.exe", "", "千牛"))


def test_profile_set_order_user_before_builtin_title_before_plain() -> None:
    chrome = AppProfile("chrome", "Chrome", match=("chrome.exe",), builtin=True)
    web = AppProfile("web", "Web", match=("chrome.exe",), title_contains=("飞鸽",), builtin=True)
    mine = AppProfile("mine", "Mine", match=("chrome.exe",))
    profiles = ProfileSet([chrome, web], [])
    page = TargetWindow(5, "chrome.exe", "", "飞鸽 - 工作台")
    other = TargetWindow(5, "chrome.exe", "", "news")
    assert profiles.for_window(page).id == "web"
    assert profiles.for_window(other).id == "chrome"
    profiles.put_user(mine)
    assert profiles.for_window(page).id == "mine"
    assert profiles.for_window(None) is DEFAULT_PROFILE
    assert profiles.for_window(TargetWindow(6, "unknown.exe")) is DEFAULT_PROFILE


def test_user_profile_replaces_builtin_with_same_id() -> None:
    builtin = AppProfile("xterm", "xterm", match=("XTerm",), paste_key="type", builtin=True)
    profiles = ProfileSet([builtin], [])
    assert profiles.get("xterm") is builtin
    profiles.put_user(
        AppProfile("xterm", "xterm", match=("XTerm",), paste_key="ctrl+shift+v", builtin=True)
    )
    assert [p.id for p in profiles.all()] == ["xterm"]
    assert profiles.get("xterm").paste_key == "ctrl+shift+v"  # type: ignore[union-attr]
    assert profiles.get("xterm").builtin is False  # type: ignore[union-attr]
    assert profiles.for_window(XTERM).paste_key == "ctrl+shift+v"
    # Replacing again keeps one entry.
    profiles.put_user(AppProfile("xterm", "x2", match=("XTerm",)))
    assert [p.name for p in profiles.user] == ["x2"]
    assert profiles.remove_user("xterm") is True
    assert profiles.remove_user("xterm") is False
    assert profiles.for_window(XTERM) is builtin
    assert profiles.get("missing") is None


def test_new_id() -> None:
    profiles = ProfileSet([AppProfile("qq", "QQ", match=("qq",))], [])
    assert profiles.new_id("QQ.exe") == "qq-2"
    profiles.put_user(AppProfile("qq-2", "QQ", match=("qq",)))
    assert profiles.new_id("qq") == "qq-3"
    assert profiles.new_id("My App.exe") == "my-app"
    assert profiles.new_id("千牛") == "千牛"
    assert profiles.new_id("...") == "app"
    assert profiles.new_id("a_b-c") == "a_b-c"


# -- delivery plans -----------------------------------------------------------------------


def test_plan_default_profile() -> None:
    plan = plan_delivery(DEFAULT_PROFILE, "paste")
    assert plan == ap.DeliveryPlan("paste", "ctrl+v", "shift+enter", 0, None, 200, "default")


def test_plan_copy_sends_nothing() -> None:
    sending = AppProfile("s", "S", match=("s",), send_after_paste=True, paste_key="type")
    plan = plan_delivery(sending, "copy")
    assert plan.mode == "copy" and plan.send_key is None and plan.profile_id == "s"


def test_plan_profile_that_types() -> None:
    typing = AppProfile("x", "X", match=("x",), paste_key="type", newline="enter", delay_ms=50)
    plan = plan_delivery(typing, "paste")
    assert (plan.mode, plan.paste_key, plan.newline, plan.delay_ms) == (
        "type",
        "ctrl+v",
        "enter",
        50,
    )
    assert plan_delivery(typing, "type").mode == "type"


def test_plan_type_mode_keeps_profile_newline() -> None:
    qianniu = AppProfile("q", "Q", match=("q",), paste_key="ctrl+shift+v", newline="ctrl+enter")
    plan = plan_delivery(qianniu, "type")
    assert (plan.mode, plan.newline) == ("type", "ctrl+enter")
    paste = plan_delivery(qianniu, "paste")
    assert (paste.mode, paste.paste_key) == ("paste", "ctrl+shift+v")


def test_send_after_paste_only_when_asked_and_not_flagged() -> None:
    sending = AppProfile(
        "s", "S", match=("s",), send_after_paste=True, send_key="ctrl+enter", send_delay_ms=90
    )
    plan = plan_delivery(sending, "paste")
    assert (plan.send_key, plan.send_delay_ms) == ("ctrl+enter", 90)
    assert plan_delivery(sending, "type").send_key == "ctrl+enter"
    assert plan_delivery(sending, "paste", flagged=True).send_key is None
    quiet = AppProfile("q", "Q", match=("q",))
    assert plan_delivery(quiet, "paste").send_key is None


# -- the TOML format ----------------------------------------------------------------------


def test_builtin_file_loads_cleanly_and_covers_the_apps() -> None:
    builtin, problems = ap.load_builtin()
    assert problems == []
    assert all(p.builtin for p in builtin)
    profiles = ProfileSet(builtin, [])

    def profile(app: str, instance: str = "") -> AppProfile:
        return profiles.for_window(TargetWindow(1, app, instance))

    assert profile("AliWorkbench.exe").id == "qianniu"
    assert profile("AliWorkbench.exe").newline == "ctrl+enter"
    for exe in ("chrome.exe", "msedge.exe", "firefox.exe", "360se.exe"):
        assert profile(exe).newline == "shift+enter"
        assert profile(exe).paste_key == "ctrl+v"
    for name in ("WeChat.exe", "QQ.exe"):
        assert profile(name).id in ("wechat", "qq")
    assert profile("XTerm", "xterm").paste_key == "type"
    for app in ("gnome-terminal-server", "konsole", "WindowsTerminal.exe", "lxterminal"):
        assert profile(app).paste_key == "ctrl+shift+v", app
    assert profile("conhost.exe").paste_key == "shift+insert"
    assert profile("notepad.exe").newline == "enter"
    ids = {p.id for p in builtin}
    assert {"jingmai", "feige", "pinduoduo"} <= ids
    assert not any(p.send_after_paste for p in builtin)  # off by default, everywhere
    text = (Path(ap.__file__).parents[2] / "resources" / "app-profiles.toml").read_text("utf-8")
    assert "UNCONFIRMED" in text


FULL = """
format = 1
[[profile]]
id = "feige-web"
name = "飞鸽网页版"
match = ["chrome.exe", "msedge.exe"]
title_contains = ["飞鸽"]
paste_key = "Ctrl+Shift+V"
newline = "ctrl+enter"
delay_ms = 120
send_after_paste = true
send_key = "alt+s"
send_delay_ms = 300
note = "test"
note_zh = "测试"
"""


def test_parse_full_profile_and_round_trip() -> None:
    profiles, problems = parse_profiles(FULL, "u.toml")
    assert problems == []
    (p,) = profiles
    assert p == AppProfile(
        "feige-web",
        "飞鸽网页版",
        ("chrome.exe", "msedge.exe"),
        ("飞鸽",),
        "ctrl+shift+v",
        "ctrl+enter",
        120,
        True,
        "alt+s",
        300,
        "test",
        "测试",
        False,
    )
    again, problems = parse_profiles(ap.dump_profiles([p]), "u.toml")
    assert problems == [] and again == [p]


def test_minimal_profile_gets_defaults_and_dumps_without_optional_keys() -> None:
    (p,), problems = parse_profiles('[[profile]]\nid = "a"\nmatch = "a.exe"\n', "u")
    assert problems == []
    assert p == AppProfile("a", "a", ("a.exe",))
    dumped = ap.dump_profiles([p])
    assert "title_contains" not in dumped and "note" not in dumped
    assert ap.parse_profiles(dumped, "u")[0] == [p]


def test_the_note_follows_the_language() -> None:
    p = AppProfile("a", "a", ("a.exe",), note="English", note_zh="中文")
    assert (p.note_in("zh_CN"), p.note_in("en")) == ("中文", "English")
    assert AppProfile("b", "b", ("b",), note="only English").note_in("zh_CN") == "only English"


def test_every_builtin_note_has_a_chinese_one() -> None:
    notes = [p for p in ap.load_builtin()[0] if p.note]
    assert len(notes) >= 8
    for p in notes:
        assert p.note_zh and p.note_zh != p.note, p.id


def messages(text: str) -> list[str]:
    return [prob.message for prob in parse_profiles(text, "u.toml")[1]]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('paste_key = "ctrl+x"', "'paste_key' must be one of"),
        ('newline = "tab"', "'newline' must be one of"),
        ('send_key = "space"', "'send_key' must be one of"),
        ("paste_key = 3", "'paste_key' must be one of"),
        ("delay_ms = -1", "'delay_ms' must be between 0 and 5000"),
        ("delay_ms = 5001", "'delay_ms' must be between 0 and 5000"),
        ("delay_ms = true", "'delay_ms' must be a whole number"),
        ("send_delay_ms = 1.5", "'send_delay_ms' must be a whole number"),
        ('send_after_paste = "yes"', "'send_after_paste' must be true or false"),
        ("note = 1", "'note' must be a string"),
        ("note_zh = []", "'note_zh' must be a string"),
        ("name = 1", "'name' must be a string"),
        ("title_contains = [1]", "'title_contains' must be a list of strings"),
        ("colour = 1", "unknown key 'colour'"),
    ],
)
def test_bad_values_are_reported_and_defaulted(body: str, fragment: str) -> None:
    text = f'[[profile]]\nid = "a"\nmatch = ["a.exe"]\n{body}\n'
    profiles, problems = parse_profiles(text, "u.toml")
    assert len(profiles) == 1
    assert any(fragment in p.message for p in problems), problems
    assert all(p.message.startswith("profile 1 (a): ") for p in problems)
    p = profiles[0]
    assert (p.paste_key, p.newline, p.send_key) == ("ctrl+v", "shift+enter", "enter")
    assert (p.delay_ms, p.send_delay_ms, p.send_after_paste) == (0, 200, False)


def test_limits_are_inclusive() -> None:
    text = '[[profile]]\nid = "a"\nmatch = ["a"]\ndelay_ms = 5000\nsend_delay_ms = 0\n'
    (p,), problems = parse_profiles(text, "u")
    assert problems == [] and (p.delay_ms, p.send_delay_ms) == (5000, 0)


def test_unusable_profiles_are_skipped_others_load() -> None:
    text = """
[[profile]]
match = ["a.exe"]
[[profile]]
id = "nomatch"
[[profile]]
id = "  "
match = ["x"]
[[profile]]
id = "ok"
match = ["ok.exe", " ", "ok2"]
[[profile]]
id = "ok"
match = ["dup.exe"]
[[profile]]
id = "badmatch"
match = [1]
"""
    profiles, problems = parse_profiles(text, "u.toml")
    assert [p.id for p in profiles] == ["ok"]
    assert profiles[0].match == ("ok.exe", "ok2")
    texts = [p.message for p in problems]
    assert texts[0] == "profile 1: 'id' is missing (a short name such as \"qianniu\")"
    assert texts[1] == "profile 2: 'match' names no program (executable or WM_CLASS)"
    assert texts[2].startswith("profile 3: 'id' is missing")
    assert texts[3] == "profile 5 (ok): the id is used twice; skipped"
    assert "profile 6: 'match' must be a list of strings" in texts
    assert all(p.file == "u.toml" for p in problems)


def test_file_level_problems() -> None:
    assert parse_profiles("[[profile]\n", "u.toml")[1][0].line == 1
    assert parse_profiles("format = 2\n", "u")[1][0].message == (
        "format 2 is not supported (expected 1)"
    )
    assert parse_profiles("profile = 3\n", "u")[1][0].message.startswith("'profile' must be")
    assert parse_profiles("profile = [1]\n", "u")[1][0].message == "profile 1: not a table"
    assert parse_profiles("", "u") == ([], [])


def test_user_file_round_trip(tmp_path: Path) -> None:
    assert ap.load_user(tmp_path / "missing.toml") == ([], [])
    profiles, problems = ap.load_profile_set(tmp_path)
    assert problems == [] and profiles.user == [] and profiles.builtin
    profiles.put_user(AppProfile("mine", "Mine", ("mine.exe",), newline="enter"))
    ap.save_user(tmp_path, profiles)
    again, problems = ap.load_profile_set(tmp_path)
    assert problems == []
    assert again.user == profiles.user
    assert again.for_window(TargetWindow(1, "MINE.EXE")).newline == "enter"


def test_unreadable_user_file(tmp_path: Path) -> None:
    path = tmp_path / ap.USER_FILE
    path.write_bytes(b"\xff\xfe\x00bad")
    profiles, problems = ap.load_user(path)
    assert profiles == [] and problems[0].file == ap.USER_FILE
    assert "cannot be read" in problems[0].message


# -- panel layouts and docking ------------------------------------------------------------


def test_layouts_round_trip_and_bad_entries(tmp_path: Path) -> None:
    assert ap.load_layouts(tmp_path) == {}
    layouts = {"qq": PanelLayout("left", 300), "aliworkbench": PanelLayout()}
    ap.save_layouts(tmp_path, layouts)
    assert ap.load_layouts(tmp_path) == layouts
    text = """
[apps.a]
side = "up"
[apps.b]
width = true
[apps.c]
width = 9999
[apps.d]
width = 10
side = "left"
[apps]
e = 3
"""
    assert ap.parse_layouts(text) == {
        "c": PanelLayout("right", ap.PANEL_MAX_WIDTH),
        "d": PanelLayout("left", ap.PANEL_MIN_WIDTH),
    }
    assert ap.parse_layouts("apps = 3") == {}
    assert ap.parse_layouts("[[") == {}
    assert ap.parse_layouts("[apps.x]\n") == {"x": PanelLayout("right", ap.PANEL_DEFAULT_WIDTH)}


def test_clamp_width() -> None:
    assert ap.clamp_width(ap.PANEL_MIN_WIDTH - 1) == ap.PANEL_MIN_WIDTH
    assert ap.clamp_width(ap.PANEL_MIN_WIDTH) == ap.PANEL_MIN_WIDTH
    assert ap.clamp_width(300) == 300
    assert ap.clamp_width(ap.PANEL_MAX_WIDTH + 1) == ap.PANEL_MAX_WIDTH


SCREEN = (0, 0, 1366, 728)


def test_dock_right_and_left() -> None:
    target = (300, 100, 600, 500)
    assert dock_rect(target, PanelLayout("right", 260), SCREEN) == ((900, 100, 260, 500), "right")
    assert dock_rect(target, PanelLayout("left", 260), SCREEN) == ((40, 100, 260, 500), "left")


def test_dock_exactly_fitting_edges() -> None:
    assert dock_rect((0, 0, 1106, 500), PanelLayout("right", 260), SCREEN)[0][0] == 1106
    assert dock_rect((260, 0, 500, 500), PanelLayout("left", 260), SCREEN)[0][0] == 0


def test_dock_switches_side_when_no_room() -> None:
    wide = (200, 0, 1000, 700)  # 166 px free on the right, none on the left: overlap
    assert dock_rect(wide, PanelLayout("right", 260), SCREEN) == ((1106, 0, 260, 700), "right")
    rect, side = dock_rect((300, 0, 1000, 700), PanelLayout("right", 260), SCREEN)
    assert (rect, side) == ((40, 0, 260, 700), "left")
    rect, side = dock_rect((100, 0, 600, 700), PanelLayout("left", 260), SCREEN)
    assert (rect, side) == ((700, 0, 260, 700), "right")


def test_dock_overlaps_on_the_preferred_side_when_no_room_anywhere() -> None:
    full = (0, 0, 1366, 728)  # maximised
    assert dock_rect(full, PanelLayout("right", 260), SCREEN) == ((1106, 0, 260, 728), "right")
    assert dock_rect(full, PanelLayout("left", 260), SCREEN) == ((0, 0, 260, 728), "left")


def test_dock_keeps_the_panel_on_screen_vertically() -> None:
    screen = (0, 30, 1366, 698)  # a top panel of 30 px
    rect, _ = dock_rect((100, 0, 400, 300), PanelLayout("right", 200), screen)
    assert rect == (500, 30, 200, 300)  # top clipped to the work area, still 300 tall
    rect, _ = dock_rect((100, 600, 400, 300), PanelLayout("right", 200), screen)
    assert rect == (500, 428, 200, 300)  # pushed up so its bottom stays on the screen
    rect, _ = dock_rect((100, 100, 400, 900), PanelLayout("right", 200), screen)
    assert rect == (500, 30, 200, 698)  # taller than the work area: as tall as it


def test_dock_width_limited_by_screen_and_clamped() -> None:
    tiny = (0, 0, 150, 400)
    rect, _ = dock_rect((0, 0, 100, 100), PanelLayout("right", 500), tiny)
    assert rect[2] == 150
    rect, _ = dock_rect((0, 0, 100, 100), PanelLayout("right", 5), SCREEN)
    assert rect[2] == ap.PANEL_MIN_WIDTH


def test_chords_cover_every_key() -> None:
    assert set(ap.CHORDS) == {
        "ctrl+v",
        "ctrl+shift+v",
        "shift+insert",
        "shift+enter",
        "ctrl+enter",
        "enter",
        "alt+s",
    }


def test_exact_messages() -> None:
    base = '[[profile]]\nid = "a"\nmatch = ["a.exe"]\n'
    assert messages(base + 'paste_key = "ctrl+x"\n') == [
        "profile 1 (a): 'paste_key' must be one of ctrl+v, ctrl+shift+v, shift+insert, type, "
        "not 'ctrl+x'"
    ]
    assert messages(base + "name = 1\n") == ["profile 1 (a): 'name' must be a string"]
    assert messages(base + "send_after_paste = 1\n") == [
        "profile 1 (a): 'send_after_paste' must be true or false"
    ]
    assert messages(base + "note = []\n") == ["profile 1 (a): 'note' must be a string"]
    assert messages(base + "delay_ms = 6000\n") == [
        "profile 1 (a): 'delay_ms' must be between 0 and 5000"
    ]
    assert messages(base + 'delay_ms = "1"\n') == [
        "profile 1 (a): 'delay_ms' must be a whole number of milliseconds"
    ]
    (problem,) = parse_profiles("x = 1\nx = 2\n", "mine.toml")[1]
    assert problem.file == "mine.toml" and problem.message and problem.line == 2
    (problem,) = parse_profiles("format = 3\n", "mine.toml")[1]
    assert problem.file == "mine.toml" and problem.line is None


def test_profile_from_table_is_a_user_profile_by_default() -> None:
    profile, errors = ap.profile_from_table({"id": "a", "match": ["a"]})
    assert errors == [] and profile is not None and profile.builtin is False
    profile, _ = ap.profile_from_table({"id": "a", "match": ["a"]}, builtin=True)
    assert profile is not None and profile.builtin is True


def test_plan_names_its_profile() -> None:
    typing = AppProfile("x", "X", match=("x",), paste_key="type")
    assert plan_delivery(typing, "paste").profile_id == "x"
    assert plan_delivery(typing, "type").profile_id == "x"


def test_dump_header_and_bom(tmp_path: Path) -> None:
    text = ap.dump_profiles([])
    assert text.startswith("# Huashu app profiles (see docs/app-profiles.md). A profile with")
    path = tmp_path / ap.USER_FILE
    path.write_bytes(b"\xef\xbb\xbf" + b'[[profile]]\nid = "b"\nmatch = ["b"]\n')
    assert [p.id for p in ap.load_user(path)[0]] == ["b"]  # a BOM (Notepad) is fine


def test_dock_prefers_an_exact_fit_on_its_side() -> None:
    target = (400, 0, 706, 500)  # exactly 260 px left on the right, room on the left too
    assert dock_rect(target, PanelLayout("right", 260), SCREEN) == ((1106, 0, 260, 500), "right")
