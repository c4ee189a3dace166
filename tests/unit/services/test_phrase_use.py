"""app.services.phrase_use: the steps of using a phrase, without windows."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.workspace import Workspace
from app.services.phrase_use import PhraseUse, UnknownField, remember


@pytest.fixture
def ws(huashu_home: Path) -> Workspace:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    lib = Library()
    lib.add_category(Category("c", "常用", 1))
    lib.add_phrase(Phrase("plain", "问候", "您好，欢迎光临", "c", code="hy"))
    lib.add_phrase(Phrase("ask", "订单", "您的订单{输入:订单号}已发出，{光标}请查收", "c"))
    lib.add_phrase(Phrase("me", "工号", "我是{工号}号客服", "c"))
    lib.add_phrase(Phrase("clip", "剪贴板", "您说的是：{剪贴板}", "c"))
    lib.add_phrase(Phrase("bad", "保证", "全网最低价", "c"))
    ws.library = lib
    ws.save_library()
    ws.settings.profile.agent_no = "7"
    yield ws
    ws.close()


def test_plan(ws: Workspace) -> None:
    use = PhraseUse(ws)
    assert use.plan("gone") is None
    plain = use.plan("plain")
    assert plain is not None and plain.phrase.id == "plain"
    assert plain.fields == [] and plain.empty_profile == []
    ask = use.plan("ask")
    assert ask is not None and [f.key for f in ask.fields] == ["input:订单号"]
    ws.settings.profile.agent_no = ""
    me = use.plan("me")
    assert me is not None and me.empty_profile == ["{工号}"] and me.fields == []


def test_reply_renders_with_values_cursor_and_clipboard(ws: Workspace) -> None:
    use = PhraseUse(ws, clipboard=lambda: "什么时候发货")
    phrase = ws.library.phrase("ask")
    assert phrase is not None
    reply = use.reply(phrase, {"input:订单号": "A1"})
    assert reply.text == "您的订单A1已发出，请查收"
    assert reply.cursor == len("您的订单A1已发出，")
    assert reply.phrase_id == "ask" and reply.flagged is False
    clip = ws.library.phrase("clip")
    assert clip is not None
    assert use.reply(clip, {}).text == "您说的是：什么时候发货"
    assert use.reply(clip, {}).cursor is None
    assert PhraseUse(ws).reply(clip, {}).text == "您说的是："  # no clipboard: empty


def test_reply_is_flagged_by_the_lint(ws: Workspace) -> None:
    bad = ws.library.phrase("bad")
    assert bad is not None
    assert PhraseUse(ws).reply(bad, {}).flagged is True


def test_previewer_follows_the_values(ws: Workspace) -> None:
    phrase = ws.library.phrase("ask")
    assert phrase is not None
    preview = PhraseUse(ws).previewer(phrase)
    assert "B2" in preview({"input:订单号": "B2"})
    assert "B2" not in preview({})
    me = ws.library.phrase("me")
    clip = ws.library.phrase("clip")
    assert me is not None and clip is not None
    assert PhraseUse(ws).previewer(me)({}) == "我是7号客服"  # the profile
    assert PhraseUse(ws, clipboard=lambda: "在吗").previewer(clip)({}) == "您说的是：在吗"


def test_remember() -> None:
    recent = {"订单号": ["A1", "A2"]}
    out = remember(recent, {"订单号": " A2 ", "备注": "  ", "新": "x"}, limit=2)
    assert out == {"订单号": ["A2", "A1"], "新": ["x"]}
    assert recent == {"订单号": ["A1", "A2"]}  # untouched
    assert remember({"k": ["1", "2", "3"]}, {"k": "4"}, limit=3) == {"k": ["4", "1", "2"]}
    assert remember({}, {"k": "v"}, limit=0) == {"k": []}
    many = {"k": [str(i) for i in range(20)]}
    assert remember(many, {"k": "new"})["k"] == ["new", *map(str, range(9))]  # 10 kept


def test_remember_values_saves_them(ws: Workspace) -> None:
    use = PhraseUse(ws)
    assert use.remember_values({"订单号": "A1"}) == ""
    assert ws.settings.recent_values["订单号"][0] == "A1"
    again = Workspace.open(ws.paths, seed=False)
    try:
        assert again.settings.recent_values["订单号"] == ["A1"]
    finally:
        again.close()


def test_a_failing_save_is_a_reason_not_a_crash(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OSError("disk full")

    monkeypatch.setattr(ws, "save_settings", broken)
    use = PhraseUse(ws)
    with caplog.at_level(logging.WARNING):
        assert use.remember_values({"订单号": "A1"}) == "disk full"
        assert use.select_shop("新店") == "disk full"
    assert "recent values not saved" in caplog.text and "shop not saved" in caplog.text
    assert ws.settings.recent_values["订单号"] == ["A1"]  # kept in memory
    assert ws.settings.profile.shop == "新店"
    monkeypatch.delattr(ws, "save_settings")  # the real one again
    ws.settings_ok = False  # settings.toml was unreadable: it is never written
    before = ws.paths.settings.read_bytes() if ws.paths.settings.exists() else None
    assert use.remember_values({"订单号": "A2"}) == ""
    assert use.select_shop("旧店") == ""
    after = ws.paths.settings.read_bytes() if ws.paths.settings.exists() else None
    assert after == before


def test_select_shop_saves_it(ws: Workspace) -> None:
    assert PhraseUse(ws).select_shop("第二家店") == ""
    again = Workspace.open(ws.paths, seed=False)
    try:
        assert again.settings.profile.shop == "第二家店"
    finally:
        again.close()


def test_delivered_counts_a_use(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    use = PhraseUse(ws)
    assert use.delivered("") == ""
    assert use.delivered("plain") == ""
    assert ws.usage.get("plain")[0] == 1
    monkeypatch.setattr(ws, "record_use", lambda pid: "usage file is read-only")
    assert use.delivered("plain") == "usage file is read-only"


def test_learn_is_best_effort(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    learnt: list[tuple[str, str]] = []
    monkeypatch.setattr(ws, "learn", lambda m, p: learnt.append((m, p)))
    PhraseUse(ws).learn("什么时候发货", "plain")
    assert learnt == [("什么时候发货", "plain")]

    def broken(message: str, phrase_id: str) -> None:
        raise RuntimeError("locked")

    monkeypatch.setattr(ws, "learn", broken)
    PhraseUse(ws).learn("什么时候发货", "plain")  # no exception
    assert "could not learn from the choice of plain" in caplog.text


def test_field_values_by_key_label_or_alias(ws: Workspace) -> None:
    use = PhraseUse(ws)
    ask = ws.library.phrase("ask")
    assert ask is not None
    assert use.field_values(ask, {"订单号": "A1"}) == {"input:订单号": "A1"}  # label
    assert use.field_values(ask, {"input:订单号": "A2"}) == {"input:订单号": "A2"}  # key
    assert use.field_values(ask, {}) == {}
    with pytest.raises(UnknownField, match=r"has no field '颜色' \(fields: input:订单号\)"):
        use.field_values(ask, {"颜色": "红"})
    ws.library.add_phrase(Phrase("cp", "顾客", "{顾客}您好，{商品}有货", "c"))
    cp = ws.library.phrase("cp")
    assert cp is not None
    got = use.field_values(cp, {"顾客": "王", "product": "鞋"})  # alias and key
    assert got == {"customer": "王", "product": "鞋"}
    plain = ws.library.phrase("plain")
    assert plain is not None
    with pytest.raises(UnknownField, match=r"\(fields: none\)"):
        use.field_values(plain, {"x": "1"})
