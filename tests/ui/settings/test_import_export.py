"""Import and export from the settings window's File menu."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.core.packs import read_pack
from app.core.packs.qianniu import read_qianniu
from app.core.workspace import Workspace
from app.ui.settings.window import SettingsWindow

from .conftest import FakePrompts, reopen

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


class SavePrompts(FakePrompts):
    def __init__(self, path: Path, chosen: str = "") -> None:
        super().__init__()
        self.path = path
        self.chosen = chosen
        self.infos: list[str] = []

    def save_file(
        self, parent: QWidget | None, title: str, name: str, filters: str
    ) -> tuple[str, str] | None:
        self.asked.append(name)
        return str(self.path), self.chosen

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        self.infos.append(message)


def test_export_selected_category_as_pack(
    window: SettingsWindow, ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "pay.toml"
    window.prompts = SavePrompts(out)
    tree = window.phrases_page.tree
    item = tree.item_for("pay")
    assert item is not None
    tree.setCurrentItem(item)
    assert window.export_phrases() == str(out)
    pack = read_pack(out)
    assert sorted(p.title for p in pack.phrases) == ["催付通用", "短信催付"]
    assert window.prompts.asked[-1] == "催付.toml"  # type: ignore[attr-defined]


def test_export_whole_library_as_qianniu_csv(window: SettingsWindow, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    window.prompts = SavePrompts(out)
    window.phrases_page.tree.setCurrentItem(window.phrases_page.tree.topLevelItem(0))
    assert window.export_phrases() == str(out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    pack = read_qianniu(out)
    assert len(pack.phrases) == 5


def test_import_from_menu_refreshes_library(
    qtbot: object, window: SettingsWindow, ws: Workspace, tmp_path: Path
) -> None:
    src = tmp_path / "team.txt"
    src.write_text("您好,欢迎光临\n请问还有什么可以帮您?\n", "utf-8")
    dialog = window.import_phrases()
    dialog.category_combo.setCurrentText("售后")
    assert dialog.load_file(str(src))
    before = len(ws.library.phrases)
    with qtbot.waitSignal(window.library_changed, timeout=2000):  # type: ignore[attr-defined]
        dialog.import_button.click()
    assert len(ws.library.phrases) == before + 2
    assert len(reopen().library.phrases) == before + 2


def test_subscribe_and_unsubscribe_from_menu(
    qtbot: object, window: SettingsWindow, ws: Workspace, tmp_path: Path
) -> None:
    shared = tmp_path / "team.toml"
    shared.write_text(
        '[pack]\nformat = 1\nname = "团队"\n\n[[categories]]\nid = "t"\nname = "团队话术"\n\n'
        '[[phrases]]\nid = "t1"\ntitle = "团队欢迎"\nbody = "您好"\ncategory = "t"\ncode = "td1"\n',
        "utf-8",
    )
    prompts = SavePrompts(tmp_path / "unused")
    window.prompts = prompts
    before = len(ws.library.phrases)
    with qtbot.waitSignal(window.subscriptions_changed, timeout=2000):  # type: ignore[attr-defined]
        assert window.subscribe_pack(str(shared))
    team = [p for p in ws.library.phrases if p.source]
    assert [p.title for p in team] == ["团队欢迎"]
    assert ws.settings.subscriptions and prompts.infos
    assert len(reopen().library.phrases) == before + 1  # read from the kept copy
    assert window.unsubscribe_pack(ws.settings.subscriptions[0])
    assert not [p for p in ws.library.phrases if p.source]
    assert len(reopen().library.phrases) == before


def test_subscribe_to_a_broken_pack_lists_problems(window: SettingsWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[pack]\nformat = 9\nname = "x"\n', "utf-8")
    prompts = SavePrompts(tmp_path / "unused")
    window.prompts = prompts
    assert not window.subscribe_pack(str(bad))
    assert prompts.errors and "format" in prompts.errors[0]
