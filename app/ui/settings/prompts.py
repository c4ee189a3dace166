"""Modal questions the settings pages ask; one object so tests can answer them."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompts:
    """Ask for a name or a confirmation. Tests replace an instance's methods."""

    def text(self, parent: QWidget | None, title: str, label: str, value: str = "") -> str | None:
        """A line of text, or None when cancelled."""
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, value)
        return text if ok else None

    def confirm(self, parent: QWidget | None, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            parent,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def error(self, parent: QWidget | None, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)

    def save_file(
        self, parent: QWidget | None, title: str, name: str, filters: str
    ) -> tuple[str, str] | None:
        """A path to write and the chosen filter, or None when cancelled."""
        path, chosen = QFileDialog.getSaveFileName(parent, title, name, filters)
        return (path, chosen) if path else None

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> str | None:
        """An existing file to read, or None when cancelled."""
        path, _chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
        return path or None

    def info(self, parent: QWidget | None, title: str, message: str) -> None:
        QMessageBox.information(parent, title, message)
