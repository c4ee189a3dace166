"""Entry script of the frozen Huashu.exe (PyInstaller): the same as ``python -m app``."""

from app.launch import main

raise SystemExit(main())
