"""A stand-alone target window for the X11 end-to-end tests (not a test module).

Run: ``python paste_target.py [lineedit|textedit]``. It shows one focused text widget
and prints JSON lines on stdout:

- ``{"event": "ready"}`` once the widget has the keyboard focus,
- ``{"event": "changed", "text": ..., "t": <time.monotonic()>}`` on every text change,
- ``{"event": "dump", "text": ..., "bare_enter": n, "shift_enter": n}`` on request.

Commands on stdin, one per line: ``dump``; ``quit`` (dumps, then exits); ``focus``.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit


class EnterCounter(QObject):
    """Counts Enter presses with and without Shift before the widget sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.bare = 0
        self.shifted = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.shifted += 1
                else:
                    self.bare += 1
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    kind = sys.argv[1] if len(sys.argv) > 1 else "lineedit"
    widget: QLineEdit | QPlainTextEdit = QPlainTextEdit() if kind == "textedit" else QLineEdit()
    counter = EnterCounter()
    widget.installEventFilter(counter)
    widget.setWindowTitle("huashu-paste-target")
    widget.resize(600, 200)
    widget.show()
    widget.raise_()
    widget.activateWindow()
    widget.setFocus()

    def text() -> str:
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def emit(**fields: object) -> None:
        sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def on_changed(*_args: object) -> None:
        emit(event="changed", text=text(), t=time.monotonic())

    widget.textChanged.connect(on_changed)

    def wait_for_focus() -> None:
        if widget.hasFocus() and widget.isActiveWindow():
            emit(event="ready")
        else:
            widget.activateWindow()
            widget.setFocus()
            QTimer.singleShot(20, wait_for_focus)

    def on_stdin() -> None:
        line = sys.stdin.readline()
        command = line.strip()
        if command in ("dump", "quit") or not line:
            emit(event="dump", text=text(), bare_enter=counter.bare, shift_enter=counter.shifted)
        if command == "focus":
            QTimer.singleShot(0, wait_for_focus)
        if command == "quit" or not line:
            notifier.setEnabled(False)
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    QTimer.singleShot(0, wait_for_focus)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
