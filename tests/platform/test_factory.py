"""Backend choice and the doctor report, with the environment probes faked."""

from __future__ import annotations

from typing import Any

import pytest

from app.platform import clipboard, factory, probe
from app.platform.hotkeys import HotkeyBackendError


def fake_env(
    monkeypatch: pytest.MonkeyPatch,
    *,
    windows: bool = False,
    x11: str | None = None,
    keyboard: str | None = None,
    wayland: bool = False,
    pyperclip: str | None = None,
    tools: tuple[str, ...] = ("xclip",),
) -> None:
    monkeypatch.setattr(probe, "is_windows", lambda: windows)
    monkeypatch.setattr(probe, "is_linux", lambda: not windows)
    monkeypatch.setattr(probe, "x11_problem", lambda need_xtest=False: x11)
    monkeypatch.setattr(probe, "keyboard_problem", lambda: keyboard)
    monkeypatch.setattr(probe, "wayland_session", lambda: wayland)
    monkeypatch.setattr(
        probe, "tool_path", lambda name: f"/usr/bin/{name}" if name in tools else None
    )
    monkeypatch.setattr(clipboard, "pyperclip_problem", lambda: pyperclip)


def test_auto_on_x11_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, keyboard="keyboard needs root and /dev/input")
    assert factory.choose_hotkey_backend("auto") == (
        "x11",
        "XGrabKey on the X server (X11 default)",
    )


def test_auto_on_windows_is_registerhotkey(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, windows=True, x11="no $DISPLAY")
    name, reason = factory.choose_hotkey_backend("auto")
    assert name == "windows"
    assert reason == "RegisterHotKey: system hotkeys, no keyboard hook (Windows default)"


def test_keyboard_hook_stays_an_option_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, windows=True, x11="no $DISPLAY")
    assert factory.choose_hotkey_backend("keyboard") == (
        "keyboard",
        "keyboard package (chosen in settings)",
    )
    assert factory.choose_hotkey_backend("windows") == (
        "windows",
        "RegisterHotKey (chosen in settings)",
    )


def test_windows_backend_is_refused_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch)
    assert factory.choose_hotkey_backend("windows") == (
        None,
        "windows backend unavailable: not Windows",
    )
    with pytest.raises(HotkeyBackendError, match="not Windows"):
        factory.make_hotkey_backend("windows")


def test_every_backend_name_is_in_the_settings_and_the_page() -> None:
    from app.core import settings

    assert factory.HOTKEY_BACKENDS is settings.HOTKEY_BACKENDS  # one registry
    assert factory.HOTKEY_BACKENDS == ("auto", "windows", "keyboard", "x11")
    # Every name but "auto" has an availability check, and no check has no name.
    assert set(factory.HOTKEY_BACKEND_CHECKS) == set(settings.HOTKEY_BACKENDS) - {"auto"}


