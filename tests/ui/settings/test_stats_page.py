"""Statistics page: most / least / never used phrases and uses per category."""

from __future__ import annotations

import time

from app.core.workspace import Workspace
from app.ui.settings.window import PAGE_STATS, SettingsWindow


def test_stats_from_recorded_usage(window: SettingsWindow, ws: Workspace, qtbot: object) -> None:
    now = time.time()
    for _ in range(5):
        ws.usage.record("hello", now - 3600)
    for _ in range(2):
        ws.usage.record("remind", now - 3600)
    ws.usage.record("sms", now - 3600)
    ws.usage.record("sorry", now - 40 * 86400)  # outside the last 30 days
    window.show_page(PAGE_STATS)
    page = window.stats_page
    assert page.days == 30
    items = [page.most_list.topLevelItem(i) for i in range(page.most_list.topLevelItemCount())]
    most = [item.text(0) for item in items if item is not None]
    assert most == ["标准欢迎语", "催付通用", "售后致歉", "短信催付"]
    least_first = page.least_list.topLevelItem(0)
    assert least_first is not None and least_first.text(1) == "1"
    assert page.never_model.stringList() == ["结束语"]
    # per category, last 30 days: 催付 = 2 + 1 (sub-category counts), 欢迎语 = 5
    assert page.chart.data() == [("欢迎语", 5), ("催付", 3)]
    page.period_combo.setCurrentIndex(page.period_combo.findData(90))
    assert ("售后", 1) in page.chart.data()
    image = page.chart.grab().toImage()
    assert not image.isNull()
    # the bar of the largest value is drawn in the bar colour
    colours = {image.pixelColor(x, 12).name() for x in range(image.width())}
    assert page.chart.BAR_COLOR.name() in colours
    # double-click on a phrase opens it on the phrases page
    page.phrase_activated.emit("remind")
    assert window.phrases_page.editor.phrase is not None
    assert window.phrases_page.editor.phrase.id == "remind"


def test_hidden_stats_page_does_no_work_on_a_language_change(
    window: SettingsWindow, monkeypatch: object
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    page = window.stats_page
    assert not page.isVisible()  # the phrases page is shown first
    refreshed: list[bool] = []
    page.refresh = lambda: refreshed.append(True)  # type: ignore[method-assign]
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert refreshed == []
    window.show_page(PAGE_STATS)
    assert refreshed  # shown: brought up to date
    refreshed.clear()
    QApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert refreshed  # visible: retranslated and refreshed at once
