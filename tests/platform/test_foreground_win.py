"""Taking the foreground on Windows (AttachThreadInput dance) with a fake user32."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from app.platform import foreground
from app.platform.foreground import NoForeground, WindowsForeground, make_foreground

OURS, THEIRS = 11, 22
FORM, CHAT = 0x500, 0x900


class FakeDesktop:
    """A foreground lock: SetForegroundWindow works only while attached to the
    foreground thread (or when ``unlocked``)."""

    def __init__(self, unlocked: bool = False) -> None:
        self.foreground = CHAT
        self.threads = {FORM: OURS, CHAT: THEIRS}
        self.attached: set[tuple[int, int]] = set()
        self.unlocked = unlocked
        self.calls: list[tuple[Any, ...]] = []
        self.attach_ok = True

    def foreground_window(self) -> int:
        return self.foreground

    def window_thread(self, hwnd: int) -> int:
        return self.threads.get(hwnd, 0)

    def current_thread(self) -> int:
        return OURS

    def attach_input(self, thread: int, to_thread: int, attach: bool) -> bool:
        self.calls.append(("attach", thread, to_thread, attach))
        if attach and self.attach_ok:
            self.attached.add((thread, to_thread))
            return True
        self.attached.discard((thread, to_thread))
        return self.attach_ok

    def bring_window_to_top(self, hwnd: int) -> None:
        self.calls.append(("top", hwnd))

    def set_foreground(self, hwnd: int) -> bool:
        self.calls.append(("foreground", hwnd, bool(self.attached)))
        theirs = self.window_thread(self.foreground)
        if self.unlocked or (theirs, OURS) in self.attached:
            self.foreground = hwnd
            return True
        return False

    def set_focus(self, hwnd: int) -> None:
        self.calls.append(("focus", hwnd))


def test_attaches_to_the_foreground_thread_for_the_call_only() -> None:
    desk = FakeDesktop()
    assert WindowsForeground(desk).bring_to_front(FORM) is True
    assert desk.foreground == FORM
    assert desk.calls == [
        ("attach", THEIRS, OURS, True),
        ("top", FORM),
        ("foreground", FORM, True),
        ("focus", FORM),
        ("attach", THEIRS, OURS, False),
    ]
    assert desk.attached == set()


def test_already_in_front_does_nothing() -> None:
    desk = FakeDesktop()
    desk.foreground = FORM
    assert WindowsForeground(desk).bring_to_front(FORM) is True
    assert desk.calls == []


def test_our_own_thread_in_front_needs_no_attach() -> None:
    desk = FakeDesktop()
    desk.threads[0x600] = OURS  # e.g. the picker is in front, the form comes next
    desk.foreground = 0x600
    desk.unlocked = True
    assert WindowsForeground(desk).bring_to_front(FORM) is True
    assert [c[0] for c in desk.calls] == ["top", "foreground", "focus"]


def test_no_foreground_window_needs_no_attach() -> None:
    desk = FakeDesktop(unlocked=True)
    desk.foreground = 0
    assert WindowsForeground(desk).bring_to_front(FORM) is True
    assert [c[0] for c in desk.calls] == ["top", "foreground", "focus"]


def test_failure_is_reported_and_detaches_nothing_it_did_not_attach(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="app.platform.foreground")
    desk = FakeDesktop()
    desk.attach_ok = False
    assert WindowsForeground(desk).bring_to_front(FORM) is False
    assert desk.foreground == CHAT
    assert [c for c in desk.calls if c[0] == "attach"] == [("attach", THEIRS, OURS, True)]
    assert caplog.messages == ["could not bring window 0x500 to the foreground"]


def test_detaches_even_when_a_call_raises() -> None:
    desk = FakeDesktop()

    def broken(hwnd: int) -> bool:
        raise OSError("boom")

    desk.set_foreground = broken  # type: ignore[method-assign]
    with pytest.raises(OSError, match="boom"):
        WindowsForeground(desk).bring_to_front(FORM)
    assert desk.attached == set()


def test_no_foreground_elsewhere() -> None:
    assert NoForeground().bring_to_front(1234) is True


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows choice")
def test_make_foreground_off_windows() -> None:
    assert isinstance(make_foreground(), NoForeground)


def test_make_foreground_on_windows(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(foreground.sys, "platform", "win32")
    monkeypatch.setattr(foreground, "User32ForegroundApi", FakeDesktop)
    assert isinstance(make_foreground(), WindowsForeground)

    def missing() -> Any:
        raise OSError("no user32")

    monkeypatch.setattr(foreground, "User32ForegroundApi", missing)
    assert isinstance(make_foreground(), NoForeground)
    assert caplog.messages == ["cannot force the foreground window here: no user32"]
