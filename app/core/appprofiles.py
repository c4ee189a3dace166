"""Per-app paste profiles: how a reply reaches each chat app (pure, no OS access).

A profile says, for the programs it matches (Windows executable names, X11 WM_CLASS
names), which key pastes (Ctrl+V, Ctrl+Shift+V for terminals, Shift+Insert) or whether
the reply is typed, which key makes a line break when typing (Shift+Enter, Ctrl+Enter
or a plain Enter in editors), how long to wait before the keys, and whether to press
the send key after the paste (off by default; never for a reply that lint flags).

Built-in profiles ship in ``resources/app-profiles.toml``; the user's own file
``app-profiles.toml`` in the Huashu folder overrides a built-in profile with the same
``id`` and adds new ones. The format is documented in ``docs/app-profiles.md``.

The platform layer only reports the focused window (:class:`TargetWindow`) and sends the
keys a :class:`DeliveryPlan` names; every choice is made here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.fsutil import Problem, atomic_write_text, toml_error_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import tomli_w

FORMAT = 1
USER_FILE = "app-profiles.toml"
BUILTIN_FILE = "app-profiles.toml"

#: How the reply is put into the window: a paste chord, or typing it key by key.
PASTE_KEYS = ("ctrl+v", "ctrl+shift+v", "shift+insert", "type")
#: The key that makes a line break inside a reply when it is typed.
NEWLINE_KEYS = ("shift+enter", "ctrl+enter", "enter")
#: The key that sends the message (for "send after paste").
SEND_KEYS = ("enter", "ctrl+enter", "alt+s")
#: Every chord the platform layer must be able to send.
CHORDS = tuple(sorted({k for k in PASTE_KEYS if k != "type"} | set(NEWLINE_KEYS) | set(SEND_KEYS)))

MAX_DELAY_MS = 5000
DEFAULT_SEND_DELAY_MS = 200
PANEL_SIDES = ("right", "left")
PANEL_MIN_WIDTH = 180
PANEL_MAX_WIDTH = 800
PANEL_DEFAULT_WIDTH = 260


@dataclass(frozen=True)
class TargetWindow:
    """The window a reply goes to, as the platform layer saw it.

    ``app``: the executable name on Windows (``AliWorkbench.exe``) or the WM_CLASS class
    on X11 (``XTerm``); ``instance``: the WM_CLASS instance (``xterm``), empty on Windows.
    """

    id: int
    app: str
    instance: str = ""
    title: str = ""

    def names(self) -> tuple[str, ...]:
        """The normalised names a profile's ``match`` is compared with."""
        out: list[str] = []
        for raw in (self.app, self.instance):
            name = normalise_app(raw)
            if name and name not in out:
                out.append(name)
        return tuple(out)

    def key(self) -> str:
        """One stable name for this app (for remembering panel layouts)."""
        names = self.names()
        return names[0] if names else ""


def normalise_app(name: str) -> str:
    """Compare app names case-insensitively and without a trailing ``.exe``."""
    name = name.strip().lower()
    if name.endswith(".exe"):
        name = name[: -len(".exe")]
    return name


@dataclass(frozen=True)
class AppProfile:
    id: str
    name: str
    match: tuple[str, ...] = ()
    title_contains: tuple[str, ...] = ()
    paste_key: str = "ctrl+v"
    newline: str = "shift+enter"
    delay_ms: int = 0
    send_after_paste: bool = False
    send_key: str = "enter"
    send_delay_ms: int = DEFAULT_SEND_DELAY_MS
    note: str = ""
    note_zh: str = ""
    builtin: bool = False

    def matches(self, window: TargetWindow) -> bool:
        wanted = {normalise_app(m) for m in self.match}
        if not wanted.intersection(window.names()):
            return False
        if self.title_contains:
            title = window.title.lower()
            return any(part.lower() in title for part in self.title_contains)
        return True

    def note_in(self, language: str) -> str:
        """The note in ``language`` ("zh_CN" or "en"): the Chinese one when there is one."""
        if language.startswith("zh") and self.note_zh:
            return self.note_zh
        return self.note

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name, "match": list(self.match)}
        if self.title_contains:
            data["title_contains"] = list(self.title_contains)
        data["paste_key"] = self.paste_key
        data["newline"] = self.newline
        data["delay_ms"] = self.delay_ms
        data["send_after_paste"] = self.send_after_paste
        data["send_key"] = self.send_key
        data["send_delay_ms"] = self.send_delay_ms
        if self.note:
            data["note"] = self.note
        if self.note_zh:
            data["note_zh"] = self.note_zh
        return data


