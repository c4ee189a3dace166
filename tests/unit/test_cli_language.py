"""The command line prints problems in the user's language, by code (issue 12)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli, cli_errors
from app.cli_errors import CliError, cli_language, show_error
from app.core.fsutil import Problem
from app.core.problems import Msg
from app.platform import syslocale
from app.platform.syslocale import system_locale

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch, huashu_home: Path) -> Path:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    return huashu_home


def test_problem_lines_follow_the_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, huashu_home: Path
) -> None:
    code, _, err = run(capsys, "render", "no-such")
    assert code == 1
    assert err == "huashu: error: no phrase with id or code 'no-such' (see 'huashu list')\n"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _, err = run(capsys, "render", "no-such")
    assert code == 1
    assert err == "huashu: error: 没有 ID 或快捷编码为 'no-such' 的话术（可用 huashu list 查看）\n"


def test_the_language_setting_wins_over_the_locale(
    capsys: pytest.CaptureFixture[str], chinese: Path
) -> None:
    chinese.mkdir(parents=True, exist_ok=True)
    (chinese / "settings.toml").write_text('language = "en"\n', "utf-8")
    _, _, err = run(capsys, "render", "no-such")
    assert "no phrase with id or code 'no-such'" in err


def test_pack_problems_are_listed_in_chinese(
    capsys: pytest.CaptureFixture[str], chinese: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[pack]\nformat = 1\nname = "x"\n[[categories]]\nid = "a"\nname = "A"\n'
        '[[phrases]]\nid = "q"\ntitle = "t"\nbody = "b"\ncategory = "zz"\n'
        '[[phrases]]\nid = "r"\ntitle = "t"\nbody = 1\ncategory = "a"\n',
        "utf-8",
    )
    code, out, err = run(capsys, "pack", "check", str(bad))
    assert (code, out) == (1, "")
    assert err == (
        "huashu: error: 共 2 个问题：\n"
        "  bad.toml 第 7 行：话术 'q'：找不到分类 'zz'\n"
        "  bad.toml 第 12 行：'body'（正文）必须是文本（加引号），不能是 int（整数）\n"
    )


def test_subscription_refusals_are_in_chinese(
    capsys: pytest.CaptureFixture[str], chinese: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "unsubscribe", str(tmp_path / "team.toml"))
    assert code == 1
    assert err == f"huashu: error: 没有订阅 {tmp_path / 'team.toml'}（当前订阅：无）\n"


def test_warnings_and_settings_errors_are_in_chinese(
    capsys: pytest.CaptureFixture[str], chinese: Path, tmp_path: Path
) -> None:
    chinese.mkdir(parents=True, exist_ok=True)
    (chinese / "settings.toml").write_text("x = [\n", "utf-8")
    code, _, err = run(capsys, "list")
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("huashu: warning:")]
    assert warnings == [
        "huashu: warning: settings.toml：TOML 格式错误：值无效（文本要加引号）（位于文件末尾）"
    ]
    code, _, err = run(capsys, "subscribe", str(tmp_path / "team.toml"))
    assert code == 1
    assert "huashu: error: settings.toml 加载失败，因此不会修改它；请先修复该文件" in err


def test_show_error_lists_problems_after_the_message() -> None:
    exc = CliError(Msg("cli.problems", n=1), problems=[Problem("a.toml", 2, Msg("pack.no_name"))])
    assert show_error(exc, "en") == "1 problem(s):\n  a.toml:2: [pack] needs a 'name'"
    assert show_error(exc, "zh_CN") == (
        "共 1 个问题：\n  a.toml 第 2 行：[pack] 需要 'name'（话术包名称）"
    )
    assert show_error(CliError("plain"), "zh_CN") == "plain"
    assert CliError("x").problems == [] and CliError("x").code == 1


def test_cli_language_reads_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_language("auto", "C") == "en"  # unlike the tray app: C means English here
    assert cli_language("auto", "zh_CN.UTF-8") == "zh_CN"
    assert cli_language("zh_CN", "C") == "zh_CN"
    assert cli_language("en", "zh_CN") == "en"
    monkeypatch.setattr(cli_errors, "system_locale", lambda: "zh_CN")
    assert cli_language() == "zh_CN"
    monkeypatch.setattr(cli_errors, "system_locale", lambda: "")
    assert cli_language() == "en"


def test_system_locale_without_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> str:
        raise OSError("no kernel32")

    assert system_locale({"LANG": "zh_CN.UTF-8"}, "linux") == "zh_CN.UTF-8"
    assert system_locale({}, "linux", windows=lambda: "zh_CN") == ""
    assert system_locale({}, "win32", windows=lambda: "zh_CN") == "zh_CN"
    assert system_locale({"LANG": "C"}, "win32", windows=lambda: "zh_CN") == "C"
    assert system_locale({}, "win32", windows=boom) == ""
    monkeypatch.setenv("LC_ALL", "zh_TW")
    assert system_locale(platform="linux") == "zh_TW"
    assert syslocale.system_locale.__defaults__ is not None  # the real Windows reader
    assert syslocale._windows_locale in syslocale.system_locale.__defaults__


@pytest.mark.parametrize(("lang", "expected"), [("zh_CN.UTF-8", "没有 ID"), ("C", "no phrase")])
def test_the_installed_command_without_qt(huashu_home: Path, lang: str, expected: str) -> None:
    code = (
        "import sys\nfrom app import cli\nrc = cli.main(['render', 'nope'])\n"
        "print(rc, 'PySide6' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env |= {"LANG": lang, "HUASHU_HOME": str(huashu_home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert out.strip() == "1 False", err
    assert err.startswith(f"huashu: error: {expected}"), err


def test_settings_are_not_written_when_they_failed_to_load(
    capsys: pytest.CaptureFixture[str], huashu_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huashu_home.mkdir(parents=True, exist_ok=True)
    (huashu_home / "settings.toml").write_text("x = [\n", "utf-8")
    code, _, err = run(capsys, "profile", "--agent-no", "5")
    assert code == 1
    assert err.splitlines()[-1] == (
        "huashu: error: settings.toml failed to load, so it is not changed; fix it first"
    )
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, _, err = run(capsys, "profile", "--agent-no", "5")
    assert (
        err.splitlines()[-1]
        == "huashu: error: settings.toml 加载失败，因此不会修改它；请先修复该文件"
    )
    assert (huashu_home / "settings.toml").read_text("utf-8") == "x = [\n"


#: The prefix's language as .ci/winpy passes it to Wine (read before the fixtures reset it).
WINE_LOCALE = os.environ.get("LC_ALL", "").split(".")[0]


@pytest.mark.windows_only("asks Windows for the user's locale")
def test_the_windows_locale_is_the_users() -> None:
    name = syslocale._windows_locale()
    assert re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", name), name
    if WINE_LOCALE:  # zh_CN in the Chinese prefix, en_US in the English one
        assert name == WINE_LOCALE
