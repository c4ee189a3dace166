"""The built-in phrase packs shipped in the ``phrases`` package."""

from __future__ import annotations

import importlib.resources
import re
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pypinyin
import pytest

from app.core import template
from app.core.document import parse_document
from app.core.lint import Linter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# file -> (top category id, name, order, code prefix)
PACKS = {
    "greeting.toml": ("greeting", "欢迎语", 10, "hy"),
    "bargaining.toml": ("bargaining", "议价", 20, "yj"),
    "payment.toml": ("payment", "催付", 30, "cf"),
    "logistics.toml": ("logistics", "物流", 40, "wl"),
    "aftersales.toml": ("aftersales", "售后", 50, "sh"),
}
HOTKEYS = {
    "ctrl+alt+1": "greeting-welcome",
    "ctrl+alt+2": "payment-reminder",
    "ctrl+alt+3": "logistics-ship-time",
    "ctrl+alt+4": "aftersales-apology",
    "ctrl+alt+5": "greeting-closing-thanks",
}
PHRASE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Pack:
    file: str
    raw: dict[str, Any]

    @property
    def phrases(self) -> list[dict[str, Any]]:
        return list(self.raw.get("phrases", []))

    @property
    def categories(self) -> list[dict[str, Any]]:
        return list(self.raw.get("categories", []))


def _read(name: str) -> str:
    return importlib.resources.files("app.phrases").joinpath(name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def packs() -> list[Pack]:
    return [Pack(name, tomllib.loads(_read(name))) for name in PACKS]


@pytest.fixture(scope="module")
def phrases(packs: list[Pack]) -> list[dict[str, Any]]:
    return [p for pack in packs for p in pack.phrases]


def test_the_package_ships_exactly_the_five_packs() -> None:
    root = importlib.resources.files("app.phrases")
    names = {entry.name for entry in root.iterdir() if entry.name.endswith(".toml")}
    assert names == set(PACKS)


@pytest.mark.parametrize("name", list(PACKS))
def test_pack_table(name: str) -> None:
    meta = tomllib.loads(_read(name))["pack"]
    assert meta["format"] == 1
    assert meta["name"] == PACKS[name][1]
    assert meta["version"] == "1.0.0"
    assert meta["author"] == "Huashu"
    assert meta["created"] == "2026-11-23"
    assert isinstance(meta["description"], str) and meta["description"].strip()


@pytest.mark.parametrize("name", list(PACKS))
def test_pack_parses_without_problems_in_the_app_loader(name: str) -> None:
    doc = parse_document(_read(name), name)
    assert doc.problems == []
    assert doc.phrases


@pytest.mark.parametrize("name", list(PACKS))
def test_categories_of_each_pack(name: str) -> None:
    top_id, top_name, top_order, _ = PACKS[name]
    cats = tomllib.loads(_read(name))["categories"]
    tops = [c for c in cats if not c.get("parent")]
    assert [(c["id"], c["name"], c["order"]) for c in tops] == [(top_id, top_name, top_order)]
    for c in cats:
        if c.get("parent"):
            assert c["parent"] == top_id
            assert c["id"].startswith(top_id + "-")
    assert len({c["id"] for c in cats}) == len(cats)


def test_second_level_categories_named_in_the_brief(packs: list[Pack]) -> None:
    names = {c["id"]: c["name"] for pack in packs for c in pack.categories}
    assert names["payment-sms"] == "短信催付"
    assert names["payment-remarks"] == "订单备注"
    assert names["aftersales-returns"] == "退换货"
    assert names["greeting-busy"] == "高峰期"


def test_enough_phrases_in_every_category(packs: list[Pack]) -> None:
    counts = {pack.file: len(pack.phrases) for pack in packs}
    assert sum(counts.values()) >= 80, counts
    assert min(counts.values()) >= 12, counts


def test_every_phrase_has_the_required_fields(phrases: list[dict[str, Any]]) -> None:
    for p in phrases:
        for key in ("id", "title", "body", "category", "code", "tags"):
            assert p.get(key), (p.get("id"), key)
        assert PHRASE_ID_RE.match(p["id"]), p["id"]
        assert 2 <= len(p["title"]) <= 10, p["title"]
        assert isinstance(p["tags"], list) and all(isinstance(t, str) for t in p["tags"])


def test_ids_and_codes_are_unique(phrases: list[dict[str, Any]]) -> None:
    ids = Counter(p["id"] for p in phrases)
    codes = Counter(p["code"].lower() for p in phrases)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [c for c, n in codes.items() if n > 1] == []


def test_ids_and_codes_follow_the_pack(packs: list[Pack]) -> None:
    for pack in packs:
        top_id, _, _, prefix = PACKS[pack.file]
        numbers = []
        for p in pack.phrases:
            assert p["id"].startswith(top_id + "-") or p["id"] == top_id, p["id"]
            m = re.fullmatch(prefix + r"(\d+)", p["code"])
            assert m, p["code"]
            numbers.append(int(m.group(1)))
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), pack.file


