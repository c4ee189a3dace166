"""``settings.toml``: profile, app hotkeys, paste mode, language, with schema migrations.

A file from a newer Huashu is refused with a clear message; an older one is migrated by
small functions from version N to N+1 and saved (after a copy of the old file is kept).
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.document import decode_utf8
from app.core.fsutil import Problem, atomic_write_text, os_reason, toml_error_line
from app.core.model import Profile
from app.core.problems import Msg
from app.core.safefile import LimitError, loads_limited, read_regular
from app.core.textcheck import text_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import tomli_w

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
PASTE_MODES = ("paste", "copy", "type")
#: The registry of backend names, one tuple per kind, read by the settings, the factories
#: (``app.platform``: how each is checked and made) and the settings page (its label).
HOTKEY_BACKENDS = ("auto", "windows", "keyboard", "x11")
CLIPBOARD_BACKENDS = ("auto", "qt", "pyperclip")
#: The app's own hotkeys (beside the phrases'), by action, in the order they are bound.
APP_HOTKEYS = ("picker", "pause", "suggest", "panel")
LANGUAGES = ("auto", "zh_CN", "en")
MAX_SETTINGS_BYTES = 1024 * 1024


class SettingsError(Exception):
    """settings.toml cannot be used; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class SettingsNotLoaded(SettingsError):
    """settings.toml failed to load, so nothing may write it (the user's file is kept as
    it is until they fix it): a change that would save the settings is refused."""

    def __init__(self, name: str = "settings.toml") -> None:
        message = Msg("settings.broken")
        Exception.__init__(self, message)  # the coded message itself, as SubscriptionError
        self.problem = Problem(name, None, message)


@dataclass
class Settings:
    profile: Profile = field(default_factory=Profile)
    picker_hotkey: str = "ctrl+alt+space"
    pause_hotkey: str = "ctrl+alt+p"
    suggest_hotkey: str = "ctrl+alt+s"
    panel_hotkey: str = "ctrl+alt+q"
    paste_mode: str = "paste"
    restore_delay_ms: int = 400
    hotkey_backend: str = "auto"
    clipboard_backend: str = "auto"
    language: str = "auto"
    autostart: bool = False
    recent_values: dict[str, list[str]] = field(default_factory=dict)
    subscriptions: list[str] = field(default_factory=list)

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_data())

    def to_data(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "language": self.language,
            "autostart": self.autostart,
            "profile": {
                "agent_no": self.profile.agent_no,
                "agent_name": self.profile.agent_name,
                "shops": list(self.profile.shops),
                "active_shop": self.profile.active_shop,
            },
            "hotkeys": {
                "picker": self.picker_hotkey,
                "pause": self.pause_hotkey,
                "suggest": self.suggest_hotkey,
                "panel": self.panel_hotkey,
                "backend": self.hotkey_backend,
            },
            "paste": {
                "mode": self.paste_mode,
                "restore_delay_ms": self.restore_delay_ms,
                "clipboard_backend": self.clipboard_backend,
            },
            "subscriptions": {"files": list(self.subscriptions)},
            "recent_values": {k: list(v) for k, v in self.recent_values.items()},
        }


# -- migrations ---------------------------------------------------------------------------
def app_hotkey(settings: Settings, action: str) -> str:
    """The hotkey of an app action (one of :data:`APP_HOTKEYS`)."""
    if action not in APP_HOTKEYS:
        raise KeyError(action)
    return str(getattr(settings, f"{action}_hotkey"))