#: Used for every window no profile matches: Ctrl+V, Shift+Enter line breaks, no send.
DEFAULT_PROFILE = AppProfile(id="default", name="Other programs", builtin=True)


@dataclass(frozen=True)
class DeliveryPlan:
    """What the paste pipeline does for one reply in one window."""

    mode: str  # "paste", "type" or "copy"
    paste_key: str = "ctrl+v"
    newline: str = "shift+enter"
    delay_ms: int = 0
    send_key: str | None = None  # pressed once after the reply, or None
    send_delay_ms: int = DEFAULT_SEND_DELAY_MS
    profile_id: str = DEFAULT_PROFILE.id


def plan_delivery(profile: AppProfile, mode: str, *, flagged: bool = False) -> DeliveryPlan:
    """The plan for ``profile`` under the global paste ``mode`` (paste, type, copy).

    ``copy`` stays copy (no keys at all). A profile that types turns ``paste`` into
    ``type``. The send key is used only when the profile asks for it and lint did not
    flag the reply (``flagged``): a reply with a warning is always left for the agent to
    read and send by hand.
    """
    if mode == "copy":
        return DeliveryPlan("copy", profile_id=profile.id)
    actual = "type" if mode == "type" or profile.paste_key == "type" else "paste"
    paste_key = profile.paste_key if profile.paste_key != "type" else "ctrl+v"
    send = profile.send_key if profile.send_after_paste and not flagged else None
    return DeliveryPlan(
        actual,
        paste_key=paste_key,
        newline=profile.newline,
        delay_ms=profile.delay_ms,
        send_key=send,
        send_delay_ms=profile.send_delay_ms,
        profile_id=profile.id,
    )


@dataclass
class ProfileSet:
    """Built-in and user profiles; user ones replace built-ins with the same id."""

    builtin: list[AppProfile] = field(default_factory=list)
    user: list[AppProfile] = field(default_factory=list)

    def all(self) -> list[AppProfile]:
        """User profiles first, then the built-ins they do not replace."""
        mine = {p.id for p in self.user}
        return [*self.user, *(p for p in self.builtin if p.id not in mine)]

    def get(self, profile_id: str) -> AppProfile | None:
        for profile in self.all():
            if profile.id == profile_id:
                return profile
        return None

    def for_window(self, window: TargetWindow | None) -> AppProfile:
        """The profile for ``window``: a user profile before a built-in one, and within
        each, a profile that also checks the title before one that does not."""
        if window is None:
            return DEFAULT_PROFILE
        candidates = [p for p in self.all() if p.matches(window)]
        if not candidates:
            return DEFAULT_PROFILE
        user_ids = {p.id for p in self.user}
        candidates.sort(key=lambda p: (p.id not in user_ids, not p.title_contains))
        return candidates[0]

    def put_user(self, profile: AppProfile) -> None:
        """Add or replace a user profile (same id)."""
        profile = replace(profile, builtin=False)
        for i, existing in enumerate(self.user):
            if existing.id == profile.id:
                self.user[i] = profile
                return
        self.user.append(profile)

    def remove_user(self, profile_id: str) -> bool:
        """Drop a user profile (a built-in one it replaced comes back)."""
        before = len(self.user)
        self.user = [p for p in self.user if p.id != profile_id]
        return len(self.user) != before

    def new_id(self, base: str) -> str:
        """An id not used yet, derived from ``base``."""
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in normalise_app(base))
        stem = stem.strip("-") or "app"
        taken = {p.id for p in self.all()}
        if stem not in taken:
            return stem
        n = 2
        while f"{stem}-{n}" in taken:
            n += 1
        return f"{stem}-{n}"


# -- the TOML format ----------------------------------------------------------------------


def _strings(value: Any, key: str, errors: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"'{key}' must be a list of strings")
        return ()
    return tuple(v.strip() for v in value if v.strip())


