"""Entry point of ``huashu`` and ``python -m app``.

Without arguments it starts the tray app straight away, without importing the command
line (start-up time matters: agents launch it at every login); otherwise app.cli runs.
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    if len(sys.argv) <= 1:
        # No cycle collection until the app is ready: start-up makes objects that live as
        # long as the app (modules, Qt, the library) and, with a large library, the
        # collector walked them again and again. app.main.run freezes them once ready.
        gc.disable()
        import shiboken6  # noqa: F401  (puts in PySide6's import hook, made quick next)

        from app.ui.qtcompat import quick_feature_check

        quick_feature_check()
        from app.main import run

        return run([])
    from app.cli import main as cli_main

    return cli_main()
