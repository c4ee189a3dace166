"""``python -m app`` is the same as the ``huashu`` command."""

from app.cli import main

raise SystemExit(main())
