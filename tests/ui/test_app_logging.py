"""The app's log file: a plain handler until ready, a rotating one after (issue 10)."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.main import rotate_logs, setup_logging


@pytest.fixture
def root() -> Iterator[logging.Logger]:
    """The root logger, given back with its own handlers and level."""
    logger = logging.getLogger()
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def _mine(logger: logging.Logger, log: Path) -> list[logging.Handler]:
    return [h for h in logger.handlers if getattr(h, "baseFilename", "") == str(log)]


def test_until_ready_a_plain_handler_appends(tmp_path: Path, root: logging.Logger) -> None:
    log = tmp_path / "logs" / "huashu.log"
    log.parent.mkdir()
    log.write_text("earlier run\n", "utf-8")
    setup_logging(Paths(tmp_path))
    (handler,) = _mine(root, log)
    assert type(handler) is logging.FileHandler
    assert root.level == logging.INFO
    logging.getLogger("app.test").info("started 话术")
    handler.flush()
    lines = log.read_text("utf-8").splitlines()
    assert lines[0] == "earlier run"
    assert lines[1].endswith(" INFO app.test: started 话术")


def test_after_ready_one_rotating_handler_takes_over(tmp_path: Path, root: logging.Logger) -> None:
    paths = Paths(tmp_path)
    other = logging.FileHandler(tmp_path / "other.log", encoding="utf-8")
    root.addHandler(other)
    setup_logging(paths)
    (plain,) = _mine(root, paths.logs / "huashu.log")
    logging.getLogger("app.test").info("before")
    rotate_logs(paths)
    (rotating,) = _mine(root, paths.logs / "huashu.log")
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    assert (rotating.maxBytes, rotating.backupCount) == (1_000_000, 3)
    assert plain.stream is None  # closed
    assert other in root.handlers  # another file's handler is left alone
    logging.getLogger("app.test").info("after")
    rotating.flush()
    text = (paths.logs / "huashu.log").read_text("utf-8")
    assert [line.split(": ", 1)[1] for line in text.splitlines()] == ["before", "after"]
    assert " INFO app.test: after" in text


def test_the_rotating_handler_rotates(tmp_path: Path, root: logging.Logger) -> None:
    paths = Paths(tmp_path)
    setup_logging(paths)
    rotate_logs(paths)
    for _ in range(12):
        logging.getLogger("app.test").info("x" * 100_000)
    assert (paths.logs / "huashu.log.1").exists()
    assert not (paths.logs / "huashu.log.4").exists()
    assert (paths.logs / "huashu.log").stat().st_size <= 1_000_000
