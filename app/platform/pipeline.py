"""The paste pipeline: rendered text -> clipboard -> keys released -> Ctrl+V -> restore.

Everything runs on the GUI thread without blocking it: waiting for the hotkey's keys to
be released (and, after a Huashu window such as the fill-in form closed, for the focus to
be on another program's window again) is a 5 ms ``QTimer`` poll (the clipboard owner
must keep answering the target's requests from the event loop); the caret move and the
clipboard restore are single-shot timers. No timer runs while idle.

Modes: ``paste`` (default), ``copy`` (only put the text on the clipboard) and ``type``
(type it, newlines as Shift+Enter). Whenever keystrokes cannot be sent the text is left
on the clipboard and :attr:`PastePipeline.message` tells the user to press Ctrl+V.

Per-app profiles: when the pipeline has a :class:`~app.platform.window.WindowInfo` and a
:class:`~app.core.appprofiles.ProfileSet`, it asks at the moment of sending which program
has the focus and lets the core turn that program's profile into a
:class:`~app.core.appprofiles.DeliveryPlan` (paste chord or typing, newline chord, extra
delay, send key). The paster only sends the keys the plan names.
:attr:`PastePipeline.delivered` is emitted only when the keys went out, so a use is
counted only then.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.core.appprofiles import DeliveryPlan, ProfileSet, TargetWindow, plan_delivery
from app.core.caret import cursor_left_presses
from app.core.template import Rendered
from app.platform.clipboard import Clipboard, ClipboardError, ClipboardSnapshot
from app.platform.paste import (
    FOCUS_UNKNOWN,
    ElevatedTargetError,
    PasteError,
    Paster,
)
from app.platform.window import WindowInfo

log = logging.getLogger(__name__)

MODES = ("paste", "copy", "type")


def own_window_ids() -> set[int]:
    """Native ids of this process's windows (only those that already have one)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return set()
    ids = {int(w.winId()) for w in QGuiApplication.allWindows() if w.isVisible()}
    if isinstance(app, QApplication):
        # Hidden widgets keep their native window: the X focus may still name it briefly.
        created = Qt.WidgetAttribute.WA_WState_Created
        ids |= {int(w.winId()) for w in QApplication.topLevelWidgets() if w.testAttribute(created)}
    return ids


@dataclass
class _Job:
    text: str
    cursor: int | None
    mode: str
    delay_ms: int
    tag: str = ""
    flagged: bool = False
    target: TargetWindow | None = None  # what the keys went to (for the log and tests)


UNKNOWN_FOCUS_GRACE_S = 0.3


