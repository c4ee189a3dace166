"""Which folders send change notifications for other machines' writes (issue 10: the data
watcher polls only where they may not come)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.platform import filesystems as fs

MOUNTS = """\
overlay / overlay rw,relatime 0 0
proc /proc proc rw,nosuid 0 0
/dev/sda1 /home ext4 rw,relatime 0 0
server:/export /home/agent/team nfs4 rw,vers=4.2 0 0
agent@box:/srv /home/agent/My\\040Packs fuse.sshfs rw 0 0
//nas/share /mnt/nas cifs rw 0 0
tmpfs /home/agent/team/local tmpfs rw 0 0
//nas/客服 /home/张三/共享\\134文件 cifs rw 0 0
short
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "overlay"),
        ("/etc/passwd", "overlay"),
        ("/home", "ext4"),
        ("/home/agent/.local/share/huashu", "ext4"),
        ("/home/agent/team", "nfs4"),
        ("/home/agent/team/packs", "nfs4"),
        ("/home/agent/teamwork", "ext4"),  # a longer name, not inside the mount
        ("/home/agent/team/local/x", "tmpfs"),  # the longest mount point wins
        ("/home/agent/My Packs/a.toml", "fuse.sshfs"),  # \040 is a space
        ("/mnt/nas", "cifs"),
        ("/mnt", "overlay"),
        ("/home/张三/共享\\文件/话术", "cifs"),  # \134 is a backslash; Chinese stays as is
        ("/home/张三/共享", "ext4"),
    ],
)
def test_the_mount_of_a_path(path: str, kind: str) -> None:
    assert fs.mount_type(path, MOUNTS) == kind


def test_no_mount_covers_a_relative_path() -> None:
    assert fs.mount_type("home/agent", MOUNTS) == ""
    assert fs.mount_type("/x", "") == ""


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/home/agent/.local/share/huashu", None),
        ("/home/agent/team/huashu", "nfs4 file system"),
        ("/home/agent/My Packs", "fuse.sshfs file system"),
        ("/mnt/nas/huashu", "cifs file system"),
        ("/home/agent/team/local", None),
    ],
)
def test_linux_reasons(path: str, reason: str | None) -> None:
    assert fs.mount_reason(path, MOUNTS) == reason


def test_every_remote_type_is_named() -> None:
    for kind in sorted(fs.REMOTE_TYPES):
        mounts = f"srv:/x /data {kind} rw 0 0\n"
        assert fs.mount_reason("/data/huashu", mounts) == f"{kind} file system"
    assert fs.mount_reason("/data", "x /data fuse rw 0 0\n") == "fuse file system"
    for local in ("ext4", "xfs", "btrfs", "tmpfs", "overlay", "ntfs3", "zfs"):
        assert fs.mount_reason("/data", f"d /data {local} rw 0 0\n") is None


def test_unreadable_mounts_mean_local() -> None:
    def unreadable() -> str:
        raise OSError("no /proc")

    assert fs.linux_reason(Path("/data"), unreadable) is None


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/mounts")
def test_the_real_data_folder_here_is_local(tmp_path: Path) -> None:
    assert fs.unnotified_reason(tmp_path) is None
    assert fs.linux_reason(tmp_path) is None
    # the real mounts are read: a data folder on the root's own type is found
    root_type = fs.mount_type("/", Path("/proc/self/mounts").read_text())
    assert root_type
    assert (
        fs.linux_reason(tmp_path, lambda: f"srv:/x / nfs4 rw 0 0\nsrv:/y {tmp_path} cifs rw 0 0\n")
        == "cifs file system"
    )


def _drive_types(types: dict[str, int]) -> tuple[list[str], object]:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return types[root]

    return asked, drive_type


@pytest.mark.parametrize(
    ("path", "reason", "roots"),
    [
        (r"C:\Users\agent\AppData\Local\Huashu", None, ["C:\\"]),
        (r"Z:\team\huashu", "network drive", ["Z:\\"]),
        (r"\\nas\share\huashu", "network share", []),
        ("//nas/share/huashu", "network share", []),
    ],
)
def test_windows_reasons(path: str, reason: str | None, roots: list[str]) -> None:
    asked, drive_type = _drive_types({"C:\\": 3, "Z:\\": fs.DRIVE_REMOTE})
    assert fs.windows_reason(Path(path), drive_type) == reason  # type: ignore[arg-type]
    assert asked == roots


@pytest.mark.skipif(sys.platform != "win32", reason="asks Windows (the Wine lane)")
def test_the_real_drive_here_is_local(tmp_path: Path) -> None:
    assert fs._drive_type(os.path.splitdrive(str(tmp_path))[0] + "\\") == 3  # DRIVE_FIXED
    assert fs.unnotified_reason(tmp_path) is None


def test_other_systems_trust_their_notifications(tmp_path: Path) -> None:
    assert fs.unnotified_reason(tmp_path, platform="darwin") is None


def test_a_failing_windows_query_means_local(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path) -> str | None:
        raise OSError("no kernel32")

    monkeypatch.setattr(fs, "windows_reason", broken)
    assert fs.unnotified_reason(Path("Z:/x"), platform="win32") is None


def test_linux_asks_the_mounts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fs, "linux_reason", lambda path: f"asked for {path}")
    assert fs.unnotified_reason(Path("/d"), platform="linux") == f"asked for {Path('/d')}"
