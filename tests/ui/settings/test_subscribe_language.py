"""Subscribing to a broken team pack: the problems come in the UI's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from app.ui.language import PROPERTY
from app.ui.settings.window import SettingsWindow

from .conftest import FakePrompts


@pytest.fixture
def zh(qapp: QCoreApplication) -> Iterator[None]:
    qapp.setProperty(PROPERTY, "zh_CN")
    yield
    qapp.setProperty(PROPERTY, None)


def test_subscribe_errors_in_chinese(
    window: SettingsWindow, prompts: FakePrompts, tmp_path: Path, zh: None
) -> None:
    team = tmp_path / "team.toml"
    team.write_text('[pack]\nformat = 3\nname = "团队"\n', "utf-8")
    assert not window.subscribe_pack(str(team))
    assert prompts.errors[-1] == (
        "team.toml 第 1 行：话术包格式 3 比当前版本的话术支持的格式（1）更新；请升级话术后再导入"
    )
    window.ws.settings_ok = False
    team.write_text('[pack]\nformat = 1\nname = "团队"\n', "utf-8")
    assert not window.subscribe_pack(str(team))
    assert prompts.errors[-1] == "settings.toml 加载失败，因此不会修改它；请先修复该文件"


def test_subscribe_errors_in_english(
    window: SettingsWindow, prompts: FakePrompts, tmp_path: Path
) -> None:
    team = tmp_path / "team.toml"
    team.write_text('[pack]\nformat = 3\nname = "团队"\n', "utf-8")
    assert not window.subscribe_pack(str(team))
    assert prompts.errors[-1].startswith("team.toml:1: pack format 3 is newer")
