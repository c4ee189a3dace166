"""Chinese typed with a real input method into Huashu's own windows, on Xvfb.

Each test starts a private D-Bus session bus and a real input method with a pinyin engine
made active by its config (no user interaction): fcitx5 + its pinyin (Debian fcitx5,
fcitx5-pinyin), or ibus-daemon + ibus-libpinyin. The real huashu process starts with the
environment a desktop with that input method gives it (``QT_IM_MODULE=fcitx`` or ``ibus``).
The PySide6 wheel has no fcitx plugin: Huashu itself must route fcitx5 through Qt's ibus
plugin (app/platform/inputmethod.py), which talks to fcitx5's ibus frontend, through the
IBus portal when ibus-daemon is not installed.

What is checked, through another process (tests/e2e/target_app.py receives the paste):
pinyin typed into the picker's search box becomes a Chinese query (its top result is
pasted), and pinyin typed into the fill-in form becomes the Chinese value in the reply.
Typed as plain letters, the query would find another phrase and the value would stay Latin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from xenv import (
    Huashu,
    Target,
    XServer,
    require_tools,
    start_huashu,
    start_target,
    stop,
    wait_for,
)

from app.main import IM_NOTICE_FILE

pytestmark = pytest.mark.e2e

# Generous: 2 shared cores, input methods load dictionaries at start.
START_TIMEOUT = 60.0
STEP_TIMEOUT = 30.0
HANDSHAKE_TIMEOUT = 5.0

# pinyin -> the engine's first candidate (fcitx5-pinyin and ibus-libpinyin agree on these)
PICKER_WORD = ("fukuan", "付款")  # the Chinese query finds another phrase than "fukuan"
FORM_QUERY = ("zengpin", "赠品")  # its top phrase asks for a free-text value
FORM_VALUE = ("lianxi", "联系")
BACKSPACE = 0xFF08  # its X keysym

FCITX5_PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""
# Chinese is on in every new input context, as a user would have switched it on.
FCITX5_CONFIG = """[Behavior]
ActiveByDefault=True
"""
# ibus-libpinyin waits for ibus's config service; this one needs no dconf.
IBUS_MEMCONF = "/usr/libexec/ibus-memconf"
FCITX5_PINYIN = "/usr/share/fcitx5/inputmethod/pinyin.conf"  # Debian fcitx5-pinyin
IBUS_LIBPINYIN = "/usr/share/ibus/component/libpinyin.xml"  # Debian ibus-libpinyin
# Addons a headless test does not need (cloudpinyin would go online).
FCITX5_DISABLED = (
    "wayland,waylandim,kimpanel,notificationitem,notifications,clipboard,xim,"
    "fcitx4frontend,cloudpinyin,emoji,spell,unicode,quickphrase,imselector"
)


def require_files(*paths: str) -> None:
    """Like xenv.require_tools for files a package installs: fail with CI=true, else skip."""
    missing = [p for p in paths if not Path(p).exists()]
    if not missing:
        return
    msg = f"end-to-end files missing: {', '.join(missing)} (bash .ci/run installs them)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(msg)
    pytest.skip(msg)


def signal_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to a process group this test started; False when none of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Session:
    """A private D-Bus session bus, a home for the input method, their processes."""

    root: Path
    env: dict[str, str]
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def start(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        log = self.root / f"{name}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            # Its own process group: the engines and services it spawns are stopped with it.
            proc = subprocess.Popen(
                cmd, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        """Stop every process group started here, the last started first."""
        for p in reversed(self.procs):
            signal_group(p.pid, signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
            try:  # children (ibus engines save their data on exit) may outlive the leader
                wait_for(lambda pid=p.pid: not signal_group(pid, 0), 10, what="its group")
            except AssertionError:
                signal_group(p.pid, signal.SIGKILL)

    def log_text(self, name: str) -> str:
        log = self.root / f"{name}.log"
        return log.read_text("utf-8", "replace") if log.exists() else ""

    def bus_file(self) -> Path:
        """The IBus address file for this display (Qt's ibus plugin reads it)."""
        machine = Path("/etc/machine-id")
        if not machine.exists():
            machine = Path("/var/lib/dbus/machine-id")
        number = self.env["DISPLAY"].split(":")[1].split(".")[0]
        name = f"{machine.read_text().strip()}-unix-{number}"
        return Path(self.env["XDG_CONFIG_HOME"]) / "ibus" / "bus" / name

    def bus_address(self) -> str:
        try:
            text = self.bus_file().read_text("utf-8")
        except OSError:
            return ""
        for line in text.splitlines():
            if line.startswith("IBUS_ADDRESS="):
                return line.split("=", 1)[1].strip()
        return ""

    def report(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text('utf-8', 'replace')[-3000:]}"
            for log in self.logs
            if log.exists()
        )


