"""The import dialog: preview per category, policy, import, errors shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.fsutil import Paths
from app.core.workspace import Workspace
from app.ui.import_dialog import ImportDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    return Workspace.open(Paths(huashu_home))  # built-in phrases, cf1 among them


def _dialog(qtbot: QtBot, ws: Workspace) -> ImportDialog:
    dlg = ImportDialog(ws)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _table(dlg: ImportDialog) -> list[list[str]]:
    t = dlg.table
    rows = []
    for r in range(t.rowCount()):
        cells = [t.item(r, c) for c in range(t.columnCount())]
        rows.append([cell.text() if cell is not None else "" for cell in cells])
    return rows


def test_preview_then_keep_both_import(qtbot: QtBot, ws: Workspace, tmp_path: Path) -> None:
    csv_path = tmp_path / "team.csv"
    csv_path.write_bytes(
        "快捷短语编码,快捷短语,快捷短语分组\r\ncf1,另一种催付说法,催付\r\nzz9,新的话术,团队\r\n".encode(
            "gbk"
        )
    )
    dlg = _dialog(qtbot, ws)
    assert not dlg.import_button.isEnabled()
    assert dlg.load_file(csv_path)
    assert "GBK" in dlg.info_label.text() and "团队" in dlg.info_label.text()
    assert _table(dlg) == [
        ["催付", "0", "0", "0", "1"],
        ["团队", "1", "0", "0", "0"],
        ["Total", "1", "0", "0", "1"],
    ]
    assert not dlg.category_combo.isVisible()
    before = len(ws.library.phrases)
    dlg.keep_both_radio.setChecked(True)
    with qtbot.waitSignal(dlg.imported, timeout=2000) as sig:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    res = sig.args[0]
    assert (res.added, res.kept_both) == (1, 1)
    assert len(ws.library.phrases) == before + 2
    assert ws.library.by_code("cf1-2")[0].body == "另一种催付说法"
    assert res.backup is not None and res.backup.is_dir()
    assert dlg.result() == dlg.DialogCode.Accepted


def test_broken_file_lists_problems_and_cannot_import(
    qtbot: QtBot, ws: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[pack]\nformat = 7\nname = "x"\n', "utf-8")
    dlg = _dialog(qtbot, ws)
    assert not dlg.load_file(bad)
    assert dlg.problems_view.isVisible()
    assert "format 7 is newer" in dlg.problems_view.toPlainText()
    assert not dlg.import_button.isEnabled()
    assert dlg.table.rowCount() == 0


def test_plain_text_needs_category_and_skip_policy(
    qtbot: QtBot, ws: Workspace, tmp_path: Path
) -> None:
    txt = tmp_path / "lines.txt"
    txt.write_text("第一句\n第二句\n", "utf-8")
    dlg = _dialog(qtbot, ws)
    assert dlg.load_file(txt)
    assert dlg.category_combo.isVisible()
    dlg.category_combo.setCurrentText("常用语")  # reloads the preview
    assert _table(dlg)[0] == ["常用语", "2", "0", "0", "0"]
    assert dlg.policy() == "skip"
    with qtbot.waitSignal(dlg.imported, timeout=2000):
        dlg.import_button.click()
    names = [c.name for c in ws.library.top_categories()]
    assert "常用语" in names


def test_formula_cells_are_warned_about_but_importable(
    qtbot: QtBot, ws: Workspace, tmp_path: Path
) -> None:
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("快捷短语编码,快捷短语,快捷短语分组\r\n,=1+1,组\r\n,您好,组\r\n", "utf-8")
    dlg = _dialog(qtbot, ws)
    assert dlg.load_file(csv_path)
    assert dlg.problems_view.isVisible()
    text = dlg.problems_view.toPlainText()
    assert "f.csv" in text and "'='" in text
    assert dlg.import_button.isEnabled()
    clean = tmp_path / "clean.csv"
    clean.write_text("快捷短语编码,快捷短语,快捷短语分组\r\n,您好,组\r\n", "utf-8")
    assert dlg.load_file(clean)
    assert not dlg.problems_view.isVisible()
