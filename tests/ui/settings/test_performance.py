"""10,000 phrases: filtering as you type stays responsive (times are printed, not asserted)."""

from __future__ import annotations

import statistics
import time

from app.core.fsutil import Paths
from app.core.model import Category, Phrase
from app.core.workspace import Workspace
from app.platform.autostart import FakeAutostart
from app.ui.settings.phrase_model import PhraseTableModel
from app.ui.settings.window import SettingsWindow

from .conftest import FakePrompts

WORDS = ["欢迎", "催付", "物流", "售后", "退款", "优惠", "发货", "地址", "尺码", "质量"]


def big_workspace(n: int = 10_000) -> Workspace:
    ws = Workspace.open(Paths.default(), seed=False)
    for i in range(20):
        ws.library.add_category(Category(f"c{i}", f"分类{i}", i * 10))
    for i in range(n):
        w = WORDS[i % len(WORDS)]
        ws.library.phrases.append(
            Phrase(
                f"p{i}",
                f"{w}话术{i}",
                f"亲,关于{w}的回复第{i}条,{{店铺}}为您服务",
                f"c{i % 20}",
                code=f"k{i}",
            )
        )
    return ws


def test_filter_10k_phrases(qtbot: object) -> None:
    ws = big_workspace()
    window = SettingsWindow(ws, autostart=FakeAutostart(), prompts=FakePrompts())
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    page = window.phrases_page
    assert page.model.rowCount() == 10_000
    page.filter_edit.setText("x")  # warm up (builds the search index if there is one)
    page.filter_edit.clear()
    timings: dict[str, float] = {}
    end_to_end: dict[str, float] = {}
    for query in ["物", "物流", "物流话", "k12", "k123", "k1234", "", "售后"]:
        start = time.perf_counter()
        page.filter_edit.setText(query)  # what one keystroke does
        page.table.viewport().repaint()  # and the repaint of the visible rows
        end_to_end[query or "<empty>"] = (time.perf_counter() - start) * 1000
        timings[query or "<empty>"] = page.last_filter_ms
    assert (
        page.model.phrase_ids()[:1]
        and all(
            "售后" in (ws.library.phrase(pid).title + ws.library.phrase(pid).body)  # type: ignore[union-attr]
            for pid in page.model.phrase_ids()[:50]
        )
    )
    page.filter_edit.setText("k1234")
    assert "p1234" in page.model.phrase_ids()
    print(
        "\n10k phrases, filter (model) ms per query:",
        {k: round(v, 1) for k, v in timings.items()},
        f"median {statistics.median(timings.values()):.1f} ms",
        "\n10k phrases, keystroke incl. editor update + repaint ms:",
        {k: round(v, 1) for k, v in end_to_end.items()},
        f"median {statistics.median(end_to_end.values()):.1f} ms",
    )
    # sorting by a column
    start = time.perf_counter()
    page.filter_edit.clear()
    page.model.sort(0)
    print(f"10k phrases, sort by title: {(time.perf_counter() - start) * 1000:.1f} ms")
    assert page.model.phrase_at(0) is not None
    ws.close()


def test_model_filters_by_code_prefix_and_category() -> None:
    ws = big_workspace(200)
    model = PhraseTableModel(ws)
    model.set_query("K19")  # codes, case-insensitive
    assert set(model.phrase_ids()) >= {"p19", "p190", "p199"}
    model.set_categories({"c0"})
    assert all(ws.library.phrase(pid).category == "c0" for pid in model.phrase_ids())  # type: ignore[union-attr]
    model.set_query("")
    assert model.rowCount() == 10
    ws.close()