@pytest.mark.parametrize("name", ["windows", "keyboard", "x11"])
def test_each_check_decides_its_backend(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(probe, "is_windows", lambda: name == "windows")
    monkeypatch.setattr(probe, "x11_problem", lambda need_xtest=False: "x11 says no")
    monkeypatch.setattr(probe, "keyboard_problem", lambda: "keyboard says no")
    monkeypatch.setattr(probe, "wayland_session", lambda: False)
    checks = factory.HOTKEY_BACKEND_CHECKS
    assert (checks["windows"]() is None) == (name == "windows")
    assert checks["x11"]() == "x11 says no" and checks["keyboard"]() == "keyboard says no"
    chosen, reason = factory.choose_hotkey_backend(name)
    if name == "windows":
        assert chosen == "windows" and "chosen in settings" in reason
    else:
        assert chosen is None
        assert reason == f"{name} backend unavailable: {name} says no"
    assert factory.choose_hotkey_backend("nope") == (
        None,
        "unknown hotkey backend 'nope' (auto, windows, keyboard, x11)",
    )


def test_make_windows_backend_falls_back_to_the_hook(
    monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    from app.platform import hotkeys_win
    from app.platform.hotkeys_keyboard import KeyboardHotkeyBackend

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise HotkeyBackendError("user32 is not available here")

    fake_env(monkeypatch, windows=True, x11="no $DISPLAY")
    monkeypatch.setattr(hotkeys_win, "WindowsHotkeyBackend", broken)
    backend, reason = factory.make_hotkey_backend("auto")
    try:
        assert isinstance(backend, KeyboardHotkeyBackend)
        assert reason == "keyboard package; RegisterHotKey failed: user32 is not available here"
    finally:
        backend.close()
    with pytest.raises(HotkeyBackendError, match="user32 is not available here"):
        factory.make_hotkey_backend("windows")  # an explicit choice does not fall back
    fake_env(monkeypatch, windows=True, keyboard="the keyboard package is not installed")
    with pytest.raises(HotkeyBackendError, match="user32"):
        factory.make_hotkey_backend("auto")


def test_make_windows_backend(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    from app.platform import hotkeys_win

    made: list[Any] = []

    class Fake:
        name = "windows"

        def __init__(self) -> None:
            made.append(self)

    fake_env(monkeypatch, windows=True, x11="no $DISPLAY")
    monkeypatch.setattr(hotkeys_win, "WindowsHotkeyBackend", Fake)
    backend, reason = factory.make_hotkey_backend("auto")
    assert made == [backend]
    assert "Windows default" in reason


def test_auto_falls_back_to_keyboard_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, x11="no $DISPLAY (not an X11 session)")
    name, reason = factory.choose_hotkey_backend("auto")
    assert name == "keyboard"
    assert "x11 unavailable: no $DISPLAY" in reason


def test_auto_with_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, x11="no $DISPLAY", keyboard="keyboard needs root and /dev/input")
    name, reason = factory.choose_hotkey_backend("auto")
    assert name is None
    assert reason == (
        "no global hotkeys: x11: no $DISPLAY; keyboard: keyboard needs root and /dev/input"
    )
    with pytest.raises(HotkeyBackendError, match="no global hotkeys"):
        factory.make_hotkey_backend("auto")


def test_wayland_is_mentioned(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, wayland=True)
    name, reason = factory.choose_hotkey_backend("auto")
    assert name == "x11" and "XWayland" in reason


@pytest.mark.parametrize(
    ("preference", "message"),
    [
        ("keyboard", "keyboard backend unavailable: keyboard needs root"),
        ("x11", "x11 backend unavailable: no \\$DISPLAY"),
        ("pynput", "unknown hotkey backend 'pynput'"),
    ],
)
def test_explicit_choice_that_fails_raises(
    monkeypatch: pytest.MonkeyPatch, preference: str, message: str
) -> None:
    fake_env(monkeypatch, x11="no $DISPLAY", keyboard="keyboard needs root and /dev/input")
    with pytest.raises(HotkeyBackendError, match=message):
        factory.make_hotkey_backend(preference)


def test_make_keyboard_backend(monkeypatch: pytest.MonkeyPatch, qapp: Any) -> None:
    from app.platform.hotkeys_keyboard import KeyboardHotkeyBackend

    fake_env(monkeypatch, x11="no $DISPLAY")
    backend, reason = factory.make_hotkey_backend("keyboard")
    try:
        assert isinstance(backend, KeyboardHotkeyBackend)
        assert reason == "keyboard package (chosen in settings)"
    finally:
        backend.close()


def test_doctor_report_when_nothing_works(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(
        monkeypatch,
        x11="no $DISPLAY (not an X11 session)",
        keyboard="keyboard needs root and /dev/input",
        pyperclip="pyperclip cannot reach the clipboard",
        tools=(),
    )
    rows = {capability: (backend, why) for capability, backend, why in factory.doctor_report()}
    assert rows["global hotkeys"][0] == "none"
    assert "no $DISPLAY" in rows["global hotkeys"][1]
    assert "keyboard needs root and /dev/input" in rows["global hotkeys"][1]
    assert rows["paste keystrokes"][0] == "none"
    assert rows["paste mode"][0] == "copy"
    assert rows["clipboard"][0] == "qt"
    assert rows["clipboard fallback"][0] == "none"
    assert "xclip not found" in rows["clipboard fallback"][1]
    assert "system" in rows


def test_doctor_report_on_x11(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_env(monkeypatch, keyboard="keyboard needs root and /dev/input", tools=("xclip", "xsel"))
    report = factory.doctor_report()
    assert all(len(row) == 3 and all(isinstance(c, str) for c in row) for row in report)
    rows = {capability: (backend, why) for capability, backend, why in report}
    assert rows["global hotkeys"][0] == "x11"
    assert rows["paste keystrokes"][0] == "x11"
    assert "paste mode" not in rows
    assert rows["clipboard fallback"] == ("pyperclip", "works (xclip, xsel found)")


def test_doctor_report_runs_for_real() -> None:
    # Whatever this machine offers, the report is well formed and never raises.
    report = factory.doctor_report()
    assert [row[0] for row in report][:3] == ["system", "global hotkeys", "paste keystrokes"]


def test_keyboard_problem_on_this_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(probe, "is_windows", lambda: False)
    monkeypatch.setattr(probe, "is_linux", lambda: True)
    monkeypatch.setattr(probe.os, "geteuid", lambda: 1000, raising=False)
    assert probe.keyboard_problem() == (
        "keyboard needs root and /dev/input (Huashu is not running as root)"
    )
    monkeypatch.setattr(probe.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(probe.glob, "glob", lambda pattern: [])
    assert probe.keyboard_problem() == (
        "keyboard needs root and /dev/input (no keyboard devices under /dev/input)"
    )
    monkeypatch.setattr(probe.glob, "glob", lambda pattern: ["/dev/input/event0"])
    assert probe.keyboard_problem() is None


def test_x11_problem_without_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    assert probe.x11_problem() in ("no $DISPLAY (not an X11 session)", "not an X11 system")


@pytest.mark.e2e
@pytest.mark.linux_only("X server (Xvfb)")
def test_doctor_report_on_a_real_x_server(x11_env: str) -> None:
    rows = {capability: (backend, why) for capability, backend, why in factory.doctor_report()}
    assert rows["global hotkeys"] == ("x11", "XGrabKey on the X server (X11 default)")
    assert rows["paste keystrokes"] == ("x11", "XTEST on the X server")
    assert rows["clipboard fallback"][0] == "pyperclip"
    assert f"DISPLAY={x11_env}" in rows["system"][1]
