"""The UI language: which one the ``language`` setting means here, and installing the
app's (and Qt's own) translators, switchable at run time."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.core import language
from app.core.datafiles import data_files

log = logging.getLogger("app.main")


def pick_language(setting: str, system_locale: str | None = None) -> str:
    """The UI language for the ``language`` setting: an explicit choice wins; ``auto``
    follows the system locale (``system_locale``, default Qt's), and is Chinese, the
    language of our users, when the locale is unknown (C, POSIX, unset)."""
    name = QLocale.system().name() if system_locale is None else system_locale
    return language.pick_language(setting, name, unknown=language.ZH)


class Translations:
    """Installs the app's (and Qt's own) zh_CN translators; switchable at run time."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.installed: list[QTranslator] = []
        self.language = "en"
        self._qm_data = b""

    def apply(self, setting: str) -> str:
        from PySide6.QtCore import QLibraryInfo

        for t in self.installed:
            self.app.removeTranslator(t)
        self.installed.clear()
        self.language = pick_language(setting)
        self.app.setProperty("huashu_language", self.language)
        if self.language == "zh_CN":
            ours = QTranslator(self.app)
            qm = data_files("resources") / "translations" / "huashu_zh_CN.qm"
            # QTranslator.load(data) does not copy: keep the bytes alive with the translator.
            self._qm_data = qm.read_bytes() if qm.is_file() else b""
            if self._qm_data and ours.load(self._qm_data):
                self.app.installTranslator(ours)
                self.installed.append(ours)
            else:
                log.warning("zh_CN translation not found at %s", qm)
            qt = QTranslator(self.app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load("qtbase_zh_CN", qt_dir):
                self.app.installTranslator(qt)
                self.installed.append(qt)
        return self.language
