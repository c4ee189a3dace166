"""Flows between the core and its front ends (the tray app in ``app.ui`` and the command
line in ``app.cli``): using a phrase, search results, imports and team packs.

Qt-free: a service takes and returns plain data; the front ends show it. It may use
``app.core`` only (an import-linter contract keeps ``app.ui``, ``app.platform`` and Qt
out).
"""
