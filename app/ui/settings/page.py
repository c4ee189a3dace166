"""What the settings pages that edit the workspace share: construction and settings changes.

The phrases, profile and general pages each take the workspace, the command context and
the window's ``push``; build their widgets, translate them and show the workspace; and
report through :attr:`SettingsPage.status`. Every change is an undoable command pushed
through ``push`` (:mod:`app.ui.settings.commands`); the window then calls
:meth:`SettingsPage.refresh` with what changed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.core.settings import Settings
from app.core.workspace import Workspace
from app.ui.language import Retranslating
from app.ui.settings.commands import ChangeSettings, CommandContext, Outcome, WorkspaceCommand
from app.ui.settings.prompts import Prompts

Push = Callable[[WorkspaceCommand], bool]


class SettingsPage(Retranslating, QWidget):
    """Base of the pages whose changes go on the settings window's undo stack."""

    status = Signal(str)

    #: What the page shows, refreshed once it is built.
    SHOWS: ClassVar[Outcome] = Outcome(settings=True)

    def __init__(
        self,
        ws: Workspace,
        ctx: CommandContext,
        push: Push,
        *,
        prompts: Prompts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._ctx = ctx
        self._push = push
        self.prompts = prompts if prompts is not None else Prompts()
        self._loading = False  # True while the page fills its own fields
        self._build()
        self.retranslate()
        self.refresh(self.SHOWS)

    def _build(self) -> None:
        """Create the widgets and connect them (translated texts come in retranslate)."""
        raise NotImplementedError

    def refresh(self, outcome: Outcome) -> None:
        """Show the workspace again after a change (``outcome`` says what changed)."""
        raise NotImplementedError

    def _change(self, text: str, edit: Callable[[Settings], None]) -> bool:
        """Push an undoable change of the settings made by ``edit`` on a copy.

        Nothing is pushed when ``edit`` changes nothing. False when the change could not
        be saved; the page then shows the settings as they are.
        """
        before = self.ws.settings
        after = copy.deepcopy(before)
        edit(after)
        if after == before:
            return True
        ok = self._push(ChangeSettings(self._ctx, before, after, text))
        if not ok:
            self.refresh(Outcome(settings=True))
        return ok


__all__ = ["Push", "SettingsPage"]
