"""Entry point of ``huashu`` and ``python -m app``.

Without arguments it starts the tray app straight away, without importing the command
line (start-up time matters: agents launch it at every login); otherwise app.cli runs.
"""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) <= 1:
        import shiboken6  # noqa: F401  (puts in PySide6's import hook, made quick next)

        from app.ui.qtcompat import quick_feature_check

        quick_feature_check()
        from app.main import run

        return run([])
    from app.cli import main as cli_main

    return cli_main()
