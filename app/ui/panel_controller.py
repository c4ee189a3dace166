"""The docked panel in the tray app: built on first use, fed by the result rows of
:class:`app.services.results.Results`, and learning which reply answered a copied
customer message."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.services.results import PickerItem, reads_like_sentence

if TYPE_CHECKING:
    from app.core.workspace import Workspace
    from app.platform.window import WindowInfo
    from app.services.phrase_use import PhraseUse
    from app.services.results import Results
    from app.ui.notifier import Notifier
    from app.ui.panel import DockedPanel


class PanelController:
    """``windows`` gives the window information the panel docks with (asked when the
    panel is built); ``copied_message`` reads the customer's message the agent copied;
    ``use`` uses a phrase the agent chose."""

    def __init__(
        self,
        ws: Workspace,
        results: Results,
        phrase_use: PhraseUse,
        windows: Callable[[], WindowInfo],
        notifier: Notifier,
        *,
        copied_message: Callable[[], str],
        use: Callable[[str], None],
    ) -> None:
        self.ws = ws
        self.results = results
        self.phrase_use = phrase_use
        self.windows = windows
        self.notifier = notifier
        self.copied_message = copied_message
        self.use = use
        self.message = ""  # the copied message the panel's suggestions answer
        self._panel: DockedPanel | None = None

    @property
    def built(self) -> DockedPanel | None:
        return self._panel

    @property
    def panel(self) -> DockedPanel:
        if self._panel is None:
            from app.core.appprofiles import load_layouts, save_layouts
            from app.platform.pipeline import own_window_ids
            from app.ui.panel import DockedPanel

            home = self.ws.paths.home
            self._panel = DockedPanel(
                self.windows(),
                self.results.categories,
                self.results.in_category,
                layouts=load_layouts(home),
                save_layouts=lambda layouts: save_layouts(home, layouts),
                own_windows=own_window_ids,
            )
            self._panel.suggest = self.suggestions
            self._panel.chosen.connect(self._chosen)
            self._panel.message.connect(self.notifier.info)
        return self._panel

    def suggestions(self) -> list[PickerItem]:
        """The panel's "Suggested" rows: replies to the copied customer message."""
        message = self.copied_message()
        self.message = message if reads_like_sentence(message) else ""
        return self.results.suggestions(self.message) if self.message else []

    def _chosen(self, phrase_id: str) -> None:
        from app.ui.panel import SUGGESTED

        panel = self._panel
        if panel is not None and panel.current_category() == SUGGESTED and self.message:
            self.phrase_use.learn(self.message, phrase_id)  # this reply answers it
        self.use(phrase_id)

    def refresh_suggestions(self) -> None:
        """A (re)built ranker was swapped in: a shown panel on "Suggested" reloads."""
        from app.ui.panel import SUGGESTED

        panel = self._panel
        if panel is not None and panel.isVisible() and panel.current_category() == SUGGESTED:
            panel.reload()

    def toggle(self) -> None:
        self.panel.toggle()

    def undock(self) -> None:
        if self._panel is not None:
            self._panel.undock()
