"""open_display sets up only the X extensions Huashu uses (issue 10: start-up time)."""

from __future__ import annotations

import sys

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform != "linux", reason="python-xlib runs on X11 only"),
]


def test_a_connection_sets_up_xtest_and_no_other_extension(xvfb_display: str) -> None:
    import Xlib.display
    import Xlib.ext

    from app.platform.x11 import open_display

    known = Xlib.ext.__extensions__
    before = list(known)
    display = open_display(xvfb_display)
    try:
        assert display.extensions == ["XTEST"]
        assert display.has_extension("XTEST")
    finally:
        display.close()
    # the list python-xlib reads is the same object with the same entries again
    assert Xlib.ext.__extensions__ is known
    assert known == before
    # ...so a plain connection still gets what the server offers beyond XTEST
    plain = Xlib.display.Display(xvfb_display)
    try:
        assert "XTEST" in plain.extensions
        assert "RANDR" in plain.extensions
    finally:
        plain.close()


def test_the_list_is_put_back_when_the_connection_fails(
    xvfb_display: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import Xlib.display
    import Xlib.ext

    from app.platform.x11 import X11Unavailable, open_display

    seen: list[list[tuple[str, str]]] = []

    def refused(name: str) -> None:
        seen.append(list(Xlib.ext.__extensions__))
        raise OSError("connection refused")

    monkeypatch.setattr(Xlib.display, "Display", refused)
    known = Xlib.ext.__extensions__
    with pytest.raises(X11Unavailable, match="cannot connect to X display :4097"):
        open_display(":4097")
    assert seen == [[("XTEST", "xtest")]]  # narrowed while it connected
    assert Xlib.ext.__extensions__ is known
