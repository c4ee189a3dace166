"""Input-method choice on Linux: fcitx5 through Qt's ibus plugin, or a notice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.platform import inputmethod as im


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"QT_IM_MODULE": " Fcitx5 ", "XMODIFIERS": "@im=ibus"}, "fcitx5"),
        ({"XMODIFIERS": "@im=fcitx"}, "fcitx"),
        ({"XMODIFIERS": "foo", "GTK_IM_MODULE": "IBUS"}, "ibus"),
        ({}, ""),
    ],
)
def test_requested_module(env: dict[str, str], expected: str) -> None:
    assert im.requested_module(env) == expected


def test_available_plugins(tmp_path: Path) -> None:
    for name in (
        "libibusplatforminputcontextplugin.so",
        "libcomposeplatforminputcontextplugin.so",
        "libfcitx5platforminputcontextplugin.so",
        "qtvirtualkeyboardplugin.dll",
        "README",
    ):
        (tmp_path / name).write_text("", "utf-8")
    assert im.available_plugins(tmp_path) == {"ibus", "compose", "fcitx5"}
    assert im.available_plugins(tmp_path / "missing") == set()
    if sys.platform.startswith("linux"):
        assert "ibus" in im.available_plugins()  # the Linux PySide6 wheel ships it


def test_ibus_address(tmp_path: Path) -> None:
    assert im.ibus_address_known({"IBUS_ADDRESS": "unix:path=/x"})
    assert not im.ibus_address_known({}, tmp_path)
    bus = tmp_path / ".config" / "ibus" / "bus"
    bus.mkdir(parents=True)
    assert not im.ibus_address_known({}, tmp_path)  # an empty folder
    (bus / "abc-unix-0").write_text("IBUS_ADDRESS=unix:abstract=/tmp/x", "utf-8")
    assert im.ibus_address_known({}, tmp_path)
    assert im.ibus_address_known({"XDG_CONFIG_HOME": str(tmp_path / ".config")}, Path("/nope"))


@pytest.mark.parametrize(
    ("requested", "plugins", "address", "value", "problem"),
    [
        ("", {"ibus"}, False, None, None),
        ("ibus", {"ibus"}, False, None, None),
        ("fcitx5", {"fcitx5", "ibus"}, False, None, None),
        ("fcitx", {"ibus", "compose"}, True, "ibus", None),
        ("fcitx5", {"ibus"}, True, "ibus", None),
        ("fcitx", {"ibus"}, False, None, "IBus frontend"),
        ("fcitx", {"compose"}, True, None, "neither an fcitx nor an ibus"),
        ("ibus", {"compose"}, True, None, "ibus input-method plugin is missing"),
        ("xim", {"ibus"}, True, None, None),
    ],
)
def test_plan(
    requested: str, plugins: set[str], address: bool, value: str | None, problem: str | None
) -> None:
    got_value, got_problem = im.plan(requested, plugins, address)
    assert got_value == value
    if problem is None:
        assert got_problem is None
    else:
        assert got_problem is not None and problem in got_problem


def test_configure_sets_qt_im_module_for_fcitx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(im.sys, "platform", "linux")
    path = str(daemon_dir(tmp_path))
    env = {"XMODIFIERS": "@im=fcitx", "IBUS_ADDRESS": "unix:x", "PATH": path}
    assert im.configure(env, {"ibus"}, tmp_path) is None
    assert env == {
        "XMODIFIERS": "@im=fcitx",
        "IBUS_ADDRESS": "unix:x",
        "PATH": path,
        "QT_IM_MODULE": "ibus",
    }  # ibus-daemon is there: Qt reads the address fcitx5 published, no portal needed
    env = {"QT_IM_MODULE": "fcitx", "PATH": ""}
    problem = im.configure(env, {"ibus"}, tmp_path)
    assert problem and env == {"QT_IM_MODULE": "fcitx", "PATH": ""}  # left alone, and said
    env = {"PATH": ""}
    assert im.configure(env, {"ibus"}, tmp_path) is None and env == {"PATH": ""}


def daemon_dir(tmp_path: Path) -> Path:
    """A folder holding an executable ``ibus-daemon``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    daemon = bin_dir / "ibus-daemon"
    daemon.write_text("#!/bin/sh\n", "utf-8")
    daemon.chmod(0o755)
    return bin_dir


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PATH lookup of a Linux tool")
def test_ibus_daemon_installed(tmp_path: Path) -> None:
    assert im.ibus_daemon_installed({"PATH": str(daemon_dir(tmp_path))})
    assert not im.ibus_daemon_installed({"PATH": str(tmp_path)})
    assert not im.ibus_daemon_installed({"PATH": ""})


@pytest.mark.parametrize(
    ("module", "env", "daemon", "expected"),
    [
        ("ibus", {}, False, True),
        ("ibus", {}, True, False),
        ("ibus", {"IBUS_USE_PORTAL": ""}, False, False),  # set at all counts, as in Qt
        ("fcitx", {}, False, False),
        ("", {}, False, False),
    ],
)
def test_needs_portal(
    module: str,
    env: dict[str, str],
    daemon: bool,
    expected: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []

    def installed(e: object) -> bool:
        seen.append(e)
        return daemon

    monkeypatch.setattr(im, "ibus_daemon_installed", installed)
    assert im.needs_portal(module, env) is expected
    assert all(e is env for e in seen)


@pytest.mark.parametrize("requested", ["fcitx", "ibus"])
def test_configure_uses_the_ibus_portal_without_ibus_daemon(
    requested: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fcitx5 desktop without ibus installed: Qt's ibus plugin would refuse to start.
    monkeypatch.setattr(im.sys, "platform", "linux")
    env = {"QT_IM_MODULE": requested, "IBUS_ADDRESS": "unix:x", "PATH": str(tmp_path)}
    assert im.configure(env, {"ibus"}, tmp_path) is None
    assert env["QT_IM_MODULE"] == "ibus"
    assert env["IBUS_USE_PORTAL"] == "1"


def test_configure_keeps_the_users_portal_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(im.sys, "platform", "linux")
    env = {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "0", "PATH": ""}
    assert im.configure(env, {"ibus"}, tmp_path) is None
    assert env == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "0", "PATH": ""}


def test_configure_does_nothing_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(im.sys, "platform", "win32")
    env = {"QT_IM_MODULE": "fcitx"}
    assert im.configure(env, set()) is None and env == {"QT_IM_MODULE": "fcitx"}


def test_configure_no_portal_when_qt_has_no_ibus_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(im.sys, "platform", "linux")
    env = {"QT_IM_MODULE": "ibus", "PATH": ""}
    assert im.configure(env, {"compose"}, tmp_path)  # said, and nothing else to try
    assert env == {"QT_IM_MODULE": "ibus", "PATH": ""}
