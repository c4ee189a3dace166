"""Import dialog: pick a file, see what would change per category, choose a policy, import.

Works for Huashu packs, Qianniu CSV and plain text (which needs a target category).
Nothing changes until Import is pressed; the import itself is one backup-protected step
(:func:`app.services.imports.import_pack`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.messages import localize, localize_problem
from app.core.packs import (
    ImportPreview,
    ImportResult,
    PackError,
    detect_kind,
    preview_import,
    read_any,
)
from app.core.packs.qianniu import ENCODING_NAMES
from app.core.storage import StorageError
from app.core.workspace import Workspace
from app.services.imports import import_pack
from app.ui.language import current_language

log = logging.getLogger(__name__)


class ImportDialog(QDialog):
    imported = Signal(object)
    """ImportResult, after a successful import."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.preview: ImportPreview | None = None
        self.last_result: ImportResult | None = None
        self.setWindowTitle(self.tr("Import phrases"))
        self.resize(560, 460)

        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("Huashu pack, Qianniu CSV or text file"))
        self.browse_button = QPushButton(self.tr("Choose file…"))
        self.browse_button.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)

        self.category_label = QLabel(self.tr("Category for the lines:"))
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.addItems([c.name for c in ws.library.top_categories() if not c.source])
        self.category_combo.setCurrentText(self.tr("Imported"))
        self.category_combo.currentTextChanged.connect(self._category_changed)
        cat_row = QHBoxLayout()
        cat_row.addWidget(self.category_label)
        cat_row.addWidget(self.category_combo, 1)

        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.problems_view = QPlainTextEdit()
        self.problems_view.setReadOnly(True)
        self.problems_view.setVisible(False)

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Category"),
                self.tr("New"),
                self.tr("Identical"),
                self.tr("Changed"),
                self.tr("Conflict"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.skip_radio = QRadioButton(self.tr("Skip: keep my phrases"))
        self.replace_radio = QRadioButton(self.tr("Replace mine with the imported ones"))
        self.keep_both_radio = QRadioButton(self.tr("Keep both (renames the code, e.g. cf1-2)"))
        self.skip_radio.setChecked(True)
        self.policy_group = QButtonGroup(self)
        for i, radio in enumerate((self.skip_radio, self.replace_radio, self.keep_both_radio)):
            self.policy_group.addButton(radio, i)
        self.hotkeys_check = QCheckBox(self.tr("Also bind the file's hotkeys (only free ones)"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(cat_row)
        layout.addWidget(self.info_label)
        layout.addWidget(self.problems_view)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("When a phrase is changed or in conflict:")))
        layout.addWidget(self.skip_radio)
        layout.addWidget(self.replace_radio)
        layout.addWidget(self.keep_both_radio)
        layout.addWidget(self.hotkeys_check)
        layout.addWidget(self.buttons)
        self._show_category(False)

    # -- state ----------------------------------------------------------------------------
    def policy(self) -> str:
        if self.replace_radio.isChecked():
            return "replace"
        if self.keep_both_radio.isChecked():
            return "keep-both"
        return "skip"

    def _show_category(self, visible: bool) -> None:
        self.category_label.setVisible(visible)
        self.category_combo.setVisible(visible)

    def _category_changed(self, _text: str) -> None:
        if self.path_edit.text() and detect_kind(self.path_edit.text()) == "text":
            self.load_file(self.path_edit.text())

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import phrases"),
            "",
            self.tr("Phrase files (*.toml *.csv *.txt);;All files (*)"),
        )
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> bool:
        """Read ``path`` and show the preview; True when it can be imported."""
        path = str(path)
        self.path_edit.setText(path)
        kind = detect_kind(path)
        self._show_category(kind == "text")
        self.preview = None
        self.import_button.setEnabled(False)
        self.table.setRowCount(0)
        try:
            pack = read_any(path, kind, text_category=self.category_combo.currentText())
        except PackError as exc:
            self.info_label.setText(
                self.tr("This file cannot be imported (%n problem(s)):", "", len(exc.problems))
            )
            lang = current_language()
            self.problems_view.setPlainText(
                "\n".join(localize_problem(p, lang) for p in exc.problems)
            )
            self.problems_view.setVisible(True)
            return False
        self.problems_view.setVisible(False)
        self.preview = preview_import(self.ws.library, pack)
        encoding = ENCODING_NAMES.get(pack.encoding, pack.encoding)
        kinds = {
            "huashu": self.tr("Huashu pack"),
            "qianniu": self.tr("Qianniu CSV"),
            "text": self.tr("Plain text"),
        }
        info = self.tr("{kind} “{name}”: {count} phrases, encoding {encoding}.").format(
            kind=kinds.get(pack.kind, pack.kind),
            name=pack.meta.name,
            count=len(pack.phrases),
            encoding=encoding,
        )
        if self.preview.new_categories:
            names = ", ".join(c.name for c in self.preview.new_categories)
            info += " " + self.tr("New categories: {names}.").format(names=names)
        self.info_label.setText(info)
        if pack.warnings:  # e.g. cells a spreadsheet would run as formulas
            lang = current_language()
            self.problems_view.setPlainText(
                "\n".join(localize_problem(p, lang) for p in pack.warnings)
            )
            self.problems_view.setVisible(True)
        self._fill_table(self.preview)
        self.import_button.setEnabled(bool(self.preview.items))
        return True

    def _fill_table(self, preview: ImportPreview) -> None:
        counts = preview.counts()
        rows = [*counts.items(), (self.tr("Total"), preview.totals)]
        self.table.setRowCount(len(rows))
        for r, (name, c) in enumerate(rows):
            values = [name, c.new, c.identical, c.changed, c.conflict]
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col:  # counts line up on the right, like numbers in a spreadsheet
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, col, item)

    def do_import(self) -> None:
        if self.preview is None:
            return
        try:
            self.last_result = import_pack(
                self.ws,
                self.preview,
                self.policy(),
                accept_hotkeys=self.hotkeys_check.isChecked(),
            )
        except (StorageError, OSError, ValueError) as exc:
            log.error("import failed: %s", exc)
            reason = localize(exc, current_language())
            self.info_label.setText(
                self.tr("Import failed; your phrases are unchanged. {reason}").format(reason=reason)
            )
            return
        self.imported.emit(self.last_result)
        self.accept()
