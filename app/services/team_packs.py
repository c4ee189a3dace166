"""Team packs (subscriptions): subscribing, leaving and refreshing, for the tray app and
the command line. A refresh that removes more than half of a pack is held until the user
accepts it (:meth:`TeamPacks.accept_shrink`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pack machinery loads on first use, not at start-up
    from app.core.subscriptions import RefreshResult
    from app.core.workspace import Workspace


class TeamPacks:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._accept_shrink: set[str] = set()

    def paths(self) -> list[str]:
        return list(self.ws.settings.subscriptions)

    def subscribe(self, path: str | Path, *, allow_shrink: bool = False) -> RefreshResult:
        from app.core import subscriptions

        return subscriptions.subscribe(self.ws, path, allow_shrink=allow_shrink)

    def unsubscribe(self, path: str | Path) -> int:
        from app.core import subscriptions

        return subscriptions.unsubscribe(self.ws, path)

    def accept_shrink(self, path: str) -> None:
        """The next refresh of ``path`` uses the new version even if it removes a lot."""
        self._accept_shrink.add(path)

    def refresh(self, path: str, fetched: object = None) -> RefreshResult:
        """Take in the pack at ``path``; ``fetched`` is what a reader thread got (a Pack
        or a PackError; anything else is an unexpected failure of that thread)."""
        from app.core import subscriptions
        from app.core.packs import Pack, PackError

        allow = path in self._accept_shrink
        self._accept_shrink.discard(path)
        got = fetched if isinstance(fetched, (Pack, PackError)) else None
        if fetched is not None and got is None:
            got = PackError([])
        return subscriptions.refresh(self.ws, path, fetched=got, allow_shrink=allow)