@pytest.fixture
def session(xserver: XServer) -> Iterator[Session]:
    require_tools("dbus-daemon")
    # Short: a unix socket path has at most 107 bytes.
    root = Path(tempfile.mkdtemp(prefix="hs-im-"))
    socket = root / "bus"
    env = dict(
        xserver.env,
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_CACHE_HOME=str(root / "cache"),
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={socket}",
        GSETTINGS_BACKEND="memory",  # ibus: no dconf, defaults
        NO_AT_BRIDGE="1",
    )
    for var in ("QT_IM_MODULE", "GTK_IM_MODULE", "XMODIFIERS", "IBUS_USE_PORTAL"):
        env.pop(var, None)
    s = Session(root, env)
    try:
        s.start(
            "dbus",
            [
                "dbus-daemon",
                "--session",
                "--nofork",
                "--nopidfile",
                f"--address=unix:path={socket}",
            ],
        )
        wait_for(socket.exists, START_TIMEOUT, what="the D-Bus session bus")
        yield s
    finally:
        s.stop()
        shutil.rmtree(root, ignore_errors=True)


def start_fcitx5(s: Session, *, ibus_frontend: bool = True) -> None:
    require_tools("fcitx5")
    require_files(FCITX5_PINYIN)
    conf = Path(s.env["XDG_CONFIG_HOME"]) / "fcitx5"
    conf.mkdir(parents=True)
    (conf / "profile").write_text(FCITX5_PROFILE, "utf-8")
    (conf / "config").write_text(FCITX5_CONFIG, "utf-8")
    disabled = FCITX5_DISABLED + ("" if ibus_frontend else ",ibusfrontend")
    s.start("fcitx5", ["fcitx5", f"--disable={disabled}", "--verbose=*=4,ibus=5"])
    wait_for(
        lambda: "Loaded addon pinyin" in s.log_text("fcitx5"),
        START_TIMEOUT,
        what="fcitx5 to load its pinyin engine",
    )
    if ibus_frontend:
        wait_for(s.bus_address, START_TIMEOUT, what="fcitx5's ibus frontend to publish a bus")


def start_ibus(s: Session) -> None:
    require_tools("ibus-daemon", "ibus")
    require_files(IBUS_MEMCONF, IBUS_LIBPINYIN)
    s.start(
        "ibus",
        [
            "ibus-daemon",
            "--panel=disable",
            "--emoji-extension=disable",
            f"--config={IBUS_MEMCONF}",
            "--verbose",
        ],
    )
    wait_for(s.bus_address, START_TIMEOUT, what="ibus-daemon to publish its bus")

    def engine_is_libpinyin() -> bool:
        # ibus-daemon may not have read the engines yet: ask until it takes the engine.
        subprocess.run(["ibus", "engine", "libpinyin"], env=s.env, capture_output=True, timeout=30)
        out = subprocess.run(["ibus", "engine"], env=s.env, capture_output=True, timeout=30)
        return out.stdout.decode().strip() == "libpinyin"

    wait_for(engine_is_libpinyin, START_TIMEOUT, interval=0.5, what="ibus engine libpinyin")


def without_ibus_path(root: Path) -> str:
    """A PATH with every program of this PATH but ibus's: a system without ibus installed."""
    shim = root / "bin"
    shim.mkdir()
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        try:
            entries = list(Path(folder).iterdir())
        except OSError:
            continue
        for entry in entries:
            link = shim / entry.name
            if entry.name.startswith("ibus") or link.exists() or link.is_symlink():
                continue
            link.symlink_to(entry)
    return str(shim)


