"""The phrase editor: fields, placeholder highlighting, live preview, lint, hotkey check.

The editor never writes anything: when the user saves (button, Ctrl+S) and every field is
valid it emits :attr:`PhraseEditor.save_requested` with the old phrase (None for a new
one) and the new one; the page turns that into an undoable command. Blocking errors
(empty title, duplicate code, invalid or conflicting hotkey, no category) are shown next
to their field; unknown placeholders and compliance findings are warnings only. The
checks and their messages are in :mod:`app.ui.settings.checks`, the highlighting of the
reply in :mod:`app.ui.settings.body_highlight`.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.hotkeys import parse_hotkey
from app.core.model import Phrase, new_id
from app.core.template import placeholder_catalog, render_preview
from app.core.workspace import Workspace
from app.ui.language import Retranslating
from app.ui.settings.body_highlight import PlaceholderHighlighter
from app.ui.settings.checks import (
    ERROR_STYLE,
    WARNING_STYLE,
    lint_warnings,
    phrase_errors,
    placeholder_warnings,
)
from app.ui.settings.hotkey_edit import HotkeyEdit

log = logging.getLogger(__name__)

_TAG_SPLIT = re.compile(r"[,，;；、]+")


class PhraseEditor(Retranslating, QWidget):
    save_requested = Signal(object, object)  # old Phrase | None, new Phrase
    dirty_changed = Signal(bool)

    def __init__(
        self,
        ws: Workspace,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self._phrase: Phrase | None = None  # the phrase as saved; None when empty / new
        self._new_category: str | None = None  # set while editing a new phrase
        self._loading = False
        self._dirty = False
        self.errors: dict[str, str] = {}
        self._build()
        self.retranslate()
        self.load(None)

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet("background: #fff8e1; padding: 6px;")
        self.banner.hide()

        self.title_edit = QLineEdit()
        self.code_edit = QLineEdit()
        self.code_edit.setMaximumWidth(200)
        self.category_combo = QComboBox()
        self.category_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.tags_edit = QLineEdit()
        self.examples_edit = QPlainTextEdit()
        self.examples_edit.setTabChangesFocus(True)
        self.examples_edit.setFixedHeight(64)
        self.hotkey_edit = HotkeyEdit()
        self.hotkey_edit.setMaximumWidth(240)
        # A narrow editor wraps the row rather than cutting off the hotkey it shows.
        sample = self.hotkey_edit.fontMetrics().horizontalAdvance("ctrl+alt+space")
        self.hotkey_edit.setMinimumWidth(min(240, sample + 16))
        self.hotkey_clear = QToolButton()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setMinimumHeight(90)
        self.highlighter = PlaceholderHighlighter(self.body_edit.document(), self._lint_ranges)
        self.insert_button = QToolButton()
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.insert_menu = QMenu(self)
        self.insert_menu.setToolTipsVisible(True)
        self.insert_button.setMenu(self.insert_menu)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setStyleSheet("padding: 6px;")
        self.preview.setMinimumHeight(40)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.save_button = QPushButton()
        self.revert_button = QPushButton()

        self.title_error = self._message_label(ERROR_STYLE)
        self.code_error = self._message_label(ERROR_STYLE)
        self.category_error = self._message_label(ERROR_STYLE)
        self.hotkey_error = self._message_label(ERROR_STYLE)
        self.body_warning = self._message_label(WARNING_STYLE)
        self.lint_warning = self._message_label(WARNING_STYLE)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A narrow editor (wide fonts, a 1280 px screen) puts a label above its field
        # rather than squeezing a text field below a readable width.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        readable = self.fontMetrics().horizontalAdvance("标" * 10)
        for field in (self.title_edit, self.tags_edit, self.examples_edit, self.body_edit):
            field.setMinimumWidth(readable)
        self.title_label = QLabel()
        self.code_label = QLabel()
        self.category_label = QLabel()
        self.tags_label = QLabel()
        self.examples_label = QLabel()
        self.hotkey_label = QLabel()
        self.body_label = QLabel()
        self.preview_label = QLabel()
        for label, buddy in (
            (self.title_label, self.title_edit),
            (self.code_label, self.code_edit),
            (self.category_label, self.category_combo),
            (self.tags_label, self.tags_edit),
            (self.examples_label, self.examples_edit),
            (self.hotkey_label, self.hotkey_edit),
            (self.body_label, self.body_edit),
        ):
            label.setBuddy(buddy)
        form.addRow(self.title_label, _stack(self.title_edit, self.title_error))
        form.addRow(self.code_label, _stack(self.code_edit, self.code_error))
        form.addRow(self.category_label, _stack(self.category_combo, self.category_error))
        form.addRow(self.tags_label, self.tags_edit)
        form.addRow(self.examples_label, self.examples_edit)
        hot_row = QHBoxLayout()
        hot_row.setContentsMargins(0, 0, 0, 0)
        hot_row.addWidget(self.hotkey_edit, 1)
        hot_row.addWidget(self.hotkey_clear)
        hot_row.addStretch(0)
        hot_box = QWidget()
        hot_box.setLayout(hot_row)
        form.addRow(self.hotkey_label, _stack(hot_box, self.hotkey_error))
        body_tools = QHBoxLayout()
        body_tools.setContentsMargins(0, 0, 0, 0)
        body_tools.addWidget(self.insert_button)
        body_tools.addStretch(1)
        body_box = QWidget()
        body_v = QVBoxLayout(body_box)
        body_v.setContentsMargins(0, 0, 0, 0)
        body_v.addLayout(body_tools)
        body_v.addWidget(self.body_edit, 1)
        body_v.addWidget(self.body_warning)
        body_v.addWidget(self.lint_warning)
        form.addRow(self.body_label, body_box)
        form.addRow(self.preview_label, self.preview)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(form, 1)
        outer.addLayout(buttons)

        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.hotkey_clear.clicked.connect(self.hotkey_edit.clear_hotkey)
        for edit in (self.title_edit, self.code_edit, self.tags_edit):
            edit.textChanged.connect(self._changed)
            edit.returnPressed.connect(self.save)
        self.category_combo.currentIndexChanged.connect(self._changed)
        self.hotkey_edit.hotkey_changed.connect(self._changed)
        self.body_edit.textChanged.connect(self._changed)
        self.examples_edit.textChanged.connect(self._changed)
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_shortcut.activated.connect(self.save)

        self.setTabOrder(self.title_edit, self.code_edit)
        self.setTabOrder(self.code_edit, self.category_combo)
        self.setTabOrder(self.category_combo, self.tags_edit)
        self.setTabOrder(self.tags_edit, self.examples_edit)
        self.setTabOrder(self.examples_edit, self.hotkey_edit)
        self.setTabOrder(self.hotkey_edit, self.hotkey_clear)
        self.setTabOrder(self.hotkey_clear, self.insert_button)
        self.setTabOrder(self.insert_button, self.body_edit)
        self.setTabOrder(self.body_edit, self.revert_button)
        self.setTabOrder(self.revert_button, self.save_button)

    @staticmethod
    def _message_label(style: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(style)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.hide()
        return label

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("&Title:"))
        self.code_label.setText(self.tr("Co&de:"))
        self.category_label.setText(self.tr("C&ategory:"))
        self.tags_label.setText(self.tr("Ta&gs:"))
        self.hotkey_label.setText(self.tr("&Hotkey:"))
        self.body_label.setText(self.tr("&Reply:"))
        self.preview_label.setText(self.tr("Preview:"))
        self.title_edit.setPlaceholderText(self.tr("Short name shown in the picker"))
        self.code_edit.setPlaceholderText(self.tr("e.g. cf1"))
        self.code_edit.setToolTip(self.tr("Quick code typed in the picker to find this phrase"))
        self.tags_edit.setPlaceholderText(self.tr("Separate tags with commas"))
        self.examples_label.setText(self.tr("E&xample questions:"))
        self.examples_edit.setPlaceholderText(
            self.tr("Customer questions this reply answers, one per line, e.g. 什么时候发货")
        )
        self.examples_edit.setToolTip(
            self.tr("Suggestions match a customer's message against these questions")
        )
        self.hotkey_clear.setText(self.tr("Clear"))
        self.hotkey_clear.setToolTip(self.tr("Remove the hotkey"))
        self.insert_button.setText(self.tr("Insert placeholder"))
        self.insert_button.setToolTip(self.tr("Insert a placeholder at the cursor"))
        self.body_edit.setPlaceholderText(
            self.tr("The reply text; placeholders such as {店铺} are filled in when used")
        )
        self.preview.setToolTip(self.tr("The reply as it would be pasted with your profile"))
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Save the phrase (Ctrl+S)"))
        self.revert_button.setText(self.tr("Re&vert"))
        self.revert_button.setToolTip(self.tr("Discard the changes made since the last save"))
        self.hotkey_edit.retranslate()
        self._fill_insert_menu()
        self._fill_categories()
        self._update_banner()
        self._validate()

    def _fill_insert_menu(self) -> None:
        self.insert_menu.clear()
        for info in placeholder_catalog():
            text = self.tr("{alias}  ({name})").format(alias=info.insert_text, name=info.name)
            action = self.insert_menu.addAction(text)
            tip = info.description
            if info.example:
                tip = self.tr("{description} Example: {example}").format(
                    description=info.description, example=info.example
                )
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(lambda _=False, t=info.insert_text: self.insert_placeholder(t))

    def insert_placeholder(self, text: str) -> None:
        if self.body_edit.isReadOnly():
            return
        self.body_edit.insertPlainText(text)
        self.body_edit.setFocus()

    def _fill_categories(self) -> None:
        combo = self.category_combo
        current = combo.currentData()
        was = self._loading
        self._loading = True
        combo.clear()
        lib = self.ws.library
        for top in lib.top_categories():
            if not top.source:
                combo.addItem(top.name, top.id)
            for kid in lib.children(top.id):
                if not kid.source:
                    combo.addItem(lib.category_path(kid.id), kid.id)
        if self._phrase is not None and self._phrase.read_only:
            cid = self._phrase.category
            if combo.findData(cid) < 0:
                combo.addItem(lib.category_path(cid), cid)
        i = combo.findData(current)
        combo.setCurrentIndex(i if i >= 0 else (0 if combo.count() else -1))
        self._loading = was

    # -- state ----------------------------------------------------------------------------
    @property
    def phrase(self) -> Phrase | None:
        return self._phrase

    @property
    def is_new(self) -> bool:
        return self._new_category is not None

    @property
    def read_only(self) -> bool:
        return self._phrase is not None and self._phrase.read_only

    def is_dirty(self) -> bool:
        return self._dirty

    def refresh_library(self) -> None:
        """Categories or other phrases changed: refill the combo, re-check conflicts."""
        self._fill_categories()
        self._validate()
        self._update_preview()

    def load(self, phrase: Phrase | None) -> None:
        """Show ``phrase`` (None: nothing selected)."""
        self._phrase = phrase.copy() if phrase is not None else None
        self._new_category = None
        self._show(self._phrase)

    def start_new(self, category: str, body: str = "") -> None:
        """Edit a new, unsaved phrase in ``category``."""
        self._phrase = None
        self._new_category = category
        self._show(None, category=category, body=body)
        self._set_dirty(True)
        self.title_edit.setFocus()

    def _show(self, p: Phrase | None, *, category: str = "", body: str = "") -> None:
        self._loading = True
        try:
            self._fill_categories()
            self.title_edit.setText(p.title if p else "")
            self.code_edit.setText(p.code if p else "")
            self.tags_edit.setText(", ".join(p.tags) if p else "")
            self.examples_edit.setPlainText("\n".join(p.examples) if p else "")
            self.hotkey_edit.set_hotkey(p.hotkey if p else "")
            self.body_edit.setPlainText(p.body if p else body)
            cid = p.category if p else category
            i = self.category_combo.findData(cid)
            if i >= 0:
                self.category_combo.setCurrentIndex(i)
            editable = self._new_category is not None or (p is not None and not p.read_only)
            for edit in (self.title_edit, self.code_edit, self.tags_edit):
                edit.setReadOnly(not editable)
            self.body_edit.setReadOnly(not editable)
            self.examples_edit.setReadOnly(not editable)
            for w in (self.category_combo, self.hotkey_edit, self.hotkey_clear):
                w.setEnabled(editable)
            self.insert_button.setEnabled(editable)
            self.setEnabled(p is not None or self._new_category is not None)
        finally:
            self._loading = False
        self._set_dirty(False)
        self._update_banner()
        self._validate()
        self._update_preview()

    def _update_banner(self) -> None:
        p = self._phrase
        if p is not None and p.read_only:
            self.banner.setText(
                self.tr(
                    "This phrase comes from the team pack “{source}” and cannot be edited "
                    "here. Duplicate it to make your own copy."
                ).format(source=p.source)
            )
            self.banner.show()
        elif self._new_category is not None:
            self.banner.setText(self.tr("New phrase: it is saved when you press Save."))
            self.banner.show()
        else:
            self.banner.hide()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self.save_button.setEnabled(dirty and not self.read_only)
        self.revert_button.setEnabled(dirty and not self.read_only)

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._validate()
        self._update_preview()
        if self._new_category is not None:
            self._set_dirty(True)
            return
        p = self._phrase
        self._set_dirty(p is not None and self.current().content_key() != p.content_key())

    # -- the phrase being edited ----------------------------------------------------------
    def current(self) -> Phrase:
        """The phrase as the fields describe it now (not validated)."""
        base = self._phrase
        tags = [t.strip() for t in _TAG_SPLIT.split(self.tags_edit.text()) if t.strip()]
        cid = self.category_combo.currentData()
        category = str(cid) if cid is not None else (self._new_category or "")
        fields = {
            "title": self.title_edit.text().strip(),
            "code": self.code_edit.text().strip(),
            "category": category,
            "hotkey": self.hotkey_edit.hotkey(),
            "tags": list(dict.fromkeys(tags)),
            "examples": self.examples(),
            "body": self.body_edit.toPlainText(),
        }
        if base is None:
            return Phrase(id=new_id(), **fields)  # type: ignore[arg-type]
        return dataclasses.replace(base, **fields)  # type: ignore[arg-type]

    def examples(self) -> list[str]:
        """The example questions as typed: one per line, trimmed, without blanks and repeats."""
        lines = (" ".join(x.split()) for x in self.examples_edit.toPlainText().splitlines())
        return list(dict.fromkeys(x for x in lines if x))

    def _validate(self) -> bool:
        if self._phrase is None and self._new_category is None:
            self.errors = {}
            self._show_messages([], [])
            return False
        p = self.current()
        self.errors = phrase_errors(self.ws, p, self._phrase.id if self._phrase else None)
        self._show_messages(placeholder_warnings(p.body), lint_warnings(self.ws, p))
        return not self.errors

    def _show_messages(self, body_warnings: list[str], lint: list[str]) -> None:
        for key, label in (
            ("title", self.title_error),
            ("code", self.code_error),
            ("category", self.category_error),
            ("hotkey", self.hotkey_error),
        ):
            text = self.errors.get(key, "")
            label.setText(text)
            label.setVisible(bool(text))
        self.body_warning.setText("\n".join(body_warnings))
        self.body_warning.setVisible(bool(body_warnings))
        self.lint_warning.setText("\n".join(lint))
        self.lint_warning.setVisible(bool(lint))
        for key, edit in (("title", self.title_edit), ("code", self.code_edit)):
            edit.setStyleSheet("border: 1px solid #c62828;" if key in self.errors else "")

    def _lint_ranges(self, text: str) -> list[tuple[int, int]]:
        try:
            return [(f.start, f.end) for f in self.ws.linter.check_text(text)]
        except Exception:
            return []

    def _update_preview(self) -> None:
        if self._phrase is None and self._new_category is None:
            self.preview.setText("")
            return
        ctx = self.ws.context(clipboard=lambda: self.tr("(clipboard text)"))
        try:
            text = render_preview(self.body_edit.toPlainText(), ctx).text
        except Exception as exc:  # the preview must never break the editor
            log.exception("preview failed")
            text = str(exc)
        self.preview.setText(text)

    # -- actions --------------------------------------------------------------------------
    def save(self) -> bool:
        """Emit :attr:`save_requested` if there is something valid to save."""
        if self.read_only or not self._dirty:
            return not self._dirty
        if not self._validate():
            first = next(iter(self.errors))
            widget = {
                "title": self.title_edit,
                "code": self.code_edit,
                "category": self.category_combo,
                "hotkey": self.hotkey_edit,
            }[first]
            widget.setFocus()
            return False
        new = self.current()
        if new.hotkey:
            new.hotkey = str(parse_hotkey(new.hotkey))
        old = None if self._new_category is not None else self._phrase
        self.save_requested.emit(old, new)
        return True

    def revert(self) -> None:
        if self._new_category is not None:
            self.load(None)
        else:
            self._show(self._phrase)


def _stack(field: QWidget, message: QLabel) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    v.addWidget(field)
    v.addWidget(message)
    return box
