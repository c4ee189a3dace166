"""The category tree of the phrases page: select, add, rename, reorder, nest, delete.

The tree is a view of ``ws.library``: it never changes the library itself. It emits
requests (rename, new layout, delete, phrases dropped on a category) that the page turns
into undoable commands, and is rebuilt with :meth:`CategoryTree.reload` after every
change. Keys: F2 renames, Ctrl+Up/Down move among siblings, Ctrl+Right nests under the
category above, Ctrl+Left moves a sub-category back to the top level, Del deletes.
Dragging reorders and nests too; dropping phrases on a category moves them there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.core.model import Library
from app.ui.language import Retranslating
from app.ui.settings.phrase_model import PHRASE_IDS_MIME, decode_phrase_ids

ALL_ID = ""  # the "All phrases" item
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ORDER_STEP = 10

Layout = list[tuple[str, "str | None", int]]


class CategoryTree(Retranslating, QTreeWidget):
    category_selected = Signal(str)  # id, ALL_ID for all phrases
    rename_requested = Signal(str, str)  # id, new name
    layout_requested = Signal(list, str)  # [(id, parent, order)], id to keep selected
    delete_requested = Signal(str)
    phrases_dropped = Signal(list, str)  # phrase ids, category id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._library: Library | None = None
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemChanged.connect(self._on_item_changed)
        self.currentItemChanged.connect(self._on_current_changed)
        self._all_text = ""
        self.retranslate()

    def retranslate(self) -> None:
        self._all_text = self.tr("All phrases")
        self.setAccessibleName(self.tr("Categories"))
        self.setToolTip(
            self.tr(
                "F2 renames, Ctrl+Up and Ctrl+Down reorder, Ctrl+Right nests under the "
                "category above, Ctrl+Left moves back to the top level. Drag phrases here "
                "to move them."
            )
        )
        if self.topLevelItemCount():
            self._loading = True
            self._top(0).setText(0, self._all_text)
            self._loading = False

    # -- content --------------------------------------------------------------------------
    def reload(self, library: Library, select: str | None = None) -> None:
        """Rebuild from ``library``; keep (or set) the current category."""
        self._library = library
        keep = self.current_category() if select is None else select
        counts: dict[str, int] = {}
        for p in library.phrases:
            counts[p.category] = counts.get(p.category, 0) + 1
        self._loading = True
        self.blockSignals(True)
        try:
            self.clear()
            all_item = QTreeWidgetItem([self._all_text, str(len(library.phrases))])
            all_item.setData(0, ID_ROLE, ALL_ID)
            all_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.addTopLevelItem(all_item)
            current = all_item
            for top in library.top_categories():
                kids = library.children(top.id)
                total = counts.get(top.id, 0) + sum(counts.get(k.id, 0) for k in kids)
                item = self._make_item(top.id, top.name, total, bool(top.source))
                self.addTopLevelItem(item)
                if top.id == keep:
                    current = item
                for kid in kids:
                    child = self._make_item(
                        kid.id, kid.name, counts.get(kid.id, 0), bool(kid.source)
                    )
                    item.addChild(child)
                    if kid.id == keep:
                        current = child
                item.setExpanded(True)
            self.setCurrentItem(current)
        finally:
            self.blockSignals(False)
            self._loading = False
        self.category_selected.emit(self.current_category())

    def _make_item(self, cid: str, name: str, count: int, read_only: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([name, str(count)])
        item.setData(0, ID_ROLE, cid)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if read_only:
            item.setToolTip(0, self.tr("From a team subscription (read-only)"))
            font = item.font(0)
            font.setItalic(True)
            item.setFont(0, font)
        else:
            flags |= (
                Qt.ItemFlag.ItemIsEditable
                | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemIsDropEnabled
            )
        item.setFlags(flags)
        return item

    def _top(self, i: int) -> QTreeWidgetItem:
        item = self.topLevelItem(i)
        assert item is not None
        return item

    def current_category(self) -> str:
        item = self.currentItem()
        return str(item.data(0, ID_ROLE)) if item is not None else ALL_ID

    def item_for(self, cid: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            top = self._top(i)
            if top.data(0, ID_ROLE) == cid:
                return top
            for j in range(top.childCount()):
                if _child(top, j).data(0, ID_ROLE) == cid:
                    return _child(top, j)
        return None

    def select(self, cid: str) -> None:
        item = self.item_for(cid)
        if item is not None:
            self.setCurrentItem(item)

    def rename_current(self) -> None:
        item = self.currentItem()
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            self.editItem(item, 0)

    # -- signals --------------------------------------------------------------------------
    def _on_current_changed(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if not self._loading:
            self.category_selected.emit(self.current_category())

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._loading or column != 0 or self._library is None:
            return
        cid = str(item.data(0, ID_ROLE))
        cat = self._library.category(cid)
        if cat is None:
            return
        name = item.text(0).strip()
        if name != cat.name:
            if name:
                self.rename_requested.emit(cid, name)
            else:
                self._loading = True
                item.setText(0, cat.name)  # an empty name is never saved
                self._loading = False

    # -- keyboard reorder / nest ----------------------------------------------------------
    def _siblings(self, cid: str) -> list[str]:
        assert self._library is not None
        cat = self._library.category(cid)
        if cat is None:
            return []
        if cat.parent:
            return [c.id for c in self._library.children(cat.parent)]
        return [c.id for c in self._library.top_categories()]

    def move_current(self, delta: int) -> bool:
        """Move the current category up (-1) or down (+1) among its siblings."""
        cid = self.current_category()
        if not cid or self._library is None:
            return False
        sibs = self._siblings(cid)
        i = sibs.index(cid)
        j = i + delta
        if not 0 <= j < len(sibs):
            return False
        sibs[i], sibs[j] = sibs[j], sibs[i]
        cat = self._library.category(cid)
        assert cat is not None
        layout: Layout = [(s, cat.parent, (k + 1) * ORDER_STEP) for k, s in enumerate(sibs)]
        self.layout_requested.emit(layout, cid)
        return True

    def nest_current(self) -> bool:
        """Make the current top-level category a child of the category above it."""
        cid = self.current_category()
        lib = self._library
        if not cid or lib is None:
            return False
        cat = lib.category(cid)
        if cat is None or cat.parent or cat.source or lib.children(cid):
            return False
        sibs = self._siblings(cid)
        i = sibs.index(cid)
        if i == 0:
            return False
        parent = lib.category(sibs[i - 1])
        if parent is None or parent.source:
            return False
        kids = [c.id for c in lib.children(parent.id)] + [cid]
        layout: Layout = [(k, parent.id, (n + 1) * ORDER_STEP) for n, k in enumerate(kids)]
        self.layout_requested.emit(layout, cid)
        return True

    def unnest_current(self) -> bool:
        """Move the current sub-category to the top level, right after its parent."""
        cid = self.current_category()
        lib = self._library
        if not cid or lib is None:
            return False
        cat = lib.category(cid)
        if cat is None or not cat.parent or cat.source:
            return False
        tops = [c.id for c in lib.top_categories()]
        tops.insert(tops.index(cat.parent) + 1 if cat.parent in tops else len(tops), cid)
        layout: Layout = [(t, None, (n + 1) * ORDER_STEP) for n, t in enumerate(tops)]
        self.layout_requested.emit(layout, cid)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        key = event.key()
        if ctrl and key == Qt.Key.Key_Up:
            self.move_current(-1)
        elif ctrl and key == Qt.Key.Key_Down:
            self.move_current(+1)
        elif ctrl and key == Qt.Key.Key_Right:
            self.nest_current()
        elif ctrl and key == Qt.Key.Key_Left:
            self.unnest_current()
        elif key == Qt.Key.Key_Delete and not event.modifiers():
            if self.current_category():
                self.delete_requested.emit(self.current_category())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- drag and drop --------------------------------------------------------------------
    def layout_from_tree(self) -> Layout:
        """(id, parent, order) of every category as the tree shows them now."""
        layout: Layout = []
        n = 0
        for i in range(self.topLevelItemCount()):
            top = self._top(i)
            tid = str(top.data(0, ID_ROLE))
            if tid == ALL_ID:
                continue
            n += 1
            layout.append((tid, None, n * ORDER_STEP))
            self._collect(top, tid, layout)
        return layout

    def _collect(self, item: QTreeWidgetItem, parent: str, layout: Layout) -> None:
        for j in range(item.childCount()):
            child = _child(item, j)
            cid = str(child.data(0, ID_ROLE))
            layout.append((cid, parent, (j + 1) * ORDER_STEP))
            self._collect(child, cid, layout)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(PHRASE_IDS_MIME):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(PHRASE_IDS_MIME):
            item = self.itemAt(event.position().toPoint())
            cid = str(item.data(0, ID_ROLE)) if item is not None else ALL_ID
            if cid and self._library is not None:
                cat = self._library.category(cid)
                if cat is not None and not cat.source:
                    event.acceptProposedAction()
                    return
            event.ignore()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(PHRASE_IDS_MIME):
            item = self.itemAt(event.position().toPoint())
            cid = str(item.data(0, ID_ROLE)) if item is not None else ALL_ID
            ids = decode_phrase_ids(mime)
            event.setDropAction(Qt.DropAction.CopyAction)  # the source view must not remove rows
            event.accept()
            if cid and ids:
                self.phrases_dropped.emit(ids, cid)
            return
        keep = self.current_category()
        super().dropEvent(event)
        self.layout_requested.emit(self.layout_from_tree(), keep)


def _child(item: QTreeWidgetItem, j: int) -> QTreeWidgetItem:
    child = item.child(j)
    assert child is not None
    return child