def test_every_phrase_category_exists_in_its_file(packs: list[Pack]) -> None:
    for pack in packs:
        ids = {c["id"] for c in pack.categories}
        for p in pack.phrases:
            assert p["category"] in ids, (pack.file, p["id"], p["category"])


def test_hotkeys_exactly_as_specified(phrases: list[dict[str, Any]]) -> None:
    with_keys = {p["hotkey"]: p["id"] for p in phrases if p.get("hotkey")}
    assert with_keys == HOTKEYS
    assert len([p for p in phrases if p.get("hotkey")]) == len(HOTKEYS)


def test_standard_welcome(phrases: list[dict[str, Any]]) -> None:
    welcome = next(p for p in phrases if p["id"] == "greeting-welcome")
    assert "{工号}" in welcome["body"]
    assert "{店铺}" in welcome["body"]
    assert "{问候}" in welcome["body"] or "您好" in welcome["body"]
    assert welcome["category"] == "greeting"


def test_order_remark_templates(phrases: list[dict[str, Any]]) -> None:
    bodies = {p["body"] for p in phrases}
    assert "{date:%m.%d} {客服} 已催付" in bodies
    assert "{date:%m.%d} {客服} 顾客{input:付款时间}付款" in bodies


def test_polite_wording(phrases: list[dict[str, Any]]) -> None:
    for p in phrases:
        assert "亲" not in p["body"] and "亲" not in p["title"], p["id"]
    assert sum("您" in p["body"] for p in phrases) >= len(phrases) * 0.8


def test_chinese_punctuation_is_full_width(phrases: list[dict[str, Any]]) -> None:
    for p in phrases:
        outside = re.sub(r"\{[^{}]*\}", "", p["body"])
        assert not re.search(r"[,!?;]", outside), p["id"]


def test_linter_finds_nothing_in_built_in_phrases(packs: list[Pack]) -> None:
    linter = Linter.default()
    for pack in packs:
        doc = parse_document(_read(pack.file), pack.file)
        for phrase in doc.phrases:
            assert linter.check_phrase(phrase) == [], phrase.id


def test_placeholder_variety(phrases: list[dict[str, Any]]) -> None:
    bodies = [p["body"] for p in phrases]
    assert sum("{choice:" in b for b in bodies) >= 2
    assert sum("{input:" in b for b in bodies) >= 2
    assert any("{光标}" in b or "{cursor}" in b for b in bodies)
    assert sum("\n" in b for b in bodies) >= 2
    common = ("{问候}", "{工号}", "{店铺}", "{顾客}", "{商品}", "{date", "{客服}")
    assert sum(any(c in b for c in common) for b in bodies) >= 30


def test_search_titles(packs: list[Pack]) -> None:
    by_file = {pack.file: pack for pack in packs}
    for p in by_file["payment.toml"].phrases:
        assert "催付" in p["title"], p["title"]
    for p in by_file["greeting.toml"].phrases:
        if p["category"] in ("greeting", "greeting-busy"):
            assert "欢迎" in p["title"], p["title"]


def test_search_titles_have_the_expected_pinyin_initials(packs: list[Pack]) -> None:
    def initials(text: str) -> str:
        return "".join(pypinyin.lazy_pinyin(text, style=pypinyin.Style.FIRST_LETTER)).lower()

    by_file = {pack.file: pack for pack in packs}
    for p in by_file["payment.toml"].phrases:
        assert "cf" in initials(p["title"]), p["title"]
    for p in by_file["greeting.toml"].phrases:
        if p["category"] in ("greeting", "greeting-busy"):
            assert "hy" in initials(p["title"]), p["title"]


def test_no_unknown_placeholders(phrases: list[dict[str, Any]]) -> None:
    for p in phrases:
        assert template.unknown_placeholders(p["body"]) == [], p["id"]
        assert template.unknown_placeholders(p["title"]) == [], p["id"]
