"""SettingsPage: the construction and settings-change path the editing pages share."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.core.workspace import Workspace
from app.ui.settings.commands import ChangeSettings, CommandContext, Outcome, WorkspaceCommand
from app.ui.settings.page import SettingsPage
from app.ui.settings.prompts import Prompts


class Page(SettingsPage):
    def _build(self) -> None:
        self.steps = ["build"]

    def retranslate(self) -> None:
        self.steps.append("retranslate")

    def refresh(self, outcome: Outcome) -> None:
        self.steps.append(f"refresh settings={outcome.settings} library={outcome.library}")


class LibraryPage(Page):
    SHOWS = Outcome(library=True)


def make(ws: Workspace, qtbot: QtBot, ok: bool = True, cls: type[Page] = Page) -> Page:
    pushed: list[WorkspaceCommand] = []

    def push(cmd: WorkspaceCommand) -> bool:
        pushed.append(cmd)
        return ok

    ctx = CommandContext(ws, lambda _o: None, lambda _m: None)
    page = cls(ws, ctx, push)
    qtbot.addWidget(page)
    page.pushed = pushed  # type: ignore[attr-defined]
    return page


def test_construction_builds_translates_then_shows(ws: Workspace, qtbot: QtBot) -> None:
    page = make(ws, qtbot)
    assert page.steps == ["build", "retranslate", "refresh settings=True library=False"]
    assert page.ws is ws and not page._loading
    assert isinstance(page.prompts, Prompts)
    other = make(ws, qtbot, cls=LibraryPage)
    assert other.steps[-1] == "refresh settings=False library=True"
    prompts = Prompts()
    given = Page(ws, other._ctx, other._push, prompts=prompts)
    qtbot.addWidget(given)
    assert given.prompts is prompts


def test_change_pushes_one_settings_command(ws: Workspace, qtbot: QtBot) -> None:
    page = make(ws, qtbot)
    before = ws.settings

    def edit(s: Settings) -> None:
        s.profile.agent_no = "2048"

    assert page._change("Set the agent number", edit) is True
    [cmd] = page.pushed  # type: ignore[attr-defined]
    assert isinstance(cmd, ChangeSettings) and cmd.text() == "Set the agent number"
    assert ws.settings is before and before.profile.agent_no == "1024"  # edited a copy
    assert page.steps[-1].startswith("refresh settings=True")  # only the first refresh
    assert len(page.steps) == 3


def test_no_change_pushes_nothing(ws: Workspace, qtbot: QtBot) -> None:
    page = make(ws, qtbot)
    assert page._change("Nothing", lambda s: None) is True
    assert page.pushed == []  # type: ignore[attr-defined]


def test_failed_change_shows_the_settings_again(ws: Workspace, qtbot: QtBot) -> None:
    page = make(ws, qtbot, ok=False, cls=LibraryPage)

    def edit(s: Settings) -> None:
        s.profile.agent_no = "7"

    assert page._change("Set", edit) is False
    assert page.steps[-1] == "refresh settings=True library=False"
