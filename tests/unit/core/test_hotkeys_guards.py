"""parse_hotkey guards found by mutation testing (tests/mutation): the exact messages the
settings page shows, and left/right modifiers told apart from unknown key names."""

from __future__ import annotations

import pytest

from app.core.hotkeys import HotkeyError, parse_hotkey


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "A hotkey must be a string, not NoneType."),
        (1, "A hotkey must be a string, not int."),
        ("  ", "The hotkey is empty."),
        (
            "ctrl+a,b",
            "'ctrl+a,b': key sequences (keys separated by ',') are not supported; "
            "use one combination such as ctrl+alt+1 (write 'comma' for the comma key).",
        ),
        (
            "ctrl++",
            "'ctrl++': empty key name between '+' signs "
            "(the plus key cannot be bound; use '=' for the +/= key).",
        ),
        (
            "right shift+a",
            "'right shift+a': left/right modifiers are not supported; write 'shift'.",
        ),
        ("Left  Alt+a", "'Left  Alt+a': left/right modifiers are not supported; write 'alt'."),
        # Three words are no side modifier, only an unknown key name.
        ("a+left ctrl x", "'a+left ctrl x': unknown key name 'left ctrl x'."),
        ("a+left x ctrl", "'a+left x ctrl': unknown key name 'left x ctrl'."),
    ],
)
def test_exact_messages(text: object, message: str) -> None:
    with pytest.raises(HotkeyError) as info:
        parse_hotkey(text)  # type: ignore[arg-type]
    assert str(info.value) == message
