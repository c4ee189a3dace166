"""The subscription watcher: file-system events and the slow poll both trigger a refresh."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import subscriptions as subs
from app.core.fsutil import Paths, atomic_write_text
from app.core.model import Category, Library, Phrase
from app.core.packs import PackMeta, build_pack, dump_pack
from app.core.workspace import Workspace
from app.ui.subscription_watcher import SubscriptionWatcher

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def _write(path: Path, n: int) -> None:
    lib = Library()
    lib.add_category(Category("pay", "催付"))
    for i in range(n):
        lib.add_phrase(Phrase(f"p{i}", f"话术{i}", f"内容{i}", "pay"))
    atomic_write_text(path, dump_pack(build_pack(lib, PackMeta("团队"))))


def test_rewrite_is_picked_up_and_summarised(
    qtbot: QtBot, huashu_home: Path, tmp_path: Path
) -> None:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    shared = tmp_path / "share" / "team.toml"
    shared.parent.mkdir()
    _write(shared, 1)
    subs.subscribe(ws, shared)
    watcher = SubscriptionWatcher(
        lambda: list(ws.settings.subscriptions),
        lambda p: subs.refresh(ws, p),
        poll_ms=60_000,
        debounce_ms=50,
    )
    watcher.start()
    with qtbot.waitSignal(watcher.summary, timeout=5000) as sig:
        _write(shared, 3)
    assert sig.args[0] == "团队: 2 added, 0 changed, 0 removed"
    assert len([p for p in ws.library.phrases if p.source]) == 3

    # A broken rewrite: one warning, the last good copy stays.
    with qtbot.waitSignal(watcher.changed, timeout=5000) as sig:
        shared.write_text("[pack", "utf-8")
    (res,) = sig.args[0]
    assert "keeping the last good copy" in res.warning
    assert len([p for p in ws.library.phrases if p.source]) == 3
    # The same warning is not repeated by the poll.
    os.utime(shared, ns=(1, 1))
    assert watcher.check_now() == []
    watcher.stop()


def test_poll_catches_changes_without_notifications(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "t.toml"
    target.write_text("a", "utf-8")
    calls: list[str] = []

    def refresh(path: str) -> subs.RefreshResult:
        calls.append(path)
        return subs.RefreshResult(path, "s", "团队", added=1)

    watcher = SubscriptionWatcher(lambda: [str(target)], refresh, poll_ms=100, debounce_ms=10_000)
    watcher.start()
    watcher._fs.blockSignals(True)  # as on a network drive: no notifications at all
    target.write_text("bb", "utf-8")
    with qtbot.waitSignal(watcher.changed, timeout=3000):
        pass
    assert calls == [str(target)]
    qtbot.wait(300)  # unchanged since: the poll does not refresh again
    assert calls == [str(target)]
    watcher.stop()


def test_a_failing_refresh_becomes_a_coded_warning(qtbot: QtBot, tmp_path: Path) -> None:
    from app.core.fsutil import Problem
    from app.core.messages import localize
    from app.core.packs import PackError
    from app.core.problems import Msg

    errors: list[Exception] = [
        PackError([Problem("t.toml", 3, Msg("pack.no_name"))]),
        PermissionError(13, "Permission denied"),
    ]

    def refresh(path: str) -> subs.RefreshResult:
        raise errors.pop(0)

    watcher = SubscriptionWatcher(lambda: ["/n/t.toml"], refresh, poll_ms=60_000)
    (res,) = watcher.check_now()
    assert isinstance(res.warning, Msg) and res.warning.code == "subscription.error"
    assert res.warning.params == {
        "path": "/n/t.toml",
        "problem": Problem("t.toml", 3, Msg("pack.no_name")),
    }
    assert localize(res.warning, "zh_CN") == (
        "订阅 /n/t.toml：t.toml 第 3 行：[pack] 需要 'name'（话术包名称）"
    )
    other = watcher._apply("/n/t.toml", ())
    assert other.warning == "subscription /n/t.toml: [Errno 13] Permission denied"
    assert other.warning.params["problem"] == "[Errno 13] Permission denied"  # type: ignore[attr-defined]
    assert localize(other.warning, "zh_CN") == "订阅 /n/t.toml：[Errno 13] 没有访问权限"
    watcher.stop()
