"""Using a phrase in the tray app: the fill-in form when the phrase has fields, then the
paste into the chat window the agent works in, then recording the use.

The steps without windows are :class:`app.services.phrase_use.PhraseUse`; this adds the
form, the focus hand-back and the warnings (held until the reply is on its way when a
message box would take the focus: a window taking the focus would catch the paste).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.core.messages import localize
from app.ui.language import current_language

if TYPE_CHECKING:
    from app.core.model import Phrase
    from app.core.template import Field
    from app.core.workspace import Workspace
    from app.platform.foreground import Foreground
    from app.platform.paste import Paster
    from app.platform.pipeline import PastePipeline
    from app.services.phrase_use import PhraseUse
    from app.ui.fillin import FillInDialog
    from app.ui.notifier import Notifier

log = logging.getLogger("app.main")

# After our own window (picker, fill-in form) hides, the window manager needs a moment to
# give focus back to the chat window before the paste keystroke is sent.
FOCUS_RETURN_MS = 60


def tr(text: str, *args: str) -> str:
    """Translate ``text`` and fill its %1, %2... markers with ``args``."""
    out = QCoreApplication.translate("HuashuApp", text)
    for i, arg in reversed(list(enumerate(args, 1))):
        out = out.replace(f"%{i}", arg)
    return out


class PhraseFlow(QObject):
    """``paster`` and ``picker_visible`` are asked each time (the paster changes with the
    hotkey backend; the picker is built lazily); ``balloons`` is True while the tray can
    show a message without taking the focus."""

    def __init__(
        self,
        ws: Workspace,
        use: PhraseUse,
        pipeline: PastePipeline,
        notifier: Notifier,
        foreground: Foreground,
        *,
        paster: Callable[[], Paster | None],
        balloons: Callable[[], bool],
        picker_visible: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.ws = ws
        self.use = use
        self.pipeline = pipeline
        self.notifier = notifier
        self.foreground = foreground
        self._paster = paster
        self._balloons = balloons
        self._picker_visible = picker_visible
        self.fillin: FillInDialog | None = None
        self.target_window: int | None = None
        self.after_paste: list[str] = []
        self._recent_warned = False
        pipeline.done.connect(self.flush_after_paste)
        pipeline.failed.connect(self.flush_after_paste)
        pipeline.delivered.connect(self._delivered)

    # -- the window the reply goes to -----------------------------------------------------
    def remember_target(self) -> None:
        """Note the window the agent works in (the hotkey just came from it), to give it
        the keyboard back after the picker or the fill-in form closed: Windows (and Wine)
        may otherwise leave no window, or another one, in front."""
        from app.platform.paste import FOCUS_UNKNOWN
        from app.platform.pipeline import own_window_ids

        self.target_window = None
        paster = self._paster()
        if paster is None:
            return
        try:
            window = paster.focused_window()
        except Exception:
            log.debug("cannot tell the focused window", exc_info=True)
            return
        if window is not None and window != FOCUS_UNKNOWN and window not in own_window_ids():
            self.target_window = window

    def return_focus(self) -> None:
        target, self.target_window = self.target_window, None
        if target is not None:
            self.foreground.bring_to_front(target)

    # -- warnings around the paste --------------------------------------------------------
    def warn_around_paste(self, text: str) -> None:
        if self._balloons():
            self.notifier.warning(text)  # a balloon never takes the focus
        else:
            self.after_paste.append(text)

    def flush_after_paste(self, *_args: object) -> None:
        pending, self.after_paste = self.after_paste, []
        for text in pending:
            self.notifier.warning(text)

    # -- using a phrase -------------------------------------------------------------------
    def use_phrase(self, phrase_id: str, delay_ms: int = 0) -> None:
        plan = self.use.plan(phrase_id)
        if plan is None:
            self.notifier.warning(tr("That phrase no longer exists."))
            return
        if plan.empty_profile:
            self.warn_around_paste(
                tr(
                    "This reply uses %1, which is empty in your profile; set it in "
                    "Settings > Profile.",
                    "、".join(plan.empty_profile),
                )
            )
        if not plan.fields:
            self.paste(plan.phrase, {}, delay_ms)
            return
        if delay_ms > 0:
            # Right after the picker closed: let the chat window take the focus back first,
            # then open the form from a fresh event. Activated from the picker's own key
            # event, the form was the foreground window under Wine while the X keyboard
            # focus stayed with the chat window (Wine ignores a focus request that is
            # older than the last focus change).
            QTimer.singleShot(delay_ms, lambda: self._open_fillin(plan.phrase, plan.fields))
            return
        self._open_fillin(plan.phrase, plan.fields)

    def _open_fillin(self, phrase: Phrase, fields: list[Field]) -> None:
        from app.ui.fillin import FillInDialog

        dialog = FillInDialog(
            phrase.title,
            fields,
            self.use.previewer(phrase),
            self.ws.settings.recent_values,
            bring_to_front=self.foreground.bring_to_front,
        )
        self.fillin = dialog

        def submitted(values: dict[str, str]) -> None:
            self.paste(phrase, values, delay_ms=FOCUS_RETURN_MS)
            self._save_recent_values(values)

        dialog.submitted.connect(submitted)
        dialog.rejected.connect(self.return_focus)
        dialog.open()
        dialog.raise_()
        dialog.activateWindow()

    def _save_recent_values(self, values: dict[str, str]) -> None:
        """Best-effort: a full disk or a read-only settings.toml costs one warning."""
        problem = self.use.remember_values(values)
        if problem and not self._recent_warned:
            self._recent_warned = True
            self.warn_around_paste(
                tr(
                    "Recent fill-in values could not be saved (%1); replies still work.",
                    localize(problem, current_language()),
                )
            )

    def paste(self, phrase: Phrase, values: dict[str, str], delay_ms: int = 0) -> None:
        reply = self.use.reply(phrase, values)
        self.return_focus()
        self.pipeline.restore_delay_ms = self.ws.settings.restore_delay_ms
        if self._picker_visible() or QApplication.activePopupWidget() is not None:
            delay_ms = max(delay_ms, FOCUS_RETURN_MS)
        self.pipeline.run(
            reply.text,
            reply.cursor,
            self.ws.settings.paste_mode,
            delay_ms=delay_ms,
            tag=reply.phrase_id,
            flagged=reply.flagged,
        )
        log.info("using phrase %s (%s)", phrase.id, self.ws.settings.paste_mode)

    def _delivered(self, phrase_id: str, how: str) -> None:
        """The reply reached the chat window (not a fallback to copy): count the use."""
        problem = self.use.delivered(phrase_id)  # best-effort; the core warns once
        if problem:
            self.warn_around_paste(
                tr(
                    "Use counts could not be saved (%1); replies still work.",
                    localize(problem, current_language()),
                )
            )