def _choice(
    table: Mapping[str, Any], key: str, allowed: Sequence[str], default: str, errors: list[str]
) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        errors.append(f"'{key}' must be one of {', '.join(allowed)}, not {value!r}")
        return default
    return value.strip().lower()


def _delay(table: Mapping[str, Any], key: str, default: int, errors: list[str]) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"'{key}' must be a whole number of milliseconds")
        return default
    if not 0 <= value <= MAX_DELAY_MS:
        errors.append(f"'{key}' must be between 0 and {MAX_DELAY_MS}")
        return default
    return value


KNOWN_KEYS = {
    "id",
    "name",
    "match",
    "title_contains",
    "paste_key",
    "newline",
    "delay_ms",
    "send_after_paste",
    "send_key",
    "send_delay_ms",
    "note",
    "note_zh",
}


def _text(table: Mapping[str, Any], key: str, errors: list[str]) -> str:
    value = table.get(key, "")
    if isinstance(value, str):
        return value
    errors.append(f"'{key}' must be a string")
    return ""


def profile_from_table(
    table: Mapping[str, Any], *, builtin: bool = False
) -> tuple[AppProfile | None, list[str]]:
    """One ``[[profile]]`` table; (None, errors) when it cannot be used at all."""
    errors: list[str] = []
    ident = table.get("id")
    if not isinstance(ident, str) or not ident.strip():
        return None, ["'id' is missing (a short name such as \"qianniu\")"]
    ident = ident.strip()
    name = table.get("name", ident)
    if not isinstance(name, str):
        errors.append("'name' must be a string")
        name = ident
    match = _strings(table.get("match", []), "match", errors)
    if not match:
        errors.append("'match' names no program (executable or WM_CLASS)")
        return None, errors
    title = _strings(table.get("title_contains", []), "title_contains", errors)
    send_after = table.get("send_after_paste", False)
    if not isinstance(send_after, bool):
        errors.append("'send_after_paste' must be true or false")
        send_after = False
    note, note_zh = (_text(table, key, errors) for key in ("note", "note_zh"))
    for key in sorted(set(table) - KNOWN_KEYS):
        errors.append(f"unknown key '{key}'")
    profile = AppProfile(
        id=ident,
        name=name,
        match=match,
        title_contains=title,
        paste_key=_choice(table, "paste_key", PASTE_KEYS, "ctrl+v", errors),
        newline=_choice(table, "newline", NEWLINE_KEYS, "shift+enter", errors),
        delay_ms=_delay(table, "delay_ms", 0, errors),
        send_after_paste=send_after,
        send_key=_choice(table, "send_key", SEND_KEYS, "enter", errors),
        send_delay_ms=_delay(table, "send_delay_ms", DEFAULT_SEND_DELAY_MS, errors),
        note=note,
        note_zh=note_zh,
        builtin=builtin,
    )
    return profile, errors


