"""The UI language property and the import dialog's problem list in zh_CN / en."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.core.workspace import Workspace
from app.ui.import_dialog import ImportDialog
from app.ui.language import PROPERTY, Retranslating, current_language

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")
SetLanguage = Callable[[str | None], None]

BROKEN = """[pack]
format = 1
name = 7

[[categories]]
id = "c"
name = "分类"

[[phrases]]
id = "p1"
title = "  "
body = "正文"
category = "nope"
"""


@pytest.fixture
def language(qapp: QCoreApplication) -> Iterator[SetLanguage]:
    """Set the app's language property like app.main.Translations.apply; undo after."""

    def set_language(lang: str | None) -> None:
        qapp.setProperty(PROPERTY, lang)

    yield set_language
    qapp.setProperty(PROPERTY, None)


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    return Workspace.open(Paths(huashu_home), seed=False)


def _problems(qtbot: QtBot, ws: Workspace, path: Path) -> list[str]:
    dlg = ImportDialog(ws)
    qtbot.addWidget(dlg)
    assert not dlg.load_file(path)
    assert not dlg.problems_view.isHidden()
    return dlg.problems_view.toPlainText().splitlines()


def test_current_language_defaults_to_english(language: SetLanguage) -> None:
    assert current_language() == "en"
    language("zh_CN")
    assert current_language() == "zh_CN"
    language("")
    assert current_language() == "en"


def test_import_dialog_lists_problems_in_chinese(
    qtbot: QtBot, ws: Workspace, tmp_path: Path, language: SetLanguage
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(BROKEN, "utf-8")
    language("zh_CN")
    lines = _problems(qtbot, ws, path)
    assert lines == [
        "team.toml 第 1 行：[pack] 的 'name'（名称）必须是文本（加引号）",
        "team.toml 第 9 行：话术 'p1' 的标题为空",
    ]


def test_import_dialog_lists_problems_in_english(
    qtbot: QtBot, ws: Workspace, tmp_path: Path, language: SetLanguage
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(BROKEN, "utf-8")
    language("en")
    lines = _problems(qtbot, ws, path)
    assert lines == [
        "team.toml:1: [pack] 'name' must be text (in quotes)",
        "team.toml:9: phrase 'p1' has an empty title",
    ]


def test_every_problem_of_a_csv_is_listed_in_chinese(
    qtbot: QtBot, ws: Workspace, tmp_path: Path, language: SetLanguage
) -> None:
    path = tmp_path / "team.csv"
    rows = "快捷短语编码,快捷短语,快捷短语分组\r\n" + "x" * 40 + ",正文,组\r\na, ,组\r\n"
    path.write_bytes(rows.encode("gbk"))
    language("zh_CN")
    lines = _problems(qtbot, ws, path)
    assert lines == [
        "team.csv 第 2 行：'快捷短语编码' 有 40 个字符，超过了上限 32",
        "team.csv 第 3 行：话术内容（快捷短语）为空",
    ]


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("auto", "C", "zh_CN"),
        ("auto", "POSIX", "zh_CN"),
        ("auto", "", "zh_CN"),
        ("auto", "C.UTF-8", "zh_CN"),
        ("auto", "zh_TW", "zh_CN"),
        ("auto", "zh_CN", "zh_CN"),
        ("auto", "en_US", "en"),
        ("auto", "de_DE", "en"),
        ("auto", "Cy_GB", "en"),
        ("en", "C", "en"),
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
    ],
)
def test_pick_language(setting: str, system: str, expected: str) -> None:
    from app.ui.translations import pick_language

    assert pick_language(setting, system) == expected


def test_pick_language_reads_the_system_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QLocale

    from app.ui.translations import pick_language

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("en_US")))
    assert pick_language("auto") == "en"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale.c()))
    assert pick_language("auto") == "zh_CN"


class _Recorder(QWidget):
    """Stands for the Qt class after the mixin: records the events passed on to it."""

    def __init__(self) -> None:
        super().__init__()
        self.passed_on: list[QEvent.Type] = []

    def changeEvent(self, event: QEvent) -> None:
        self.passed_on.append(event.type())
        super().changeEvent(event)


class _Page(Retranslating, _Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def retranslate(self) -> None:
        self.calls += 1


def test_retranslating_reacts_to_language_changes_only(qtbot: QtBot) -> None:
    page = _Page()
    qtbot.addWidget(page)
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.FontChange))
    assert page.calls == 0
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.calls == 1
    # every event still reaches the widget's own Qt class
    assert page.passed_on == [QEvent.Type.FontChange, QEvent.Type.LanguageChange]


def test_retranslating_language_changed_can_do_more(qtbot: QtBot) -> None:
    class Panel(_Page):
        def language_changed(self) -> None:
            super().language_changed()
            self.calls += 10

    panel = Panel()
    qtbot.addWidget(panel)
    QCoreApplication.sendEvent(panel, QEvent(QEvent.Type.LanguageChange))
    assert panel.calls == 11


def test_retranslating_needs_a_retranslate(qtbot: QtBot) -> None:
    class Bare(Retranslating, QWidget):
        pass

    bare = Bare()
    qtbot.addWidget(bare)
    with pytest.raises(NotImplementedError):
        bare.language_changed()


def test_no_widget_handles_language_change_itself() -> None:
    """One handler (the mixin): no widget module compares event types with it again."""
    app_dir = Path(__file__).resolve().parents[2] / "app"
    offenders = [
        str(p.relative_to(app_dir))
        for p in app_dir.rglob("*.py")
        if "LanguageChange" in p.read_text(encoding="utf-8") and p.name != "language.py"
    ]
    assert offenders == []


class _LazyPage(_Page):
    retranslate_when_shown = True


def test_a_hidden_lazy_widget_retranslates_when_shown(qtbot: QtBot) -> None:
    page = _LazyPage()
    qtbot.addWidget(page)
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.calls == 0  # hidden: nothing yet
    page.show()
    assert page.calls == 1  # shown: brought up to date, once
    page.hide()
    page.show()
    assert page.calls == 1
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.calls == 2  # visible: at once
    page.hide()
    page.show()
    assert page.calls == 2


def test_a_hidden_eager_widget_retranslates_at_once(qtbot: QtBot) -> None:
    page = _Page()
    qtbot.addWidget(page)
    QCoreApplication.sendEvent(page, QEvent(QEvent.Type.LanguageChange))
    assert page.calls == 1
    page.show()
    assert page.calls == 1
