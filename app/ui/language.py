"""The UI language: the one chosen (for texts built outside Qt's translators) and the
mixin that retranslates a widget when it changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent

PROPERTY = "huashu_language"
"""Dynamic property set on the application by ``app.main.Translations.apply``."""


def current_language() -> str:
    """The language the UI is shown in; "en" when nothing has been chosen."""
    app = QCoreApplication.instance()
    value = app.property(PROPERTY) if app is not None else None
    return value if isinstance(value, str) and value else "en"


if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _WidgetBase = QWidget
else:  # at run time a plain mixin: Qt's class comes after it in the widget's bases
    _WidgetBase = object


class Retranslating(_WidgetBase):
    """Calls :meth:`language_changed` when Qt announces a language change.

    Qt sends ``QEvent.LanguageChange`` to every widget when a translator is installed or
    removed. Use as ``class Page(Retranslating, QWidget)`` and write ``retranslate()``
    (also called by the widget's own constructor). Costly work (rebuilding a list from the
    library) belongs in a refresh that a hidden widget postpones until it is shown, as
    the statistics page does.
    """

    def retranslate(self) -> None:
        raise NotImplementedError

    def language_changed(self) -> None:
        """What a language change does: retranslate (override to do more)."""
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.language_changed()
        super().changeEvent(event)


__all__ = ["PROPERTY", "Retranslating", "current_language"]
