"""A stand-in chat window for end-to-end tests: a focused text box that reports.

Usage: python target_app.py OUT_DIR
Writes OUT_DIR/text.txt (the box's whole text) on every change, OUT_DIR/keys.txt (one
line per key press it received: key code and modifiers) and OUT_DIR/ready when shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit


class KeyLog(QObject):
    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            mods = event.modifiers()  # type: ignore[attr-defined]
            names = [
                n
                for n, m in (
                    ("ctrl", Qt.KeyboardModifier.ControlModifier),
                    ("alt", Qt.KeyboardModifier.AltModifier),
                    ("shift", Qt.KeyboardModifier.ShiftModifier),
                )
                if mods & m
            ]
            key = event.key()  # type: ignore[attr-defined]
            with (self.out / "keys.txt").open("a", encoding="utf-8") as f:
                f.write(f"{key} {'+'.join(names)} {event.text()!r}\n")  # type: ignore[attr-defined]
        return False


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    box = QPlainTextEdit()
    box.setWindowTitle("huashu-e2e-target")
    box.resize(500, 300)
    keylog = KeyLog(out)
    box.installEventFilter(keylog)

    def dump() -> None:
        tmp = out / "text.tmp"
        tmp.write_text(box.toPlainText(), encoding="utf-8")
        tmp.replace(out / "text.txt")

    box.textChanged.connect(dump)
    box.show()
    box.activateWindow()
    box.setFocus()

    def ready() -> None:
        dump()
        (out / "ready").write_text("1", encoding="utf-8")

    QTimer.singleShot(300, ready)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
