"""Suggestions in the wired app: sentence queries in the picker, the suggest hotkey on the
copied message, and learning from the agent's choice."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.core.model import Library
from app.core.workspace import Workspace
from app.main import HuashuApp
from app.platform.fake import FakeClipboard

from .conftest import dispose_app

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def huashu(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[HuashuApp]:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    app.clipboard = FakeClipboard()
    used: list[str] = []
    monkeypatch.setattr(app, "use_phrase", lambda pid, delay_ms=0: used.append(pid))
    app.used = used  # type: ignore[attr-defined]
    yield app
    dispose_app(app)


def test_a_sentence_is_ranked_by_the_suggester(huashu: HuashuApp) -> None:
    items = huashu.results.search("亲，什么时候发货啊", 20)
    assert items[0].phrase_id == "logistics-ship-time"
    assert items[0].why.startswith("example “")
    assert len(items) <= 9


def test_codes_and_pinyin_still_go_to_the_search(huashu: HuashuApp) -> None:
    items = huashu.results.search("cf", 5)
    assert items and all(i.why == "" for i in items)
    assert items[0].category.startswith("催付")
    assert huashu.ws._suggester is None  # the ranker was never loaded
    assert huashu.results.search("退货", 5)[0].why == ""  # a short title word: the search


def test_nothing_fits_falls_back_to_exact_text_matches_only(huashu: HuashuApp) -> None:
    assert huashu.results.search("可以开发票吗", 10) == []
    assert huashu.pickers.empty_text("可以开发票吗") == "Nothing fits this message"
    assert huashu.pickers.empty_text("zzz") == ""
    huashu.ws.suggester.min_score = 2.0  # the ranker declines everything
    items = huashu.results.search("七天无理由退货", 10)
    assert [i.phrase_id for i in items] == ["aftersales-return-7day"]
    assert items[0].why == ""


def test_suggest_hotkey_opens_the_picker_on_the_copied_message(huashu: HuashuApp) -> None:
    huashu.register_hotkeys()
    assert "ctrl+alt+s" in huashu.hotkeys.registered()
    huashu.clipboard.set_text("在吗？\n我想退货 😭")
    huashu._on_hotkey("suggest")
    picker = huashu.picker
    assert picker.isVisible()
    assert picker.query() == "在吗？ 我想退货 😭"
    first = picker.model.item(0)
    assert first is not None and first.phrase_id.startswith("aftersales-return")


def test_suggest_hotkey_with_an_empty_clipboard_says_what_to_do(
    huashu: HuashuApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    huashu._on_hotkey("suggest")
    assert huashu.picker.isVisible() and huashu.picker.query() == ""
    assert "Copy the customer's message first, then press ctrl+alt+s." in caplog.text
    caplog.clear()
    huashu.clipboard.set_text("什么时候发货")
    huashu._on_hotkey("suggest")
    assert "Copy the customer" not in caplog.text


def test_suggest_hotkey_is_released_while_paused(huashu: HuashuApp) -> None:
    huashu.set_paused(True)
    assert "ctrl+alt+s" not in huashu.hotkeys.registered()
    huashu._on_hotkey("suggest")
    assert huashu.pickers.built is None or not huashu.pickers.built.isVisible()


def test_a_long_copied_message_is_cut(huashu: HuashuApp) -> None:
    huashu.clipboard.set_text("退" * 1000)
    huashu.open_suggestions()
    assert len(huashu.picker.query()) == 300


def test_choosing_a_phrase_for_a_sentence_teaches_the_ranker(
    huashu: HuashuApp, huashu_home: Path
) -> None:
    message = "放驿站可以吗"
    assert huashu.ws.suggest(message).nothing_fits
    huashu.picker.popup(message)
    huashu.pickers.choose("logistics-courier")
    assert huashu.used == ["logistics-courier"]  # type: ignore[attr-defined]
    top = huashu.ws.suggest("快递能放驿站吗").suggestions[0]
    assert top.phrase.id == "logistics-courier" and top.why.startswith("learned")
    assert (huashu_home / "suggest.sqlite3").exists()


def test_choosing_by_code_teaches_nothing(huashu: HuashuApp, huashu_home: Path) -> None:
    huashu.picker.popup("cf1")
    huashu.pickers.choose("payment-reminder")
    assert huashu.used == ["payment-reminder"]  # type: ignore[attr-defined]
    assert huashu.ws._suggester is None
    assert not (huashu_home / "suggest.sqlite3").exists()


def test_library_changes_reach_the_suggester(huashu: HuashuApp) -> None:
    ws = huashu.ws
    assert ws.suggest("什么时候发货").suggestions[0].phrase.id == "logistics-ship-time"
    ws.library.remove_phrase("logistics-ship-time")
    ws.library_changed()
    ids = [s.phrase.id for s in ws.suggest("什么时候发货").suggestions]
    assert "logistics-ship-time" not in ids


def test_an_unreadable_clipboard_opens_an_empty_picker(
    huashu: HuashuApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> str:
        raise RuntimeError("clipboard owner died")

    monkeypatch.setattr(huashu.clipboard, "get_text", broken)
    huashu.open_suggestions()
    assert huashu.picker.isVisible() and huashu.picker.query() == ""
    assert "cannot read the clipboard for suggestions" in caplog.text


def test_a_failing_learn_still_uses_the_phrase(
    huashu: HuashuApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(message: str, phrase_id: str) -> bool:
        raise OSError("disk full")

    monkeypatch.setattr(huashu.ws, "learn", broken)
    huashu.picker.popup("快递可以放驿站吗")
    huashu.pickers.choose("logistics-courier")
    assert huashu.used == ["logistics-courier"]  # type: ignore[attr-defined]
    assert "could not learn from the choice of logistics-courier" in caplog.text


def test_start_up_and_warm_up_do_not_load_the_ranker(tmp_path: Path) -> None:
    """The ranker is imported and built on the first sentence, never on the start-up path."""
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "os.environ.pop('DISPLAY', None)\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from app.core.fsutil import Paths\n"
        "from app.core.workspace import Workspace\n"
        "from app.main import HuashuApp\n"
        "h = HuashuApp(Workspace.open(Paths.default()))\n"
        "h.start(); h.warm_up()\n"
        "h.results.search('cf', 5); h.results.search('退货', 5)\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.core.suggest')))\n"
        "h.results.search('什么时候发货', 5)\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.core.suggest')))\n"
        "h.hotkeys.close(); h.ws.close()\n"
    )
    env = {**os.environ, "HUASHU_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    before, after = out.stdout.strip().splitlines()[-2:]
    assert before == "['app.core.suggest_query']"
    assert after == (
        "['app.core.suggest', 'app.core.suggest_build', 'app.core.suggest_query',"
        " 'app.core.suggest_store', 'app.core.suggest_text']"
    )


def test_the_picker_says_preparing_until_the_ranker_is_built(
    huashu: HuashuApp, qtbot: QtBot
) -> None:
    """The first build runs on a worker thread: the picker opens at once, says so, and
    shows the suggestions when the ranker is swapped in."""
    from app.core.suggest import Suggester
    from app.core.suggest_build import SuggesterBuilder

    gate = threading.Event()

    def build(library: Library) -> Suggester:
        assert gate.wait(60)
        return Suggester(library)

    huashu.ws.prepare_suggestions(huashu._suggest_ticket.post)
    builder = SuggesterBuilder(build, on_ready=huashu._suggest_ticket.post)
    huashu.ws._suggester = builder
    builder.request(huashu.ws.library)
    huashu.picker.popup("亲，什么时候发货啊")
    model = huashu.picker.model
    assert model.result_count() == 0
    assert model.placeholder() == "Preparing suggestions…"
    assert huashu.pickers.empty_text("亲，什么时候发货啊") == "Preparing suggestions…"
    gate.set()
    qtbot.waitUntil(lambda: model.result_count() > 0, timeout=60_000)
    assert model.item(0).phrase_id == "logistics-ship-time"  # type: ignore[union-attr]
    assert huashu.pickers.empty_text("可以开发票吗") == "Nothing fits this message"


def test_the_panel_shows_suggestions_once_the_ranker_is_built(
    huashu: HuashuApp, qtbot: QtBot
) -> None:
    from app.ui.panel import SUGGESTED

    huashu.clipboard.set_text("亲，什么时候发货啊")
    huashu.ws.prepare_suggestions(huashu._suggest_ticket.post)
    panel = huashu.panel
    panel.show()
    panel.reload()
    assert panel.select_category(SUGGESTED)
    qtbot.waitUntil(lambda: "logistics-ship-time" in panel.phrase_ids(), timeout=60_000)
    panel.hide()


def test_a_ready_ranker_leaves_hidden_windows_alone(huashu: HuashuApp) -> None:
    huashu.picker.popup("cf")
    huashu.picker.hide()
    huashu._suggestions_ready()  # nothing visible waits for suggestions: no error, no search
    assert huashu.ws._suggester is None


def test_quit_leaves_worker_threads_nothing_to_call(qtbot: QtBot) -> None:
    """The ranker's worker reaches the app through a relay ticket; quitting cancels it
    and closes the builder, so a build that ends later calls nothing."""
    from app.platform import relay

    live = relay.relay().registered()
    ws = Workspace.open(Paths.default())
    app = HuashuApp(ws)
    assert relay.relay().registered() == live + 1
    ws.prepare_suggestions(app._suggest_ticket.post, now=True)
    builder = ws._suggester
    assert builder is not None and builder.on_ready is not None
    dispose_app(app)
    assert relay.relay().registered() == live
    assert builder.on_ready is None
