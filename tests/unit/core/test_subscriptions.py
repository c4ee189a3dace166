"""Subscriptions: read-only team packs followed by path, refreshed, never touching own phrases."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from app.core import subscriptions as subs
from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.packs import Pack, PackError, PackMeta, build_pack, dump_pack, read_pack
from app.core.workspace import Workspace


def _team(extra: int = 0) -> Library:
    lib = Library()
    lib.add_category(Category("pay", "催付", 10))
    lib.add_category(Category("pay-sms", "短信", 1, parent="pay"))
    lib.add_phrase(
        Phrase("t1", "团队催付", "亲,请尽快付款", "pay", code="cf1", hotkey="ctrl+alt+1")
    )
    lib.add_phrase(Phrase("t2", "短信催付", "【店铺】请付款", "pay-sms", code="dx1"))
    for i in range(extra):
        lib.add_phrase(Phrase(f"n{i}", f"新{i}", f"新增话术{i}", "pay"))
    return lib


def _write_team(path: Path, extra: int = 0, name: str = "团队话术") -> None:
    path.write_text(dump_pack(build_pack(_team(extra), PackMeta(name, version="1"))), "utf-8")


def _own(home: Path) -> Workspace:
    ws = Workspace.open(Paths(home), seed=False)
    lib = Library()
    lib.add_category(Category("mine", "我的", 1))
    lib.add_phrase(Phrase("m1", "我的", "我自己的话术", "mine", code="cf1", hotkey="ctrl+alt+1"))
    ws.library = lib
    ws.save_library()
    return ws


def _snapshot(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((home / "library").glob("*.toml"))}


# -- pure part -----------------------------------------------------------------------------
def test_slug_is_stable_safe_and_unique() -> None:
    a = subs.slug_for("/mnt/共享/团队 Pack.toml")
    assert a == subs.slug_for("/mnt/共享/团队 Pack.toml")
    assert a.startswith("pack-") and len(a) <= 33
    assert all(ch.isalnum() or ch == "-" for ch in a)
    assert subs.slug_for("/a/x.toml") != subs.slug_for("/b/x.toml")
    assert subs.slug_for("/mnt/中文.toml").startswith("pack-")


def test_pack_entries_prefix_ids_nest_and_mark_source() -> None:
    pack = Pack(PackMeta("团队话术"), _team().categories, _team().phrases, "t")
    cats, phrases = subs.pack_entries(pack, "team-1234")
    top = cats[0]
    assert (top.id, top.name, top.parent, top.source) == (
        "sub-team-1234",
        "团队话术",
        None,
        "团队话术",
    )
    assert {(c.id, c.name, c.parent) for c in cats[1:]} == {
        ("sub-team-1234-pay", "催付", "sub-team-1234"),
        ("sub-team-1234-pay-sms", "催付 / 短信", "sub-team-1234"),
    }
    assert all(c.source == "团队话术" for c in cats)
    assert [p.id for p in phrases] == ["sub-team-1234-t1", "sub-team-1234-t2"]
    assert all(p.source == "团队话术" and p.read_only for p in phrases)
    assert phrases[0].hotkey == ""  # not bound unless accepted
    _, bound = subs.pack_entries(pack, "s", accept_hotkeys=True)
    assert bound[0].hotkey == "ctrl+alt+1"
    _, taken = subs.pack_entries(pack, "s", accept_hotkeys=True, taken_hotkeys={"CTRL+ALT+1"})
    assert taken[0].hotkey == ""
    # The same combination in another spelling is taken too (the notation decides).
    _, taken = subs.pack_entries(pack, "s", accept_hotkeys=True, taken_hotkeys={"Alt+Ctrl+1"})
    assert taken[0].hotkey == ""
    _, free = subs.pack_entries(pack, "s", accept_hotkeys=True, taken_hotkeys={"ctrl+alt+2"})
    assert free[0].hotkey == "ctrl+alt+1"


def test_diff_packs() -> None:
    old = Pack(PackMeta("x"), [], _team().phrases, "t")
    new_phr = [p.copy() for p in _team(2).phrases if p.id != "t2"]
    new_phr[0].body = "改了"
    assert subs.diff_packs(old, Pack(PackMeta("x"), [], new_phr, "t")) == (2, 1, 1)
    assert subs.diff_packs(None, old) == (2, 0, 0)


# -- with a workspace ----------------------------------------------------------------------
def test_subscribe_shows_read_only_phrases_and_never_writes_them(
    huashu_home: Path, tmp_path: Path
) -> None:
    ws = _own(huashu_home)
    own_files = _snapshot(huashu_home)
    shared = tmp_path / "share" / "team.toml"
    shared.parent.mkdir()
    _write_team(shared)
    res = subs.subscribe(ws, shared)
    assert (res.added, res.name) == (2, "团队话术")
    assert ws.settings.subscriptions == [str(shared)]
    top = ws.library.category(subs.top_id(res.slug))
    assert top is not None and top.source == "团队话术"
    assert len(ws.library.phrases_in(top.id)) == 2
    # Own hotkey wins; the team phrase comes without one.
    assert [p.id for p in ws.library.phrases if p.hotkey == "ctrl+alt+1"] == ["m1"]
    copy = huashu_home / "subscriptions" / f"{res.slug}.toml"
    assert tomllib.loads(copy.read_text("utf-8"))["subscription"]["source"] == str(shared)
    ws.save_library()
    assert _snapshot(huashu_home) == own_files  # store never writes subscription entries
    # A new session sees it from the local copy, even with the source gone.
    shared.unlink()
    ws2 = Workspace.open(Paths(huashu_home), seed=False)
    assert subs.load_subscriptions(ws2) == []
    assert len([p for p in ws2.library.phrases if p.source]) == 2
    assert ws2.library.phrase("m1") is not None


def test_refresh_picks_up_a_rewrite_by_another_process_and_survives_breakage(
    huashu_home: Path, tmp_path: Path
) -> None:
    ws = _own(huashu_home)
    own_files = _snapshot(huashu_home)
    shared = tmp_path / "team.toml"
    _write_team(shared)
    subs.subscribe(ws, shared)
    assert subs.refresh(ws, shared).any_change is False

    writer = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from app.core.fsutil import atomic_write_text
        from app.core.model import Category, Library, Phrase
        from app.core.packs import PackMeta, build_pack, dump_pack
        lib = Library()
        lib.add_category(Category("pay", "催付", 10))
        lib.add_category(Category("pay-sms", "短信", 1, parent="pay"))
        lib.add_phrase(Phrase("t1", "团队催付", "亲,请今天付款", "pay", code="cf1"))
        lib.add_phrase(Phrase("t3", "新话术", "这是另一台电脑加的", "pay", code="xz1"))
        atomic_write_text(Path(sys.argv[1]), dump_pack(build_pack(lib, PackMeta("团队话术"))))
        """
    )
    subprocess.run([sys.executable, "-c", writer, str(shared)], check=True, timeout=60)
    res = subs.refresh(ws, shared)
    assert (res.added, res.changed, res.removed, res.warning) == (1, 1, 1, "")
    titles = sorted(p.title for p in ws.library.phrases if p.source)
    assert titles == ["团队催付", "新话术"]
    assert any(p.body == "这是另一台电脑加的" for p in ws.library.phrases)

    # A broken rewrite (half-written by a sync tool): keep the last good copy, warn.
    shared.write_text(shared.read_text("utf-8")[:150], "utf-8")
    res = subs.refresh(ws, shared)
    assert "keeping the last good copy" in res.warning and not res.any_change
    assert sorted(p.title for p in ws.library.phrases if p.source) == titles
    assert subs.read_copy(ws.paths, str(shared)).phrases[1].id == "t3"
    shared.unlink()
    assert "cannot read" in subs.refresh(ws, shared).warning
    assert _snapshot(huashu_home) == own_files
    assert ws.library.phrase("m1") is not None