def parse_profiles(
    text: str, source: str, *, builtin: bool = False
) -> tuple[list[AppProfile], list[Problem]]:
    """Read a profiles file. Problems are collected per profile; a bad profile is skipped
    (or kept with defaults for its bad values), the others load."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, msg = toml_error_line(exc)
        return [], [Problem(source, line, msg)]
    version = data.get("format", FORMAT)
    if version != FORMAT:
        return [], [Problem(source, None, f"format {version!r} is not supported (expected 1)")]
    tables = data.get("profile", [])
    if not isinstance(tables, list):
        return [], [Problem(source, None, "'profile' must be an array of tables ([[profile]])")]
    profiles: list[AppProfile] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, table in enumerate(tables, 1):
        if not isinstance(table, dict):
            problems.append(Problem(source, None, f"profile {index}: not a table"))
            continue
        profile, errors = profile_from_table(table, builtin=builtin)
        label = f"profile {index}" + (f" ({profile.id})" if profile else "")
        for error in errors:
            problems.append(Problem(source, None, f"{label}: {error}"))
        if profile is None:
            continue
        if profile.id in seen:
            problems.append(Problem(source, None, f"{label}: the id is used twice; skipped"))
            continue
        seen.add(profile.id)
        profiles.append(profile)
    return profiles, problems


def dump_profiles(profiles: Iterable[AppProfile]) -> str:
    """The user file for ``profiles`` (same format as the built-in file)."""
    header = (
        "# Huashu app profiles (see docs/app-profiles.md). A profile with the id of a\n"
        "# built-in one replaces it.\n"
    )
    body = tomli_w.dumps({"format": FORMAT, "profile": [p.to_dict() for p in profiles]})
    return header + body


# -- the docked panel's layout per app ----------------------------------------------------


@dataclass(frozen=True)
class PanelLayout:
    side: str = "right"
    width: int = PANEL_DEFAULT_WIDTH


def clamp_width(width: int) -> int:
    return max(PANEL_MIN_WIDTH, min(PANEL_MAX_WIDTH, width))


def parse_layouts(text: str) -> dict[str, PanelLayout]:
    """``panel.toml``: ``[apps.<name>] side = "left", width = 300``; bad entries dropped."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    apps = data.get("apps", {})
    out: dict[str, PanelLayout] = {}
    if not isinstance(apps, dict):
        return out
    for app, table in apps.items():
        if not isinstance(table, dict):
            continue
        side = table.get("side", "right")
        width = table.get("width", PANEL_DEFAULT_WIDTH)
        if side not in PANEL_SIDES or isinstance(width, bool) or not isinstance(width, int):
            continue
        out[app] = PanelLayout(side, clamp_width(width))
    return out


def dump_layouts(layouts: Mapping[str, PanelLayout]) -> str:
    apps = {app: {"side": lay.side, "width": lay.width} for app, lay in sorted(layouts.items())}
    return tomli_w.dumps({"apps": apps})


Rect = tuple[int, int, int, int]  # x, y, width, height


def dock_rect(target: Rect, layout: PanelLayout, screen: Rect) -> tuple[Rect, str]:
    """Where the panel goes beside ``target`` (x, y, w, h) on ``screen``, and on which side.

    The panel is as tall as the target and sits outside it on the preferred side; when
    there is no room there it takes the other side, and when there is room on neither it
    overlaps the target's edge on the preferred side (still on the screen).
    """
    tx, ty, tw, th = target
    sx, sy, sw, sh = screen
    width = min(clamp_width(layout.width), sw)
    y = max(sy, ty)
    height = min(th, sh)
    if y + height > sy + sh:
        y = max(sy, sy + sh - height)
    right_x = tx + tw
    left_x = tx - width
    fits_right = right_x + width <= sx + sw
    fits_left = left_x >= sx
    side = layout.side
    if side == "right" and not fits_right and fits_left:
        side = "left"
    elif side == "left" and not fits_left and fits_right:
        side = "right"
    if side == "right":
        x = right_x if fits_right else sx + sw - width
    else:
        x = left_x if fits_left else sx
    return (x, y, width, height), side


# -- files --------------------------------------------------------------------------------


def load_builtin() -> tuple[list[AppProfile], list[Problem]]:
    """The profiles shipped in ``resources/app-profiles.toml``."""
    from app.core.datafiles import data_files

    resource = data_files("resources") / BUILTIN_FILE
    return parse_profiles(resource.read_text(encoding="utf-8"), BUILTIN_FILE, builtin=True)


def load_user(path: Path) -> tuple[list[AppProfile], list[Problem]]:
    """The user's profiles (none when the file does not exist)."""
    if not path.exists():
        return [], []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path.name, None, f"cannot be read: {exc}")]
    return parse_profiles(text, path.name)


def load_profile_set(home: Path) -> tuple[ProfileSet, list[Problem]]:
    builtin, problems = load_builtin()
    user, user_problems = load_user(home / USER_FILE)
    return ProfileSet(builtin, user), [*problems, *user_problems]


def save_user(home: Path, profiles: ProfileSet) -> None:
    atomic_write_text(home / USER_FILE, dump_profiles(profiles.user))


PANEL_FILE = "panel.toml"


def load_layouts(home: Path) -> dict[str, PanelLayout]:
    path = home / PANEL_FILE
    try:
        return parse_layouts(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def save_layouts(home: Path, layouts: Mapping[str, PanelLayout]) -> None:
    atomic_write_text(home / PANEL_FILE, dump_layouts(layouts))
