"""The UI language ("zh_CN" or "en") for texts built outside Qt's translators."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

PROPERTY = "huashu_language"
"""Dynamic property set on the application by ``app.main.Translations.apply``."""


def current_language() -> str:
    """The language the UI is shown in; "en" when nothing has been chosen."""
    app = QCoreApplication.instance()
    value = app.property(PROPERTY) if app is not None else None
    return value if isinstance(value, str) and value else "en"
