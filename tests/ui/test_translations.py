"""The zh_CN translation: complete, compiled, and actually shown by the widgets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app import i18n
from app.ui.picker import PickerItem, PickerWindow
from app.ui.tray import MAX_PHRASES_PER_MENU, TrayController

from .conftest import dispose_tray

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[QTranslator]:
    """The committed huashu_zh_CN.qm installed on the application, removed afterwards."""
    translator = QTranslator()
    assert translator.load(str(i18n.QM_PATH)), f"cannot load {i18n.QM_PATH}"
    assert qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


# -- (a) every source string is in the .ts and translated ------------------------------------
@pytest.mark.linux_only("developer tooling: the pyside6-lupdate/lrelease scripts")
def test_check_passes() -> None:
    """Fails when a tr() string is added without translating it: see `python -m app.i18n`."""
    result = subprocess.run(
        [sys.executable, "-m", "app.i18n", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.linux_only("developer tooling: the pyside6-lupdate/lrelease scripts")
def test_check_reports_new_and_unfinished_strings(tmp_path: Path) -> None:
    """The check itself can fail: a new string and a blanked translation are both reported."""
    sources = tmp_path / "app"
    shutil.copytree(i18n.SOURCE_DIR, sources, ignore=shutil.ignore_patterns("__pycache__"))
    (sources / "extra.py").write_text(
        "from PySide6.QtCore import QObject\n\n\n"
        "class Extra(QObject):\n"
        "    def label(self) -> str:\n"
        '        return f"{self.tr(\'Inside an f-string\')}!" + self.tr("A brand-new string")\n',
        encoding="utf-8",
    )
    ts = tmp_path / "huashu_zh_CN.ts"
    shutil.copyfile(i18n.TS_PATH, ts)
    root = ET.parse(ts).getroot()
    quit_msg = next(m for m in root.iter("message") if m.findtext("source") == "Quit")
    translation = quit_msg.find("translation")
    assert translation is not None
    translation.text = ""
    i18n.write_ts(root, ts)

    problems = i18n.check(ts, sources)
    assert "missing: [Extra] 'A brand-new string'" in problems
    assert "missing: [Extra] 'Inside an f-string'" in problems
    assert "unfinished: [TrayController] 'Quit'" in problems
    assert len(problems) == 3, problems


def test_helper_strings_are_filed_under_the_helper_context() -> None:
    """`tr("x")` in app/main.py is looked up as ("HuashuApp", "x"), so it must be there."""
    messages = i18n.read_ts(i18n.TS_PATH)
    assert ("HuashuApp", "Hotkeys paused.", "") in messages
    assert not any(ctx == "" for ctx, _, _ in messages)


def test_placeholders_and_accelerators_are_checked() -> None:
    message = ET.fromstring(
        "<message><source>Fill in: %1 for {name}</source>"
        "<translation>填写：{name}</translation></message>"
    )
    assert i18n.message_problems(("C", "Fill in: %1 for {name}", ""), message) == [
        "placeholders ['%1', '{name}'] became ['{name}']"
    ]
    message = ET.fromstring(
        "<message><source>&amp;Save</source><translation>保存</translation></message>"
    )
    assert i18n.message_problems(("C", "&Save", ""), message) == ["accelerator (&) lost"]


# -- (b) the committed .qm matches the .ts ---------------------------------------------------
@pytest.mark.linux_only("developer tooling: the pyside6-lupdate/lrelease scripts")
def test_qm_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    i18n.compile_qm(i18n.TS_PATH, fresh)
    assert fresh.read_bytes() == i18n.QM_PATH.read_bytes(), "run `python -m app.i18n compile`"


# -- (c) lookups return Chinese --------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Quit", "退出"),
        ("Open picker", "打开快捷选择"),
        ("Pause hotkeys", "暂停快捷键"),
        ("Shop", "店铺"),
    ],
)
def test_translate_returns_chinese(zh_cn: QTranslator, source: str, expected: str) -> None:
    assert QCoreApplication.translate("TrayController", source) == expected


def test_numerus_and_helper_contexts(zh_cn: QTranslator) -> None:
    text = QCoreApplication.translate("TrayController", "%n more in the picker...", "", 7)
    assert "7" in text and has_cjk(text) and "%n" not in text
    assert has_cjk(QCoreApplication.translate("HuashuApp", "Hotkeys paused."))
    assert has_cjk(QCoreApplication.translate("PhraseEditor", "The title cannot be empty."))


def test_without_translator_english_stays(qapp: QApplication) -> None:
    assert QCoreApplication.translate("TrayController", "Quit") == "Quit"


# -- (d) widgets built with the translator show Chinese --------------------------------------
def menu_texts(menu: QMenu) -> list[str]:
    return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]


def test_tray_menu_is_chinese(zh_cn: QTranslator, request: pytest.FixtureRequest) -> None:
    tray = TrayController(QIcon())
    request.addfinalizer(lambda: dispose_tray(tray))
    phrases = [(f"p{n}", f"话术{n}") for n in range(MAX_PHRASES_PER_MENU + 3)]
    tray.rebuild([("欢迎语", phrases), ("空分类", [])], ["花漾旗舰店"], "花漾旗舰店", False)
    tray.set_picker_hotkey("ctrl+alt+space")

    top = menu_texts(tray.menu())
    assert top == [
        "欢迎语",
        "空分类",
        "打开快捷选择",
        "话术面板",
        "设置…",
        "店铺",
        "暂停快捷键",
        "退出",
    ]
    for text in top:
        assert has_cjk(text) and not LATIN_WORD.search(text), text
    welcome = tray.menu().actions()[0].menu()
    assert isinstance(welcome, QMenu)
    more = menu_texts(welcome)[-1]
    assert "3" in more and has_cjk(more), more
    empty = tray.menu().actions()[1].menu()
    assert isinstance(empty, QMenu)
    assert menu_texts(empty) == ["（空）"]

    tray.set_paused(True)
    assert "恢复快捷键" in menu_texts(tray.menu())
    assert tray.tooltip() == "话术 — 花漾旗舰店 （已暂停）"


def test_picker_is_chinese(zh_cn: QTranslator, qtbot: QtBot) -> None:
    items = [PickerItem("p1", "标准欢迎语", "欢迎语", "hy1", "您好", warning="最低价")]
    window = PickerWindow(lambda query, limit: items if not query else [])
    qtbot.addWidget(window)
    texts = [
        window.search_box.placeholderText(),
        window.windowTitle(),
    ]
    for text in texts:
        assert has_cjk(text) and not LATIN_WORD.search(text), text
    window.search_box.setText("zzz")
    placeholder = window.model.index(0, 0).data()
    assert placeholder == "没有匹配的话术"


def test_hotkey_problems_are_all_chinese(zh_cn: QTranslator) -> None:
    from app.core.hotkeys import HotkeyProblem
    from app.ui.settings.hotkey_edit import problem_text

    labels = {"picker": "话术选择器", "one": "“欢迎语”"}
    codes = [
        HotkeyProblem.INVALID,
        HotkeyProblem.DUPLICATE,
        HotkeyProblem.TAKEN,
        HotkeyProblem.UNSUPPORTED,
        HotkeyProblem.REFUSED,
    ]
    for code in codes:
        text = problem_text(HotkeyProblem(code, "ctrl+alt+7", "one", "picker"), labels.__getitem__)
        assert "ctrl+alt+7" in text and "“欢迎语”" in text
        # No English words besides the hotkey: the platform's detail text never shows.
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"ctrl\+alt\+7", "", text)), text
    taken = problem_text(
        HotkeyProblem(HotkeyProblem.TAKEN, "ctrl+alt+7", "one"), lambda a: labels[a]
    )
    assert taken == "“欢迎语” 的快捷键 ctrl+alt+7 无法使用：其他程序已占用该快捷键。"
    twice = problem_text(
        HotkeyProblem(HotkeyProblem.DUPLICATE, "ctrl+alt+7", "one", "picker"), lambda a: labels[a]
    )
    assert twice == "快捷键 ctrl+alt+7 被重复绑定：话术选择器 和 “欢迎语”，只有前者生效。"
