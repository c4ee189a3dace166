"""The fill-in form: asks the values of a phrase's fill-in fields before it is pasted.

One row per field (customer, product, free input, choice) and a live preview of the final
text. Made for the keyboard: the first field has focus, Tab moves between fields, Enter
submits from any field, Esc cancels. Non-blocking: call :meth:`FillInDialog.open` and listen
to :attr:`FillInDialog.submitted` (the values) or ``rejected``.

Opened from a hotkey while another program is in front, ``activateWindow()`` alone may
not give the form the keyboard (Windows' foreground lock): ``bring_to_front`` (from the
platform layer, :class:`app.platform.foreground.Foreground`) is called with the form's
native window id once it is on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QFont, QGuiApplication, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.phrase_use import remember as remember

if TYPE_CHECKING:
    from app.core.template import Field

log = logging.getLogger(__name__)

FREE_KINDS = ("customer", "product", "input")
"""Field kinds edited as free text (with recent values offered)."""
EMPTY_BY_DEFAULT = ("customer",)
"""Free-text kinds that start empty (a new chat, a new customer) instead of the last value."""


class FillInDialog(QDialog):
    """Asks the fill-in fields of one phrase; emits :attr:`submitted` with ``{key: value}``."""

    submitted = Signal(dict)

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        preview: Callable[[dict[str, str]], str],
        recent: Mapping[str, Sequence[str]] | None = None,
        parent: QWidget | None = None,
        bring_to_front: Callable[[int], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._bring_to_front = bring_to_front
        self._fields = list(fields)
        self._preview_fn = preview
        recent = recent or {}
        self.setWindowTitle(self.tr("Fill in: %1").replace("%1", title))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setMinimumWidth(420)

        font = QFont(self.font())
        font.setPixelSize(14)
        self.setFont(font)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)

        heading = QLabel(title, self)
        heading_font = QFont(font)
        heading_font.setBold(True)
        heading_font.setPixelSize(15)
        heading.setFont(heading_font)
        heading.setWordWrap(True)
        layout.addWidget(heading)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)
        layout.addLayout(form)

        self._editors: list[tuple[str, QComboBox]] = []
        for field in self._fields:
            editor = self._make_editor(field, list(recent.get(field.key, [])))
            label = QLabel(self._label_text(field), self)
            label.setBuddy(editor)
            form.addRow(label, editor)
            self._editors.append((field.key, editor))
        for (_, first), (_, second) in zip(self._editors[:-1], self._editors[1:], strict=True):
            QWidget.setTabOrder(first, second)

        preview_label = QLabel(self.tr("Preview"), self)
        preview_label.setStyleSheet("color: #7a7a7a;")
        layout.addWidget(preview_label)
        self._preview = QPlainTextEdit(self)
        self._preview.setReadOnly(True)
        self._preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._preview.setStyleSheet(
            "QPlainTextEdit { background: #f7f7f7; border: 1px solid #e3e3e3;"
            " border-radius: 6px; padding: 4px; color: #1f1f1f; }"
        )
        line = self._preview.fontMetrics().lineSpacing()
        self._preview.setFixedHeight(line * 5 + 16)
        layout.addWidget(self._preview)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Paste"))
        ok.setDefault(True)
        for button in buttons.buttons():
            # Tab cycles through the fields only; Enter and Esc are the keyboard path.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Enter to paste, Esc to cancel"), self)
        hint.setStyleSheet("color: #9a9a9a; font-size: 11px;")
        bottom = QVBoxLayout()
        bottom.setSpacing(4)
        bottom.addWidget(buttons)
        bottom.addWidget(hint, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(bottom)

        self._update_preview()

    # -- public API ------------------------------------------------------------------------
    def values(self) -> dict[str, str]:
        """The entered values, ``{field key: text}`` (stripped)."""
        return {key: editor.currentText().strip() for key, editor in self._editors}

    def editor(self, key: str) -> QComboBox:
        """The input widget of field ``key`` (KeyError when there is none)."""
        for k, editor in self._editors:
            if k == key:
                return editor
        raise KeyError(key)

    def editors(self) -> list[QComboBox]:
        return [editor for _, editor in self._editors]

    def preview_text(self) -> str:
        return self._preview.toPlainText()

    def accept(self) -> None:
        values = self.values()
        super().accept()
        self.submitted.emit(values)

    # -- internals -------------------------------------------------------------------------
    def _label_text(self, field: Field) -> str:
        label = (field.label or "").strip()
        if label:
            return label
        if field.kind == "customer":
            return self.tr("Customer")
        if field.kind == "product":
            return self.tr("Product")
        return str(field.key)

    def _make_editor(self, field: Field, recent: list[str]) -> QComboBox:
        combo = QComboBox(self)
        combo.setMinimumContentsLength(16)
        options = [str(o) for o in (field.options or [])]
        if field.kind == "choice" and options:
            combo.setEditable(False)
            combo.addItems(options)
            combo.setCurrentIndex(0)
        else:
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(recent)
            completer = QCompleter(recent, combo)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.setCompleter(completer)
            if field.kind in EMPTY_BY_DEFAULT or not recent:
                combo.setCurrentIndex(-1)
                combo.setEditText("")
            else:
                combo.setCurrentIndex(0)
            line_edit = combo.lineEdit()
            if line_edit is not None:
                line_edit.setPlaceholderText(self._label_text(field))
                line_edit.installEventFilter(self)
            combo.editTextChanged.connect(self._update_preview)
        combo.installEventFilter(self)
        combo.currentIndexChanged.connect(self._update_preview)
        return combo

    def _update_preview(self, *_args: object) -> None:
        try:
            text = self._preview_fn(self.values())
        except Exception:
            log.exception("fill-in preview failed")
            text = ""
        self._preview.setPlainText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.ControlModifier,
            ):
                popup = self._open_completer_popup(watched)
                if popup:
                    return False  # let the completer take the highlighted suggestion
                self.accept()
                return True
        return super().eventFilter(watched, event)

    def _open_completer_popup(self, watched: QObject) -> bool:
        for _, editor in self._editors:
            if watched is editor or watched is editor.lineEdit():
                completer = editor.completer()
                popup = completer.popup() if completer is not None else None
                if popup is not None and popup.isVisible():
                    return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
        if screen is not None:
            self.adjustSize()
            area = screen.availableGeometry()
            frame = self.frameGeometry()
            frame.moveCenter(area.center())
            self.move(frame.topLeft())
        if self._editors:
            first = self._editors[0][1]
            first.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
            line_edit = first.lineEdit()
            if line_edit is not None:
                line_edit.selectAll()
        # The native window is mapped after showEvent: activating it now would hand the
        # focus to a window not yet on screen (under Wine the keys then stay with the
        # chat window). Take the keyboard once it is shown.
        QTimer.singleShot(0, self._take_keyboard)

    def _take_keyboard(self) -> None:
        if not self.isVisible():
            return
        self.raise_()
        self.activateWindow()
        if self._bring_to_front is not None:
            self._bring_to_front(int(self.winId()))
