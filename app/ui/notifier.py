"""The one path for user-facing messages: log it, then show it once.

``Notifier.info/warning/error`` always log. They show the message as a tray balloon when a
tray is available; without one, warnings and errors open a non-modal message box and info
stays in the log only. The same message repeated within ``dedup_seconds`` is shown once
(a failing backend may report the same error on every keystroke).

Thread-safe: the methods may be called from any thread (e.g. a hotkey callback); showing
happens on the notifier's (GUI) thread through a queued signal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from app.ui.tray import TrayController

log = logging.getLogger(__name__)

ShowMessage = Callable[[str, str, str], None]
"""(title, text, level) -> None, like :meth:`TrayController.show_message`."""

_LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


class Notifier(QObject):
    """Logs and shows user-facing messages (tray balloon or message box), de-duplicated."""

    shown = Signal(str, str)
    """(level, text): a message was delivered to the user (after de-duplication)."""
    _deliver = Signal(str, str, str)

    def __init__(
        self,
        tray: TrayController | None = None,
        *,
        show_message: ShowMessage | None = None,
        dialog_parent: QWidget | None = None,
        title: str = "Huashu",
        dedup_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tray = tray
        self._show_message = show_message
        self._dialog_parent = dialog_parent
        self._title = title
        self._dedup_seconds = dedup_seconds
        self._clock = clock
        self._last_shown: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._boxes: list[QMessageBox] = []
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.AutoConnection)

    # -- public API ------------------------------------------------------------------------
    def info(self, text: str) -> None:
        self._notify("info", text, "")

    def warning(self, text: str) -> None:
        self._notify("warning", text, "")

    def error(self, text: str, details: str = "") -> None:
        self._notify("error", text, details)

    def open_boxes(self) -> list[QMessageBox]:
        """Message boxes currently open (the fallback when there is no tray)."""
        return list(self._boxes)

    # -- internals -------------------------------------------------------------------------
    def _notify(self, level: str, text: str, details: str) -> None:
        if details:
            log.log(_LOG_LEVELS[level], "%s\n%s", text, details)
        else:
            log.log(_LOG_LEVELS[level], "%s", text)
        now = self._clock()
        key = (level, text)
        with self._lock:
            last = self._last_shown.get(key)
            if last is not None and now - last < self._dedup_seconds:
                log.debug("duplicate %s message not shown again: %s", level, text)
                return
            self._last_shown[key] = now
            # forget old entries so the table stays small
            if len(self._last_shown) > 200:
                limit = now - self._dedup_seconds
                self._last_shown = {k: t for k, t in self._last_shown.items() if t >= limit}
        self._deliver.emit(level, text, details)

    def _on_deliver(self, level: str, text: str, details: str) -> None:
        if self._tray_show(level, text):
            self.shown.emit(level, text)
            return
        if level == "info":
            return  # no tray: info stays in the log
        self._open_box(level, text, details)
        self.shown.emit(level, text)

    def _tray_show(self, level: str, text: str) -> bool:
        try:
            if self._show_message is not None:
                self._show_message(self._title, text, level)
                return True
            if self._tray is not None and self._tray.available() and self._tray.is_visible():
                self._tray.show_message(self._title, text, level)
                return True
        except Exception:
            log.exception("could not show a tray message")
        return False

    def _open_box(self, level: str, text: str, details: str) -> None:
        icon = QMessageBox.Icon.Critical if level == "error" else QMessageBox.Icon.Warning
        box = QMessageBox(icon, self._title, text, QMessageBox.StandardButton.Ok)
        if self._dialog_parent is not None:
            box.setParent(self._dialog_parent, box.windowFlags())
        if details:
            box.setDetailedText(details)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, b=box: self._forget_box(b))
        self._boxes.append(box)
        box.show()

    def _forget_box(self, box: QMessageBox) -> None:
        if box in self._boxes:
            self._boxes.remove(box)
