"""In-memory fakes of the platform protocols, for tests and for running without an OS.

- :class:`FakeHotkeys` (:class:`~app.platform.hotkeys.HotkeyBackend`): ``trigger()``
  presses a hotkey; ``held_by_other_programs`` simulates conflicts.
- :class:`FakeClipboard` (:class:`~app.platform.clipboard.Clipboard`):
  ``simulate_user_copy()`` changes the content the way another program would.
- :class:`FakePaster` (:class:`~app.platform.paste.Paster`): records what was pasted
  (and with which chord), typed (and with which newline chord), which keys were pressed
  (``key:enter``) and how the caret moved; ``hold_keys()`` keeps keys down for some polls;
  ``focus`` is what :meth:`FakePaster.focused_window` answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from app.platform.clipboard import ClipboardSnapshot
from app.platform.hotkeys import GrabBackend, Hotkey, HotkeyTaken, parse_hotkey
from app.platform.paste import PasteError

# A window id of "some other program" (the chat window): what the fake reports by default.
OTHER_WINDOW = 0x4242


class FakeHotkeys(GrabBackend):
    name = "fake"

    def __init__(self, held_by_other_programs: Iterable[str] = ()) -> None:
        super().__init__()
        self.held_by_other_programs: set[str] = {
            str(parse_hotkey(h)) for h in held_by_other_programs
        }
        self.log: list[tuple[str, str]] = []  # ("grab"|"ungrab", canonical)

    def grab(self, hotkey: Hotkey) -> None:
        canonical = str(hotkey)
        if canonical in self.held_by_other_programs:
            raise HotkeyTaken(f"{canonical} is already used by another program.")
        self.log.append(("grab", canonical))

    def ungrab(self, hotkey: Hotkey) -> None:
        self.log.append(("ungrab", str(hotkey)))

    @property
    def closed(self) -> bool:
        return self._closed

    def trigger(self, hotkey: str) -> bool:
        """Press ``hotkey``: emits its action (synchronously) and returns True if held."""
        return self.pressed(str(parse_hotkey(hotkey)))


class FakeClipboard:
    name = "fake"

    def __init__(self, text: str = "", formats: Mapping[str, bytes] | None = None) -> None:
        self._content = ClipboardSnapshot(dict(formats or {}), text)
        if text and "text/plain" not in self._content.formats:
            self._content = ClipboardSnapshot(
                {**self._content.formats, "text/plain": text.encode()}, text
            )
        self._external_changes = 0
        self.writes: list[str] = []  # every text set through set_text
        self.restores = 0

    @property
    def content(self) -> ClipboardSnapshot:
        return self._content

    def get_text(self) -> str:
        return self._content.text

    def set_text(self, text: str) -> None:
        self._content = ClipboardSnapshot({"text/plain": text.encode()} if text else {}, text)
        self.writes.append(text)

    def snapshot(self) -> ClipboardSnapshot:
        return ClipboardSnapshot(dict(self._content.formats), self._content.text)

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self._content = ClipboardSnapshot(dict(snapshot.formats), snapshot.text)
        self.restores += 1

    def change_token(self) -> int:
        return self._external_changes

    def changed_since(self, token: int) -> bool:
        return self._external_changes > token

    def simulate_user_copy(
        self, text: str = "", formats: Mapping[str, bytes] | None = None
    ) -> None:
        """Another program (or the user) puts something on the clipboard."""
        data = dict(formats or {})
        if text:
            data.setdefault("text/plain", text.encode())
        self._content = ClipboardSnapshot(data, text)
        self._external_changes += 1


class FakePaster:
    name = "fake"

    def __init__(self, clipboard: FakeClipboard | None = None) -> None:
        self._clipboard = clipboard
        self.pasted: list[str] = []  # the clipboard text at each Ctrl+V ("" without one)
        self.typed: list[str] = []
        self.paste_keys: list[str] = []  # the chord of each send_paste
        self.newlines: list[str] = []  # the newline chord of each type_text
        self.fail_keys_with: PasteError | None = None  # send_keys raises this
        self.left_presses: list[int] = []
        self.events: list[str] = []  # "paste", "type", "left:N" in order
        self.polls = 0
        self._held_polls = 0
        self.always_held = False
        self.fail_with: PasteError | None = None
        self.closed = False
        self.focus: int | None = OTHER_WINDOW  # what focused_window() answers

    def hold_keys(self, polls: int) -> None:
        """Report keys as held for the next ``polls`` calls of :meth:`keys_released`."""
        self._held_polls = polls

    def keys_released(self) -> bool:
        self.polls += 1
        if self.always_held:
            return False
        if self._held_polls > 0:
            self._held_polls -= 1
            return False
        return True

    def focused_window(self) -> int | None:
        return self.focus

    def send_paste(self, key: str = "ctrl+v") -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.pasted.append(self._clipboard.get_text() if self._clipboard else "")
        self.paste_keys.append(key)
        self.events.append("paste")

    def type_text(self, text: str, newline: str = "shift+enter") -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.typed.append(text)
        self.newlines.append(newline)
        self.events.append("type")

    def send_keys(self, chord: str) -> None:
        if self.fail_keys_with is not None:
            raise self.fail_keys_with
        self.events.append(f"key:{chord}")

    def press_left(self, count: int) -> None:
        self.left_presses.append(count)
        self.events.append(f"left:{count}")

    def close(self) -> None:
        self.closed = True


if TYPE_CHECKING:  # the fakes satisfy the protocols (checked by mypy)
    from app.platform.clipboard import Clipboard
    from app.platform.hotkeys import HotkeyBackend
    from app.platform.paste import Paster

    _hotkeys: HotkeyBackend = FakeHotkeys()
    _clipboard: Clipboard = FakeClipboard()
    _paster: Paster = FakePaster()
