"""Pinyin encoding, matching and the on-disk cache (app/core/pinyin.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.core import pinyin as pinyin_mod
from app.core.pinyin import (
    PinyinCache,
    full_key,
    full_pattern,
    initials_key,
    letters_key,
    pinyin_query,
    reading_starters,
)


@pytest.fixture(scope="module")
def cache() -> PinyinCache:
    return PinyinCache(None)


def readings(cache: PinyinCache, text: str) -> list[set[str]]:
    return [set(s) for s in cache.get(text).syllables]


# -- encoding ---------------------------------------------------------------------------------
def test_plain_text_has_one_reading_per_character(cache: PinyinCache) -> None:
    assert cache.get("催付").syllables == (("cui",), ("fu",))
    assert cache.get("欢迎").primary == "huan ying"


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("长款", 0, {"chang", "zhang"}),
        ("银行", 1, {"xing", "hang"}),
        ("重新发货", 0, {"zhong", "chong"}),
        ("还没付款", 0, {"hai", "huan"}),
    ],
)
def test_heteronyms_keep_every_reading(
    cache: PinyinCache, text: str, index: int, expected: set[str]
) -> None:
    assert expected <= readings(cache, text)[index]


def test_reading_in_context_comes_first(cache: PinyinCache) -> None:
    assert cache.get("重新").syllables[0][0] == "chong"
    assert cache.get("银行").syllables[1][0] == "hang"
    assert letters_key(cache.get("银行卡").encoded) == "yinhangka"


def test_non_chinese_passes_through_lowercased(cache: PinyinCache) -> None:
    tp = cache.get("VIP客户 618大促!")
    assert tp.syllables[0] == ("vip",)
    assert tp.syllables[3] == ("618",)
    assert len(tp.syllables) == 6  # vip ke hu 618 da cu; space and "!" dropped


def test_full_width_letters_are_normalised(cache: PinyinCache) -> None:
    assert cache.get("ＣＦ提醒").syllables[0] == ("cf",)
    assert pinyin_query("ＣＦ") == "cf"
    assert pinyin_query(" Cui Fu ") == "cuifu"
    assert pinyin_query("xi'an") == "xian"
    assert pinyin_query("催fu") is None


def test_v_readings_also_accept_u(cache: PinyinCache) -> None:
    assert {"lv", "lu"} <= readings(cache, "绿")[0]
    assert cache.get("女装").match("nuzhuang") == "pinyin"
    assert cache.get("女装").match("nvzhuang") == "pinyin"


def test_keys(cache: PinyinCache) -> None:
    enc = cache.get("催付").encoded
    assert initials_key(enc) == "cf"
    assert full_key(enc) == "CuiFu"
    enc = cache.get("长城").encoded
    assert full_key(enc).startswith("Chang\x02")
    ini = initials_key(enc)
    assert len(ini) == 2 and ini[1] == "c"
    assert {"c", "z"} <= reading_starters([ini])


def test_empty_and_punctuation_only(cache: PinyinCache) -> None:
    assert cache.get("").syllables == ()
    assert cache.get("……!").syllables == ()
    assert cache.get("").match("a") is None


# -- matching ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("催付", "cf", "initials"),
        ("欢迎", "hy", "initials"),
        ("长城", "cc", "initials"),
        ("长城", "zc", "initials"),
        ("银行卡", "yhk", "initials"),
        ("银行卡", "yxk", "initials"),
        ("还没付款", "hmfk", "initials"),
        ("催付", "cuifu", "pinyin"),
        ("催付", "cui fu", "pinyin"),
        ("催付", "cuif", "pinyin"),
        ("催付", "cfu", "pinyin"),
        ("催付", "CUIFU", "pinyin"),
        ("温柔催付提醒", "cuifuti", "pinyin"),
        ("长城", "changcheng", "pinyin"),
        ("长城", "zhangcheng", "pinyin"),
        ("重新发货", "chongxin", "pinyin"),
        ("重新发货", "zhongxin", "pinyin"),
        ("还没付款", "huanmei", "pinyin"),
        ("还没付款", "haimeifukuan", "pinyin"),
        ("VIP客户", "vipkehu", "pinyin"),
        ("VIP客户", "vkh", "initials"),
        ("催付", "cuifo", None),
        ("催付", "uifu", None),  # a match starts where a reading starts
        ("长城", "hc", None),
        ("欢迎", "yh", None),
    ],
)
def test_match(cache: PinyinCache, text: str, query: str, expected: str | None) -> None:
    assert cache.get(text).match(query) == expected


TEXTS = [
    "催付提醒",
    "温柔催付",
    "长城宽带",
    "银行卡付款",
    "还没付款",
    "重新发货",
    "U盘促销",
    "iPhone手机壳",
    "VIP客户",
    "西安发货",
    "绿色女装",
    "亲爱的",
]
QUERIES = [
    "cuifu",
    "cuif",
    "cf",
    "cfu",
    "xian",
    "xia",
    "upan",
    "iphone",
    "iphonesj",
    "shoujike",
    "vipkh",
    "changc",
    "zhangc",
    "yinhangka",
    "yinxing",
    "huanmei",
    "chongxinfahuo",
    "lvse",
    "lusenv",
    "qinaide",
    "qinai",
    "qad",
    "ai",
    "uu",
]


def _matches(pattern_for: object, cache: PinyinCache) -> set[tuple[str, str]]:
    out = set()
    for text in TEXTS:
        key = full_key(cache.get(text).encoded)
        for q in QUERIES:
            if pattern_for(q).search(key):  # type: ignore[operator]
                out.add((text, q))
    return out


def test_anchored_pattern_finds_the_same_matches(cache: PinyinCache) -> None:
    """The literal anchor built from ``starters`` never loses a match (u/i latin words)."""
    starters = reading_starters(initials_key(cache.get(t).encoded) for t in TEXTS)
    assert {"u", "i"} <= starters
    plain = _matches(lambda q: full_pattern(q), cache)
    anchored = _matches(lambda q: full_pattern(q, starters), cache)
    assert anchored == plain
    assert ("U盘促销", "upan") in plain and ("西安发货", "xian") in plain
    # without latin words no reading starts with u or i, so "cuifu" is anchored on "Cui"
    pinyin_only = reading_starters(initials_key(cache.get(t).encoded) for t in TEXTS[:6])
    assert full_pattern("cuifu", pinyin_only).pattern.startswith("Cui")


def test_python310_pattern_matches_the_same(
    cache: PinyinCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The atomic-group idiom used on Python 3.10 is equivalent to possessive quantifiers."""
    first = _matches(lambda q: full_pattern(q), cache)
    monkeypatch.setattr(pinyin_mod, "_POSSESSIVE", not pinyin_mod._POSSESSIVE)
    second = _matches(lambda q: full_pattern(q), cache)
    assert first == second
    assert len(first) > 15


