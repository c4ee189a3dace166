"""The Windows guard of tests/conftest.py: no test hooks the real keyboard or sends keys."""

from __future__ import annotations

import pytest


@pytest.mark.windows_only
def test_real_hook_and_keys_are_refused(no_real_input: list[str]) -> None:
    import keyboard

    from app.platform import win32api

    with pytest.raises(RuntimeError, match="test used the real keyboard init"):
        keyboard._os_keyboard.init()
    with pytest.raises(RuntimeError, match="real keyboard listen"):
        keyboard._os_keyboard.listen(print)
    with pytest.raises(RuntimeError, match="real keyboard press"):
        keyboard._os_keyboard.press(0x1D)
    with pytest.raises(RuntimeError, match="real keyboard type_unicode"):
        keyboard._os_keyboard.type_unicode("x")
    with pytest.raises(RuntimeError, match="real SendInput"):
        win32api.SendInput(0, None, 40)
    assert no_real_input == [
        "keyboard init",
        "keyboard listen",
        "keyboard press",
        "keyboard type_unicode",
        "SendInput",
    ]
    no_real_input.clear()  # refused as it should be: not a failure of this test


@pytest.mark.e2e
@pytest.mark.windows_only
def test_end_to_end_tests_are_not_guarded(no_real_input: list[str] | None) -> None:
    assert no_real_input is None


def test_guard_is_off_elsewhere(no_real_input: list[str] | None) -> None:
    import sys

    assert (no_real_input is None) is (sys.platform != "win32")