def desktop_env(s: Session, module: str, path: str | None = None) -> XServer:
    """The X server seen by huashu as a desktop with input method ``module`` starts it."""
    env = dict(
        s.env,
        QT_IM_MODULE=module,
        GTK_IM_MODULE=module,
        XMODIFIERS=f"@im={module}",
        QT_LOGGING_RULES="qt.qpa.input.methods=true",  # what Qt's ibus plugin did, on failure
    )
    if path is not None:
        env["PATH"] = path
    return XServer(env["DISPLAY"], env)


@pytest.fixture
def target(xserver: XServer, tmp_path: Path) -> Iterator[Target]:
    t = start_target(xserver, tmp_path / "target")  # no input method of its own
    try:
        yield t
    finally:
        stop(t.proc)


def top_hit(h: Huashu, query: str) -> dict[str, object]:
    out = h.cli("search", query, "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits, f"no phrase found for {query!r}"
    return hits[0]  # type: ignore[no-any-return]


def rendered(h: Huashu, phrase_id: str, *sets: str) -> str:
    args = ["render", phrase_id]
    for s in sets:
        args += ["--set", s]
    out = h.cli(*args)
    assert out.returncode == 0, out.stderr
    return out.stdout.rstrip("\n")


def active_window_name(xserver: XServer) -> str:
    return xserver.xdotool("getactivewindow", "getwindowname")


def focus_target(xserver: XServer) -> None:
    wid = xserver.xdotool("search", "--name", "huashu-e2e-target").split()[0]
    xserver.xdotool("windowactivate", "--sync", wid)
    wait_for(
        lambda: active_window_name(xserver) == "huashu-e2e-target",
        STEP_TIMEOUT,
        what="the target window to be active",
    )


def open_picker(xserver: XServer) -> None:
    """Press the picker's hotkey until the picker is the active window (it only re-opens
    the picker: pressing again is harmless; a loaded X server may lose a focus change)."""
    for _ in range(3):
        xserver.xdotool("key", "--clearmodifiers", "ctrl+alt+space")
        try:
            wait_for(
                lambda: active_window_name(xserver) == "Huashu picker",
                STEP_TIMEOUT / 3,
                what="the picker to be active",
            )
            return
        except AssertionError:
            continue
    raise AssertionError(f"the picker never became active within {STEP_TIMEOUT} s")


def key_outcome(huashu: Huashu, since: int, keysym: int) -> str:
    """What Qt's ibus plugin did with a key (its qt.qpa.input.methods log, read from the
    app's output after line ``since``): "im" when the input method took it, "plain" when
    it went to the widget as it is, "" while not yet known."""
    pattern = re.compile(rf"filterEventFinished return \d+ {keysym} \d+ (true|false)")
    for line in huashu.lines[since:]:
        match = pattern.search(line)
        if match:
            return "im" if match.group(1) == "true" else "plain"
    return ""


def type_pinyin(xserver: XServer, huashu: Huashu, letters: str) -> None:
    """Pinyin, then space: the input method commits its first candidate.

    The first letter is a handshake. Right after a window got the focus, or with an input
    method still loading its dictionary (fcitx5 under load), a key can go through as a
    plain letter or get lost; then it is taken back (BackSpace) and typed again until Qt's
    log says the input method took it."""
    first = letters[0]
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        since = len(huashu.lines)
        xserver.xdotool("type", first)
        try:
            outcome = wait_for(
                lambda: key_outcome(huashu, since, ord(first)),  # noqa: B023
                HANDSHAKE_TIMEOUT,
                what=f"Qt's input-method log for {first!r}",
            )
        except AssertionError:
            outcome = "lost"
        if outcome == "im":
            break
        assert time.monotonic() < deadline, f"the input method never took {first!r}"
        since = len(huashu.lines)
        xserver.xdotool("key", "BackSpace")
        try:
            wait_for(
                lambda: key_outcome(huashu, since, BACKSPACE),  # noqa: B023
                HANDSHAKE_TIMEOUT,
                what="Qt's input-method log for BackSpace",
            )
        except AssertionError:
            pass  # the next letter will tell
    xserver.xdotool("type", "--delay", "80", letters[1:])
    xserver.xdotool("key", "space")


def check_chinese_in_picker_and_form(
    xserver: XServer, huashu: Huashu, target: Target, report: Callable[[], str]
) -> None:
    try:
        type_chinese_into_picker_and_form(xserver, huashu, target)
    except AssertionError as e:
        app_log = huashu.home / "logs" / "huashu.log"
        tail = app_log.read_text("utf-8", "replace")[-2000:] if app_log.exists() else ""
        output = "\n".join(line.rstrip() for line in huashu.lines[-60:])
        raise AssertionError(
            f"{e}\ntarget got {target.text()!r}, active window {active_window_name(xserver)!r}"
            f"\n--- huashu.log\n{tail}\n--- huashu's output\n{output}\n{report()}"
        ) from None
    assert not (huashu.home / IM_NOTICE_FILE).exists(), "warned although Chinese input works"


def type_chinese_into_picker_and_form(xserver: XServer, huashu: Huashu, target: Target) -> None:
    # The picker: the Chinese query's top phrase, not the one found by the letters.
    latin, chinese = PICKER_WORD
    hit = top_hit(huashu, chinese)
    assert hit["id"] != top_hit(huashu, latin)["id"], "pick another word: same top phrase"
    assert hit["fields"] == [], hit  # chosen with Enter, pasted at once
    first = rendered(huashu, str(hit["id"]))
    focus_target(xserver)
    open_picker(xserver)
    type_pinyin(xserver, huashu, latin)
    xserver.xdotool("key", "Return")
    wait_for(lambda: target.text() == first, STEP_TIMEOUT, what=f"the picker's paste {first!r}")

    # The fill-in form: a Chinese value typed into its free-text field.
    latin, chinese = FORM_QUERY
    hit = top_hit(huashu, chinese)
    fields = [str(f) for f in hit["fields"]]  # type: ignore[attr-defined]
    assert fields and not [f for f in fields if f.startswith("choice:")], hit
    value_latin, value = FORM_VALUE
    second = rendered(huashu, str(hit["id"]), *(f"{f}={value}" for f in fields))
    assert value in second, second
    focus_target(xserver)
    open_picker(xserver)
    type_pinyin(xserver, huashu, latin)
    xserver.xdotool("key", "Return")
    wait_for(
        lambda: active_window_name(xserver).startswith("Fill in: "),
        STEP_TIMEOUT,
        what="the fill-in form to be active",
    )
    for _ in fields:
        type_pinyin(xserver, huashu, value_latin)
        xserver.xdotool("key", "Tab")
    xserver.xdotool("key", "Return")
    want = first + second
    wait_for(lambda: target.text() == want, STEP_TIMEOUT, what=f"the form's paste {want!r}")


def read_lines(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))


