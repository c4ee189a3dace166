"""Inputs of the Windows build (packaging/): the .ico writer and the version resource."""

from __future__ import annotations

import importlib.util
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parents[2]


def _load(name: str) -> ModuleType:
    # packaging/ is not a package (its name would shadow PyPI's `packaging`): load by path
    path = ROOT / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_huashu_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


make_icon = _load("make_icon")
make_version_info = _load("make_version_info")


# -- icon ---------------------------------------------------------------------------------
def _parse_ico(data: bytes) -> list[tuple[int, int, int, int, int, bytes]]:
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    out = []
    for i in range(count):
        w, h, colors, res, planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert (colors, res) == (0, 0)
        out.append((w, h, planes, bits, offset, data[offset : offset + size]))
    return out


def test_ico_container_layout() -> None:
    pngs = {32: b"B" * 5, 16: b"A" * 3, 256: b"C" * 7}
    data = make_icon.ico_bytes(pngs)
    entries = _parse_ico(data)
    assert [(w, h) for w, h, *_ in entries] == [(16, 16), (32, 32), (0, 0)]  # 0 means 256
    assert [e[5] for e in entries] == [b"A" * 3, b"B" * 5, b"C" * 7]
    assert all(planes == 1 and bits == 32 for _, _, planes, bits, _, _ in entries)
    assert entries[0][4] == 6 + 16 * 3  # images follow the directory
    assert len(data) == 6 + 16 * 3 + 15


@pytest.mark.parametrize("sizes", [{}, {0: b"x"}, {257: b"x"}, {16: b"x", 300: b"y"}])
def test_ico_rejects_bad_sizes(sizes: dict[int, bytes]) -> None:
    with pytest.raises(ValueError):
        make_icon.ico_bytes(sizes)


def test_ico_accepts_the_extremes() -> None:
    assert len(_parse_ico(make_icon.ico_bytes({1: b"a", 256: b"b"}))) == 2


def test_icon_file_reads_back_with_every_size(qapp: object, tmp_path: Path) -> None:
    from PySide6.QtGui import QImageReader

    out = tmp_path / "sub" / "huashu.ico"
    assert make_icon.main(["make_icon", str(out)]) == 0
    reader = QImageReader(str(out))
    assert reader.imageCount() == len(make_icon.ICO_SIZES)
    seen = []
    for i in range(reader.imageCount()):
        assert reader.jumpToImage(i)
        image = reader.read()
        assert image.width() == image.height()
        seen.append(image.width())
        # the orange rounded square fills the middle, the corner is transparent
        mid = image.pixelColor(image.width() // 2, image.height() // 4)
        assert mid.red() > 200 and mid.alpha() == 255, (image.width(), mid.name())
        assert image.pixelColor(0, 0).alpha() == 0
    assert seen == list(make_icon.ICO_SIZES)


def test_icon_usage_without_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert make_icon.main(["make_icon"]) == 2
    assert "OUT.ico" in capsys.readouterr().err


def test_invalid_svg_is_refused(qapp: object) -> None:
    with pytest.raises(ValueError, match="cannot be rendered"):
        make_icon.render_pngs(b"<not svg", (16,))


# -- version resource ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1", (1, 0, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.3.4.5", (2, 3, 4, 5)),
        ("1.2.3rc1", (1, 2, 3, 0)),
        ("1.2.3.post4", (1, 2, 3, 0)),
        ("v10.20", (10, 20, 0, 0)),
        ("65535.0", (65535, 0, 0, 0)),
    ],
)
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert make_version_info.version_tuple(version) == expected


@pytest.mark.parametrize("version", ["", "dev", "1.2.3.4.5", "65536.0", "x1.2"])
def test_version_tuple_rejects(version: str) -> None:
    with pytest.raises(ValueError):
        make_version_info.version_tuple(version)


def test_rendered_version_file_is_what_pyinstaller_reads(tmp_path: Path) -> None:
    out = tmp_path / "version_info.txt"
    assert make_version_info.main(["x", str(out)]) == 0
    text = out.read_text("utf-8")
    version = make_version_info.project_version()
    assert "@" not in text
    assert f"StringStruct('FileVersion', '{version}')" in text
    assert f"filevers={make_version_info.version_tuple(version)!r}" in text
    assert "StringStruct('FileDescription', '话术" in text
    # PyInstaller evaluates the file as a Python expression of its versioninfo classes
    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable"]
    names += ["StringStruct", "VarFileInfo", "VarStruct"]
    seen: dict[str, object] = {}

    def record(name: str) -> object:
        def make(*args: object, **kwargs: object) -> tuple[str, tuple[object, ...], dict]:
            seen[name] = (args, kwargs)
            return (name, args, kwargs)

        return make

    tree = eval(text, {n: record(n) for n in names})  # our own template, as PyInstaller does
    assert tree[0] == "VSVersionInfo"
    assert set(seen) == set(names)
    fixed = seen["FixedFileInfo"][1]  # type: ignore[index]
    assert fixed["filevers"] == fixed["prodvers"] == make_version_info.version_tuple(version)


def test_render_refuses_unfilled_placeholders() -> None:
    with pytest.raises(ValueError, match="unfilled"):
        make_version_info.render("1.0", "x=@VERSION@ y=@OTHER@")
    assert make_version_info.render("1.0", "# @comment@\nv=@VERSION@") == "# @comment@\nv=1.0"


def test_version_usage_without_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert make_version_info.main(["x"]) == 2
    assert "OUT.txt" in capsys.readouterr().err


def test_project_version_comes_from_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nversion = "3.4.5"\n', "utf-8")
    assert make_version_info.project_version(pyproject) == "3.4.5"


# -- what the frozen build leaves out -----------------------------------------------------
freeze_rules = _load("freeze_rules")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("app\\phrases\\greeting.toml", True),
        ("python312.dll", True),
        ("opengl32sw.dll", True),  # only PySide6's copy is dropped
        ("PySide6\\Qt6Core.dll", True),
        ("PySide6\\QtWidgets.pyd", True),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6/OpenGL32SW.DLL", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\plugins\\iconengines\\qsvgicon.dll", True),
        ("PySide6\\plugins\\tls\\qschannelbackend.dll", False),
        ("PySide6\\plugins\\networkinformation\\qnetworklistmanager.dll", False),
        ("PySide6\\plugins\\generic\\qtuiotouchplugin.dll", False),
        ("PySide6\\plugins\\imageformats\\qico.dll", True),
        ("PySide6\\plugins\\imageformats\\qsvg.dll", True),
        ("PySide6\\plugins\\imageformats\\qjpeg.dll", True),
        ("PySide6\\plugins\\imageformats\\qgif.dll", True),
        ("PySide6\\plugins\\imageformats\\qtiff.dll", False),
        ("PySide6\\plugins\\imageformats\\qwebp.dll", False),
        ("PySide6\\translations\\qtbase_zh_CN.qm", True),
        ("PySide6\\translations\\qt_zh_CN.qm", True),
        ("PySide6\\translations\\qtbase_de.qm", False),
        ("PySide6\\translations\\qt_help_zh_CN.qm", False),
        ("PySide6\\plugins", True),
    ],
)
def test_frozen_build_keeps_what_the_app_uses(dest: str, kept: bool) -> None:
    assert freeze_rules.wanted(dest) is kept
