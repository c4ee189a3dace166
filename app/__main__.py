"""``python -m app`` is the same as the ``huashu`` command."""

from app.launch import main

raise SystemExit(main())
