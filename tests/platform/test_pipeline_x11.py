"""The whole pipeline on a real Xvfb: global hotkey -> Qt clipboard -> XTEST Ctrl+V into a
separate Qt process -> previous clipboard restored (end-to-end).

The pipeline runs in its own xcb Qt process (tests/platform/pipeline_helper.py) because
the test process's Qt is offscreen; the previous clipboard content is served by xclip,
another X client, as it would be by the browser the agent copied from.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

pytestmark = [pytest.mark.e2e, pytest.mark.linux_only("X server (Xvfb, xdotool)")]

GREETING = "亲，您好！欢迎光临小店，我是3号客服😀"


def command(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_hotkey_pastes_and_restores_previous_clipboard(
    xtools: Any, start_target: Any, start_pipeline_helper: Any
) -> None:
    target = start_target("lineedit")
    previous = "<p>上一次复制的<b>HTML</b></p>".encode()
    xtools.clip_set(previous, "text/html")
    helper = start_pipeline_helper("300")
    helper.send(command(cmd="bind", hotkey="ctrl+alt+2", text=GREETING, mode="paste"))
    helper.wait_for("bound")

    latencies = []
    typed = ""
    for _ in range(10):
        start = time.monotonic()
        xtools.key("ctrl+alt+2")
        typed += GREETING
        changed = target.wait_text(typed)
        latencies.append(changed["t"] - start)
        assert helper.wait_for("done")["mode"] == "paste"
        assert helper.wait_for("restored")["value"] is True
        assert xtools.clip_get("text/html") == previous
    dump = target.dump()
    assert dump["text"] == GREETING * 10 and dump["bare_enter"] == 0
    assert "text/html" in xtools.clip_targets()
    median = statistics.median(latencies) * 1000
    print(
        f"\nhotkey-to-text (xdotool start -> target textChanged) median {median:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms over {len(latencies)}"
    )
    assert median < 500


def test_image_on_the_clipboard_comes_back(
    xtools: Any, start_target: Any, start_pipeline_helper: Any, tmp_path: Any
) -> None:
    image = QImage(8, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("#12ab34"))
    png_path = tmp_path / "shot.png"
    assert image.save(str(png_path), "PNG")  # type: ignore[call-overload]
    target = start_target("lineedit")
    xtools.clip_set(png_path.read_bytes(), "image/png")
    helper = start_pipeline_helper("200")
    helper.send(command(cmd="run", text="图片后面的话术"))
    target.wait_text("图片后面的话术")
    assert helper.wait_for("restored")["value"] is True
    restored = QImage.fromData(xtools.clip_get("image/png"))
    assert not restored.isNull()
    assert restored.size() == image.size()
    assert restored.pixelColor(3, 3) == QColor("#12ab34")


def test_user_copy_during_the_delay_is_not_overwritten(
    xtools: Any, start_target: Any, start_pipeline_helper: Any
) -> None:
    target = start_target("lineedit")
    xtools.clip_set("旧内容".encode())
    helper = start_pipeline_helper("1500")
    helper.send(command(cmd="run", text="催付话术"))
    target.wait_text("催付话术")
    helper.wait_for("done")
    xtools.clip_set("用户刚复制的订单号 12345".encode())
    assert helper.wait_for("restored")["value"] is False
    assert xtools.clip_get().decode() == "用户刚复制的订单号 12345"


def test_cursor_and_type_mode(xtools: Any, start_target: Any, start_pipeline_helper: Any) -> None:
    target = start_target("textedit")
    helper = start_pipeline_helper("200")
    helper.send(command(cmd="run", text="您好，请提供订单号：\n谢谢！", cursor=10, mode="type"))
    assert helper.wait_for("done")["mode"] == "type"
    target.wait_text("您好，请提供订单号：\n谢谢！")
    xtools.xdotool("type", "--delay", "0", "42")
    target.wait_text("您好，请提供订单号：42\n谢谢！")
    dump = target.dump()
    assert dump["bare_enter"] == 0 and dump["shift_enter"] == 1


def test_helper_uses_the_real_backends(start_pipeline_helper: Any) -> None:
    helper = start_pipeline_helper("200")
    assert helper.ready["clipboard"][0] == "qt"
    assert helper.ready["paster"][0] == "x11"
    assert helper.ready["hotkeys"][0] == "x11"
    with_note = command(cmd="run", text="只复制", mode="copy")
    helper.send(with_note)
    assert helper.wait_for("message")["text"] == "Copied to the clipboard: paste with Ctrl+V."
    assert helper.wait_for("done")["mode"] == "copy"