@contextmanager
def run_huashu(server: XServer, root: Path) -> Iterator[Huashu]:
    h = start_huashu(server, root / "huashu")
    # Keep reading its output (Qt's input-method log): a full pipe would block the app.
    assert h.proc.stdout is not None
    reader = threading.Thread(target=read_lines, args=(h.proc.stdout, h.lines), daemon=True)
    reader.start()
    try:
        yield h
    finally:
        stop(h.proc)


@pytest.mark.parametrize("ibus_installed", [False, True], ids=["no-ibus", "ibus-installed"])
def test_fcitx5_pinyin_in_picker_and_form(
    session: Session, target: Target, ibus_installed: bool
) -> None:
    if ibus_installed:
        require_tools("ibus-daemon")  # Qt then reads the bus address fcitx5 published
        path = None
    else:
        path = without_ibus_path(session.root)  # Qt then talks to the IBus portal
    start_fcitx5(session)
    server = desktop_env(session, "fcitx", path)
    with run_huashu(server, session.root) as huashu:
        check_chinese_in_picker_and_form(server, huashu, target, session.report)


def test_ibus_libpinyin_in_picker_and_form(session: Session, target: Target) -> None:
    start_ibus(session)
    server = desktop_env(session, "ibus")
    with run_huashu(server, session.root) as huashu:
        check_chinese_in_picker_and_form(server, huashu, target, session.report)


def test_fcitx5_without_ibus_frontend_is_told_once(session: Session) -> None:
    # fcitx5 runs, but Qt has no way to reach it: Huashu says so, once.
    start_fcitx5(session, ibus_frontend=False)
    server = desktop_env(session, "fcitx", without_ibus_path(session.root))
    marker = session.root / "huashu" / IM_NOTICE_FILE
    with run_huashu(server, session.root):
        problem = wait_for(lambda: marker.exists() and marker.read_text("utf-8"), STEP_TIMEOUT)
        assert "IBus" in problem, problem
