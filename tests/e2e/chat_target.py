"""A stand-in web workbench for end-to-end tests: Enter SENDS the message.

Usage: python chat_target.py OUT_DIR [WM_CLASS_NAME [--demo]]
Like a chat page: a bare Enter sends what is in the box (appended to OUT_DIR/sent.jsonl as
one JSON string per line) and clears it; Shift+Enter or Ctrl+Enter break the line.
OUT_DIR/text.txt is the box's text after every change; OUT_DIR/ready once shown. The
window title is "huashu-e2e-chat"; its WM_CLASS is WM_CLASS_NAME (default "huashuchat")
so a test can give it an app profile. ``--demo`` shows a conversation above the box
(for the README screenshot of the docked panel).
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextBrowser, QVBoxLayout, QWidget


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


DEMO_CONVERSATION = [
    ("顾客 小林", "你好，这款连衣裙还有M码吗？"),
    ("客服 7号", "您好，我是7号客服，很高兴为您服务。"),
    ("顾客 小林", "今天下单什么时候能发货？"),
]


def demo_window(box: QPlainTextEdit) -> QWidget:
    """For README screenshots: a chat-like window (conversation above, input box below)."""
    window = QWidget()
    window.setWindowTitle("接待中心 - 小美服饰旗舰店（示意）")
    history = QTextBrowser()
    history.setHtml(
        "".join(f"<p><b>{who}</b><br/>{html.escape(text)}</p>" for who, text in DEMO_CONVERSATION)
    )
    layout = QVBoxLayout(window)
    layout.addWidget(history, 3)
    layout.addWidget(box, 1)
    window.resize(560, 560)
    window.move(160, 110)
    return window


def main() -> int:
    out = Path(sys.argv[1])
    name = sys.argv[2] if len(sys.argv) > 2 else "huashuchat"
    demo = "--demo" in sys.argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([name, "-name", name])
    app.setApplicationName(name)
    box = QPlainTextEdit()
    box.setWindowTitle("huashu-e2e-chat")
    box.resize(520, 420)
    box.move(200, 150)
    sender = EnterSends(box, out)
    box.installEventFilter(sender)
    shown: QWidget = demo_window(box) if demo else box

    def dump() -> None:
        tmp = out / "text.tmp"
        tmp.write_text(box.toPlainText(), encoding="utf-8")
        tmp.replace(out / "text.txt")

    box.textChanged.connect(dump)
    shown.show()
    shown.activateWindow()
    box.setFocus()

    def ready() -> None:
        dump()
        (out / "ready").write_text("1", encoding="utf-8")

    QTimer.singleShot(300, ready)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