# -- cache ------------------------------------------------------------------------------------
def test_cache_persists_and_saves_only_when_dirty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sub" / "pinyin-cache.json"
    c = PinyinCache(path)
    assert c.prime(["催付", "欢迎", "催付"]) == 2
    assert c.prime(["催付"]) == 0
    assert c.get("长城").encoded
    assert c.dirty
    c.save()
    assert c.dirty is False
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == pinyin_mod.CACHE_FORMAT
    assert set(data["entries"]) == {"催付", "欢迎", "长城"}
    assert not list(path.parent.glob("*.tmp"))  # the temp file was renamed over

    writes: list[Path] = []
    monkeypatch.setattr(pinyin_mod, "atomic_write_bytes", lambda p, t: writes.append(p))
    c.save()
    assert writes == []  # not dirty: nothing written

    again = PinyinCache(path)
    assert len(again) == 3 and "催付" in again
    assert again.get("长城") == c.get("长城")
    assert again.computed == 0 and not again.dirty


def test_prune(tmp_path: Path) -> None:
    c = PinyinCache(tmp_path / "c.json")
    c.prime(["催付", "欢迎", "物流"])
    c.save()
    c.prune({"催付", "物流", "never-cached"})
    assert c.dirty
    c.save()
    assert set(PinyinCache(tmp_path / "c.json")._entries) == {"催付", "物流"}
    c.prune({"催付", "物流"})
    assert not c.dirty


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe garbage",
        b"{not json",
        b"[1, 2, 3]",
        b'{"format": 999, "entries": {}}',
        b'{"format": 1, "entries": {"a": 1}}',
        b'{"format": 1, "entries": []}',
        b'{"entries": {"a": "a"}}',
        b'{"format": 1, "entries": {"\xff": "a"}}',
        b"",
    ],
)
def test_corrupt_cache_file_is_ignored_and_rebuilt(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "pinyin-cache.json"
    path.write_bytes(content)
    c = PinyinCache(path)
    assert len(c) == 0
    assert c.dirty is True  # replaced on the next save, even with nothing new in it
    (record,) = caplog.records
    assert record.getMessage().startswith(f"pinyin cache {path} is corrupt, rebuilding it: ")
    assert record.getMessage() != f"pinyin cache {path} is corrupt, rebuilding it: None"
    if b"999" in content:
        assert record.getMessage().endswith("unknown format 999")
    assert c.get("催付").match("cf") == "initials"
    c.save()
    assert set(json.loads(path.read_text("utf-8"))["entries"]) == {"催付"}


def test_unreadable_cache_path_does_not_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "a-directory"
    path.mkdir()
    c = PinyinCache(path)
    assert c.dirty is True
    (record,) = caplog.records
    assert record.getMessage().startswith(f"pinyin cache {path} not readable, rebuilding it: ")
    assert not record.getMessage().endswith("None")  # the reason, from the OS
    caplog.clear()
    assert c.get("催付").primary == "cui fu"
    c.save()  # cannot replace a directory: logged, not raised
    assert c.dirty
    (record,) = caplog.records
    assert record.getMessage().startswith(f"pinyin cache {path} not saved: ")
    assert not record.getMessage().endswith("None")  # the reason, from the OS


def test_encode_uses_the_converter_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    pinyin_mod.encode("催付")  # a converter now exists

    def no_new_one() -> None:
        raise AssertionError("asked for a converter while one exists")

    monkeypatch.setattr(pinyin_mod, "_get_converter", no_new_one)
    assert pinyin_mod.encode("长城 VIP") == "chang|zhang cheng vip"


def _run(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


LAZY_SCRIPT = """
    import sys
    from pathlib import Path
    from app.core.model import Category, Library, Phrase
    from app.core.pinyin import PinyinCache
    from app.core.search import SearchIndex

    lib = Library(
        [Category("pay", "催付"), Category("ship", "物流")],
        [Phrase("a", "温柔催付", "您好", "pay", code="cf1"), Phrase("b", "物流查询", "", "ship")],
    )
    cache = PinyinCache(Path({path!r}))
    index = SearchIndex(lib, cache)
    for q in ["cf", "cuifu", "wl", "物流", "cuifo", "物留", "", "vip"]:
        index.search(q)
    cache.get("ascii only text")
    print("before", "pypinyin" in sys.modules)
    cache.get("{extra}")
    print("after", "pypinyin" in sys.modules)
"""


def test_pypinyin_is_imported_only_for_uncached_chinese(tmp_path: Path) -> None:
    path = tmp_path / "pinyin-cache.json"
    c = PinyinCache(path)
    c.prime(["温柔催付", "物流查询", "催付", "物流"])
    c.save()
    out = _run(LAZY_SCRIPT.format(path=str(path), extra="长城"))
    assert out.splitlines() == ["before False", "after True"]
    # and with an empty cache the index build itself needs pypinyin
    out = _run(LAZY_SCRIPT.format(path=str(tmp_path / "missing.json"), extra="催付"))
    assert out.splitlines() == ["before True", "after True"]


def test_a_run_of_chinese_is_converted_once(monkeypatch: pytest.MonkeyPatch) -> None:
    conv = pinyin_mod._Converter()
    calls: list[str] = []
    real = conv._lazy

    def counting(text: str, **kw: object) -> list[str]:
        calls.append(text)
        return real(text, **kw)

    monkeypatch.setattr(conv, "_lazy", counting)
    monkeypatch.setattr(pinyin_mod, "_converter", conv)
    encode = pinyin_mod.encode
    first = encode("长城发货")
    assert encode("长城发货") == first == "chang|zhang cheng fa huo"
    assert encode("VIP长城发货!") == "vip " + first
    assert calls == ["长城发货"]  # converted once, then remembered
    monkeypatch.setattr(pinyin_mod, "MAX_MEMO_RUNS", 2)
    encode("退款")  # the memo holds 2 runs now: the next new one starts it afresh
    encode("优惠")
    assert list(conv._run_slots) == ["优惠"]
    assert encode("长城发货") == first and calls[-1] == "长城发货"
