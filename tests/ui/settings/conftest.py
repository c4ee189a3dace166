"""Fixtures for the settings window tests: a small library on disk and a window over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import shiboken6
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.core.fsutil import Paths
from app.core.model import Category, Phrase
from app.core.workspace import Workspace
from app.platform.autostart import FakeAutostart
from app.ui.settings.prompts import Prompts
from app.ui.settings.window import SettingsWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class FakePrompts(Prompts):
    """Answers queued by the test; records what was asked."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.confirms: list[bool] = []
        self.asked: list[str] = []
        self.errors: list[str] = []

    def text(self, parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
        self.asked.append(title)
        return self.texts.pop(0)

    def confirm(self, parent: QWidget | None, title: str, question: str) -> bool:
        self.asked.append(question)
        return self.confirms.pop(0) if self.confirms else True  # e.g. closing at teardown

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        self.errors.append(message)


@dataclass
class Calls:
    hotkeys: int = 0
    languages: list[str] = field(default_factory=list)


def build_library(ws: Workspace) -> None:
    lib = ws.library
    lib.add_category(Category("greet", "欢迎语", 10))
    lib.add_category(Category("pay", "催付", 20))
    lib.add_category(Category("pay-sms", "短信催付", 10, "pay"))
    lib.add_category(Category("after", "售后", 30))
    lib.add_phrase(
        Phrase("hello", "标准欢迎语", "您好,我是{工号}号客服", "greet", "hy1", "ctrl+alt+1")
    )
    lib.add_phrase(Phrase("bye", "结束语", "感谢光临{店铺}", "greet", "js1"))
    lib.add_phrase(Phrase("remind", "催付通用", "亲,您的订单还没付款哦", "pay", "cf1"))
    lib.add_phrase(Phrase("sms", "短信催付", "短信已发送", "pay-sms", "cf2"))
    lib.add_phrase(Phrase("sorry", "售后致歉", "非常抱歉给您带来不便", "after", "sh1"))
    ws.settings.profile.agent_no = "1024"
    ws.settings.profile.shops = ["花漾旗舰店"]
    ws.settings.profile.active_shop = "花漾旗舰店"
    ws.save_library()
    ws.save_settings()


def reopen() -> Workspace:
    """A fresh Workspace read from the same HUASHU_HOME (what is really on disk)."""
    return Workspace.open(Paths.default(), seed=False)


def commit_text(widget: QWidget, text: str) -> None:
    """Type (Chinese) text through an input-method commit, never keyClicks."""
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    w = Workspace.open(Paths.default(), seed=False)
    build_library(w)
    yield w
    w.close()


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def autostart() -> FakeAutostart:
    return FakeAutostart()


@pytest.fixture
def window(
    qtbot: object, ws: Workspace, calls: Calls, prompts: FakePrompts, autostart: FakeAutostart
) -> Iterator[SettingsWindow]:
    def hotkeys_changed() -> None:
        calls.hotkeys += 1

    w = SettingsWindow(
        ws,
        on_hotkeys_changed=hotkeys_changed,
        on_language_changed=calls.languages.append,
        autostart=autostart,
        prompts=prompts,
    )
    qtbot.addWidget(w)  # type: ignore[attr-defined]
    w.show()
    yield w
    # Destroy the window before its workspace closes: a window left alive would still
    # receive application-wide events (a language change) in later tests.
    w.close()
    shiboken6.delete(w)
