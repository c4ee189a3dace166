"""Start Huashu at login: one Protocol, an XDG backend, a Windows Run-key backend, a fake.

- Linux/BSD (XDG): ``$XDG_CONFIG_HOME/autostart/huashu.desktop`` (``~/.config`` when the
  variable is unset or not absolute). Disabling removes the file we wrote.
- Windows: the ``Huashu`` value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
- :class:`FakeAutostart` keeps the state in memory (tests, unsupported systems).

Pick one with :func:`make_autostart`, which logs what it chose.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from app.core.fsutil import atomic_write_text

log = logging.getLogger(__name__)

APP_NAME = "Huashu"
DESKTOP_FILE = "huashu.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class AutostartError(OSError):
    """Start-at-login could not be read or changed (the message says why)."""


class Autostart(Protocol):
    """Whether Huashu starts when the user logs in."""

    name: str

    def is_enabled(self) -> bool: ...

    def set_enabled(self, enabled: bool) -> None:
        """Turn start-at-login on or off; raises :class:`AutostartError` on failure."""
        ...


def default_command() -> list[str]:
    """The command line that starts this Huashu (a frozen executable or ``python -m app``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    exe = sys.executable
    if sys.platform == "win32":
        pythonw = Path(exe).with_name("pythonw.exe")
        if pythonw.exists():
            exe = str(pythonw)  # no console window at login
    return [exe, "-m", "app"]


# -- XDG ----------------------------------------------------------------------------------
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _quote_exec_arg(arg: str) -> str:
    """Quote one argument of a desktop entry's Exec key (Desktop Entry spec, 'Exec key')."""
    arg = arg.replace("%", "%%")
    if arg and not (set(arg) & _EXEC_RESERVED):
        return arg
    inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{inner}"'


def _escape_value(value: str) -> str:
    """Escape a desktop-entry string value (backslash, newline, tab)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def exec_line(command: list[str]) -> str:
    return _escape_value(" ".join(_quote_exec_arg(a) for a in command))


def xdg_config_home() -> Path:
    env = os.environ.get("XDG_CONFIG_HOME", "")
    if env and os.path.isabs(env):
        return Path(env)
    return Path.home() / ".config"


class XdgAutostart:
    """``huashu.desktop`` in the XDG autostart directory."""

    name = "xdg"

    def __init__(self, command: list[str] | None = None, config_home: Path | None = None) -> None:
        self._command = command or default_command()
        self._config_home = config_home

    @property
    def path(self) -> Path:
        home = self._config_home if self._config_home is not None else xdg_config_home()
        return home / "autostart" / DESKTOP_FILE

    def desktop_entry(self) -> str:
        return (
            "[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={APP_NAME}\n"
            "Name[zh_CN]=话术\n"
            "Comment=Quick reply phrases for customer service\n"
            "Comment[zh_CN]=客服快捷短语\n"
            f"Exec={exec_line(self._command)}\n"
            "Icon=huashu\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )

    def is_enabled(self) -> bool:
        try:
            text = self.path.read_text("utf-8", errors="replace")
        except FileNotFoundError:
            return False
        except OSError as exc:
            log.warning("cannot read %s: %s", self.path, exc)
            return False
        for raw in text.splitlines():
            key, sep, value = raw.partition("=")
            if not sep:
                continue
            key, value = key.strip(), value.strip().lower()
            if key == "Hidden" and value == "true":
                return False
            if key == "X-GNOME-Autostart-enabled" and value == "false":
                return False
        return True

    def set_enabled(self, enabled: bool) -> None:
        path = self.path
        try:
            if enabled:
                atomic_write_text(path, self.desktop_entry())
                log.info("autostart enabled: %s", path)
            else:
                path.unlink(missing_ok=True)
                log.info("autostart disabled: removed %s", path)
        except OSError as exc:
            raise AutostartError(f"cannot change {path}: {exc}") from exc


# -- Windows ------------------------------------------------------------------------------
def _windows_command_line(command: list[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(command)


class WindowsRunAutostart:
    """The ``Huashu`` value of the current user's ``Run`` registry key."""

    name = "windows-run"

    def __init__(
        self, command: list[str] | None = None, winreg_module: ModuleType | Any | None = None
    ) -> None:
        self._command = command or default_command()
        if winreg_module is None:
            import winreg as winreg_module  # type: ignore[no-redef]
        self._winreg: Any = winreg_module

    @property
    def command_line(self) -> str:
        return _windows_command_line(self._command)

    def is_enabled(self) -> bool:
        wr = self._winreg
        try:
            with wr.OpenKey(wr.HKEY_CURRENT_USER, RUN_KEY, 0, wr.KEY_READ) as key:
                value, _kind = wr.QueryValueEx(key, APP_NAME)
        except OSError:
            return False
        return bool(value)

    def set_enabled(self, enabled: bool) -> None:
        wr = self._winreg
        try:
            with wr.CreateKeyEx(wr.HKEY_CURRENT_USER, RUN_KEY, 0, wr.KEY_SET_VALUE) as key:
                if enabled:
                    wr.SetValueEx(key, APP_NAME, 0, wr.REG_SZ, self.command_line)
                else:
                    try:
                        wr.DeleteValue(key, APP_NAME)
                    except FileNotFoundError:
                        pass
        except OSError as exc:
            raise AutostartError(f"cannot change the Run registry key: {exc}") from exc
        log.info("autostart %s (registry Run key)", "enabled" if enabled else "disabled")


# -- fake ---------------------------------------------------------------------------------
class FakeAutostart:
    """In-memory start-at-login, for tests; ``fail`` makes set_enabled raise."""

    name = "fake"

    def __init__(self, enabled: bool = False, *, fail: bool = False) -> None:
        self.enabled = enabled
        self.fail = fail
        self.calls: list[bool] = []

    def is_enabled(self) -> bool:
        return self.enabled

    def set_enabled(self, enabled: bool) -> None:
        self.calls.append(enabled)
        if self.fail:
            raise AutostartError("fake autostart failure")
        self.enabled = enabled


def make_autostart(platform: str | None = None) -> Autostart:
    """The start-at-login backend for this OS (the fake where none exists)."""
    platform = platform or sys.platform
    backend: Autostart
    if platform == "win32":
        try:
            backend = WindowsRunAutostart()
        except ImportError:
            log.warning("winreg is not available; start at login is not supported")
            backend = FakeAutostart()
    elif platform == "darwin":
        log.warning("start at login is not supported on macOS yet")
        backend = FakeAutostart()
    else:
        backend = XdgAutostart()
    log.info("autostart backend: %s", backend.name)
    return backend
