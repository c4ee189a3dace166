"""``app.main.run`` without a display: a clear message in the terminal's language, exit 1,
and no QApplication (nothing could be shown)."""

from __future__ import annotations

import pytest

from app.core.problems import Msg


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "没有"),
        ({"LANG": "C"}, "display"),
        ({"LANG": "C", "LC_ALL": "zh_CN.UTF-8"}, "没有"),
    ],
)
def test_no_display_is_said_in_the_terminals_language(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    expected: str,
) -> None:
    from app import main
    from app.platform import display

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(display, "display_problem", lambda: Msg("display.missing"))
    monkeypatch.setattr(main, "QApplication", None)  # reaching it would fail the test
    assert main.run([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("huashu: ") and expected in err
