"""Qianniu CSV both ways, encoding detection, plain text import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.core.fsutil import Paths
from app.core.importing import apply_import
from app.core.model import Category, Library, Phrase
from app.core.packs import PackError, plan_import, preview_import, read_any
from app.core.packs.qianniu import (
    DEFAULT_GROUP,
    HEADER,
    decode_text,
    dump_qianniu,
    export_qianniu,
    make_title,
    parse_plain_text,
    parse_qianniu,
    read_qianniu,
)
from app.core.workspace import Workspace

ROWS = [
    ("cf1", "亲,您的订单还没有付款哦", "催付"),
    ("cf2", '第一行\n第二行,带逗号和"引号"', "催付"),
    ("", "没有编码的短语", "物流"),
    ("wl1", "已发顺丰,请注意查收", "物流"),
    ("x1", "无分组", ""),
]


def _csv(rows: list[tuple[str, str, str]], newline: str = "\r\n") -> str:
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator=newline)
    w.writerow(HEADER)
    w.writerows(rows)
    return out.getvalue()


def _lib() -> Library:
    lib = Library()
    lib.add_category(Category("payment", "催付", 10))
    lib.add_category(Category("after", "售后", 20))
    lib.add_category(Category("after-return", "退换", 1, parent="after"))
    lib.add_phrase(Phrase("c1", "催付", "亲,您的订单还没有付款哦", "payment", code="cf1"))
    lib.add_phrase(Phrase("r1", "退货", "退货请填单号\n谢谢", "after-return", code="th1"))
    return lib


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gbk"),
        ("gb18030", b"", "gbk"),  # GB18030 text of GBK characters is GBK
    ],
)
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_same_csv_in_every_encoding_and_line_end(
    encoding: str, bom: bytes, name: str, newline: str
) -> None:
    data = bom + _csv(ROWS, newline).encode(encoding)
    pack = parse_qianniu(data, "q.csv")
    assert pack.encoding == name
    assert pack.kind == "qianniu" and not pack.has_ids
    got = [(p.code, p.body) for p in pack.phrases]
    assert got == [(c, b) for c, b, _ in ROWS]
    groups = {c.id: c.name for c in pack.categories}
    assert [groups[p.category] for p in pack.phrases] == [
        "催付",
        "催付",
        "物流",
        "物流",
        DEFAULT_GROUP,
    ]
    assert pack.phrases[0].title == make_title(ROWS[0][1])


def test_gb18030_only_characters_are_detected() -> None:
    data = _csv([("a1", "𠮷野家的订单", "催付")]).encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        "𠮷".encode("gbk")
    text, enc = decode_text(data, "q.csv")
    assert enc == "gb18030" and "𠮷野家" in text


def test_export_is_bom_crlf_quoted_and_reimports_identically(tmp_path: Path) -> None:
    lib = _lib()
    path = tmp_path / "out.csv"
    assert export_qianniu(lib, path) == 2
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n")
    assert data.endswith(b"\r\n")
    # The multi-line body is quoted; its inner line break is kept, rows end in CRLF.
    assert '"退货请填单号\n谢谢"' in data.decode("utf-8-sig")
    pack = read_qianniu(path)
    assert [(p.code, p.body) for p in pack.phrases] == [
        ("cf1", "亲,您的订单还没有付款哦"),
        ("th1", "退货请填单号\n谢谢"),
    ]
    pv = preview_import(lib, pack)
    assert pv.totals.identical == 2 and pv.new_categories == []
    # Group '退换' maps back to the existing second-level category.
    assert pv.category_map == {
        c.id: t for c, t in zip(pack.categories, ["payment", "after-return"], strict=True)
    }


def test_export_chosen_category_only() -> None:
    data = dump_qianniu(_lib(), ["售后"]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows == [list(HEADER), ["th1", "退货请填单号\n谢谢", "退换"]]


def test_import_creates_groups_and_resolves_code_conflicts(huashu_home: Path) -> None:
    ws = Workspace.open(Paths(huashu_home), seed=False)
    ws.library = _lib()
    ws.save_library()
    data = _csv([("cf1", "另一种催付说法", "催付"), ("wl1", "已发货", "物流")]).encode("gbk")
    pack = parse_qianniu(data, "team.csv")
    pv = preview_import(ws.library, pack)
    assert pv.counts()["催付"].conflict == 1
    assert pv.counts()["物流"].new == 1
    assert [c.name for c in pv.new_categories] == ["物流"]
    res = apply_import(ws, pv, "keep-both")
    assert res.kept_both == 1 and res.added == 1
    codes = sorted(p.code for p in ws.library.phrases)
    assert codes == ["cf1", "cf1-2", "th1", "wl1"]
    again = Workspace.open(Paths(huashu_home), seed=False)
    assert sorted(p.code for p in again.library.phrases) == codes


def test_row_problems_have_the_right_line_after_multiline_bodies() -> None:
    text = _csv([("a", "一\n二\n三", "g"), ("x" * 40, "体", "g"), ("b", "", "g")], "\n")
    with pytest.raises(PackError) as info:
        parse_qianniu(text.encode(), "q.csv")
    probs = [(p.line, p.message) for p in info.value.problems]
    assert probs[0][0] == 5 and "limit is 32" in probs[0][1]
    assert probs[1][0] == 6 and "empty" in probs[1][1]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty file"),
        ("编码,内容\nA,B\n".encode(), "first line must be the header"),
        (b"\xff\xfeh\x00i\x00", "UTF-16"),
        (b"\x00\x01\x02junk", "binary"),
        (_csv([("a", "b\x07", "g")]).encode(), "U+0007"),
        (",".join(HEADER).encode() + b'\n"unterminated,x\n', "invalid CSV"),
    ],
)
def test_bad_csv_files(data: bytes, needle: str) -> None:
    with pytest.raises(PackError) as info:
        parse_qianniu(data, "q.csv")
    assert any(needle in p.message for p in info.value.problems), info.value.problems


def test_plain_text_one_phrase_per_line(tmp_path: Path) -> None:
    text = "您好,请问有什么可以帮您的吗?我们全天在线\r\n\r\n  好的,马上为您处理  \n最后一句"
    path = tmp_path / "lines.txt"
    path.write_bytes(text.encode("gbk"))
    pack = read_any(path, text_category="常用")
    assert pack.kind == "text" and pack.encoding == "gbk"
    assert [p.body for p in pack.phrases] == [
        "您好,请问有什么可以帮您的吗?我们全天在线",
        "好的,马上为您处理",
        "最后一句",
    ]
    assert pack.phrases[0].title == "您好,请问有什么可以帮您…"
    assert pack.phrases[1].title == "好的,马上为您处理"
    lib = _lib()
    new, res = plan_import(lib, preview_import(lib, pack))
    cat = [c for c in new.categories if c.name == "常用"]
    assert len(cat) == 1 and res.added == 3
    assert len(new.phrases_in(cat[0].id)) == 3
    # Into an existing category by name; a second import is all identical.
    pack2 = parse_plain_text("亲,您的订单还没有付款哦\n".encode(), "x.txt", "催付")
    assert preview_import(lib, pack2).totals.identical == 1
    with pytest.raises(PackError, match="category"):
        read_any(path)


def test_only_a_byte_order_mark_is_stripped_from_the_header() -> None:
    good = "\ufeff快捷短语编码,快捷短语\nhy,您好\n"
    assert [p.body for p in parse_qianniu(good.encode(), "q.csv").phrases] == ["您好"]
    with pytest.raises(PackError, match="快捷短语编码"):
        parse_qianniu("X快捷短语编码,快捷短语\nhy,您好\n".encode(), "q.csv")
