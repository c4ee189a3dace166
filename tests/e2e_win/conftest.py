"""End-to-end tests of the running app on Windows, under Wine, against Wine's notepad.

What runs where:

- this pytest runs on the Linux side (any Python with the project installed);
- Huashu runs as a Windows program: ``python -m app`` with the Wine lane's Windows CPython
  (``$WINLANE_DIR/bin/winpy``), or the frozen ``Huashu.exe`` when ``HUASHU_WIN_EXE`` names
  it (the same tests, another launcher);
- the target is Wine's own ``notepad`` (nobody here wrote it); its text is read with
  ``WM_GETTEXT`` by ``winhelper.py``, a small ctypes program run with the same Windows
  Python, which also sets/reads the Windows clipboard (text + a DIB image) and holds a
  hotkey with ``RegisterHotKey`` like another program would;
- keys are real X key events from ``xdotool`` on a private Xvfb display (Wine's virtual
  desktop), so they go through Wine's keyboard input like a user's.

Every locale runs the whole set: ``en`` (English Windows) and ``zh`` (code page 936,
Chinese UI; needs the host locale ``zh_CN.UTF-8``). Each locale gets its own Xvfb, Wine
prefix (created by ``winpy``) and ``HUASHU_HOME``.

How to run (the Wine lane of ``bash .ci/run`` calls this folder when it exists)::

    WINLANE_DIR=/work/wine-lane .venv/bin/python -m pytest tests/e2e_win
    HUASHU_WIN_EXE=dist/Huashu/Huashu.exe ... pytest tests/e2e_win   # the frozen build
    HUASHU_E2E_LOCALES=en ... pytest tests/e2e_win                    # one locale only

``WINLANE_DIR`` defaults to /work/wine-lane, then <repo>/.winlane. With ``CI=true`` a
missing piece (wine, Xvfb, xdotool, the lane, a host locale) FAILS the tests; elsewhere
they are skipped with the reason. Tests wait by polling a condition, never by sleeping a
fixed time.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

if sys.platform == "win32":  # pragma: no cover - a wrong lane configuration
    raise pytest.UsageError(
        "tests/e2e_win drives Wine from the Linux side (xdotool, wineserver, Xvfb): run it "
        "with the Linux Python, e.g. CI=true .venv/bin/python -m pytest tests/e2e_win"
    )

from wine_e2e import (
    FOCUS_RESYNCS,
    TAKEN_ID,
    TAKEN_MODS,
    TAKEN_VK,
    TEST_PACK,
    Huashu,
    WinEnv,
    close_winenv,
    make_winenv,
    selected_locales,
    wait_for,
)


@pytest.fixture(scope="session", params=selected_locales())
def winenv(request: pytest.FixtureRequest) -> Iterator[WinEnv]:
    base = Path(tempfile.mkdtemp(prefix=f"huashu-e2e-win-{request.param}-"))
    try:
        made = make_winenv(request.param, base)
        try:
            yield made
        finally:
            close_winenv(made)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def e2e_home(winenv: WinEnv) -> Path:
    home = winenv.prefix.parent / "home"
    app = Huashu(winenv, home, "paste")
    app.cli("profile", "--agent-no", "7", "--agent-name", "阿华", "--shop", "小美服饰旗舰店")
    pack = winenv.prefix.parent / "e2e-pack.toml"
    pack.write_text(TEST_PACK, encoding="utf-8")
    app.cli("pack", "import", "--accept-hotkeys", str(pack))
    return home


@pytest.fixture(scope="session")
def running(winenv: WinEnv, e2e_home: Path) -> Iterator[dict[str, Huashu]]:
    """The one running Huashu of this locale (restarted when a test needs another mode)."""
    assert winenv.helper is not None
    held = winenv.helper.ask("hold", mods=TAKEN_MODS, vk=TAKEN_VK, id=TAKEN_ID)
    assert held["ok"], held
    state: dict[str, Huashu] = {}
    try:
        yield state
    finally:
        for app in state.values():
            app.stop()
        winenv.helper.ask("release", id=TAKEN_ID)


def huashu_in(running: dict[str, Huashu], winenv: WinEnv, home: Path, mode: str) -> Huashu:
    current = running.get("app")
    if current is not None and current.mode == mode:
        return current
    if current is not None:
        current.stop()
    app = Huashu(winenv, home, mode)
    app.start()
    running["app"] = app
    return app


@pytest.fixture
def huashu(running: dict[str, Huashu], winenv: WinEnv, e2e_home: Path) -> Huashu:
    return huashu_in(running, winenv, e2e_home, "paste")


@pytest.fixture
def huashu_typing(running: dict[str, Huashu], winenv: WinEnv, e2e_home: Path) -> Huashu:
    return huashu_in(running, winenv, e2e_home, "type")


@pytest.fixture
def notepad(winenv: WinEnv) -> WinEnv:
    """An empty notepad with the keyboard focus."""
    assert winenv.helper is not None
    assert winenv.helper.ask("notepad_clear")["ok"]
    winenv.focus_notepad()
    wait_for(lambda: winenv.notepad_text() == "", 5, "an empty notepad")
    return winenv


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failure: a screenshot of the Wine desktop and the end of Huashu's log."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    env = item.funcargs.get("winenv") or item.funcargs.get("notepad")
    app = item.funcargs.get("huashu") or item.funcargs.get("huashu_typing")
    if isinstance(env, WinEnv):
        name = "".join(c if c.isalnum() else "-" for c in item.name)
        shot = Path(tempfile.gettempdir()) / f"huashu-e2e-win-{name}.png"
        env.screenshot(shot)
        report.sections.append(("screenshot", str(shot)))
    if isinstance(app, Huashu):
        report.sections.append(("huashu.log (end)", app.log()[-4000:]))


_config: list[pytest.Config] = []


def pytest_configure(config: pytest.Config) -> None:
    _config.append(config)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """A test that pytest-rerunfailures runs again: say why on a line of its own
    (``RERUN-WHY nodeid: E ...``), which the lane's stages print into CI's output (the
    summary's ``RERUN`` line names the test only)."""
    if str(report.outcome) != "rerun" or not _config:
        return
    text = report.longreprtext
    errors = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    why = " | ".join(errors[:3]) or (text.strip().splitlines() or [""])[-1]
    reporter = _config[0].pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        line = f"RERUN-WHY {report.nodeid} ({report.when}): {why}"[:600]
        reporter.write(f"\n{line}\n")  # a line of its own, after the progress letters


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Each time the lane moved the X focus onto the window Windows had put in front
    (WinEnv.keyboard_follows), on a line of its own that the lane's stages print."""
    for line in FOCUS_RESYNCS:
        terminalreporter.write_line(f"XFOCUS-RESYNC {line}")