def set_app_hotkey(settings: Settings, action: str, hotkey: str) -> None:
    """Set the hotkey of an app action (one of :data:`APP_HOTKEYS`)."""
    if action not in APP_HOTKEYS:
        raise KeyError(action)
    setattr(settings, f"{action}_hotkey", hotkey)


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    """v1 had ``profile.agent_id`` and a single ``profile.shop``; v2 has shops with one active."""
    prof = dict(d.get("profile", {}))
    if "agent_id" in prof:
        prof["agent_no"] = str(prof.pop("agent_id"))
    shop = prof.pop("shop", "")
    if shop and "shops" not in prof:
        prof["shops"] = [shop]
        prof["active_shop"] = shop
    d["profile"] = prof
    d["schema_version"] = 2
    return d


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def migrate(data: dict[str, Any], source: str = "settings.toml") -> tuple[dict[str, Any], bool]:
    """Bring ``data`` to SCHEMA_VERSION; return it and whether anything changed."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SettingsError(Problem(source, None, "'schema_version' must be a whole number >= 1"))
    if version > SCHEMA_VERSION:
        raise SettingsError(
            Problem(
                source,
                None,
                f"schema_version {version} was written by a newer Huashu; this version "
                f"understands up to {SCHEMA_VERSION}. Update Huashu, or move the file away "
                "to start with default settings.",
            )
        )
    changed = False
    while version < SCHEMA_VERSION:
        try:
            data = MIGRATIONS[version](data)
        except (TypeError, ValueError, AttributeError) as exc:
            raise SettingsError(
                Problem(
                    source,
                    None,
                    f"cannot upgrade from schema_version {version}: a value has the wrong "
                    f"type ({exc}); fix it or move the file away",
                )
            ) from None
        version = data["schema_version"]
        changed = True
    return data, changed


def _get(d: dict[str, Any], key: str, typ: type, default: Any, problems: list[str]) -> Any:
    if key not in d:
        return default
    v = d[key]
    if typ is int and isinstance(v, bool):
        problems.append(Msg("settings.bool_not_int", field=key))
        return default
    if not isinstance(v, typ):
        problems.append(
            Msg("settings.wrong_type", field=key, want=_TYPE_WORDS[typ], type=type(v).__name__)
        )
        return default
    return v


_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


def _text(d: dict[str, Any], key: str, problems: list[str], *, allow_number: bool = False) -> str:
    """A one-line text value; a number is taken as text where ``allow_number`` (agent_no =
    7 means "7"); invisible or control characters drop the value."""
    v = d.get(key, "")
    if allow_number and isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    value = str(_get({key: v}, key, str, "", problems))
    reason = text_problem(value, MAX_PROFILE_FIELD, key=key)
    if reason:
        problems.append(Msg("settings.not_used", reason=reason))
        return ""
    return value


def _text_list(d: dict[str, Any], key: str, problems: list[str], *, max_len: int) -> list[str]:
    """A list of text; entries of another type or with bad characters are refused (never
    turned into text), each with a warning."""
    items = _get(d, key, list, [], problems)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            problems.append(Msg("settings.not_text_entry", field=key, type=type(item).__name__))
            continue
        reason = text_problem(item, max_len, key=key)
        if reason:
            problems.append(Msg("settings.not_used", reason=reason))
            continue
        if item not in out:
            out.append(item)
    return out


MAX_PROFILE_FIELD = 64
MAX_PATH = 4096


def from_dict_report(
    data: dict[str, Any], source: str = "settings.toml"
) -> tuple[Settings, list[Problem]]:
    """Settings from migrated data; a wrong value falls back to its default alone, with a
    problem naming it (the rest of the file is used)."""
    bad: list[str] = []
    s = Settings()

    def table(name: str, d: dict[str, Any]) -> dict[str, Any]:
        t = d.get(name, {})
        if not isinstance(t, dict):
            bad.append(Msg("settings.not_table", name=name))
            return {}
        return t

    prof = table("profile", data)
    hk = table("hotkeys", data)
    paste = table("paste", data)
    subs = table("subscriptions", data)
    s.profile = Profile(
        agent_no=_text(prof, "agent_no", bad, allow_number=True),
        agent_name=_text(prof, "agent_name", bad),
        shops=_text_list(prof, "shops", bad, max_len=MAX_PROFILE_FIELD),
        active_shop=_text(prof, "active_shop", bad),
    )
    s.picker_hotkey = _get(hk, "picker", str, s.picker_hotkey, bad)
    s.pause_hotkey = _get(hk, "pause", str, s.pause_hotkey, bad)
    s.suggest_hotkey = _get(hk, "suggest", str, s.suggest_hotkey, bad)
    s.panel_hotkey = _get(hk, "panel", str, s.panel_hotkey, bad)
    s.hotkey_backend = _get(hk, "backend", str, s.hotkey_backend, bad)
    s.paste_mode = _get(paste, "mode", str, s.paste_mode, bad)
    s.restore_delay_ms = _get(paste, "restore_delay_ms", int, s.restore_delay_ms, bad)
    s.clipboard_backend = _get(paste, "clipboard_backend", str, s.clipboard_backend, bad)
    s.language = _get(data, "language", str, s.language, bad)
    s.autostart = _get(data, "autostart", bool, s.autostart, bad)
    s.subscriptions = _text_list(subs, "files", bad, max_len=MAX_PATH)
    recent = _get(data, "recent_values", dict, {}, bad)
    s.recent_values = {}
    for k, v in recent.items():
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            s.recent_values[str(k)] = list(v)
        else:
            bad.append(Msg("settings.not_text_list", field=f"recent_values.{k}"))
    if s.paste_mode not in PASTE_MODES:
        bad.append(Msg("settings.paste_mode", v=s.paste_mode, list=", ".join(PASTE_MODES)))
        s.paste_mode = "paste"
    if s.hotkey_backend not in HOTKEY_BACKENDS:
        bad.append(Msg("settings.hotkey_backend", list=", ".join(HOTKEY_BACKENDS)))
        s.hotkey_backend = "auto"
    if s.clipboard_backend not in CLIPBOARD_BACKENDS:
        bad.append(Msg("settings.clipboard_backend", list=", ".join(CLIPBOARD_BACKENDS)))
        s.clipboard_backend = "auto"
    if s.language not in LANGUAGES:
        bad.append(Msg("settings.language", list=", ".join(LANGUAGES)))
        s.language = "auto"
    if not 0 <= s.restore_delay_ms <= 60_000:
        bad.append(Msg("settings.restore_delay"))
        s.restore_delay_ms = 400
    return s, [Problem(source, None, msg) for msg in bad]


def from_dict(data: dict[str, Any], source: str = "settings.toml") -> Settings:
    """Settings from migrated data (wrong values fall back to defaults; see the report)."""
    return from_dict_report(data, source)[0]


def read_settings(path: Path) -> tuple[Settings, list[Problem]]:
    """Read settings (defaults when the file does not exist) with per-value problems;
    migrate an older file.

    Raises SettingsError for a file that cannot be used at all (unreadable, not TOML,
    newer); the file is then left untouched.
    """
    try:
        data_bytes = read_regular(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return Settings(), []
    except LimitError as exc:
        raise SettingsError(Problem(path.name, None, exc.message)) from None
    except OSError as exc:
        raise SettingsError(
            Problem(path.name, None, Msg("pack.cannot_read", msg=os_reason(exc)))
        ) from None
    text, prob = decode_utf8(data_bytes, path.name)
    if text is None:
        raise SettingsError(prob or Problem(path.name, None, Msg("file.unreadable")))
    try:
        data = loads_limited(text)
    except LimitError as exc:
        raise SettingsError(Problem(path.name, exc.line, exc.message)) from None
    except tomllib.TOMLDecodeError as exc:
        line, msg = toml_error_line(exc)
        raise SettingsError(Problem(path.name, line, msg)) from None
    data, changed = migrate(data, path.name)
    settings, problems = from_dict_report(data, path.name)
    for p in problems:
        log.warning("settings: %s", p)
    if changed:
        keep = path.with_name(path.name + ".old")
        shutil.copy2(path, keep)
        save_settings(path, settings)
        log.info("migrated %s to schema %d (old copy: %s)", path, SCHEMA_VERSION, keep)
    return settings, problems


def load_settings(path: Path) -> Settings:
    """:func:`read_settings` without the per-value problems (they are logged)."""
    return read_settings(path)[0]


def save_settings(path: Path, settings: Settings) -> None:
    atomic_write_text(path, settings.to_toml())
