"""The profile page: agent number and name, the shops and which one is active.

Each edit is saved when it is finished (Enter, leaving the field, choosing a shop) as one
undoable settings change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.settings import Settings
from app.ui.settings.commands import Outcome
from app.ui.settings.page import SettingsPage


class ProfilePage(SettingsPage):
    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.agent_no_edit = QLineEdit()
        self.agent_no_edit.setMaximumWidth(220)
        self.agent_name_edit = QLineEdit()
        self.agent_name_edit.setMaximumWidth(320)
        self.shop_list = QListWidget()
        self.shop_list.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.shop_list.setMaximumHeight(180)
        self.add_shop_button = QPushButton()
        self.rename_shop_button = QPushButton()
        self.remove_shop_button = QPushButton()
        self.active_combo = QComboBox()
        self.active_combo.setMinimumWidth(220)
        self.active_combo.setMaximumWidth(420)

        self.agent_no_label = QLabel()
        self.agent_name_label = QLabel()
        self.shops_label = QLabel()
        self.active_label = QLabel()
        self.agent_no_label.setBuddy(self.agent_no_edit)
        self.agent_name_label.setBuddy(self.agent_name_edit)
        self.shops_label.setBuddy(self.shop_list)
        self.active_label.setBuddy(self.active_combo)

        shop_buttons = QVBoxLayout()
        shop_buttons.addWidget(self.add_shop_button)
        shop_buttons.addWidget(self.rename_shop_button)
        shop_buttons.addWidget(self.remove_shop_button)
        shop_buttons.addStretch(1)
        shops = QHBoxLayout()
        shops.addWidget(self.shop_list, 1)
        shops.addLayout(shop_buttons)
        shops_box = QWidget()
        shops_box.setLayout(shops)
        shops.setContentsMargins(0, 0, 0, 0)
        shops_box.setMaximumWidth(520)

        form = QFormLayout()
        form.addRow(self.agent_no_label, self.agent_no_edit)
        form.addRow(self.agent_name_label, self.agent_name_edit)
        form.addRow(self.shops_label, shops_box)
        form.addRow(self.active_label, self.active_combo)
        outer = QVBoxLayout(self)
        outer.addWidget(self.intro)
        outer.addLayout(form)
        outer.addStretch(1)

        self.agent_no_edit.editingFinished.connect(self._on_agent_no)
        self.agent_name_edit.editingFinished.connect(self._on_agent_name)
        self.add_shop_button.clicked.connect(self.add_shop)
        self.rename_shop_button.clicked.connect(self._rename_current)
        self.remove_shop_button.clicked.connect(self.remove_shop)
        self.shop_list.itemChanged.connect(self._on_shop_item_changed)
        self.shop_list.currentRowChanged.connect(self._update_buttons)
        self.active_combo.activated.connect(self._on_active)

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr("Your profile fills the placeholders {工号}, {客服} and {店铺} in every reply.")
        )
        self.agent_no_label.setText(self.tr("Agent &number:"))
        self.agent_name_label.setText(self.tr("Agent na&me:"))
        self.shops_label.setText(self.tr("S&hops:"))
        self.active_label.setText(self.tr("A&ctive shop:"))
        self.agent_no_edit.setPlaceholderText(self.tr("e.g. 1024"))
        self.agent_name_edit.setPlaceholderText(self.tr("e.g. 阿华"))
        self.add_shop_button.setText(self.tr("Add…"))
        self.rename_shop_button.setText(self.tr("Rename"))
        self.remove_shop_button.setText(self.tr("Remove"))
        self.active_combo.setToolTip(self.tr("The shop used for {店铺}"))

    # -- view -----------------------------------------------------------------------------
    def refresh(self, outcome: Outcome) -> None:
        if not outcome.settings:
            return
        prof = self.ws.settings.profile
        self._loading = True
        try:
            self.agent_no_edit.setText(prof.agent_no)
            self.agent_name_edit.setText(prof.agent_name)
            row = self.shop_list.currentRow()
            self.shop_list.clear()
            for shop in prof.shops:
                item = QListWidgetItem(shop)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.shop_list.addItem(item)
            if prof.shops:
                self.shop_list.setCurrentRow(min(max(row, 0), len(prof.shops) - 1))
            self.active_combo.clear()
            self.active_combo.addItems(prof.shops)
            self.active_combo.setCurrentIndex(
                prof.shops.index(prof.shop) if prof.shop in prof.shops else -1
            )
            self.active_combo.setEnabled(bool(prof.shops))
        finally:
            self._loading = False
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        has = self.shop_list.currentRow() >= 0
        self.rename_shop_button.setEnabled(has)
        self.remove_shop_button.setEnabled(has)

    # -- changes --------------------------------------------------------------------------
    def _on_agent_no(self) -> None:
        value = self.agent_no_edit.text().strip()

        def edit(s: Settings) -> None:
            s.profile.agent_no = value

        self._change(self.tr("Change agent number"), edit)

    def _on_agent_name(self) -> None:
        value = self.agent_name_edit.text().strip()

        def edit(s: Settings) -> None:
            s.profile.agent_name = value

        self._change(self.tr("Change agent name"), edit)

    def add_shop(self, name: str | None = None) -> bool:
        if not isinstance(name, str):
            name = self.prompts.text(self, self.tr("Add shop"), self.tr("Shop name:"))
        if name is None or not name.strip():
            return False
        name = name.strip()
        if name in self.ws.settings.profile.shops:
            self.status.emit(self.tr("The shop “{name}” is already in the list.").format(name=name))
            return False

        def edit(s: Settings) -> None:
            s.profile.shops.append(name)
            if not s.profile.active_shop:
                s.profile.active_shop = name

        ok = self._change(self.tr("Add shop “{name}”").format(name=name), edit)
        if ok:
            self.shop_list.setCurrentRow(self.ws.settings.profile.shops.index(name))
        return ok

    def remove_shop(self) -> bool:
        row = self.shop_list.currentRow()
        shops = self.ws.settings.profile.shops
        if not 0 <= row < len(shops):
            return False
        name = shops[row]

        def edit(s: Settings) -> None:
            s.profile.shops.remove(name)
            if s.profile.active_shop == name:
                s.profile.active_shop = s.profile.shops[0] if s.profile.shops else ""

        return self._change(self.tr("Remove shop “{name}”").format(name=name), edit)

    def rename_shop(self, row: int, name: str) -> bool:
        shops = self.ws.settings.profile.shops
        name = name.strip()
        if not 0 <= row < len(shops) or name == shops[row]:
            return False
        if not name or name in shops:
            if name:
                self.status.emit(
                    self.tr("The shop “{name}” is already in the list.").format(name=name)
                )
            self.refresh(Outcome(settings=True))
            return False
        old = shops[row]

        def edit(s: Settings) -> None:
            s.profile.shops[row] = name
            if s.profile.active_shop == old:
                s.profile.active_shop = name

        return self._change(
            self.tr("Rename shop “{old}” to “{name}”").format(old=old, name=name), edit
        )

    def _rename_current(self) -> None:
        item = self.shop_list.currentItem()
        if item is not None:
            self.shop_list.editItem(item)

    def _on_shop_item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        row, text = self.shop_list.row(item), item.text()
        # rebuilding the list inside the item's own signal is unsafe: do it right after
        QTimer.singleShot(0, lambda: self.rename_shop(row, text))

    def _on_active(self, index: int) -> None:
        shops = self.ws.settings.profile.shops
        if not 0 <= index < len(shops):
            return
        name = shops[index]

        def edit(s: Settings) -> None:
            s.profile.active_shop = name

        self._change(self.tr("Make “{name}” the active shop").format(name=name), edit)
