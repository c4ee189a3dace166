"""The command line's user error and how problems are shown, shared by ``app.cli`` and
``app.cli_pack``.

Its own module so that ``cli_pack`` need not import ``cli`` (which registers
``cli_pack``'s commands): no import circle.

Problems print in the user's language, as in the tray app: a coded message
(:class:`app.core.problems.Msg`) is rendered from its catalog entry by
:mod:`app.core.messages`; the language comes from the ``language`` setting and, for
``auto``, the locale (``LANG=zh_CN.UTF-8``: Chinese; ``LANG=C``: English). No Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.fsutil import Problem
from app.core.language import EN, pick_language
from app.core.messages import localize, localize_problem, message_of
from app.platform.syslocale import system_locale

EXIT_ERROR = 1
EXIT_MISSING = 2


class CliError(Exception):
    """A user error: printed as one line (then its ``problems``, one a line), exit code
    ``code``. ``message`` may be a coded Msg: it is shown in the user's language."""

    def __init__(
        self, message: str, code: int = EXIT_ERROR, problems: Sequence[Problem] = ()
    ) -> None:
        super().__init__(message)
        self.code = code
        self.problems = list(problems)


def cli_language(setting: str = "auto", locale_name: str | None = None) -> str:
    """The language of the command line's problem lines: the ``language`` setting, and
    for ``auto`` the locale, English when it names none (``LANG=C``)."""
    name = system_locale() if locale_name is None else locale_name
    return pick_language(setting, name, unknown=EN)


def show(message: str | BaseException, language: str) -> str:
    """A problem message (or an exception raised with one) in ``language``."""
    return localize(message_of(message), language)


def show_error(exc: CliError, language: str) -> str:
    """The text of a :class:`CliError`: its message, then each problem on its own line."""
    lines = [show(exc, language)]
    lines += [localize_problem(p, language) for p in exc.problems]
    return "\n  ".join(lines)
