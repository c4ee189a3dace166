"""Runs PastePipeline in a real xcb Qt process for the X11 end-to-end tests (not a test).

It uses the real factories (Qt clipboard, XTEST paster, X11 hotkeys). JSON commands on
stdin, one per line:

- ``{"cmd": "bind", "hotkey": "ctrl+alt+2", "text": ..., "cursor": null, "mode": "paste"}``
  binds a global hotkey whose callback runs the pipeline;
- ``{"cmd": "run", "text": ..., "cursor": null, "mode": "paste"}`` runs it at once;
- ``{"cmd": "quit"}``.

JSON lines on stdout: ready (with the chosen backends), hotkey (monotonic time of the
callback), done, message, failed, restored, error.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

from app.platform.clipboard import make_clipboard
from app.platform.factory import make_hotkey_backend
from app.platform.paste import make_paster
from app.platform.pipeline import PastePipeline


def emit(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    app = QApplication(sys.argv[:1])
    restore_delay = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    clipboard, clipboard_reason = make_clipboard("auto")
    paster, paster_reason = make_paster("auto")
    hotkeys, hotkeys_reason = make_hotkey_backend("auto")
    pipeline = PastePipeline(clipboard, paster, restore_delay_ms=restore_delay)
    pipeline.done.connect(lambda mode: emit(event="done", mode=mode, t=time.monotonic()))
    pipeline.message.connect(lambda text: emit(event="message", text=text))
    pipeline.failed.connect(lambda text: emit(event="failed", text=text))
    pipeline.restored.connect(lambda ok: emit(event="restored", value=ok, t=time.monotonic()))

    def run(command: dict[str, Any]) -> None:
        pipeline.run(command["text"], command.get("cursor"), command.get("mode", "paste"))

    bound: dict[str, dict[str, Any]] = {}  # action -> its bind command

    def on_hotkey(action: str) -> None:
        emit(event="hotkey", t=time.monotonic())
        run(bound[action])

    hotkeys.activated.connect(on_hotkey)

    def bind(command: dict[str, Any]) -> None:
        action = f"run:{len(bound)}"
        table = {c["hotkey"]: a for a, c in bound.items()}
        table[command["hotkey"]] = action
        problems = hotkeys.apply(table)
        if problems:
            emit(event="error", text=f"{problems[0].code}: {problems[0].detail}")
            return
        bound[action] = command
        emit(event="bound", hotkey=command["hotkey"])

    def on_stdin() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        command = json.loads(line) if line.strip().startswith("{") else {"cmd": line.strip()}
        if command["cmd"] == "bind":
            bind(command)
        elif command["cmd"] == "run":
            run(command)
        elif command["cmd"] == "quit":
            notifier.setEnabled(False)
            pipeline.flush_restore()
            hotkeys.close()
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    emit(
        event="ready",
        clipboard=[clipboard.name, clipboard_reason],
        paster=[paster.name, paster_reason],
        hotkeys=[hotkeys.name, hotkeys_reason],
    )
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
