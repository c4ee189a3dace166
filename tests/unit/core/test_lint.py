"""Compliance lint: word list loading, each kind of finding, exceptions, placeholders."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.lint import Finding, LintConfigError, Linter, Rule
from app.core.model import Category, Library, Phrase

FW_COLON = "\uff1a"  # full-width colon
FW_PERCENT = "\uff05"
FW_BAR = "\uff5c"


@pytest.fixture  # per test, so mutation testing ties each test to the word-list code
def linter() -> Linter:
    return Linter.default()


def words(linter: Linter, text: str) -> list[str]:
    return [f.word for f in linter.check_text(text)]


def only(linter: Linter, text: str) -> Finding:
    found = linter.check_text(text)
    assert len(found) == 1, found
    return found[0]


# -- loading ---------------------------------------------------------------------------


def test_default_word_list_loads_every_kind(linter: Linter) -> None:
    assert set(linter.kinds) == {"absolute", "cashback", "fraud", "contact", "offplatform"}
    assert len(linter.rules) >= 60
    assert "第一时间" in linter.allow
    assert all(r.reason for r in linter.rules)


def test_default_is_cached() -> None:
    assert Linter.default() is Linter.default()


def test_default_reads_the_resources_package_file() -> None:
    path = Path(__file__).resolve().parents[3] / "resources" / "compliance.toml"
    from_file = Linter.from_file(path)
    assert from_file.rules == Linter.default().rules
    assert from_file.allow == Linter.default().allow


def test_from_file_custom_list(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_text(
        """
[allow]
words = ["好看的"]

