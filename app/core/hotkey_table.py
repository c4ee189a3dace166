"""The binding table of the global hotkeys, written once for every OS backend (pure).

A backend only knows how to grab and release one key (:class:`GrabLayer`). The
:class:`BindingTable` decides everything else: which hotkeys are wanted (invalid
notation, duplicates, the pause key that stays while paused, nothing while a settings
field records a hotkey), which grabs to release and which to take when the table
changes, and which action a pressed key runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Protocol

from app.core.hotkeys import (
    PAUSE_ACTION,
    Binding,
    Hotkey,
    HotkeyError,
    HotkeyProblem,
    HotkeyTaken,
    HotkeyUnsupported,
    parse_hotkey,
)

log = logging.getLogger(__name__)

Bindings = Mapping[str, str] | Iterable[Binding]


class GrabLayer(Protocol):
    """What an OS backend implements: take and release one combination."""

    def grab(self, hotkey: Hotkey) -> None:
        """Take ``hotkey``. Raises :class:`HotkeyTaken` if another program holds it,
        :class:`HotkeyUnsupported` if the key cannot be bound here, :class:`HotkeyError`
        for any other refusal."""
        ...

    def ungrab(self, hotkey: Hotkey) -> None:
        """Release ``hotkey`` (only called for a hotkey that was grabbed)."""
        ...


def as_bindings(bindings: Bindings) -> list[Binding]:
    """``bindings`` as a list: a mapping is read as hotkey -> action."""
    if isinstance(bindings, Mapping):
        return [Binding(str(k), str(v)) for k, v in bindings.items()]
    return list(bindings)


def plan(
    bindings: Bindings, *, paused: bool = False, recording: bool = False
) -> tuple[dict[str, tuple[Hotkey, str]], list[HotkeyProblem]]:
    """The hotkeys to hold (canonical -> (hotkey, action)) and the problems found.

    Empty hotkeys are unbound, not problems. The first binding of a hotkey wins. While
    ``paused`` only the pause action is kept; while ``recording`` nothing is.
    """
    wanted: dict[str, tuple[Hotkey, str]] = {}
    problems: list[HotkeyProblem] = []
    if recording:
        return wanted, problems
    for binding in as_bindings(bindings):
        if paused and binding.action != PAUSE_ACTION:
            continue
        if not binding.hotkey.strip():
            continue
        try:
            parsed = parse_hotkey(binding.hotkey)
        except HotkeyError as exc:
            problems.append(
                HotkeyProblem(HotkeyProblem.INVALID, binding.hotkey, binding.action, str(exc))
            )
            continue
        canonical = str(parsed)
        if canonical in wanted:
            first = wanted[canonical][1]
            problems.append(
                HotkeyProblem(HotkeyProblem.DUPLICATE, canonical, binding.action, first)
            )
            continue
        wanted[canonical] = (parsed, binding.action)
    return wanted, problems


class BindingTable:
    """The hotkeys a backend holds, kept in step with the wanted table."""

    def __init__(self, layer: GrabLayer) -> None:
        self._layer = layer
        self._held: dict[str, tuple[Hotkey, str]] = {}

    def apply(
        self, bindings: Bindings, *, paused: bool = False, recording: bool = False
    ) -> list[HotkeyProblem]:
        """Make the held hotkeys match ``bindings``; returns what could not be bound.

        Hotkeys no longer wanted are released first; hotkeys held already are kept (only
        their action changes); the others are grabbed, in table order.
        """
        wanted, problems = plan(bindings, paused=paused, recording=recording)
        for canonical in [c for c in self._held if c not in wanted]:
            hotkey, _action = self._held.pop(canonical)
            try:
                self._layer.ungrab(hotkey)
            except Exception:  # releasing must never stop the rest of the table
                log.exception("releasing hotkey %s failed", canonical)
        for canonical, (hotkey, action) in wanted.items():
            if canonical in self._held:
                self._held[canonical] = (hotkey, action)
                continue
            problem = self._grab(canonical, hotkey, action)
            if problem is None:
                self._held[canonical] = (hotkey, action)
            else:
                problems.append(problem)
        return problems

    def _grab(self, canonical: str, hotkey: Hotkey, action: str) -> HotkeyProblem | None:
        try:
            self._layer.grab(hotkey)
        except HotkeyTaken as exc:
            return HotkeyProblem(HotkeyProblem.TAKEN, canonical, action, str(exc))
        except HotkeyUnsupported as exc:
            return HotkeyProblem(HotkeyProblem.UNSUPPORTED, canonical, action, str(exc))
        except HotkeyError as exc:
            return HotkeyProblem(HotkeyProblem.REFUSED, canonical, action, str(exc))
        log.info("hotkey %s -> %s", canonical, action)
        return None

    def action_for(self, canonical: str) -> str | None:
        """The action of a held hotkey (canonical form), None if it is not held."""
        held = self._held.get(canonical)
        return held[1] if held is not None else None

    def held(self) -> list[str]:
        """Canonical forms of the held hotkeys, sorted."""
        return sorted(self._held)

    def hotkeys(self) -> list[Hotkey]:
        """The held hotkeys, in the order they were taken."""
        return [hotkey for hotkey, _action in self._held.values()]

    def release_all(self) -> None:
        """Release every held hotkey (the table is empty afterwards)."""
        self.apply([])
