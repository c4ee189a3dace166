"""A stand-in web workbench for end-to-end tests: Enter SENDS the message.

Usage: python chat_target.py OUT_DIR [WM_CLASS_NAME]
Like a chat page: a bare Enter sends what is in the box (appended to OUT_DIR/sent.jsonl as
one JSON string per line) and clears it; Shift+Enter or Ctrl+Enter break the line.
OUT_DIR/text.txt is the box's text after every change; OUT_DIR/ready once shown. The
window title is "huashu-e2e-chat"; its WM_CLASS is WM_CLASS_NAME (default "huashuchat")
so a test can give it an app profile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit


class EnterSends(QObject):
    def __init__(self, box: QPlainTextEdit, out: Path) -> None:
        super().__init__()
        self.box = box
        self.out = out

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if plain == Qt.KeyboardModifier.NoModifier:
                    with (self.out / "sent.jsonl").open("a", encoding="utf-8") as f:
                        f.write(json.dumps(self.box.toPlainText(), ensure_ascii=False) + "\n")
                    self.box.clear()
                    return True
                self.box.insertPlainText("\n")  # Shift/Ctrl+Enter: a line break
                return True
        return False


def main() -> int:
    out = Path(sys.argv[1])
    name = sys.argv[2] if len(sys.argv) > 2 else "huashuchat"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([name, "-name", name])
    app.setApplicationName(name)
    box = QPlainTextEdit()
    box.setWindowTitle("huashu-e2e-chat")
    box.resize(520, 420)
    box.move(200, 150)
    sender = EnterSends(box, out)
    box.installEventFilter(sender)

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
