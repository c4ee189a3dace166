"""The system clipboard: protocol, Qt backend (preferred), pyperclip backend (text only).

The paste pipeline takes a :class:`ClipboardSnapshot` of every format before it puts the
phrase on the clipboard, and restores it afterwards unless the user copied something
in the meantime: take :meth:`Clipboard.change_token` right after your own
:meth:`Clipboard.set_text`, and ask :meth:`Clipboard.changed_since` before restoring.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.settings import CLIPBOARD_BACKENDS

log = logging.getLogger(__name__)


class ClipboardError(RuntimeError):
    """The clipboard cannot be read or written with this backend."""


@dataclass(frozen=True)
class ClipboardSnapshot:
    """The clipboard's content in every format: MIME type -> bytes."""

    formats: Mapping[str, bytes] = field(default_factory=dict)
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.formats and not self.text


class Clipboard(Protocol):
    name: str

    def get_text(self) -> str: ...

    def set_text(self, text: str) -> None: ...

    def snapshot(self) -> ClipboardSnapshot: ...

    def restore(self, snapshot: ClipboardSnapshot) -> None: ...

    def change_token(self) -> int:
        """A mark of the current content, for :meth:`changed_since`."""
        ...

    def changed_since(self, token: int) -> bool:
        """True if something other than this object changed the clipboard after
        ``token`` was taken (the user copied something)."""
        ...


# -- Qt ---------------------------------------------------------------------------------

_SKIPPED_FORMATS = ("application/x-qt-image",)  # Qt's internal image; kept as image/png


class QtClipboard:
    """Clipboard through ``QGuiApplication.clipboard()``: all formats, change tracking.

    On X11 the content we set lives as long as this process runs (no clipboard manager
    needed while Huashu is open).
    """

    name = "qt"

    def __init__(self, clipboard: Any = None) -> None:
        from PySide6.QtGui import QGuiApplication

        if clipboard is None:
            if not isinstance(QGuiApplication.instance(), QGuiApplication):
                raise ClipboardError("the Qt clipboard needs a running QGuiApplication")
            clipboard = QGuiApplication.clipboard()
        self._cb: Any = clipboard
        self._setting = False
        self._external_changes = 0
        self._ownership_known = False
        self._cb.dataChanged.connect(self._on_data_changed)

    def _on_data_changed(self) -> None:
        if self._setting:
            return
        if self._ownership_known and self._cb.ownsClipboard():
            return  # a late notification of our own change (Windows sends them async)
        self._external_changes += 1

    def _set_mime(self, setter: Any) -> None:
        self._setting = True
        try:
            setter()
        finally:
            self._setting = False
        if self._cb.ownsClipboard():
            self._ownership_known = True

    def get_text(self) -> str:
        return str(self._cb.text())

    def set_text(self, text: str) -> None:
        self._set_mime(lambda: self._cb.setText(text))

    def snapshot(self) -> ClipboardSnapshot:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice

        mime = self._cb.mimeData()
        if mime is None:
            return ClipboardSnapshot()
        formats: dict[str, bytes] = {}
        for fmt in mime.formats():
            if "/" not in fmt or fmt in _SKIPPED_FORMATS:
                continue  # X11 targets such as TARGETS, TIMESTAMP
            formats[fmt] = bytes(mime.data(fmt).data())
        if mime.hasImage() and "image/png" not in formats:
            image = mime.imageData()
            if image is not None and not image.isNull():
                data = QByteArray()
                buffer = QBuffer(data)
                buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                image.save(buffer, "PNG")  # str: PySide6 6.12 rejects bytes here
                buffer.close()
                formats["image/png"] = bytes(data.data())
        return ClipboardSnapshot(formats, str(mime.text()))

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        from PySide6.QtCore import QByteArray, QMimeData
        from PySide6.QtGui import QImage

        if snapshot.is_empty:
            self._set_mime(self._cb.clear)
            return
        mime = QMimeData()
        for fmt, data in snapshot.formats.items():
            mime.setData(fmt, QByteArray(data))
        if snapshot.text and "text/plain" not in snapshot.formats:
            mime.setText(snapshot.text)
        png = snapshot.formats.get("image/png")
        if png:
            image = QImage.fromData(png)
            if not image.isNull():
                mime.setImageData(image)
        self._set_mime(lambda: self._cb.setMimeData(mime))

    def change_token(self) -> int:
        return self._external_changes

    def changed_since(self, token: int) -> bool:
        if self._external_changes > token:
            return True
        # Where ownership is reported (X11, Windows), losing it means someone else copied.
        return self._ownership_known and not self._cb.ownsClipboard()


