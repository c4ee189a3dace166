"""The shared hotkey bookkeeping (BindingTable) against a fake grab layer."""

from __future__ import annotations

import logging

import pytest

from app.core.hotkey_table import BindingTable, as_bindings, plan
from app.core.hotkeys import (
    PAUSE_ACTION,
    Binding,
    Hotkey,
    HotkeyError,
    HotkeyProblem,
    HotkeyTaken,
    HotkeyUnsupported,
)


class Layer:
    """Records grab/ungrab calls; raises what ``refuse`` says for a canonical hotkey."""

    def __init__(self, refuse: dict[str, Exception] | None = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.refuse = refuse or {}
        self.fail_ungrab = False

    def grab(self, hotkey: Hotkey) -> None:
        self.calls.append(("grab", str(hotkey)))
        if str(hotkey) in self.refuse:
            raise self.refuse[str(hotkey)]

    def ungrab(self, hotkey: Hotkey) -> None:
        self.calls.append(("ungrab", str(hotkey)))
        if self.fail_ungrab:
            raise OSError("gone")


def test_pause_action_is_the_pause_key() -> None:
    assert PAUSE_ACTION == "pause"


def test_a_mapping_reads_as_hotkey_to_action() -> None:
    assert as_bindings({"ctrl+alt+1": "one", "ctrl+alt+2": "two"}) == [
        Binding("ctrl+alt+1", "one"),
        Binding("ctrl+alt+2", "two"),
    ]
    rows = (Binding("ctrl+alt+1", "one") for _ in range(2))
    assert as_bindings(rows) == [Binding("ctrl+alt+1", "one")] * 2


def test_plan_normalises_skips_empty_and_reports_invalid_and_duplicates() -> None:
    wanted, problems = plan(
        [
            Binding("Alt+Ctrl+1", "one"),
            Binding("", "unbound"),
            Binding("   ", "blank"),
            Binding("ctrl+nosuchkey", "bad"),
            Binding("ctrl+alt+1", "again"),
            Binding("ctrl+alt+2", "two"),
        ]
    )
    assert {k: v[1] for k, v in wanted.items()} == {"ctrl+alt+1": "one", "ctrl+alt+2": "two"}
    assert list(wanted) == ["ctrl+alt+1", "ctrl+alt+2"]
    assert wanted["ctrl+alt+1"][0] == Hotkey(frozenset({"ctrl", "alt"}), "1")
    assert [(p.code, p.hotkey, p.action) for p in problems] == [
        (HotkeyProblem.INVALID, "ctrl+nosuchkey", "bad"),
        (HotkeyProblem.DUPLICATE, "ctrl+alt+1", "again"),
    ]
    assert "unknown key name" in problems[0].detail
    assert problems[1].detail == "one"  # the action that keeps the hotkey


def test_plan_while_paused_keeps_only_the_pause_key() -> None:
    rows = [Binding("ctrl+alt+1", "one"), Binding("ctrl+bad", "x"), Binding("ctrl+alt+p", "pause")]
    wanted, problems = plan(rows, paused=True)
    assert {k: v[1] for k, v in wanted.items()} == {"ctrl+alt+p": "pause"}
    assert problems == []  # the others are not looked at while paused
    wanted, problems = plan(rows, paused=False)
    assert set(wanted) == {"ctrl+alt+1", "ctrl+alt+p"}
    assert len(problems) == 1


def test_plan_while_recording_holds_nothing() -> None:
    rows = [Binding("ctrl+alt+p", "pause"), Binding("ctrl+bad", "x")]
    assert plan(rows, recording=True) == ({}, [])
    assert plan(rows, paused=True, recording=True) == ({}, [])


def test_apply_grabs_in_order_and_maps_presses_to_actions() -> None:
    layer = Layer()
    table = BindingTable(layer)
    assert table.apply({"ctrl+alt+2": "two", "alt+ctrl+1": "one"}) == []
    assert layer.calls == [("grab", "ctrl+alt+2"), ("grab", "ctrl+alt+1")]
    assert table.held() == ["ctrl+alt+1", "ctrl+alt+2"]
    assert [str(h) for h in table.hotkeys()] == ["ctrl+alt+2", "ctrl+alt+1"]
    assert table.action_for("ctrl+alt+1") == "one"
    assert table.action_for("ctrl+alt+2") == "two"
    assert table.action_for("ctrl+alt+3") is None


def test_apply_diffs_the_old_and_new_tables() -> None:
    layer = Layer()
    table = BindingTable(layer)
    table.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    layer.calls.clear()
    problems = table.apply({"ctrl+alt+2": "second", "ctrl+alt+3": "three"})
    assert problems == []
    # Released first, kept ones untouched (only their action changes), new ones grabbed.
    assert layer.calls == [("ungrab", "ctrl+alt+1"), ("grab", "ctrl+alt+3")]
    assert table.action_for("ctrl+alt+2") == "second"
    assert table.action_for("ctrl+alt+1") is None
    layer.calls.clear()
    assert table.apply({"ctrl+alt+2": "second", "ctrl+alt+3": "three"}) == []
    assert layer.calls == []  # the same table again: nothing to do


def test_grab_failures_become_problems_by_code() -> None:
    layer = Layer(
        refuse={
            "ctrl+alt+7": HotkeyTaken("ctrl+alt+7 is already used by another program."),
            "ctrl+alt+8": HotkeyUnsupported("not on this layout"),
            "ctrl+alt+9": HotkeyError("Windows refused it (error 5)"),
        }
    )
    table = BindingTable(layer)
    problems = table.apply(
        [
            Binding("ctrl+alt+7", "seven"),
            Binding("ctrl+alt+8", "eight"),
            Binding("ctrl+alt+9", "nine"),
            Binding("ctrl+alt+1", "one"),
        ]
    )
    assert problems == [
        HotkeyProblem(
            HotkeyProblem.TAKEN,
            "ctrl+alt+7",
            "seven",
            "ctrl+alt+7 is already used by another program.",
        ),
        HotkeyProblem(HotkeyProblem.UNSUPPORTED, "ctrl+alt+8", "eight", "not on this layout"),
        HotkeyProblem(HotkeyProblem.REFUSED, "ctrl+alt+9", "nine", "Windows refused it (error 5)"),
    ]
    assert table.held() == ["ctrl+alt+1"]
    assert table.action_for("ctrl+alt+7") is None
    # A refused hotkey is tried again at the next apply (the other program may be gone).
    del layer.refuse["ctrl+alt+7"]
    layer.calls.clear()
    problems = table.apply([Binding("ctrl+alt+7", "seven"), Binding("ctrl+alt+1", "one")])
    assert problems == []
    assert layer.calls == [("grab", "ctrl+alt+7")]
    assert table.held() == ["ctrl+alt+1", "ctrl+alt+7"]


def test_problems_of_the_plan_come_before_grab_problems() -> None:
    layer = Layer(refuse={"ctrl+alt+7": HotkeyTaken("taken")})
    problems = BindingTable(layer).apply(
        [Binding("ctrl+alt+7", "seven"), Binding("ctrl+alt+7", "again"), Binding("x+", "bad")]
    )
    assert [p.code for p in problems] == [
        HotkeyProblem.DUPLICATE,
        HotkeyProblem.INVALID,
        HotkeyProblem.TAKEN,
    ]


def test_pause_and_resume_release_and_retake() -> None:
    layer = Layer()
    table = BindingTable(layer)
    rows = [Binding("ctrl+alt+1", "one"), Binding("ctrl+alt+p", "pause")]
    table.apply(rows)
    layer.calls.clear()
    assert table.apply(rows, paused=True) == []
    assert layer.calls == [("ungrab", "ctrl+alt+1")]
    assert table.held() == ["ctrl+alt+p"]
    assert table.action_for("ctrl+alt+p") == "pause"
    layer.calls.clear()
    table.apply(rows)
    assert layer.calls == [("grab", "ctrl+alt+1")]


def test_recording_steps_aside_and_comes_back() -> None:
    layer = Layer()
    table = BindingTable(layer)
    rows = {"ctrl+alt+1": "one", "ctrl+alt+p": "pause"}
    table.apply(rows)
    layer.calls.clear()
    assert table.apply(rows, recording=True) == []
    assert sorted(layer.calls) == [("ungrab", "ctrl+alt+1"), ("ungrab", "ctrl+alt+p")]
    assert table.held() == []
    assert table.action_for("ctrl+alt+p") is None
    table.apply(rows)
    assert table.held() == ["ctrl+alt+1", "ctrl+alt+p"]


def test_a_failing_release_does_not_stop_the_table(caplog: pytest.LogCaptureFixture) -> None:
    layer = Layer()
    table = BindingTable(layer)
    table.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    layer.fail_ungrab = True
    with caplog.at_level(logging.ERROR):
        table.apply({"ctrl+alt+3": "three"})
    assert ("ungrab", "ctrl+alt+2") in layer.calls
    assert table.held() == ["ctrl+alt+3"]
    assert caplog.messages == [
        "releasing hotkey ctrl+alt+1 failed",
        "releasing hotkey ctrl+alt+2 failed",
    ]


def test_release_all_empties_the_table() -> None:
    layer = Layer()
    table = BindingTable(layer)
    table.apply({"ctrl+alt+1": "one", "ctrl+alt+2": "two"})
    layer.calls.clear()
    table.release_all()
    assert layer.calls == [("ungrab", "ctrl+alt+1"), ("ungrab", "ctrl+alt+2")]
    assert table.held() == [] and table.hotkeys() == []


def test_each_grab_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    table = BindingTable(Layer(refuse={"ctrl+alt+2": HotkeyTaken("taken")}))
    with caplog.at_level(logging.INFO, logger="app.core.hotkey_table"):
        table.apply({"alt+ctrl+1": "one", "ctrl+alt+2": "two"})
    assert caplog.messages == ["hotkey ctrl+alt+1 -> one"]
