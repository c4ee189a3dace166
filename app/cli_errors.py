"""The command line's user error, shared by ``app.cli`` and ``app.cli_pack``.

Its own module so that ``cli_pack`` need not import ``cli`` (which registers
``cli_pack``'s commands): no import circle.
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_MISSING = 2


class CliError(Exception):
    """A user error: printed as one line, exit code ``code``."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code
