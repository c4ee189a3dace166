"""Build time: write Huashu's Windows icon (.ico) from resources/icons/huashu.svg.

    python packaging/make_icon.py OUT.ico
    python packaging/make_icon.py --pngs resources/icons     (the app's pre-rendered icons)

Qt renders the SVG at every size Windows asks an .ico for (16 px in lists, 20-40 px in the
taskbar at 125-250 % scaling, 256 px in Explorer) and each size is stored as a PNG entry:
the ICO container is a 6-byte header plus a 16-byte directory entry per image (PNG
entries are read by Windows Vista and later). No imaging library is needed for that.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An .ico file holding one PNG per size (``{size: png_bytes}``, sizes 1-256)."""
    if not pngs:
        raise ValueError("an icon needs at least one image")
    sizes = sorted(pngs)
    if sizes[0] < 1 or sizes[-1] > 256:
        raise ValueError(f"icon sizes must be 1-256 px, got {sizes}")
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        data = pngs[size]
        dim = size % 256  # 0 means 256
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def render_pngs(svg: bytes, sizes: tuple[int, ...] = ICO_SIZES) -> dict[int, bytes]:
    """The SVG rendered by Qt at each size, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icon", "-platform", "offscreen"])
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("the icon SVG cannot be rendered")
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buf, "PNG"):
            raise RuntimeError(f"PNG encoding failed at {size} px")
        out[size] = bytes(buf.data().data())
    return out


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--pngs":
        # resources/icons/huashu-<size>.png: the app's icon, loaded at start-up instead of
        # painted (app/ui/icons.py); regenerate after changing huashu.svg.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        folder = Path(argv[2])
        svg = (folder / "huashu.svg").read_bytes()
        for size, data in render_pngs(svg).items():
            (folder / f"huashu-{size}.png").write_bytes(data)
        print(f"{folder}: huashu-<size>.png for {len(ICO_SIZES)} sizes")
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.core.datafiles import data_files

    svg = data_files("resources").joinpath("icons/huashu.svg").read_bytes()
    out = Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(ico_bytes(render_pngs(svg)))
    print(f"{out}: {len(ICO_SIZES)} sizes, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
