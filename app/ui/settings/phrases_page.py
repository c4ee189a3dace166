"""The phrases page: category tree | filterable phrase list | phrase editor.

Every change becomes an undoable command (:mod:`app.ui.settings.commands`) pushed through
the ``push`` callable the window gives; the window calls :meth:`PhrasesPage.refresh`
after each one, and the page rebuilds its views from ``ws.library``. The widgets of the
category and phrase list panes are laid out in :mod:`app.ui.settings.phrases_panes`; the
page gives them their texts and connects them.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QVBoxLayout

from app.core.model import Category, Phrase, new_id
from app.ui.settings.category_tree import ALL_ID, ORDER_STEP, Layout
from app.ui.settings.commands import (
    AddCategory,
    AddPhrases,
    ArrangeCategories,
    DeleteCategory,
    DeletePhrases,
    EditPhrase,
    MovePhrases,
    Outcome,
    RenameCategory,
    WorkspaceCommand,
)
from app.ui.settings.editor import PhraseEditor
from app.ui.settings.page import SettingsPage
from app.ui.settings.phrase_model import PhraseTableModel
from app.ui.settings.phrases_panes import CategoryPane, PhraseListPane

log = logging.getLogger(__name__)


class PhrasesPage(SettingsPage):
    SHOWS = Outcome(library=True)
    _switching = False  # True while the page changes the selection itself
    last_filter_ms = 0.0

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        left = CategoryPane()
        self.tree = left.tree
        self.categories_label = left.label
        self.add_cat_button = left.add_button
        self.add_sub_button = left.add_sub_button
        self.rename_cat_button = left.rename_button
        self.delete_cat_button = left.delete_button

        self.model = PhraseTableModel(self.ws, parent=self)
        middle = PhraseListPane(self.model)
        self.filter_edit = middle.filter_edit
        self.table = middle.table
        self.count_label = middle.count_label
        self.new_button = middle.new_button
        self.duplicate_button = middle.duplicate_button
        self.move_button = middle.move_button
        self.move_menu = middle.move_menu
        self.delete_button = middle.delete_button

        self.editor = PhraseEditor(self.ws)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 1)
        # Room for the category buttons on one row where the font allows (they wrap below).
        left_width = min(max(200, left.sizeHint().width()), 280)
        self.splitter.setSizes([left_width, 560, 400])
        self.splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.addWidget(self.splitter)

        # actions on the list (shortcuts scoped to the list, so Del in a text field edits)
        self.delete_action = QAction(self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.duplicate_action = QAction(self)
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.duplicate_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.edit_action = QAction(self)
        self.edit_action.setShortcut(QKeySequence("F2"))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self.edit_current)
        for a in (self.edit_action, self.duplicate_action, self.delete_action):
            self.table.addAction(a)

        self.setTabOrder(self.tree, self.filter_edit)
        self.setTabOrder(self.filter_edit, self.table)
        self.setTabOrder(self.table, self.editor.title_edit)

        self.tree.category_selected.connect(self._on_category)
        self.tree.rename_requested.connect(self._on_rename_category)
        self.tree.layout_requested.connect(self._on_layout)
        self.tree.delete_requested.connect(self.delete_category)
        self.tree.phrases_dropped.connect(self.move_phrases)
        self.add_cat_button.clicked.connect(lambda: self.add_category(sub=False))
        self.add_sub_button.clicked.connect(lambda: self.add_category(sub=True))
        self.rename_cat_button.clicked.connect(self.tree.rename_current)
        self.delete_cat_button.clicked.connect(
            lambda: self.delete_category(self.tree.current_category())
        )
        self.filter_edit.textChanged.connect(self._on_filter)
        self.filter_edit.to_list.connect(self._focus_list)
        self.new_button.clicked.connect(self.new_phrase)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.editor.save_requested.connect(self._on_save_requested)

    def retranslate(self) -> None:
        self.categories_label.setText(self.tr("C&ategories"))
        self.add_cat_button.setText(self.tr("Add"))
        self.add_cat_button.setToolTip(self.tr("Add a top-level category"))
        self.add_sub_button.setText(self.tr("Add sub"))
        self.add_sub_button.setToolTip(self.tr("Add a sub-category to the selected category"))
        self.rename_cat_button.setText(self.tr("Rename"))
        self.rename_cat_button.setToolTip(self.tr("Rename the selected category (F2)"))
        self.delete_cat_button.setText(self.tr("Delete"))
        self.delete_cat_button.setToolTip(self.tr("Delete the selected category (Del)"))
        self.filter_edit.setPlaceholderText(
            self.tr("Filter: pinyin initials, code or text (Ctrl+F)")
        )
        self.table.setAccessibleName(self.tr("Phrases"))
        self.new_button.setText(self.tr("New"))
        self.new_button.setToolTip(self.tr("New phrase (Ctrl+N)"))
        self.duplicate_button.setText(self.tr("Duplicate"))
        self.duplicate_button.setToolTip(self.tr("Duplicate the selected phrases (Ctrl+D)"))
        self.move_button.setText(self.tr("Move to"))
        self.move_button.setToolTip(self.tr("Move the selected phrases to another category"))
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the selected phrases (Del)"))
        self.delete_action.setText(self.tr("Delete"))
        self.duplicate_action.setText(self.tr("Duplicate"))
        self.edit_action.setText(self.tr("Edit"))
        self.model.retranslate()
        self.tree.retranslate()
        self._update_count()

    # -- refresh --------------------------------------------------------------------------
    def refresh(self, outcome: Outcome) -> None:
        """Rebuild the views after a change of the library."""
        if not outcome.library:
            self.editor.refresh_library()
            return
        selected = self.selected_ids()
        current = self.editor.phrase.id if self.editor.phrase else None
        self._switching = True
        try:
            self.tree.reload(self.ws.library, outcome.focus_category)  # refilters the model
            self.model.reload()
        finally:
            self._switching = False
        focus = outcome.focus_phrase
        if focus is not None and self.model.row_of(focus) is None:
            # the phrase is outside the current category: show all phrases
            self.tree.select(ALL_ID)
        self._select_ids([focus] if focus else selected, current=focus or current)
        if not self.editor.is_dirty():
            cur = self.ws.library.phrase(current) if current else None
            if focus is not None:
                cur = self.ws.library.phrase(focus)
            self.editor.load(cur)
        self.editor.refresh_library()
        self._update_count()
        self._update_buttons()

    def _select_ids(self, ids: list[str], current: str | None) -> None:
        sm = self.table.selectionModel()
        self._switching = True
        try:
            sm.clearSelection()
            flags = (
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )
            for pid in ids:
                row = self.model.row_of(pid)
                if row is not None:
                    sm.select(self.model.index(row, 0), flags)
            row = self.model.row_of(current) if current else None
            if row is not None:
                idx = self.model.index(row, 0)
                sm.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(idx)
        finally:
            self._switching = False

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(self.tr("%n phrase(s)", "", n))

    def _update_buttons(self, *_args: object) -> None:
        ids = self.selected_ids()
        own = [pid for pid in ids if (p := self.ws.library.phrase(pid)) and not p.read_only]
        self.duplicate_button.setEnabled(bool(ids))
        self.move_button.setEnabled(bool(own))
        self.delete_button.setEnabled(bool(own))
        cid = self.tree.current_category()
        cat = self.ws.library.category(cid) if cid else None
        editable = cat is not None and not cat.source
        self.rename_cat_button.setEnabled(editable)
        self.delete_cat_button.setEnabled(editable)
        self.add_sub_button.setEnabled(editable and cat is not None and not cat.parent)

    # -- selection ------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = []
        for r in rows:
            p = self.model.phrase_at(r)
            if p is not None:
                out.append(p.id)
        return out

    def select_phrase(self, pid: str) -> None:
        """Make ``pid`` the current, only selected phrase (shows it in the editor)."""
        row = self.model.row_of(pid)
        if row is None:
            self.tree.select(ALL_ID)
            row = self.model.row_of(pid)
        if row is None:
            return
        idx = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            idx,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(idx)

    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._switching:
            return
        p = self.model.phrase_at(current.row()) if current.isValid() else None
        if self.editor.is_dirty():
            target = p.id if p else None
            QTimer.singleShot(0, lambda: self._switch_after_save(target))
            return
        self.editor.load(p)

    def _switch_after_save(self, target: str | None) -> None:
        """The selection moved while the editor had changes: save them (or ask)."""
        if self.editor.is_dirty():
            if self.editor.save():
                pass  # the command refreshed the views
            elif not self.prompts.confirm(
                self,
                self.tr("Unsaved changes"),
                self.tr("The phrase has errors and cannot be saved. Discard your changes?"),
            ):
                keep = self.editor.phrase
                if keep is not None:
                    self._select_ids([keep.id], keep.id)
                return
        if target is not None:
            self.select_phrase(target)
            self.editor.load(self.ws.library.phrase(target))
        else:
            self.editor.load(None)

    def _on_category(self, cid: str) -> None:
        lib = self.ws.library
        if cid == ALL_ID:
            self.model.set_categories(None)
        else:
            self.model.set_categories({cid} | {c.id for c in lib.children(cid)})
        if not self._switching:
            self._restore_current(first_if_none=False)
        self._update_count()
        self._update_buttons()

    def _on_filter(self, text: str) -> None:
        was_empty = not self.model.query
        start = time.perf_counter()
        if was_empty and text.strip() and self.model.sort_column >= 0:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_query(text)
        self.last_filter_ms = (time.perf_counter() - start) * 1000
        log.debug("filter %r: %d rows in %.1f ms", text, self.model.rowCount(), self.last_filter_ms)
        self._update_count()
        self._restore_current(first_if_none=True)

    def _restore_current(self, *, first_if_none: bool) -> None:
        """After the list was refiltered: keep the edited phrase current when it is still
        listed; otherwise select the first row, unless the editor holds unsaved changes."""
        p = self.editor.phrase
        if p is not None and self.model.row_of(p.id) is not None:
            self._select_ids([p.id], p.id)
        elif first_if_none and self.model.rowCount() and not self.editor.is_dirty():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _focus_list(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def edit_current(self) -> None:
        if self.editor.phrase is not None:
            self.editor.title_edit.setFocus()
            self.editor.title_edit.selectAll()

    def rename(self) -> None:
        """F2: rename the category when the tree has the focus, else edit the phrase."""
        if self.tree.hasFocus():
            self.tree.rename_current()
        else:
            self.edit_current()

    # -- phrases --------------------------------------------------------------------------
    def _own_category(self) -> str | None:
        """The selected category when it is the agent's own, else the first own one."""
        lib = self.ws.library
        cid = self.tree.current_category()
        cat = lib.category(cid) if cid else None
        if cat is not None and not cat.source:
            return cat.id
        for c in lib.top_categories():
            if not c.source:
                return c.id
        return None

    def new_phrase(self) -> None:
        if self.editor.is_dirty() and not self.editor.save():
            return
        cid = self._own_category()
        if cid is None:
            self.status.emit(self.tr("Add a category first; every phrase belongs to one."))
            self.add_cat_button.setFocus()
            return
        self._switching = True
        self.table.selectionModel().clearSelection()
        self._switching = False
        self.editor.start_new(cid)

    def _on_save_requested(self, old: Phrase | None, new: Phrase) -> None:
        if old is None:
            cmd: WorkspaceCommand = AddPhrases(
                self._ctx, [new], self.tr("Add phrase “{title}”").format(title=new.title)
            )
        else:
            cmd = EditPhrase(
                self._ctx, old, new, self.tr("Edit phrase “{title}”").format(title=new.title)
            )
        if self._push(cmd):
            self.editor.load(self.ws.library.phrase(new.id))
            self.select_phrase(new.id)
            self.status.emit(self.tr("Saved “{title}”.").format(title=new.title))

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        lib = self.ws.library
        own = [pid for pid in ids if (p := lib.phrase(pid)) and not p.read_only]
        if not own:
            if ids:
                self.status.emit(self.tr("Phrases from a team pack cannot be deleted."))
            return
        if self.editor.phrase is not None and self.editor.phrase.id in own:
            self.editor.load(None)
        text = self.tr("Delete %n phrase(s)", "", len(own))
        if self._push(DeletePhrases(self._ctx, own, text)):
            self.status.emit(self.tr("Deleted %n phrase(s). Press Ctrl+Z to undo.", "", len(own)))

    def duplicate_selected(self) -> None:
        lib = self.ws.library
        target = self._own_category()
        copies: list[Phrase] = []
        for pid in self.selected_ids():
            p = lib.phrase(pid)
            if p is None:
                continue
            cat = lib.category(p.category)
            cid = p.category if cat is not None and not cat.source else target
            if cid is None:
                continue
            copies.append(
                p.copy(
                    id=new_id(),
                    title=self.tr("{title} (copy)").format(title=p.title),
                    code="",
                    hotkey="",
                    category=cid,
                    source="",
                    created="",
                    updated="",
                )
            )
        if copies:
            self._push(
                AddPhrases(self._ctx, copies, self.tr("Duplicate %n phrase(s)", "", len(copies)))
            )

    def move_phrases(self, ids: list[str], category: str) -> None:
        lib = self.ws.library
        own = [
            pid
            for pid in ids
            if (p := lib.phrase(pid)) and not p.read_only and p.category != category
        ]
        if own:
            name = lib.category_path(category)
            self._push(
                MovePhrases(
                    self._ctx,
                    own,
                    category,
                    self.tr("Move %n phrase(s) to “{name}”", "", len(own)).format(name=name),
                )
            )

    def _fill_move_menu(self) -> None:
        self.move_menu.clear()
        lib = self.ws.library
        ids = self.selected_ids()
        for top in lib.top_categories():
            for cat in [top, *lib.children(top.id)]:
                if cat.source:
                    continue
                action = self.move_menu.addAction(lib.category_path(cat.id))
                action.triggered.connect(
                    lambda _=False, c=cat.id, i=list(ids): self.move_phrases(i, c)
                )

    # -- categories -----------------------------------------------------------------------
    def add_category(self, *, sub: bool = False) -> str | None:
        lib = self.ws.library
        parent: str | None = None
        if sub:
            cid = self.tree.current_category()
            cat = lib.category(cid) if cid else None
            if cat is None or cat.source:
                return None
            parent = cat.parent or cat.id
        title = self.tr("New sub-category") if parent else self.tr("New category")
        name = self.prompts.text(self, title, self.tr("Name:"))
        if name is None or not name.strip():
            return None
        siblings = lib.children(parent) if parent else lib.top_categories()
        order = max((c.order for c in siblings), default=0) + ORDER_STEP
        cat = Category(new_id(), name.strip(), order, parent)
        ok = self._push(
            AddCategory(self._ctx, cat, self.tr("Add category “{name}”").format(name=cat.name))
        )
        return cat.id if ok else None

    def _on_rename_category(self, cid: str, name: str) -> None:
        self._push(
            RenameCategory(
                self._ctx, cid, name, self.tr("Rename category to “{name}”").format(name=name)
            )
        )

    def _on_layout(self, layout: Layout, focus: str) -> None:
        lib = self.ws.library
        changed = [
            (cid, parent, order)
            for cid, parent, order in layout
            if (c := lib.category(cid)) is not None and (c.parent, c.order) != (parent, order)
        ]
        if not changed:
            self.tree.reload(lib, focus)
            return
        if not self._push(
            ArrangeCategories(self._ctx, changed, self.tr("Arrange categories"), focus)
        ):
            self.tree.reload(lib, focus)

    def delete_category(self, cid: str) -> None:
        lib = self.ws.library
        cat = lib.category(cid) if cid else None
        if cat is None or cat.source:
            return
        count = len(lib.phrases_in(cid))
        question = self.tr(
            "Delete the category “{name}”, its sub-categories and %n phrase(s)? "
            "A backup is kept, and Ctrl+Z undoes it.",
            "",
            count,
        ).format(name=cat.name)
        if not self.prompts.confirm(self, self.tr("Delete category"), question):
            return
        editing = self.editor.phrase
        if editing is not None and editing.category in ({cid} | {c.id for c in lib.children(cid)}):
            self.editor.load(None)
        self._push(
            DeleteCategory(
                self._ctx, cid, self.tr("Delete category “{name}”").format(name=cat.name)
            )
        )