class PastePipeline(QObject):
    """Delivers rendered phrases to the focused window.

    ``wait_for_focus``: before sending keys, also wait until the keyboard focus is on a
    window that is not Huashu's own (a closing dialog hands the focus back to the chat
    window only after a moment); after ``release_timeout_ms`` it falls back to copy.

    Signals:
        done(str): the text was delivered; the argument is how (``paste``, ``type`` or
            ``copy`` — also after a fallback to copy).
        message(str): a note for the user (tray balloon), already translated.
        failed(str): nothing could be delivered (the clipboard is unusable).
        restored(bool): after a paste, the previous clipboard came back (True) or was
            left alone because something else was copied in the meantime (False).
        delivered(str, str): the job's tag and how, emitted only when the reply reached
            the target as asked (never after a fallback to copy): count a use on it.
        profile_used(str): the id of the app profile applied to the last job.
    """

    done = Signal(str)
    delivered = Signal(str, str)  # (tag, "paste"|"type"|"copy"): reached the target
    message = Signal(str)
    failed = Signal(str)
    restored = Signal(bool)
    profile_used = Signal(str)

    def __init__(
        self,
        clipboard: Clipboard,
        paster: Paster | None,
        *,
        restore_delay_ms: int = 400,
        poll_interval_ms: int = 5,
        release_timeout_ms: int = 3000,
        caret_delay_ms: int = 30,
        wait_for_focus: bool = True,
        windows: WindowInfo | None = None,
        profiles: ProfileSet | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._paster = paster
        self.restore_delay_ms = restore_delay_ms
        self.release_timeout_ms = release_timeout_ms
        self.caret_delay_ms = caret_delay_ms
        self.wait_for_focus = wait_for_focus
        self.windows = windows
        self.profiles = profiles
        self._waiting_for = ""  # what the last poll was still waiting for (for the message)
        self._queue: deque[_Job] = deque()
        self._job: _Job | None = None
        self._not_before = 0.0
        self._started = 0.0
        self._deadline = 0.0
        self._snapshot: ClipboardSnapshot | None = None
        self._token = 0
        self._unknown_since: float | None = None
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(poll_interval_ms)
        self._poll_timer.timeout.connect(self._poll)
        self._restore_timer = QTimer(self)
        self._restore_timer.setSingleShot(True)
        self._restore_timer.timeout.connect(self._restore)

    # -- public API ---------------------------------------------------------------------

    @property
    def paster(self) -> Paster | None:
        return self._paster

    def set_paster(self, paster: Paster | None) -> None:
        self._paster = paster

    def busy(self) -> bool:
        """True while a job is under way or a clipboard restore is pending."""
        return self._job is not None or bool(self._queue) or self._restore_timer.isActive()

    def run(
        self,
        text: str,
        cursor: int | None = None,
        mode: str = "paste",
        delay_ms: int = 0,
        *,
        tag: str = "",
        flagged: bool = False,
    ) -> None:
        """Deliver ``text``; ``cursor`` is the index where the caret should end.

        ``delay_ms`` waits at least that long before sending keys (e.g. to let focus go
        back to the chat window after the picker closes). Jobs queue up in order.
        ``tag`` comes back in :attr:`delivered`; ``flagged`` (lint warned about the
        reply) forbids the profile's send-after-paste.
        """
        if mode not in MODES:
            raise ValueError(f"unknown paste mode '{mode}' (expected one of {', '.join(MODES)})")
        if cursor is not None and not 0 <= cursor <= len(text):
            raise ValueError(f"cursor {cursor} is outside the text (length {len(text)})")
        job = _Job(text, cursor, mode, max(0, delay_ms), tag, flagged)
        if self._job is not None:
            self._queue.append(job)
            return
        self._start(job)

    def flush_restore(self) -> None:
        """Restore the clipboard now if a restore is pending (e.g. before quitting)."""
        if self._restore_timer.isActive():
            self._restore_timer.stop()
            self._restore()

    # -- stages -------------------------------------------------------------------------

    def _start(self, job: _Job) -> None:
        self._job = job
        self._unknown_since = None
        log.debug("paste job: mode=%s, %d characters", job.mode, len(job.text))
        if job.mode in ("paste", "copy"):
            try:
                self._put_on_clipboard(job.text, keep_snapshot=job.mode == "paste")
            except ClipboardError as exc:
                log.warning("clipboard failed: %s", exc)
                if job.mode == "copy" or self._paster is None:
                    self._fail(self.tr("Could not use the clipboard: {0}").format(exc))
                    return
                job.mode = "type"  # still deliver the text, keystroke by keystroke
        if job.mode == "copy":
            self._finish("copy", self.tr("Copied to the clipboard: paste with Ctrl+V."))
            return
        if self._paster is None:
            self._fall_back_to_copy(
                self.tr("Keystrokes cannot be sent here, so the text was copied instead.")
            )
            return
        now = time.monotonic()
        self._started = now
        self._not_before = now + job.delay_ms / 1000
        self._deadline = self._not_before + self.release_timeout_ms / 1000
        self._poll_timer.start()
        self._poll()

    def _put_on_clipboard(self, text: str, *, keep_snapshot: bool) -> None:
        if self._restore_timer.isActive():
            # A previous paste has not been restored yet: the clipboard holds our own text,
            # so keep the older snapshot unless the user copied something since.
            self._restore_timer.stop()
            if self._snapshot is None or self._clipboard.changed_since(self._token):
                self._snapshot = self._clipboard.snapshot()
        else:
            self._snapshot = self._clipboard.snapshot() if keep_snapshot else None
        self._clipboard.set_text(text)
        self._token = self._clipboard.change_token()
        if not keep_snapshot:
            self._snapshot = None

    def _poll(self) -> None:
        job, paster = self._job, self._paster
        if job is None or paster is None:
            self._poll_timer.stop()
            return
        now = time.monotonic()
        if now < self._not_before:
            return
        try:
            released = paster.keys_released()
            ready = released and self._focus_ready(paster)
        except Exception as exc:  # a broken backend must not leave the pipeline stuck
            log.exception("reading the keyboard state failed")
            self._poll_timer.stop()
            self._fall_back_to_copy(self.tr("Could not read the keyboard state ({0}).").format(exc))
            return
        if ready:
            self._poll_timer.stop()
            self._deliver(job, paster)
        elif now >= self._deadline:
            self._poll_timer.stop()
            seconds = self.release_timeout_ms / 1000
            log.info("gave up after %.1f s waiting for %s: copying", seconds, self._waiting_for)
            if not released:
                reason = self.tr("Keys were still held after {0:g} seconds, so nothing was pasted.")
            else:
                reason = self.tr(
                    "No other program's window had the keyboard focus after {0:g} seconds, "
                    "so nothing was pasted."
                )
            self._fall_back_to_copy(reason.format(seconds))
        else:
            self._waiting_for = "the keys to be released" if not released else "the focus"

    def _focus_ready(self, paster: Paster) -> bool:
        """True when keystrokes would reach another program's window."""
        if not self.wait_for_focus:
            return True
        window = paster.focused_window()
        if window is None:
            self._unknown_since = None
            return False
        if window == FOCUS_UNKNOWN:
            # PointerRoot: right after our dialog closed, the window manager has not yet
            # focused the chat window (keys would go to whatever is under the pointer).
            # Give it a moment; a desktop that really uses PointerRoot gets the keys then.
            now = time.monotonic()
            if self._unknown_since is None:
                self._unknown_since = now
            return now - self._unknown_since >= UNKNOWN_FOCUS_GRACE_S
        self._unknown_since = None
        return window not in own_window_ids()

    def plan_for_focus(
        self, mode: str, flagged: bool = False
    ) -> tuple[DeliveryPlan, TargetWindow | None]:
        """The delivery plan for the window that has the focus now (its app's profile)."""
        target: TargetWindow | None = None
        if self.windows is not None:
            try:
                target = self.windows.focused()
            except Exception:  # an unknown window gets the default profile
                log.warning("reading the focused window failed", exc_info=True)
        profiles = self.profiles if self.profiles is not None else ProfileSet()
        profile = profiles.for_window(target)
        return plan_delivery(profile, mode, flagged=flagged), target

    def _deliver(self, job: _Job, paster: Paster) -> None:
        plan, job.target = self.plan_for_focus(job.mode, job.flagged)
        self.profile_used.emit(plan.profile_id)
        if plan.delay_ms > 0:
            QTimer.singleShot(plan.delay_ms, lambda: self._send(job, paster, plan))
        else:
            self._send(job, paster, plan)

    def _send(self, job: _Job, paster: Paster, plan: DeliveryPlan) -> None:
        waited_ms = (time.monotonic() - self._started) * 1000
        app = job.target.app if job.target is not None else "?"
        log.debug(
            "sending keys (%s, profile %s for %s) after waiting %.1f ms",
            plan.mode,
            plan.profile_id,
            app,
            waited_ms,
        )
        if plan.mode == "type" and job.mode == "paste":
            job.mode = "type"
        try:
            if job.mode == "paste":
                paster.send_paste(plan.paste_key)
            else:
                paster.type_text(job.text, plan.newline)
        except ElevatedTargetError as exc:
            log.warning("sending keys failed: %s", exc)
            self._fall_back_to_copy(
                self.tr(
                    "The focused window runs as administrator, and Windows blocks keys sent "
                    "to it by a program that does not. To paste there, quit Huashu and start "
                    "it with right-click > Run as administrator."
                )
            )
            return
        except PasteError as exc:
            log.warning("sending keys failed: %s", exc)
            self._fall_back_to_copy(str(exc))
            return
        except Exception as exc:
            log.exception("sending keys failed")
            self._fall_back_to_copy(self.tr("Sending the keystrokes failed ({0}).").format(exc))
            return
        # Caret steps, not code points: an emoji with its skin tone is one Left press.
        moves = cursor_left_presses(Rendered(job.text, job.cursor, ()))
        if moves:
            # A {cursor} means the agent edits before sending: never send it for them.
            QTimer.singleShot(self.caret_delay_ms, lambda: self._move_caret(job.mode, moves))
        elif plan.send_key is not None:
            key = plan.send_key
            QTimer.singleShot(plan.send_delay_ms, lambda: self._press_send(job.mode, key))
        else:
            self._finish(job.mode)

    def _move_caret(self, mode: str, moves: int) -> None:
        if self._paster is not None:
            try:
                self._paster.press_left(moves)
            except Exception as exc:
                log.warning("moving the caret failed: %s", exc)
        self._finish(mode)

    def _press_send(self, mode: str, key: str) -> None:
        """Send-after-paste: press the profile's send key once."""
        note = None
        try:
            if self._paster is None:
                raise PasteError("no paste backend")
            self._paster.send_keys(key)
        except Exception as exc:
            log.warning("pressing the send key failed: %s", exc)
            note = self.tr("The reply was pasted but not sent ({0}): press Enter.").format(exc)
        self._finish(mode, note)

    def _fall_back_to_copy(self, reason: str) -> None:
        job = self._job
        assert job is not None
        try:
            # Restoring later would take the text away from the user: drop the snapshot.
            if job.mode == "type" or self._clipboard.get_text() != job.text:
                self._put_on_clipboard(job.text, keep_snapshot=False)
            self._snapshot = None
        except ClipboardError as exc:
            self._fail(self.tr("{0} The clipboard is unusable too: {1}").format(reason, exc))
            return
        self._finish(
            "copy",
            self.tr("{0} The text is on the clipboard: paste with Ctrl+V.").format(reason),
            fallback=True,
        )

    def _finish(self, mode: str, note: str | None = None, *, fallback: bool = False) -> None:
        job, self._job = self._job, None
        if mode in ("paste", "type") and self._snapshot is not None:
            self._restore_timer.start(self.restore_delay_ms)
        if note:
            self.message.emit(note)
        self.done.emit(mode)
        if not fallback and job is not None:
            self.delivered.emit(job.tag, mode)
        self._next()

    def _fail(self, note: str) -> None:
        self._job = None
        self._snapshot = None
        self.message.emit(note)
        self.failed.emit(note)
        self._next()

    def _next(self) -> None:
        if self._job is None and self._queue:
            self._start(self._queue.popleft())

    def _restore(self) -> None:
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is None:
            return
        try:
            if self._clipboard.changed_since(self._token):
                log.info("clipboard changed since the paste: not restoring it")
                self.restored.emit(False)
                return
            self._clipboard.restore(snapshot)
        except ClipboardError as exc:
            log.warning("could not restore the clipboard: %s", exc)
            self.restored.emit(False)
            return
        self.restored.emit(True)
