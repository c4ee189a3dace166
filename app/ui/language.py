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
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QWidget

    _WidgetBase = QWidget
else:  # at run time a plain mixin: Qt's class comes after it in the widget's bases
    _WidgetBase = object


class Retranslating(_WidgetBase):
    """Calls :meth:`language_changed` when Qt announces a language change.

    Qt sends ``QEvent.LanguageChange`` to every widget when a translator is installed or
    removed. Use as ``class Page(Retranslating, QWidget)`` and write ``retranslate()``
    (also called by the widget's own constructor). A widget whose retranslation rebuilds
    content sets :attr:`retranslate_when_shown`, so that while hidden (a settings page
    not on screen, a closed window) it does that work only once it is shown again.
    """

    #: True: a hidden widget does the work of a language change when it is next shown
    #: (for widgets whose retranslation rebuilds content, such as a list).
    retranslate_when_shown = False
    _language_pending = False

    def retranslate(self) -> None:
        raise NotImplementedError

    def language_changed(self) -> None:
        """What a language change does: retranslate (override to do more)."""
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            if self.retranslate_when_shown and not self.isVisible():
                self._language_pending = True
            else:
                self.language_changed()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._language_pending:
            self._language_pending = False
            self.language_changed()
        super().showEvent(event)


__all__ = ["PROPERTY", "Retranslating", "current_language"]
