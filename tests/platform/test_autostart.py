"""Start at login: XDG .desktop file, Windows Run key (with a fake winreg), fake, factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import app.platform.autostart as autostart_mod
from app.platform.autostart import (
    RUN_KEY,
    AutostartError,
    FakeAutostart,
    WindowsRunAutostart,
    XdgAutostart,
    default_command,
    exec_line,
    make_autostart,
)


def test_xdg_respects_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    auto = XdgAutostart(["/opt/huashu/bin/python", "-m", "app"])
    path = tmp_path / "cfg" / "autostart" / "huashu.desktop"
    assert auto.path == path
    assert not auto.is_enabled()
    auto.set_enabled(True)
    text = path.read_text("utf-8")
    assert text.startswith("[Desktop Entry]\n")
    assert "Exec=/opt/huashu/bin/python -m app\n" in text
    assert "Type=Application\n" in text
    assert auto.is_enabled()
    auto.set_enabled(False)
    assert not path.exists() and not auto.is_enabled()
    auto.set_enabled(False)  # idempotent


@pytest.mark.linux_only("XDG autostart; Windows' home is USERPROFILE, not HOME")
def test_xdg_default_is_dot_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert XdgAutostart(["x"]).path == tmp_path / ".config" / "autostart" / "huashu.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")
    assert XdgAutostart(["x"]).path == tmp_path / ".config" / "autostart" / "huashu.desktop"


def test_xdg_hidden_or_disabled_entry_counts_as_off(tmp_path: Path) -> None:
    auto = XdgAutostart(["x"], config_home=tmp_path)
    auto.set_enabled(True)
    auto.path.write_text(auto.path.read_text("utf-8") + "Hidden=true\n", "utf-8")
    assert not auto.is_enabled()
    auto.path.write_text("[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n", "utf-8")
    assert not auto.is_enabled()


def test_xdg_failure_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", "utf-8")
    auto = XdgAutostart(["x"], config_home=blocker)
    with pytest.raises(AutostartError):
        auto.set_enabled(True)


def test_exec_quoting() -> None:
    assert exec_line(["/usr/bin/python3", "-m", "app"]) == "/usr/bin/python3 -m app"
    assert exec_line(["/home/a b/py", "100%"]) == '"/home/a b/py" 100%%'
    # reserved characters are quoted, and the backslash is escaped once more for the
    # desktop-entry string value
    assert exec_line(["/x/$HOME"]) == '"/x/\\\\$HOME"'


class FakeKey:
    def __enter__(self) -> FakeKey:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeWinreg:
    HKEY_CURRENT_USER = "HKCU"
    KEY_READ = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}
        self.opened: list[tuple[Any, str]] = []

    def OpenKey(self, root: str, sub: str, reserved: int, access: int) -> FakeKey:
        self.opened.append((root, sub))
        return FakeKey()

    def CreateKeyEx(self, root: str, sub: str, reserved: int, access: int) -> FakeKey:
        self.opened.append((root, sub))
        return FakeKey()

    def QueryValueEx(self, key: FakeKey, name: str) -> tuple[str, int]:
        if (RUN_KEY, name) not in self.values:
            raise FileNotFoundError(name)
        return self.values[(RUN_KEY, name)], self.REG_SZ

    def SetValueEx(self, key: FakeKey, name: str, reserved: int, kind: int, value: str) -> None:
        self.values[(RUN_KEY, name)] = value

    def DeleteValue(self, key: FakeKey, name: str) -> None:
        if (RUN_KEY, name) not in self.values:
            raise FileNotFoundError(name)
        del self.values[(RUN_KEY, name)]


def test_windows_run_key() -> None:
    reg = FakeWinreg()
    auto = WindowsRunAutostart([r"C:\Program Files\Huashu\pythonw.exe", "-m", "app"], reg)
    assert not auto.is_enabled()
    auto.set_enabled(True)
    assert reg.values[(RUN_KEY, "Huashu")] == r'"C:\Program Files\Huashu\pythonw.exe" -m app'
    assert ("HKCU", RUN_KEY) in reg.opened
    assert auto.is_enabled()
    auto.set_enabled(False)
    assert not auto.is_enabled()
    auto.set_enabled(False)  # no value: still fine


def test_fake_and_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeAutostart()
    fake.set_enabled(True)
    assert fake.is_enabled() and fake.calls == [True]
    fake.fail = True
    with pytest.raises(AutostartError):
        fake.set_enabled(False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert isinstance(make_autostart("linux"), XdgAutostart)
    assert isinstance(make_autostart("darwin"), FakeAutostart)
    assert isinstance(make_autostart("win32"), (WindowsRunAutostart, FakeAutostart))


def test_frozen_build_starts_its_own_exe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "Huashu" / "Huashu.exe"
    monkeypatch.setattr(autostart_mod.sys, "frozen", True, raising=False)
    monkeypatch.setattr(autostart_mod.sys, "executable", str(exe))
    assert default_command() == [str(exe)]
    reg = FakeWinreg()
    WindowsRunAutostart(winreg_module=reg).set_enabled(True)
    assert reg.values[(RUN_KEY, "Huashu")] == str(exe)
    spaced = r"C:\Users\A B\AppData\Local\Programs\Huashu\Huashu.exe"
    monkeypatch.setattr(autostart_mod.sys, "executable", spaced)
    WindowsRunAutostart(winreg_module=reg).set_enabled(True)
    # the same value the installer's "start at login" option writes
    assert reg.values[(RUN_KEY, "Huashu")] == f'"{spaced}"'


@pytest.mark.parametrize("frozen", [False, 0, None])
def test_unfrozen_python_runs_the_module(
    frozen: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autostart_mod.sys, "frozen", frozen, raising=False)
    python = tmp_path / "python.exe"
    monkeypatch.setattr(autostart_mod.sys, "executable", str(python))
    monkeypatch.setattr(autostart_mod.sys, "platform", "linux")
    (tmp_path / "pythonw.exe").touch()
    assert default_command() == [str(python), "-m", "app"]  # pythonw only on Windows
    monkeypatch.setattr(autostart_mod.sys, "platform", "win32")
    assert default_command() == [str(tmp_path / "pythonw.exe"), "-m", "app"]
    (tmp_path / "pythonw.exe").unlink()
    assert default_command() == [str(python), "-m", "app"]


def test_not_frozen_without_the_attribute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(autostart_mod.sys, "frozen", raising=False)
    monkeypatch.setattr(autostart_mod.sys, "executable", "/opt/py/bin/python3")
    monkeypatch.setattr(autostart_mod.sys, "platform", "linux")
    assert default_command() == ["/opt/py/bin/python3", "-m", "app"]
