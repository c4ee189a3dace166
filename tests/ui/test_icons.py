"""The app icon: pre-rendered PNGs at every size, loaded without painting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import app.ui.icons as icons
from app.core.datafiles import data_files


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    icons._cache.clear()


def _image(icon: object, size: int) -> QImage:
    return icon.pixmap(size).toImage().convertToFormat(QImage.Format.Format_ARGB32)  # type: ignore[attr-defined]


def test_every_size_is_shipped_as_a_png_of_that_size(qapp: object) -> None:
    folder = data_files("resources") / "icons"
    for size in icons.ICON_SIZES:
        image = QImage(str(folder / f"huashu-{size}.png"))
        assert (image.width(), image.height()) == (size, size)


def test_the_app_icon_is_loaded_not_painted(qapp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(size: int) -> object:
        raise AssertionError("painted")

    monkeypatch.setattr(icons, "paint_app_icon", never)
    icon = icons.app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(icons.ICON_SIZES)
    assert icons.app_icon() is icon  # cached


def test_the_pngs_look_like_the_painted_icon(qapp: object) -> None:
    loaded = icons.app_icon()
    for size in (16, 32, 64, 256):
        png = _image(loaded, size)
        painted = icons.paint_app_icon(size).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        step = max(1, size // 32)
        far = sum(
            1
            for y in range(0, size, step)
            for x in range(0, size, step)
            if abs(png.pixelColor(x, y).lightness() - painted.pixelColor(x, y).lightness()) > 60
            or abs(png.pixelColor(x, y).alpha() - painted.pixelColor(x, y).alpha()) > 60
        )
        assert far < ((size + step - 1) // step) ** 2 * 0.05, size


def test_missing_pngs_are_painted(
    qapp: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "icons").mkdir()
    real = icons.data_files("resources") / "icons" / "huashu-32.png"
    (tmp_path / "icons" / "huashu-32.png").write_bytes(real.read_bytes())
    monkeypatch.setattr(icons, "data_files", lambda name: tmp_path)
    painted: list[int] = []
    paint = icons.paint_app_icon

    def counting(size: int) -> object:
        painted.append(size)
        return paint(size)

    monkeypatch.setattr(icons, "paint_app_icon", counting)
    icon = icons.app_icon()
    assert sorted(painted) == sorted(s for s in icons.ICON_SIZES if s != 32)
    assert _image(icon, 32).pixelColor(16, 4).alpha() == 255
