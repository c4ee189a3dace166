"""Whether a folder's file system reports changes made by other machines.

The tray app follows what other processes write to the data folder through change
notifications (inotify, ReadDirectoryChangesW). On a local disk they report every change,
so the app need not wake up to look. A network or FUSE file system reports only the
changes made through this machine: another computer's writes arrive unannounced, and
only a periodic look finds them. :func:`unnotified_reason` tells the two apart.
"""

from __future__ import annotations

import ntpath
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

#: Linux file system types (``/proc/self/mounts``) whose changes made elsewhere send no
#: inotify event: network file systems, and every FUSE file system (sshfs, rclone, s3fs...).
REMOTE_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "virtiofs",
        "vboxsf",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
    }
)


_OCTAL = re.compile(r"\\([0-7]{3})")


def mount_type(path: str, mounts: str) -> str:
    """The file system type of the mount holding the absolute ``path``, given the text of
    ``/proc/self/mounts`` ("" when no line covers it)."""
    best, kind = -1, ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # the kernel writes a space, tab, newline or backslash in a path as an octal escape
        point = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), fields[1])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), fields[2]
    return kind


def mount_reason(path: str, mounts: str) -> str | None:
    """Why changes under the absolute POSIX ``path`` may go unannounced, given the text of
    ``/proc/self/mounts``, or None."""
    kind = mount_type(path, mounts)
    if kind in REMOTE_TYPES or kind.startswith("fuse"):
        return f"{kind} file system"
    return None


def linux_reason(path: Path, read_mounts: Callable[[], str] | None = None) -> str | None:
    """Why changes under ``path`` may go unannounced on Linux, or None."""
    try:
        # decoded as paths are (os.realpath's str), whatever the locale
        mounts = read_mounts() if read_mounts else os.fsdecode(_MOUNTS.read_bytes())
    except OSError:
        return None
    return mount_reason(os.path.realpath(path), mounts)


_MOUNTS = Path("/proc/self/mounts")
DRIVE_REMOTE = 4  # GetDriveTypeW


def windows_reason(path: Path, drive_type: Callable[[str], int] | None = None) -> str | None:
    """Why changes under ``path`` may go unannounced on Windows (a network drive or a
    ``\\\\server\\share`` path), or None."""
    full = ntpath.abspath(path)
    if full.startswith(("\\\\", "//")):
        return "network share"
    drive = ntpath.splitdrive(full)[0]
    if not drive:
        return None
    kind = (drive_type or _drive_type)(drive + "\\")
    return "network drive" if kind == DRIVE_REMOTE else None


def _drive_type(root: str) -> int:  # pragma: no cover - Windows only (the Wine lane)
    from app.platform import win32api

    return int(win32api.GetDriveTypeW(root))


def unnotified_reason(path: Path, platform: str = sys.platform) -> str | None:
    """Why another machine's changes under ``path`` would send no notification here
    (``"nfs4 file system"``, ``"network drive"``...), or None on a local disk."""
    if platform.startswith("linux"):
        return linux_reason(path)
    if platform == "win32":
        try:
            return windows_reason(path)
        except (OSError, AttributeError, ValueError):
            return None
    return None
