"""Which files of PySide6 the frozen Windows build leaves out (used by huashu.spec).

PyInstaller's PySide6 hook collects every Qt translation and every plugin of the Qt
modules the app imports. A tray + widgets app that makes no network connections does not
need: the 20 MB software OpenGL renderer, the Direct2D platform plugin, the TLS backends
(QtNetwork serves only the single-instance local socket), network information, touch
input, image formats other than ico/svg/gif/jpeg (clipboard images travel as DIB/PNG,
which QtGui handles itself), and translations other than the zh_CN ones the app loads.
"""

from __future__ import annotations

from pathlib import PurePosixPath

KEEP_QT_TRANSLATIONS = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")
DROP_QT_FILES = ("opengl32sw.dll", "qdirect2d.dll")
DROP_QT_PLUGIN_DIRS = ("tls", "networkinformation", "generic")
KEEP_IMAGE_FORMATS = ("qico.dll", "qsvg.dll", "qgif.dll", "qjpeg.dll")


def wanted(dest: str) -> bool:
    """Whether the file PyInstaller would put at ``dest`` (inside the bundle) is kept."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "PySide6" not in parts:
        return True
    name = parts[-1].lower()
    if "translations" in parts:
        return parts[-1] in KEEP_QT_TRANSLATIONS
    if name in DROP_QT_FILES:
        return False
    if "plugins" in parts[:-1]:
        kind = parts[parts.index("plugins") + 1]
        if kind in DROP_QT_PLUGIN_DIRS:
            return False
        if kind == "imageformats":
            return name in KEEP_IMAGE_FORMATS
    return True