def test_subscribe_refuses_a_broken_pack(huashu_home: Path, tmp_path: Path) -> None:
    ws = _own(huashu_home)
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack]\nformat = 9\nname = 'x'\n", "utf-8")
    with pytest.raises(PackError, match="newer"):
        subs.subscribe(ws, bad)
    assert ws.settings.subscriptions == []
    assert not any((huashu_home / "subscriptions").glob("*.toml"))


def test_unsubscribe_keeps_own_phrases(huashu_home: Path, tmp_path: Path) -> None:
    ws = _own(huashu_home)
    mine = ws.library.phrases[0]
    shared = tmp_path / "team.toml"
    _write_team(shared)
    res = subs.subscribe(ws, shared)

    assert subs.unsubscribe(ws, str(shared)) == 2
    assert ws.settings.subscriptions == []
    assert not any(p.source for p in ws.library.phrases)
    assert ws.library.phrase(mine.id) is not None  # the personal copy stays
    assert not (huashu_home / "subscriptions" / f"{res.slug}.toml").exists()
    with pytest.raises(subs.SubscriptionError, match="not subscribed"):
        subs.unsubscribe(ws, shared)


def test_copy_is_a_valid_pack_with_source(huashu_home: Path, tmp_path: Path) -> None:
    ws = _own(huashu_home)
    shared = tmp_path / "t.toml"
    _write_team(shared)
    res = subs.subscribe(ws, shared)
    pack = read_pack(huashu_home / "subscriptions" / f"{res.slug}.toml")
    assert pack.meta.name == "团队话术" and len(pack.phrases) == 2
