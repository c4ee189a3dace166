"""Following team packs in the tray app: a watcher re-reads subscribed pack files, and a
new version that removes more than half of a pack waits for the user's yes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from app.core.subscriptions import RefreshResult
    from app.services.team_packs import TeamPacks
    from app.ui.notifier import Notifier
    from app.ui.subscription_watcher import SubscriptionWatcher


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


class TeamPacksController(QObject):
    """``library_changed`` is called whenever the library may have changed (the menu and
    the hotkeys follow it)."""

    def __init__(
        self, packs: TeamPacks, notifier: Notifier, library_changed: Callable[[], None]
    ) -> None:
        super().__init__()
        self.packs = packs
        self.notifier = notifier
        self.library_changed = library_changed
        self.watcher: SubscriptionWatcher | None = None
        self.shrink_box: QMessageBox | None = None

    def start(self) -> None:
        """Watch subscribed pack files (only when there are any: no idle timer otherwise)."""
        from app.ui.subscription_watcher import SubscriptionWatcher

        self.library_changed()
        if not self.packs.paths():
            if self.watcher is not None:
                self.watcher.stop()
            return
        if self.watcher is None:
            from app.core.subscriptions import fetch

            self.watcher = SubscriptionWatcher(
                self.packs.paths,
                self.packs.refresh,
                fetch=fetch,  # read off the GUI thread, with a timeout
            )
            self.watcher.summary.connect(self.notifier.info)
            self.watcher.changed.connect(self._refreshed)
        self.watcher.start()
        self.watcher.check_now(True)

    def stop(self) -> None:
        """Stop following the pack files (reads under way are forgotten)."""
        if self.watcher is not None:
            self.watcher.stop()

    def _refreshed(self, results: list[RefreshResult]) -> None:
        self.library_changed()
        for r in results:
            if r.held:
                self.ask_accept_shrink(r)

    def ask_accept_shrink(self, r: RefreshResult) -> None:
        """A team pack's new version removes more than half of it: ask before using it."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Team pack changed a lot"),
            tr(
                "The new version of the team pack %1 removes %2 of its %3 phrases. "
                "Use the new version? Until you accept, Huashu keeps the last good copy.",
                r.name or os.path.basename(r.path),
                str(r.removed),
                str(r.total),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        path = r.path

        def answered(code: int) -> None:
            # no reference to the box in here: a closure holding it would outlive it
            done, self.shrink_box = self.shrink_box, None
            if done is not None:
                done.deleteLater()
            if code == QMessageBox.StandardButton.Yes.value and self.watcher is not None:
                self.packs.accept_shrink(path)
                self.watcher.check_now(True)

        box.finished.connect(answered)
        self.shrink_box = box
        box.open()
