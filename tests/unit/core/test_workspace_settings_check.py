"""The settings check lives in ``Workspace.transaction()`` (issue 12): a change that
writes settings.toml is refused there, before it starts, when settings.toml failed to
load; library changes and replies go on."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import subscriptions as subs
from app.core.fsutil import Paths
from app.core.messages import localize
from app.core.model import Category, Library, Phrase
from app.core.packs import PackMeta, build_pack, dump_pack
from app.core.settings import SettingsError, SettingsNotLoaded
from app.core.workspace import Workspace
from app.services.phrase_use import PhraseUse

BROKEN = "schema_version = [\n"


def _open(home: Path, settings: str | None = None) -> Workspace:
    home.mkdir(parents=True, exist_ok=True)
    if settings is not None:
        (home / "settings.toml").write_text(settings, "utf-8")
    return Workspace.open(Paths(home), seed=False)


def _pack(path: Path, n: int = 2) -> Path:
    lib = Library([Category("c", "C")], [Phrase(f"p{i}", f"t{i}", "b", "c") for i in range(n)])
    path.write_text(dump_pack(build_pack(lib, PackMeta("团队"))), "utf-8")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Workspace:
    ws = _open(tmp_path / "home", BROKEN)
    assert not ws.settings_ok
    yield ws  # type: ignore[misc]
    ws.close()


def _events(ws: Workspace) -> list[int]:
    seen: list[int] = []
    ws.watch_library(lambda: seen.append(1))
    return seen


def test_a_settings_transaction_is_refused_before_it_starts(broken: Workspace) -> None:
    seen = _events(broken)
    ran: list[bool] = []
    with pytest.raises(SettingsNotLoaded) as info, broken.transaction(settings=True):
        ran.append(True)
    assert ran == [] and seen == []
    assert info.value.problem.file == "settings.toml"
    assert info.value.args[0].code == "settings.broken"  # type: ignore[attr-defined]
    assert str(info.value) == "settings.toml failed to load, so it is not changed; fix it first"
    assert isinstance(info.value, SettingsError)
    assert localize(info.value, "zh_CN") == "settings.toml 加载失败，因此不会修改它；请先修复该文件"
    assert broken._tx_depth == 0


def test_library_transactions_go_on_with_broken_settings(broken: Workspace) -> None:
    seen = _events(broken)
    with broken.transaction():
        broken.library.add_category(Category("c", "C"))
    assert seen == [1]


def test_settings_transactions_run_when_settings_loaded(tmp_path: Path) -> None:
    ws = _open(tmp_path / "home")
    assert ws.settings_ok
    seen = _events(ws)
    ran: list[bool] = []
    with ws.transaction(settings=True, library=False):
        ran.append(True)
    assert ran == [True] and seen == []  # a settings-only change is no library change
    with ws.transaction(settings=True):
        ran.append(True)
    assert ran == [True, True] and seen == [1]
    ws.save_settings()
    assert seen == [1]  # saving the settings announces no library change
    ws.close()


def test_save_settings_is_refused_through_the_transaction(
    broken: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broken, "_check_profile", lambda: pytest.fail("must not run"))
    broken.settings.picker_hotkey = "ctrl+alt+k"
    with pytest.raises(SettingsNotLoaded):
        broken.save_settings()
    assert broken.paths.settings.read_text("utf-8") == BROKEN


def test_subscribing_fetches_nothing_when_settings_are_broken(
    broken: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = _pack(tmp_path / "team.toml")
    monkeypatch.setattr(subs, "fetch", lambda *a, **k: pytest.fail("fetched"))
    seen = _events(broken)
    with pytest.raises(SettingsNotLoaded):
        subs.subscribe(broken, team)
    assert broken.settings.subscriptions == [] and broken.library.phrases == []
    assert not broken.paths.subscriptions.exists() or not any(broken.paths.subscriptions.iterdir())
    assert broken.paths.settings.read_text("utf-8") == BROKEN
    assert seen == []


def test_unsubscribing_changes_nothing_when_settings_are_broken(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = _open(home)
    team = _pack(tmp_path / "team.toml")
    subs.subscribe(ws, team)
    ws.close()
    text = (home / "settings.toml").read_text("utf-8")
    (home / "settings.toml").write_text(text + "[broken\n", "utf-8")
    ws = _open(home)
    assert not ws.settings_ok
    ws.settings.subscriptions = [str(team)]  # as the defaults lost them
    before = [p.id for p in ws.library.phrases]
    seen = _events(ws)
    with pytest.raises(SettingsNotLoaded):
        subs.unsubscribe(ws, team)
    assert ws.settings.subscriptions == [str(team)]
    assert [p.id for p in ws.library.phrases] == before and seen == []
    ws.close()


def test_a_reply_is_never_blocked_by_broken_settings(broken: Workspace) -> None:
    broken.library.add_category(Category("c", "C"))
    broken.library.add_phrase(Phrase("ask", "t", "您的订单{输入:订单号}已发出", "c"))
    use = PhraseUse(broken)
    phrase = broken.library.phrase("ask")
    assert phrase is not None
    reply = use.reply(phrase, {"input:订单号": "A1"})
    assert reply.text == "您的订单A1已发出"
    assert use.remember_values({"input:订单号": "A1"}) == ""  # skipped, not an error
    assert use.select_shop("新店") == ""
    assert use.delivered("ask") == ""
    assert broken.usage.get("ask")[0] == 1
    assert broken.paths.settings.read_text("utf-8") == BROKEN
