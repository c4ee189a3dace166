"""Application icons.

The app icon is ``resources/icons/huashu.svg`` (a rounded square with 话 drawn as strokes,
so no font is needed), shipped pre-rendered as ``huashu-<size>.png`` at the usual
tray/taskbar sizes (``packaging/make_icon.py --pngs``), so start-up neither loads QtSvg nor
paints. Files are read through :func:`app.core.datafiles.data_files`, which works from an
installed wheel as well as from a source checkout. :func:`paint_app_icon` draws the same
design with QPainter (the fallback); tests compare all three.

Needs a QGuiApplication (pixmaps do).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap

from app.core.datafiles import data_files

if TYPE_CHECKING:
    from PySide6.QtGui import QColor, QPainter

# The painting classes (QPainter, QPen, QColor...) are imported where they paint: the start
# path loads the app icon from PNG files and needs none of them.

log = logging.getLogger(__name__)

ICON_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
_APP_ICON_RESOURCE = "icons/huashu.svg"

_cache: dict[str, QIcon] = {}


def resource_bytes(name: str) -> bytes:
    """The bytes of a file shipped in the ``resources`` folder (e.g. ``icons/huashu.svg``)."""
    return data_files("resources").joinpath(name).read_bytes()


def paint_app_icon(size: int) -> QPixmap:
    """The app icon painted with QPainter (same design as huashu.svg, 64-unit grid)."""
    from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPainterPath, QPen

    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 64.0, size / 64.0)
    gradient = QLinearGradient(0, 0, 0, 64)
    gradient.setColorAt(0.0, QColor("#ff7a45"))
    gradient.setColorAt(1.0, QColor("#e8431b"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(QRectF(2, 2, 60, 60), 14, 14)
    pen = QPen(QColor("#ffffff"), 5.5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    strokes: list[list[tuple[float, float]]] = [
        [(13, 13), (18, 18)],
        [(10, 27), (17, 27), (17, 46), (23, 40)],
        [(27, 27), (54, 27)],
        [(40.5, 16), (40.5, 36)],
        [(30, 36), (30, 52)],
        [(30, 36), (51, 36), (51, 52)],
        [(30, 51), (51, 51)],
    ]
    for points in strokes:
        path = QPainterPath(QPointF(*points[0]))
        for point in points[1:]:
            path.lineTo(QPointF(*point))
        painter.drawPath(path)
    top = QPainterPath(QPointF(50, 11))
    top.quadTo(QPointF(40, 15), QPointF(29, 16))
    painter.drawPath(top)
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    """The Huashu icon (tray, windows, taskbar)."""
    cached = _cache.get("app")
    if cached is not None:
        return cached
    # Pre-rendered from huashu.svg (packaging/make_icon.py --pngs), loaded by Qt only at
    # the sizes it draws: neither QtSvg (~7 MB) nor painting at start-up. Painted (the
    # same design; a test compares) when the files are missing.
    icon = QIcon()
    folder = data_files("resources") / "icons"
    for size in ICON_SIZES:
        png = folder / f"huashu-{size}.png"
        if isinstance(png, Path) and png.is_file():
            icon.addFile(str(png), QSize(size, size))
        else:
            icon.addPixmap(paint_app_icon(size))
    _cache["app"] = icon
    return icon


def draw_warning_mark(painter: QPainter, rect: QRectF, color: QColor | None = None) -> None:
    """Paint a warning triangle with '!' into ``rect`` (square-ish) with ``painter``."""
    from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    side = min(rect.width(), rect.height())
    left = rect.left() + (rect.width() - side) / 2
    top = rect.top() + (rect.height() - side) / 2
    tri = QPainterPath(QPointF(left + side / 2, top + side * 0.06))
    tri.lineTo(QPointF(left + side * 0.98, top + side * 0.92))
    tri.lineTo(QPointF(left + side * 0.02, top + side * 0.92))
    tri.closeSubpath()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color if color is not None else QColor("#f0a020"))
    painter.drawPath(tri)
    pen = QPen(QColor("#ffffff"), max(1.2, side * 0.12))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    cx = left + side / 2
    painter.drawLine(QPointF(cx, top + side * 0.36), QPointF(cx, top + side * 0.60))
    painter.drawPoint(QPointF(cx, top + side * 0.77))
    painter.restore()
