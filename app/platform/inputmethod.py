"""Chinese input methods on Linux: make fcitx5 (and ibus) work in Huashu's own windows.

The PySide6 wheel ships Qt's ``ibus`` input-context plugin but no ``fcitx``/``fcitx5`` one,
so with ``QT_IM_MODULE=fcitx`` (the usual fcitx5 setup) Qt loads no input method and the
picker and the fill-in form get raw Latin letters. fcitx5 also serves the IBus protocol
(its ``ibus`` frontend addon), so Qt's ibus plugin reaches it: when fcitx is asked for,
its plugin is missing, the ibus plugin is there and an IBus bus address is published
(``IBUS_ADDRESS`` or a file in ``~/.config/ibus/bus``), ``QT_IM_MODULE`` is set to ``ibus``
before the QApplication is created. When that cannot work, :func:`configure` returns a
problem the app tells the user once.

Qt's ibus plugin gives up at start unless ``ibus-daemon`` is on ``PATH`` or
``IBUS_USE_PORTAL`` is set (then it talks to ``org.freedesktop.portal.IBus`` on the session
bus, which fcitx5's ibus frontend also serves). A fcitx5 desktop often has no ibus
installed, so when Qt is to use ibus and there is no ``ibus-daemon``, ``IBUS_USE_PORTAL=1``
is set too. Checked end to end with real fcitx5 and ibus in tests/e2e/test_input_method.py.

This is decided before Qt starts, from the environment and files only.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Collection, Mapping, MutableMapping
from pathlib import Path

log = logging.getLogger(__name__)

_PLUGIN = re.compile(r"^(?:lib)?(\w+?)platforminputcontextplugin\.(?:so|dll|dylib)$")


def requested_module(env: Mapping[str, str]) -> str:
    """The input method the desktop asks for ("fcitx", "ibus", ... or "")."""
    explicit = env.get("QT_IM_MODULE", "").strip().lower()
    if explicit:
        return explicit
    modifiers = env.get("XMODIFIERS", "")
    match = re.search(r"@im=(\w+)", modifiers)
    if match:
        return match.group(1).lower()
    return env.get("GTK_IM_MODULE", "").strip().lower()


def available_plugins(plugin_dir: Path | None = None) -> set[str]:
    """Input-context plugins Qt can load (``ibus``, ``compose``, ``fcitx5``...)."""
    if plugin_dir is None:
        try:
            from PySide6.QtCore import QLibraryInfo

            base = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
        except ImportError:
            return set()
        plugin_dir = base / "platforminputcontexts"
    try:
        names = [p.name for p in plugin_dir.iterdir()]
    except OSError:
        return set()
    return {m.group(1) for m in map(_PLUGIN.match, names) if m}


def ibus_address_known(env: Mapping[str, str], home: Path | None = None) -> bool:
    """Whether an IBus bus (ibus-daemon, or fcitx5's ibus frontend) published its address."""
    if env.get("IBUS_ADDRESS"):
        return True
    config = env.get("XDG_CONFIG_HOME") or str((home or Path.home()) / ".config")
    bus = Path(config) / "ibus" / "bus"
    try:
        return any(bus.iterdir())
    except OSError:
        return False


def plan(
    requested: str, plugins: Collection[str], ibus_address: bool
) -> tuple[str | None, str | None]:
    """(value for ``QT_IM_MODULE`` or None to leave it, problem for the user or None)."""
    if not requested or requested in plugins:
        return None, None
    if requested.startswith("fcitx"):
        if "ibus" in plugins and ibus_address:
            return "ibus", None
        if "ibus" not in plugins:
            return None, "Qt has neither an fcitx nor an ibus input-method plugin"
        return None, (
            "fcitx5 publishes no IBus address: enable its IBus frontend (the fcitx5 'ibus' "
            "addon, e.g. Debian package fcitx5-frontend-all), then restart Huashu"
        )
    if requested == "ibus":
        return None, "Qt's ibus input-method plugin is missing"
    return None, None  # xim, compose, ...: nothing we can improve


def ibus_daemon_installed(env: Mapping[str, str]) -> bool:
    """Whether ``ibus-daemon`` is on ``PATH`` (Qt's ibus plugin checks the same)."""
    return shutil.which("ibus-daemon", path=env.get("PATH", os.defpath)) is not None


def needs_portal(module: str, env: Mapping[str, str]) -> bool:
    """Whether Qt's ibus plugin must be told to use the IBus portal: it will load for
    ``module`` and, without ``ibus-daemon`` on ``PATH``, would otherwise stay unused."""
    return module == "ibus" and "IBUS_USE_PORTAL" not in env and not ibus_daemon_installed(env)


def configure(
    env: MutableMapping[str, str] | None = None,
    plugins: Collection[str] | None = None,
    home: Path | None = None,
) -> str | None:
    """Adjust ``QT_IM_MODULE`` in ``env`` (default ``os.environ``) before Qt starts, on
    Linux only; return a problem to tell the user once, or None."""
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if env is None else env
    requested = requested_module(env)
    if not requested:
        return None
    found = available_plugins() if plugins is None else plugins
    value, problem = plan(requested, found, ibus_address_known(env, home))
    if value is not None:
        log.info("input method %s: no Qt plugin for it; using its ibus frontend", requested)
        env["QT_IM_MODULE"] = value
    if problem is None and needs_portal(value or requested, env):
        log.info(
            "input method %s: no ibus-daemon; Qt's ibus plugin uses the IBus portal", requested
        )
        env["IBUS_USE_PORTAL"] = "1"
    if problem:
        log.warning("input method %s: %s", requested, problem)
    return problem