# -- pyperclip --------------------------------------------------------------------------


@dataclass(frozen=True)
class _PyperclipFunctions:
    copy: Any
    paste: Any
    PyperclipException: Any  # same name as the pyperclip module attribute


class PyperclipClipboard:
    """Text-only clipboard through pyperclip (xclip/xsel on Linux): the fallback.

    Snapshots hold text only: an image or HTML the user had copied is not restored.
    """

    name = "pyperclip"

    def __init__(self, module: Any = None) -> None:
        if module is None:
            import pyperclip

            # Decide now, for this environment: pyperclip.copy/paste cache the first
            # mechanism they found (or the lack of one) for the whole process.
            copy, paste = pyperclip.determine_clipboard()
            module = _PyperclipFunctions(copy, paste, pyperclip.PyperclipException)
        self._pc: Any = module
        self._marks: dict[int, str] = {}
        self._last_written: str | None = None
        self._next_token = 0

    def get_text(self) -> str:
        try:
            return str(self._pc.paste() or "")
        except self._pc.PyperclipException as exc:
            raise ClipboardError(f"cannot read the clipboard: {exc}") from exc

    def set_text(self, text: str) -> None:
        try:
            self._pc.copy(text)
        except self._pc.PyperclipException as exc:
            raise ClipboardError(f"cannot write the clipboard: {exc}") from exc
        self._last_written = text

    def snapshot(self) -> ClipboardSnapshot:
        text = self.get_text()
        return ClipboardSnapshot({"text/plain": text.encode()} if text else {}, text)

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self.set_text(snapshot.text)

    def change_token(self) -> int:
        self._next_token += 1
        current = self._last_written if self._last_written is not None else self.get_text()
        self._marks[self._next_token] = current
        # Keep the table small: only recent marks are ever asked about.
        for old in [t for t in self._marks if t < self._next_token - 16]:
            del self._marks[old]
        return self._next_token

    def changed_since(self, token: int) -> bool:
        expected = self._marks.get(token)
        if expected is None:
            return True
        return self.get_text() != expected


# -- factory ----------------------------------------------------------------------------


def _qt_gui_running() -> bool:
    from PySide6.QtGui import QGuiApplication

    return isinstance(QGuiApplication.instance(), QGuiApplication)


def pyperclip_problem() -> str | None:
    """Why pyperclip cannot work here, or None if it can."""
    try:
        import pyperclip
    except ImportError as exc:
        return f"pyperclip is not installed ({exc})"
    try:
        _copy, paste = pyperclip.determine_clipboard()
        paste()
    except pyperclip.PyperclipException as exc:
        if sys.platform.startswith("linux"):
            return f"pyperclip cannot reach the clipboard (needs xclip or xsel and $DISPLAY): {exc}"
        return f"pyperclip cannot reach the clipboard: {exc}"
    return None


def make_clipboard(preference: str = "auto") -> tuple[Clipboard, str]:
    """Pick a clipboard backend: ``"auto"`` (Qt, else pyperclip), ``"qt"``, ``"pyperclip"``.

    Returns the backend and why it was chosen. An explicit choice that cannot work
    raises :class:`ClipboardError` with the reason.
    """
    if preference not in CLIPBOARD_BACKENDS:
        known = ", ".join(CLIPBOARD_BACKENDS)
        raise ClipboardError(f"unknown clipboard backend '{preference}' ({known})")
    if preference in ("auto", "qt"):
        if _qt_gui_running():
            reason = "Qt clipboard: all formats, fastest, no helper process"
            if preference == "qt":
                reason = "Qt clipboard (chosen in settings)"
            log.info("clipboard backend: qt (%s)", reason)
            return QtClipboard(), reason
        if preference == "qt":
            raise ClipboardError("the Qt clipboard needs a running QGuiApplication")
    problem = pyperclip_problem()
    if problem is not None:
        raise ClipboardError(problem)
    if preference == "pyperclip":
        reason = "pyperclip (chosen in settings); text only"
    else:
        reason = "pyperclip: no Qt GUI application running; text only"
    log.info("clipboard backend: pyperclip (%s)", reason)
    return PyperclipClipboard(), reason
