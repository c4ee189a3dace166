"""The Windows build made by `bash packaging/build-windows.sh`, checked under Wine.

Run after the build with ``HUASHU_WIN_DIST=dist`` (packaging/winlane-stage.sh does, in the
Wine lane); without it they are not requested and skip. A missing artifact or tool fails.
One fresh Chinese (code page 936) Wine prefix and Xvfb display for the module.
"""

from __future__ import annotations

import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from winenv import BUILD, Dist, Wine, require_dist, wine_session

# Wine and Xvfb run on the Linux side; the exe inside them is the Windows program.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.linux_only("drives Wine and Xvfb from Linux"),
]

# The app icon's orange (huashu.svg: gradient #ff7a45 -> #e8431b), as painted on screen.
ORANGE = ((0xC8, 0xFF), (0x30, 0x90), (0x00, 0x60))


@pytest.fixture(scope="module")
def dist() -> Dist:
    return require_dist()


@pytest.fixture(scope="module")
def wine(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    yield from wine_session(tmp_path_factory.mktemp("wine"), "zh")


def test_portable_zip_holds_the_one_folder_build(dist: Dist) -> None:
    names = zipfile.ZipFile(dist.zip).namelist()
    assert all(n.startswith("Huashu/") for n in names)
    on_disk = {
        "Huashu/" + p.relative_to(dist.folder).as_posix()
        for p in dist.folder.rglob("*")
        if p.is_file()
    }
    assert set(names) == on_disk
    inside = "Huashu/_internal/"
    for needed in (
        "Huashu/Huashu.exe",
        inside + "app/phrases/greeting.toml",
        inside + "app/resources/compliance.toml",
        inside + "app/resources/translations/huashu_zh_CN.qm",
        inside + "app/resources/icons/huashu.svg",
        inside + "PySide6/translations/qtbase_zh_CN.qm",
        inside + "PySide6/plugins/platforms/qwindows.dll",
    ):
        assert needed in names, needed
    packs = [n for n in names if n.startswith(inside + "app/phrases/") and n.endswith(".toml")]
    assert len(packs) == 5
    assert not [n for n in names if n.endswith("opengl32sw.dll")]
    assert not [n for n in names if "/tests/" in n or n.endswith(".ts")]
    # rtoml (big library files) is in; the Wine-only stub DLLs of the test prefix are not
    assert [n for n in names if n.startswith(inside + "rtoml/_rtoml") and n.endswith(".pyd")]
    stubs = {"icuuc.dll", "mscms.dll", "bcryptprimitives.dll"}
    assert not [n for n in names if n.rsplit("/", 1)[-1].lower() in stubs]


def test_exe_is_windowed_with_icon_and_chinese_version_info(dist: Dist, wine: Wine) -> None:
    # pefile (a PyInstaller dependency) in the build's Windows Python reads the PE header
    probe = (
        "import json, sys, pefile\n"
        "pe = pefile.PE(sys.argv[1])\n"
        "info = {}\n"
        "for fi in pe.FileInfo[0]:\n"
        "    for table in getattr(fi, 'StringTable', []):\n"
        "        info.update({k.decode(): v.decode('utf-8') for k, v in table.entries.items()})\n"
        "kinds = [e.id for e in pe.DIRECTORY_ENTRY_RESOURCE.entries]\n"
        "print(json.dumps({'subsystem': pe.OPTIONAL_HEADER.Subsystem, 'machine':\n"
        "    pe.FILE_HEADER.Machine, 'kinds': kinds, 'info': info}, ensure_ascii=True))\n"
    )
    script = wine.prefix / "probe_pe.py"
    script.write_text(probe, "utf-8")
    python = BUILD / "env" / "python" / "python.exe"
    out = wine.run(str(python), wine.winpath(script), wine.winpath(dist.exe))
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["subsystem"] == 2  # IMAGE_SUBSYSTEM_WINDOWS_GUI: no console window
    assert facts["machine"] == 0x8664  # x64
    assert 14 in facts["kinds"]  # RT_GROUP_ICON: the exe has its icon
    assert 16 in facts["kinds"]  # RT_VERSION
    info = facts["info"]
    assert info["FileDescription"].startswith("话术")
    assert info["ProductVersion"] == dist.version
    assert info["OriginalFilename"] == "Huashu.exe"


def _orange_pixels(path: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            rgb = (c.red(), c.green(), c.blue())
            if all(lo <= v <= hi for v, (lo, hi) in zip(rgb, ORANGE, strict=True)):
                count += 1
    return count


def test_frozen_exe_starts_finds_its_data_and_shows_the_tray(
    dist: Dist, wine: Wine, tmp_path: Path, qapp: object
) -> None:
    from app.core.settings import load_settings, save_settings

    home = tmp_path / "home"
    settings = load_settings(home / "settings.toml")
    settings.language = "zh_CN"  # the app must then load the .qm it ships
    save_settings(home / "settings.toml", settings)
    wine.screenshot(tmp_path / "before.png")
    before = _orange_pixels(tmp_path / "before.png")
    app = wine.start(dist.exe, extra_env={"HUASHU_HOME": wine.winpath(home)})
    try:
        seconds = app.wait_line("huashu: ready", timeout=90)
        log = (home / "logs" / "huashu.log").read_text("utf-8")
        assert "ready in" in log
        # built-in packs found: the first start copies them into the library
        assert len(list((home / "library").glob("*.toml"))) == 5, log
        assert "translation not found" not in log  # huashu_zh_CN.qm found and loaded
        assert "Traceback" not in log and "ERROR" not in log, log
        import time

        time.sleep(1.0)  # let the tray icon paint
        wine.screenshot(tmp_path / "after.png")
        after = _orange_pixels(tmp_path / "after.png")
        assert before == 0
        assert after >= 20, "the tray icon did not appear on screen"
        print(f"frozen Huashu.exe ready after {seconds:.2f} s under Wine")
    finally:
        wine.stop(app, "Huashu.exe")


def test_installer_installs_silently_and_uninstaller_keeps_the_data(dist: Dist, wine: Wine) -> None:
    local = wine.unix_path(wine.expand("LOCALAPPDATA"))
    appdata = wine.unix_path(wine.expand("APPDATA"))
    install_dir = local / "Programs" / "Huashu"
    shortcut = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "话术 Huashu.lnk"
    run_key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
    uninst_key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Huashu"
    assert not install_dir.exists()

    out = wine.run(str(dist.setup), "/S")
    wine.wait_idle()
    assert out.returncode == 0, out.stdout
    assert (install_dir / "Huashu.exe").is_file()
    assert (install_dir / "_internal" / "app" / "phrases" / "greeting.toml").is_file()
    assert (install_dir / "uninstall.exe").is_file()
    assert shortcut.is_file()
    run_value = wine.reg_value(run_key, "Huashu")
    assert run_value is not None and run_value.endswith('Programs\\Huashu\\Huashu.exe"')
    assert wine.reg_value(uninst_key, "DisplayVersion") == dist.version

    # the user's phrases, as the app keeps them in %LOCALAPPDATA%\huashu
    data = local / "huashu" / "library"
    data.mkdir(parents=True)
    (data / "mine.toml").write_text('[[phrases]]\ntext = "您好"\n', "utf-8")

    out = wine.run(wine.winpath(install_dir / "uninstall.exe"), "/S")
    wine.wait_idle()  # the uninstaller copies itself to %TEMP% and runs from there
    assert out.returncode == 0, out.stdout
    assert not (install_dir / "Huashu.exe").exists()
    assert not (install_dir / "_internal").exists()
    assert not install_dir.exists()
    assert not shortcut.exists()
    assert wine.reg_value(run_key, "Huashu") is None
    assert wine.reg_value(uninst_key, "DisplayVersion") is None
    assert (data / "mine.toml").read_text("utf-8") == '[[phrases]]\ntext = "您好"\n'
