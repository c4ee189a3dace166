"""Issue 9 on the command line, in-process: one line per problem, quiet broken pipes."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from app import cli


def test_warnings_print_once_and_logs_stay_out_of_the_terminal(
    capsys: pytest.CaptureFixture[str], huashu_home: Path
) -> None:
    before = logging.getLogger().level
    assert cli.main(["list"]) == 0
    (huashu_home / "library" / "broken.toml").write_text("[[phrases]\n", "utf-8")
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    err = capsys.readouterr().err
    assert err.count("broken.toml") == 1
    assert err.startswith("huashu: warning: library/broken.toml")
    log = (huashu_home / "logs" / "huashu.log").read_text("utf-8")
    assert "library problem: library/broken.toml" in log
    root = logging.getLogger()
    assert root.level == before  # the CLI's logging set-up is undone after main()
    assert not [h for h in root.handlers if getattr(h, "baseFilename", "").endswith("huashu.log")]


def test_an_unexpected_error_is_one_line_with_the_log_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, huashu_home: Path
) -> None:
    def boom(ws: object, args: object) -> int:
        raise KeyError("surprise")

    monkeypatch.setattr(cli, "cmd_list", boom)
    assert cli.main(["list"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("huashu: error: 'surprise' (details: ")
    assert "Traceback" in (huashu_home / "logs" / "huashu.log").read_text("utf-8")


def test_os_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, huashu_home: Path
) -> None:
    def full(ws: object, args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "cmd_list", full)
    assert cli.main(["list"]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == "huashu: error: [Errno 28] No space left on device\n"


class _ClosedPipe(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        raise ValueError("no file descriptor")


def test_a_broken_pipe_is_quiet(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, huashu_home: Path
) -> None:
    assert cli.main(["list"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert cli.main(["list"]) == 141
    assert capsys.readouterr().err == ""
