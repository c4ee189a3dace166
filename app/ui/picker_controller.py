"""The picker in the tray app: built on first use (and again after a language change),
fed by :class:`app.services.results.Results`, opened empty or with the customer's copied
message, and learning which reply answered a message typed or pasted into it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

from app.services.results import one_line, reads_like_sentence
from app.ui.phrase_flow import FOCUS_RETURN_MS

if TYPE_CHECKING:
    from app.platform.foreground import Foreground
    from app.services.phrase_use import PhraseUse
    from app.services.results import Results
    from app.ui.notifier import Notifier
    from app.ui.picker import PickerWindow

log = logging.getLogger("app.main")


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


class PickerController:
    """``clipboard_text`` reads the clipboard, ``suggest_hotkey`` names the suggest key
    (for the hint), ``use(phrase_id, delay_ms)`` uses the chosen phrase and
    ``dismissed`` runs when the picker closes without a choice."""

    def __init__(
        self,
        results: Results,
        phrase_use: PhraseUse,
        notifier: Notifier,
        foreground: Foreground,
        *,
        clipboard_text: Callable[[], str],
        suggest_hotkey: Callable[[], str],
        use: Callable[[str, int], None],
        dismissed: Callable[[], None],
        suggestions_ready: Callable[[], bool] = lambda: True,
    ) -> None:
        self.results = results
        self.phrase_use = phrase_use
        self.notifier = notifier
        self.foreground = foreground
        self.clipboard_text = clipboard_text
        self.suggest_hotkey = suggest_hotkey
        self.use = use
        self.dismissed = dismissed
        self.suggestions_ready = suggestions_ready
        self.built: PickerWindow | None = None

    @property
    def window(self) -> PickerWindow:
        if self.built is None:
            from app.ui.picker import PickerWindow

            self.built = PickerWindow(
                self.results.search,
                bring_to_front=self.foreground.bring_to_front,
                empty_text=self.empty_text,
            )
            self.built.chosen.connect(self.choose)
            self.built.dismissed.connect(self.dismissed)
        return self.built

    def is_visible(self) -> bool:
        return self.built is not None and self.built.isVisible()

    def empty_text(self, query: str) -> str:
        if reads_like_sentence(query):
            if not self.suggestions_ready():
                return tr("Preparing suggestions…")
            return tr("Nothing fits this message")
        return ""

    def refresh_suggestions(self) -> None:
        """A (re)built ranker was swapped in: a shown picker holding a sentence asks again."""
        picker = self.built
        if picker is not None and picker.isVisible() and reads_like_sentence(picker.query()):
            picker.refresh()

    def popup(self) -> None:
        self.window.popup()

    def copied_message(self) -> str:
        """The customer's message the agent copied (one line, capped), or ""."""
        try:
            text = self.clipboard_text()
        except Exception:
            log.exception("cannot read the clipboard for suggestions")
            return ""
        return one_line(text)

    def open_suggestions(self) -> None:
        """The suggest hotkey: the customer's message, copied, opens the picker with the
        phrases that answer it."""
        message = self.copied_message()
        if not message:
            self.notifier.info(
                tr("Copy the customer's message first, then press %1.", self.suggest_hotkey())
            )
        self.window.popup(message)

    def choose(self, phrase_id: str) -> None:
        query = self.built.query() if self.built is not None else ""
        if reads_like_sentence(query):
            self.phrase_use.learn(query, phrase_id)  # this message is answered by this phrase
        self.use(phrase_id, FOCUS_RETURN_MS)

    def retranslate(self) -> None:
        """Its texts are set once: build it again, translated (from a fresh event)."""
        if self.built is not None:
            self.built.deleteLater()
            self.built = None
            QTimer.singleShot(0, lambda: self.window)
