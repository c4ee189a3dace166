"""Small file-system helpers: the data directory, atomic writes, problems with locations."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.problems import Msg

APP_NAME = "huashu"


def huashu_home() -> Path:
    """The user data directory: ``$HUASHU_HOME`` or platformdirs' user data dir."""
    env = os.environ.get("HUASHU_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Paths:
    """Where everything lives inside the data directory (design.md, 'Data on disk')."""

    home: Path

    @property
    def settings(self) -> Path:
        return self.home / "settings.toml"

    @property
    def library(self) -> Path:
        return self.home / "library"

    @property
    def subscriptions(self) -> Path:
        return self.home / "subscriptions"

    @property
    def usage(self) -> Path:
        return self.home / "usage.sqlite3"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def pinyin_cache(self) -> Path:
        return self.home / "pinyin-cache.json"

    @property
    def parse_cache(self) -> Path:
        return self.home / "library-cache.bin"

    @property
    def builtin_state(self) -> Path:
        return self.home / "builtin-state.toml"

    @classmethod
    def default(cls) -> Paths:
        return cls(huashu_home())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    import tempfile  # imported here: it pulls in random/hashlib, off the start-up path

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, with where it is and what to do."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in the C library's words (``os.strerror`` of its errno).

    The same on Linux and Windows, where ``exc.strerror`` is Windows' own sentence for
    calls such as ``os.stat`` ("The system cannot find the file specified"), which the
    zh_CN messages (``messages.OS_ERRORS``) would leave in English.
    """
    return os.strerror(exc.errno) if exc.errno else str(exc)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error_line(exc: Exception) -> tuple[int | None, str]:
    """Line number and a clean message from a ``tomllib.TOMLDecodeError``."""
    text = str(exc)
    lineno = getattr(exc, "lineno", None)
    m = _TOML_POS.search(text)
    if m:
        lineno = lineno or int(m.group(1))
        text = _TOML_POS.sub("", text).strip()
    elif "(at end of document)" in text:
        text = text.replace("(at end of document)", "").strip()
        text += " (at end of file)"
    return (int(lineno) if lineno else None), Msg("toml.invalid", toml=text)
