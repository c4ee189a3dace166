"""Tests for the caret placement after pasting (app.core.caret)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.caret import cursor_left_presses
from app.core.template import Context, Rendered, escape, render


@pytest.mark.parametrize(
    ("tail", "presses"),
    [
        ("", 0),
        ("abc", 3),
        ("\r\n", 1),
        ("\r\n\r\n", 2),
        ("\n\r", 2),
        ("\r\r\n", 2),
        ("亲❤️", 2),  # heart + variation selector
        ("e\u0301x", 2),  # combining acute accent
        ("👍🏻", 1),  # skin tone modifier
        ("👨\u200d👩\u200d👧", 1),  # ZWJ family
        ("🇨🇳🇺🇸", 2),  # two flags
        ("\u0301", 1),  # a lone combining mark still moves once
    ],
)
def test_cursor_left_presses(tail: str, presses: int) -> None:
    assert cursor_left_presses(Rendered("前" + tail, 1, ())) == presses


@given(st.text(alphabet=st.characters(codec="ascii", exclude_characters="\r")))
def test_left_presses_equal_length_for_plain_ascii(tail: str) -> None:
    r = render(escape("head") + "{光标}" + escape(tail), Context())
    assert cursor_left_presses(r) == len(tail)


# --------------------------------------------------------------------------- exact edges
# Each case sits on one edge of a range or rule, just inside or just outside, so that an
# off-by-one in the code changes a result.


@pytest.mark.parametrize(
    ("tail", "presses"),
    [
        ("x\ufe00", 1),  # first variation selector
        ("x\ufe0f", 1),  # last variation selector
        ("x\ufe10", 2),  # the next code point is a punctuation mark of its own
        ("👍\U0001f3fb", 1),  # lightest skin tone
        ("👍\U0001f3ff", 1),  # darkest skin tone
        ("x\U0001f3fa", 2),  # the code points around the skin tones are pictographs
        ("x\U0001f400", 2),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 1),  # Scotland
        ("x\U000e0020", 1),  # first tag character
        ("x\U000e007f", 1),  # cancel tag, the last one
        ("x\U000e001f", 2),  # unassigned code points around the tags
        ("x\U000e0080", 2),
        ("x\U000e0100", 1),  # ideographic variation selectors
        ("x\U000e01ef", 1),
        ("x\U000e01f0", 2),
        ("x\u0300", 1),  # the first combining mark
        ("x\u20dd", 1),  # enclosing mark (Me)
        ("क\u0903", 1),  # spacing mark (Mc)
        ("x\u200c", 2),  # zero-width non-joiner is not a joiner
        ("\u200d", 1),  # a lone joiner
    ],
)
def test_cursor_left_presses_cluster_edges(tail: str, presses: int) -> None:
    assert cursor_left_presses(Rendered("前" + tail, 1, ())) == presses


@pytest.mark.parametrize(
    ("tail", "presses"),
    [
        ("\U0001f1e6", 1),  # one regional indicator
        ("\U0001f1e6\U0001f1e6", 1),  # A and Z end the range
        ("\U0001f1ff\U0001f1ff", 1),
        ("\U0001f1e5\U0001f1e5", 2),  # outside the range: two characters
        ("\U0001f200\U0001f200", 2),
        ("x🇨", 2),
        ("🇨🇳🇺", 2),  # a flag and half of one
        ("🇨🇳x🇺🇸", 3),
    ],
)
def test_cursor_left_presses_flag_edges(tail: str, presses: int) -> None:
    assert cursor_left_presses(Rendered("前" + tail, 1, ())) == presses


@pytest.mark.parametrize(
    ("tail", "presses"),
    [
        ("\r\n\n", 2),  # CRLF, then a lone LF
        ("\n\n", 2),
        ("\r\r", 2),
        ("\r\u0301", 2),  # a mark after a line break does not join it
        ("\n\u0301", 2),
        ("\r\n\u0301", 2),
        ("a\u200d\r\n", 2),  # a joiner never pulls in a line break
        ("a\u200d\n", 2),
        ("e\u0301\r\n", 2),
    ],
)
def test_cursor_left_presses_line_breaks(tail: str, presses: int) -> None:
    assert cursor_left_presses(Rendered("前" + tail, 1, ())) == presses
