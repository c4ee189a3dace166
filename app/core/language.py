"""Which language the ``language`` setting means here (the tray app and the CLI).

Pure Python: the caller passes the system locale name (Qt's ``QLocale.system().name()``
in the tray app, :func:`app.platform.syslocale.system_locale` on the command line).
"""

from __future__ import annotations

from collections.abc import Mapping

ZH = "zh_CN"
EN = "en"
#: Locale names that say nothing about the user's language (no LANG, LANG=C, POSIX).
UNKNOWN_LOCALES = ("", "C", "POSIX")
#: The locale variables in the order POSIX (and Qt) consult them for messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def pick_language(setting: str, system_locale: str, *, unknown: str = ZH) -> str:
    """The language for the ``language`` setting: an explicit choice (zh_CN, en) wins;
    ``auto`` follows ``system_locale``: Chinese for a ``zh*`` locale, ``unknown`` when the
    locale says nothing (C, POSIX, unset), English otherwise.

    The tray app's ``unknown`` is Chinese, the language of our users; the command line's
    is English (``LANG=C`` in a terminal or a script asks for plain English)."""
    if setting in (ZH, EN):
        return setting
    if system_locale.split(".")[0] in UNKNOWN_LOCALES:
        return unknown
    return ZH if system_locale.startswith("zh") else EN


def locale_from_env(env: Mapping[str, str]) -> str:
    """The messages locale the environment names (``LC_ALL``, then ``LC_MESSAGES``, then
    ``LANG``; the first one set and not empty), or "" when none is."""
    for name in LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            return value
    return ""
