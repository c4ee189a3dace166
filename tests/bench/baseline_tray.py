"""Baseline for bench_app.py: a bare PySide6 QApplication with a QSystemTrayIcon."""

from __future__ import annotations

import time

T0 = time.perf_counter()

from PySide6.QtGui import QColor, QIcon, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon  # noqa: E402

app = QApplication([])
app.setQuitOnLastWindowClosed(False)
pix = QPixmap(32, 32)
pix.fill(QColor("#e8590c"))
tray = QSystemTrayIcon(QIcon(pix))
menu = QMenu()
menu.addAction("Quit", app.quit)
tray.setContextMenu(menu)
tray.show()
print(f"ready ({time.perf_counter() - T0:.3f} s)", flush=True)
app.exec()