[[sections]]
kind = "custom"
entries = [
  { word = "好看", reason = "test word", suggestion = "漂亮" },
  { regex = 'AB\\d+', reason = "test regex" },
]
""",
        encoding="utf-8",
    )
    lint = Linter.from_file(path)
    found = lint.check_text("很好看,好看的,AB12")
    assert [(f.word, f.kind, f.start, f.end) for f in found] == [
        ("好看", "custom", 1, 3),
        ("AB12", "custom", 8, 12),
    ]
    assert found[0].suggestion == "漂亮"
    assert found[1].suggestion == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sections]]\nkind = 'x'\nentries = [{ regex = '(a)b', reason = 'r' }]", "(?:"),
        ("[[sections]]\nkind = 'x'\nentries = [{ regex = 'a(', reason = 'r' }]", "bad regex"),
        ("[[sections]]\nkind = 'x'\nentries = [{ regex = 'a*', reason = 'r' }]", "empty"),
        ("[[sections]]\nkind = 'x'\nentries = [{ word = 'a' }, { word = 'A' }]", "twice"),
        ("[[sections]]\nkind = 'x'\nentries = [{ reason = 'no word' }]", "exactly one"),
        ("[[sections]]\nkind = 'x'\nentries = [{ word = 'a', regex = 'b' }]", "exactly one"),
        ("[[sections]]\nkind = 'x'\nentries = [{ word = '' }]", "empty word"),
        ("[[sections]]\nkind = 'x'\nentries = [{ word = 3 }]", "text"),
        ("[[sections]]\nkind = 'Bad Kind'\nentries = []", "kind"),
        ('[[sections]]\nkind = "ad\\n"\nentries = []', "kind"),  # not even at the end
        ("[[sections]]\nentries = []", "kind"),
        ("sections = 3", "array"),
        ("[allow]\nwords = 'x'", "list"),
        ("this is = not toml =", "words.toml"),
    ],
)
def test_bad_word_lists_are_rejected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "words.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LintConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        Linter.from_file(path)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(LintConfigError, match="cannot read"):
        Linter.from_file(tmp_path / "nope.toml")


def test_constructor_with_rules() -> None:
    lint = Linter([Rule("absolute", "最"), Rule("contact", r"\d{3}", is_regex=True)], ["最近"])
    assert words(lint, "最近最123") == ["最", "123"]


def test_finding_is_frozen(linter: Linter) -> None:
    f = only(linter, "最好")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.word = "x"  # type: ignore[misc]


# -- absolute terms --------------------------------------------------------------------


def test_absolute_term_with_position_reason_and_suggestion(linter: Linter) -> None:
    text = "这款是最好的选择"
    f = only(linter, text)
    assert (f.word, f.start, f.end, f.kind) == ("最好", 3, 5, "absolute")
    assert text[f.start : f.end] == f.word
    assert f.reason and f.suggestion
    assert f.phrase_id == "" and f.field == "body"


def test_longest_word_wins(linter: Linter) -> None:
    assert words(linter, "全网最低价") == ["全网最低"]
    assert words(linter, "最便宜") == ["最便宜"]
    assert words(linter, "销量第一的款") == ["销量第一"]


def test_bare_superlative_is_flagged(linter: Linter) -> None:
    assert words(linter, "最美的裙子") == ["最"]


@pytest.mark.parametrize(
    "text",
    [
        "最近比较忙",
        "这是最后一件",
        "最终以快递公司为准",
        "最晚明天发出",
        "有最新进展马上告诉您",
        "您的最新物流在订单里",
        "我们会第一时间处理",
        "您是第一次购买吗",
        "第一步,打开订单",
    ],
)
def test_exceptions_are_not_flagged(linter: Linter, text: str) -> None:
    assert linter.check_text(text) == []


def test_exceptions_do_not_hide_neighbours(linter: Linter) -> None:
    assert words(linter, "最近最火的第一名") == ["最", "第一"]
    assert words(linter, "最新款") == ["最新款"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("100%纯棉", "100%"),
        (f"100{FW_PERCENT}满意", f"100{FW_PERCENT}"),
        ("百分百正品", "百分百"),
        ("绝对没问题", "绝对"),
        ("顶级面料", "顶级"),
        ("国家级工艺", "国家级"),
        ("万能清洁剂", "万能"),
        ("永久保修", "永久"),
        ("唯一正品", "唯一"),
        ("史无前例的优惠", "史无前例"),
        ("送礼首选", "首选"),
    ],
)
def test_more_absolute_terms(linter: Linter, text: str, word: str) -> None:
    f = only(linter, text)
    assert (f.word, f.kind) == (word, "absolute")


# -- platform red lines ----------------------------------------------------------------


def test_cashback(linter: Linter) -> None:
    f = only(linter, "五星好评返现5元")
    assert f.kind == "cashback"
    assert f.word == "好评返现"
    assert only(linter, "晒图返现").kind == "cashback"
    assert only(linter, "删差评给您补偿10元").kind == "cashback"


def test_fake_orders(linter: Linter) -> None:
    assert only(linter, "不接受刷单").kind == "fraud"


def test_off_platform_payment(linter: Linter) -> None:
    assert [(f.word, f.kind) for f in linter.check_text("请支付宝转账或者私下交易")] == [
        ("支付宝转账", "offplatform"),
        ("私下交易", "offplatform"),
    ]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("电话13812345678", "13812345678"),
        ("电话 138-1234-5678 找我", "138-1234-5678"),
        ("电话 138 1234 5678", "138 1234 5678"),
        (f"QQ{FW_COLON}12345678", f"QQ{FW_COLON}12345678"),
        ("qq号 987654321", "qq号 987654321"),
        ("微信号:abc_12345", "微信号:abc_12345"),
        ("vx: wxid_abcdef", "vx: wxid_abcdef"),
        ("我的微信", "微信"),
        ("有事加QQ", "加QQ"),
    ],
)
def test_contact_details(linter: Linter, text: str, word: str) -> None:
    found = [f for f in linter.check_text(text) if f.kind == "contact"]
    assert [f.word for f in found] == [word]
    assert text[found[0].start : found[0].end] == word


@pytest.mark.parametrize(
    "text",
    [
        "订单号 138123456789012345",  # 18-digit order number, not a phone number
        "运单号 SF1234567890123",
        "12345678901",  # not a mobile prefix
        "付款后48小时内发出",
    ],
)
def test_numbers_that_are_not_phone_numbers(linter: Linter, text: str) -> None:
    assert linter.check_text(text) == []


def test_matching_ignores_ascii_case(linter: Linter) -> None:
    assert only(linter, "有qq吗").word == "qq"
    assert only(linter, "Qq").kind == "contact"


# -- placeholders ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{date:%m.%d} {客服} 已催付",
        "{date:%m.%d} {客服} 顾客{input:付款时间}付款",
        "{input:最好的联系时间}",
        "{input:微信}",
        "{choice:最快方式|顺丰|中通}",
        "{date+3d:%m月%d日}",
        f"{{input{FW_COLON}最低价}}",
    ],
)
def test_text_inside_placeholders_is_ignored(linter: Linter, text: str) -> None:
    assert linter.check_text(text) == []


def test_choice_options_are_checked_with_exact_positions(linter: Linter) -> None:
    text = "发{choice:快递|顺丰|最快的|中通}哦"
    f = only(linter, text)
    assert (f.word, f.start, f.end) == ("最快", text.index("最快"), text.index("最快") + 2)
    text = f"{{选择{FW_COLON}快递{FW_BAR}顺丰{FW_BAR}全网最低}}"
    f = only(linter, text)
    assert text[f.start : f.end] == "全网最低"


def test_literal_braces_are_text(linter: Linter) -> None:
    text = "{{最好}}"
    f = only(linter, text)
    assert (f.word, f.start, f.end) == ("最好", 2, 4)


def test_text_around_placeholders_is_checked(linter: Linter) -> None:
    text = "{问候},最好的{商品}"
    f = only(linter, text)
    assert (f.word, f.start) == ("最好", 5)


def test_unclosed_brace_does_not_hide_text(linter: Linter) -> None:
    assert words(linter, "{最好") == ["最好"]
    assert words(linter, "{最好\n}") == ["最好"]


# -- phrases and libraries -------------------------------------------------------------


def test_check_phrase_reports_title_and_body(linter: Linter) -> None:
    p = Phrase(id="p1", title="最好的欢迎语", body="加微信领券", category="c")
    found = linter.check_phrase(p)
    assert [(f.phrase_id, f.field, f.word, f.start) for f in found] == [
        ("p1", "title", "最好", 0),
        ("p1", "body", "加微信", 0),
    ]


def test_check_text_passes_id_and_field(linter: Linter) -> None:
    f = only(linter, "绝对")
    assert (f.phrase_id, f.field) == ("", "body")
    f = linter.check_text("绝对", phrase_id="x", field="title")[0]
    assert (f.phrase_id, f.field) == ("x", "title")


def test_check_library(linter: Linter) -> None:
    lib = Library(categories=[Category("c", "C")])
    lib.add_phrase(Phrase(id="clean", title="欢迎", body="您好,欢迎光临", category="c"))
    lib.add_phrase(Phrase(id="bad", title="催付", body="好评返现,QQ 123456", category="c"))
    found = linter.check_library(lib)
    assert {f.phrase_id for f in found} == {"bad"}
    assert [f.kind for f in found] == ["cashback", "contact"]
    assert found[1].word == "QQ 123456"


# -- properties ------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"最近后第一时间好评返现微信QQqq13800138000{}:|,。您好choiceinput ",
        *("最好", "全网最低", "{choice:a|最快|b}", "{input:最好}", "{{", "}}", "第一时间"),
    ]
)


@settings(max_examples=3 * settings.default.max_examples)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_findings_are_ordered_non_overlapping_slices(text: str) -> None:
    found = Linter.default().check_text(text)
    for f in found:
        assert text[f.start : f.end] == f.word
        assert f.end > f.start
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


@settings(max_examples=2 * settings.default.max_examples)
@given(st.text(alphabet=st.characters(exclude_characters="{}\r\n"), max_size=40))
def test_input_labels_never_produce_findings(label: str) -> None:
    assert Linter.default().check_text("{input:" + label + "}") == []


# -- exact edges -----------------------------------------------------------------------


def test_case_variants_only_regex_folding_pairs_are_reported() -> None:
    lint = Linter([Rule("x", "vs", reason="r1"), Rule("y", "σ", reason="r2"), Rule("z", "id")])
    found = lint.check_text("ſ\u017fvſ ς İD")  # long s, final sigma, dotted capital I
    assert [(f.word, f.kind, f.reason) for f in found] == [
        ("vſ", "x", "r1"),
        ("ς", "y", "r2"),
        ("İD", "z", ""),
    ]


@pytest.mark.parametrize(
    ("text", "source", "message"),
    [
        ("allow = 3", "w.toml", "w.toml: 'allow' must be a table: [allow]"),
        ("[allow]\nwords = [1]", "w.toml", "w.toml: [allow] words must be a list of text"),
        ("sections = 3", "w.toml", "w.toml: 'sections' must be an array: [[sections]]"),
        ("sections = 3", None, "<word list>: 'sections' must be an array: [[sections]]"),
        ("sections = [3]", "w.toml", "w.toml: section 1 must be a table"),
        (
            "[[sections]]\nkind = 'x'\n[[sections]]\nkind = 'Y'",
            "w.toml",
            "w.toml: section 2 needs a lower-case 'kind'",
        ),
        (
            "[[sections]]\nkind = 'x'\nentries = 3",
            "w.toml",
            "w.toml: section 'x': 'entries' must be a list",
        ),
        (
            "[[sections]]\nkind = 'x'\nentries = [3]",
            "w.toml",
            "w.toml: section 'x': each entry must be a table",
        ),
        (
            "[[sections]]\nkind = 'x'\nentries = [{ word = 'a', label = 3 }]",
            "w.toml",
            "w.toml: section 'x': entry values must be text",
        ),
        (
            "[[sections]]\nkind = 'x'\nentries = [{ word = 'a' }, { word = 'A' }]",
            "w.toml",
            "w.toml: word 'A' is listed twice",
        ),
        (
            "[[sections]]\nkind = 'x'\nentries = [{ regex = '(?!x)' }]",
            "w.toml",
            "w.toml: regex '(?!x)' matches empty text",
        ),
    ],
)
def test_word_list_errors_in_full(text: str, source: str | None, message: str) -> None:
    with pytest.raises(LintConfigError) as exc:
        Linter.from_text(text) if source is None else Linter.from_text(text, source)
    assert str(exc.value) == message


def test_constructor_errors_in_full() -> None:
    with pytest.raises(LintConfigError) as exc:
        Linter([Rule("Bad", "x")])
    assert str(exc.value) == "bad kind 'Bad' (use lower-case letters)"
    with pytest.raises(LintConfigError) as exc:
        Linter.from_dict({"sections": 3})
    assert str(exc.value) == "<word list>: 'sections' must be an array: [[sections]]"
    # each regex is fine alone; an inline flag is not once the regexes are combined
    with pytest.raises(LintConfigError) as exc:
        Linter([Rule("x", "(?i)ab", is_regex=True)])
    assert str(exc.value).startswith("cannot combine the word list: ")


def test_sections_and_entries_are_optional() -> None:
    assert Linter.from_dict({}).rules == ()
    assert Linter.from_text("[[sections]]\nkind = 'x'").rules == ()
    assert Linter.from_text("[allow]\nwords = ['a']").allow == ("a",)


def test_regexes_that_match_letters_but_not_empty_text_are_accepted() -> None:
    lint = Linter.from_text("[[sections]]\nkind = 'x'\nentries = [{ regex = 'x+' }]")
    assert words(lint, "aXXb") == ["XX"]


def test_entry_label_is_kept() -> None:
    lint = Linter.from_text("[[sections]]\nkind = 'x'\nentries = [{ word = 'a', label = 'L' }]")
    assert lint.rules == (Rule("x", "a", label="L"),)


def test_word_list_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "words.toml"
    path.write_bytes("\ufeff[[sections]]\nkind = 'x'\nentries = [{ word = '好' }]\n".encode())
    assert words(Linter.from_file(path), "好") == ["好"]


def test_empty_regex_matches_are_not_findings() -> None:
    lint = Linter([Rule("x", r"\b", is_regex=True), Rule("y", "最")])
    assert words(lint, "ab cd 最") == ["最"]


def test_a_regex_entry_keeps_its_own_kind_when_its_match_is_also_a_word() -> None:
    lint = Linter([Rule("word", "ab"), Rule("regex", "a[b]", is_regex=True)])
    assert [(f.word, f.kind) for f in lint.check_text("ab")] == [("ab", "regex")]


def test_flagged_word_right_after_a_choice_is_reported_once(linter: Linter) -> None:
    for text in (
        "{choice:尺码|S}最好",
        "{choice:尺码|S}最好|M",
        f"{{选择{FW_COLON}尺码|S}}最好{FW_BAR}M",
    ):
        found = linter.check_text(text)
        assert [(f.word, f.start) for f in found] == [("最好", text.index("最好"))], text


def test_choice_option_ending_in_a_flagged_word(linter: Linter) -> None:
    text = "{choice:尺码|S|最好|M}"
    assert [(f.word, f.start) for f in linter.check_text(text)] == [("最好", text.index("最好"))]


def test_flagged_word_never_spans_two_choice_options() -> None:
    lint = Linter([Rule("x", "1|2")])
    assert lint.check_text("{choice:l|1|2|3}") == []
    assert words(lint, "1|2") == ["1|2"]


def test_findings_in_choice_options_carry_the_phrase_and_field(linter: Linter) -> None:
    p = Phrase(id="p1", title="{choice:a|最好}", body="{choice:a|b|最快}", category="c")
    assert [(f.phrase_id, f.field, f.word) for f in linter.check_phrase(p)] == [
        ("p1", "title", "最好"),
        ("p1", "body", "最快"),
    ]
