"""Tests for the placeholder template engine (app.core.template)."""

from __future__ import annotations

import logging
import pickle
import re
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import template as template_module
from app.core.caret import cursor_left_presses
from app.core.template import (
    Context,
    Field,
    MissingFields,
    Rendered,
    Span,
    Unknown,
    escape,
    fields_needed,
    placeholder_catalog,
    render,
    render_preview,
    spans,
    unknown_placeholders,
)

NOW = datetime(2024, 1, 31, 14, 5, 9)


def ctx(**kw: object) -> Context:
    base: dict[str, object] = {
        "agent_no": "1024",
        "agent_name": "阿华",
        "shop": "花漾旗舰店",
        "now": NOW,
        "clipboard": lambda: "SF123",
    }
    base.update(kw)
    return Context(**base)  # type: ignore[arg-type]


def text(body: str, values: dict[str, str] | None = None, **kw: object) -> str:
    return render(body, ctx(**kw), values).text


# --------------------------------------------------------------------------- profile, aliases


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{agent_no}", "1024"),
        ("{工号}", "1024"),
        ("{agent_name}", "阿华"),
        ("{客服}", "阿华"),
        ("{shop}", "花漾旗舰店"),
        ("{店铺}", "花漾旗舰店"),
        ("{clipboard}", "SF123"),
        ("{剪贴板}", "SF123"),
        ("{greeting}", "下午好"),
        ("{问候}", "下午好"),
        ("{date}", "2024-01-31"),
        ("{日期}", "2024-01-31"),
        ("{time}", "14:05"),
        ("{时间}", "14:05"),
        ("{cursor}", ""),
        ("{光标}", ""),
    ],
)
def test_every_automatic_placeholder_and_alias(body: str, expected: str) -> None:
    r = render(body, ctx())
    assert r.text == expected
    assert r.unknown == ()


def test_greeting_sentence() -> None:
    body = "{问候},欢迎光临{店铺}!我是{工号}号客服{客服},很高兴为您服务"
    assert text(body) == "下午好,欢迎光临花漾旗舰店!我是1024号客服阿华,很高兴为您服务"


def test_empty_profile_values_render_empty_without_marker() -> None:
    r = render_preview("[{工号}][{客服}][{店铺}]", Context(now=NOW))
    assert r.text == "[][][]"
    assert r.unknown == ()


def test_whitespace_and_case_tolerated() -> None:
    assert text("{ 顾客 }", {"customer": "小王"}) == "小王"
    assert text("{\u3000店铺\u3000}") == "花漾旗舰店"
    assert text("{SHOP}{Agent_No}") == "花漾旗舰店1024"
    assert text("{ date + 3 d : %m.%d }") == "02.03"


def test_values_and_profile_are_data_not_templates() -> None:
    body = "{顾客}/{店铺}/{剪贴板}"
    out = text(body, {"customer": "{工号}}{"}, shop="{{x}", clipboard=lambda: "{date}")
    assert out == "{工号}}{/{{x}/{date}"


@pytest.mark.parametrize(
    "body",
    [
        "{__class__}",
        "{0}",
        "{shop.__class__}",
        "{agent_no!r}",
        "{ctx.shop}",
        "{HOME}",
        "{$HOME}",
        "{os.environ}",
        "{__import__('os')}",
        "{shop[0]}",
    ],
)
def test_code_like_placeholders_are_unknown_and_verbatim(body: str) -> None:
    r = render(body, ctx())
    assert r.text == body
    assert len(r.unknown) == 1
    assert r.unknown[0].text == body


# --------------------------------------------------------------------------- greeting


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (0, 0, "晚上好"),
        (4, 59, "晚上好"),
        (5, 0, "早上好"),
        (10, 59, "早上好"),
        (11, 0, "中午好"),
        (12, 59, "中午好"),
        (13, 0, "下午好"),
        (17, 59, "下午好"),
        (18, 0, "晚上好"),
        (23, 59, "晚上好"),
    ],
)
def test_greeting_boundaries(hour: int, minute: int, expected: str) -> None:
    assert text("{问候}", now=datetime(2024, 5, 1, hour, minute, 59)) == expected


# --------------------------------------------------------------------------- date and time


@pytest.mark.parametrize(
    ("now", "body", "expected"),
    [
        (datetime(2024, 1, 31), "{date+1d}", "2024-02-01"),
        (datetime(2024, 2, 28), "{date+1d}", "2024-02-29"),
        (datetime(2023, 2, 28), "{date+1d}", "2023-03-01"),
        (datetime(2024, 3, 1), "{date-1d}", "2024-02-29"),
        (datetime(2024, 12, 31), "{日期+1d}", "2025-01-01"),
        (datetime(2025, 1, 1), "{日期-1d}", "2024-12-31"),
        (datetime(2024, 12, 25), "{date+2w}", "2025-01-08"),
        (datetime(2024, 1, 31), "{date+30d}", "2024-03-01"),
        (datetime(2024, 1, 31), "{日期+3天}", "2024-02-03"),
        (datetime(2024, 1, 31), "{日期-1周}", "2024-01-24"),
        (datetime(2024, 1, 31), "{DATE+3D}", "2024-02-03"),
        (datetime(2024, 1, 31), "{date+0d}", "2024-01-31"),
        (datetime(2024, 1, 31), "{date+3d:%m.%d}", "02.03"),
        (datetime(2024, 1, 31), "{日期+3d:%m月%d日}", "02月03日"),
        (datetime(2024, 1, 31), "{日期+3d:%-m月%-d日}", "2月3日"),
        (datetime(2024, 1, 31), "{日期：%#m月%#d日}", "1月31日"),
    ],
)
def test_date_offsets_across_month_and_year_ends(now: datetime, body: str, expected: str) -> None:
    r = render(body, ctx(now=now))
    assert r.unknown == ()
    assert r.text == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{date:%m.%d}", "01.31"),
        ("{日期:%m月%d日}", "01月31日"),
        ("{日期:%Y年%m月%d日 %H:%M:%S}", "2024年01月31日 14:05:09"),
        ("{date:%y/%j/%w/%u}", "24/031/3/3"),
        ("{date:%a %A %b %B}", "Wed Wednesday Jan January"),
        ("{date:%I %p}", "02 PM"),
        ("{date:%-I%p}", "2PM"),
        ("{date:100%%}", "100%"),
        ("{date:}", "2024-01-31"),
        ("{date: %d }", "31"),
        ("{date+1d:%H:%M}", "14:05"),
        ("{time:%H点%M分}", "14点05分"),
        ("{时间:%H:%M:%S}", "14:05:09"),
        ("{时间：%-H时}", "14时"),
        ("{date:no directives at all}", "no directives at all"),
    ],
)
def test_date_and_time_formats(body: str, expected: str) -> None:
    r = render(body, ctx())
    assert r.unknown == ()
    assert r.text == expected


def test_twelve_hour_clock_at_midnight_and_noon() -> None:
    assert text("{time:%I%p}", now=datetime(2024, 1, 1, 0, 30)) == "12AM"
    assert text("{time:%I%p}", now=datetime(2024, 1, 1, 12, 30)) == "12PM"


@pytest.mark.parametrize(
    ("body", "reason_part"),
    [
        ("{date:%Q}", "bad date format"),
        ("{date:%}", "bad date format"),
        ("{date:abc%}", "bad date format"),
        ("{date:%-a}", "bad date format"),
        ("{time:%E}", "bad time format"),
        ("{date+3x}", "bad date offset"),
        ("{date+}", "bad date offset"),
        ("{date+d}", "bad date offset"),
        ("{date*3d}", "unknown placeholder"),
        ("{日期+999999d}", "bad date offset"),
        ("{time+1h}", "unknown placeholder"),
        ("{dates}", "unknown placeholder"),
    ],
)
def test_bad_date_specs_are_unknown(body: str, reason_part: str) -> None:
    r = render(body, ctx())
    assert r.text == body
    assert len(r.unknown) == 1
    assert reason_part in r.unknown[0].reason
    assert unknown_placeholders(body) == list(r.unknown)


def test_date_out_of_range_left_verbatim() -> None:
    body = "a{date+1w}b{date}"
    r = render(body, ctx(now=datetime(9999, 12, 30)))
    assert r.text == "a{date+1w}b9999-12-30"
    assert r.unknown == (Unknown("{date+1w}", 1, 10, "date out of range"),)
    r2 = render("{date-1d}", ctx(now=datetime(1, 1, 1)))
    assert r2.text == "{date-1d}"
    assert r2.unknown[0].reason == "date out of range"


def test_now_none_uses_current_time(monkeypatch: pytest.MonkeyPatch) -> None:
    class FrozenClock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> FrozenClock:  # type: ignore[override]
            return cls(2026, 4, 15, 9, 30)

    monkeypatch.setattr(template_module, "datetime", FrozenClock)
    assert render("{date} {time} {greeting}", Context()).text == "2026-04-15 09:30 早上好"


def test_same_moment_used_for_whole_render() -> None:
    a, b = render("{time:%H%M%S}|{time:%H%M%S}", Context()).text.split("|")
    assert a == b


@settings(max_examples=2 * settings.default.max_examples)
@given(
    # from 1903: the -800 days of the oracle stay >= 1900 (Windows strftime refuses %y before)
    st.datetimes(min_value=datetime(1903, 1, 1), max_value=datetime(2200, 12, 31)),
    st.integers(min_value=-800, max_value=800),
)
def test_date_offset_matches_timedelta(now: datetime, days: int) -> None:
    sign = "+" if days >= 0 else "-"
    body = f"{{date{sign}{abs(days)}d:%Y|%m|%d|%H|%M|%S|%j|%w|%y}}"
    expected = (now + timedelta(days=days)).strftime("%Y|%m|%d|%H|%M|%S|%j|%w|%y")
    assert render(body, ctx(now=now)).text == expected


@given(st.datetimes(min_value=datetime(1000, 1, 1)), st.integers(min_value=0, max_value=600))
def test_week_offset_is_seven_days(now: datetime, weeks: int) -> None:
    try:
        expected = (now + timedelta(weeks=weeks)).date().isoformat()
    except OverflowError:
        return
    assert text(f"{{日期+{weeks}周}}", now=now) == expected


# --------------------------------------------------------------------------- fields


def test_fields_needed_order_dedup_and_aliases() -> None:
    body = "{商品}{顾客}{customer}{input:备注}{输入:备注}{选择:尺码|S|M}{choice:尺码|X}{输入:地址}"
    assert fields_needed(body) == [
        Field("product", "product", "商品"),
        Field("customer", "customer", "顾客"),
        Field("input:备注", "input", "备注"),
        Field("choice:尺码", "choice", "尺码", ("S", "M")),
        Field("input:地址", "input", "地址"),
    ]


def test_input_and_choice_with_same_label_are_different_fields() -> None:
    keys = [f.key for f in fields_needed("{输入:颜色}{选择:颜色|红|蓝}")]
    assert keys == ["input:颜色", "choice:颜色"]


def test_labels_keep_their_text() -> None:
    (f,) = fields_needed("{input:收货 地址(含门牌号):}")
    assert f.label == "收货 地址(含门牌号):"
    assert f.key == "input:收货 地址(含门牌号):"


def test_choice_options_parsing() -> None:
    (f,) = fields_needed("{选择：尺码｜S | M||L|S}")
    assert f.options == ("S", "M", "L")
    assert f.label == "尺码"


@pytest.mark.parametrize(
    ("body", "reason_part"),
    [
        ("{input}", "needs a label"),
        ("{input:}", "needs a label"),
        ("{输入: }", "needs a label"),
        ("{choice:尺码}", "at least one option"),
        ("{choice:尺码||}", "at least one option"),
        ("{choice:|S|M}", "needs a label"),
        ("{choice}", "needs a label"),
        ("{顾客:小王}", "takes no argument"),
        ("{shop:x}", "takes no argument"),
        ("{cursor:1}", "takes no argument"),
        ("{}", "empty placeholder"),
        ("{   }", "empty placeholder"),
        ("{:x}", "empty placeholder"),
    ],
)
def test_malformed_fields_are_unknown(body: str, reason_part: str) -> None:
    assert fields_needed(body) == []
    (u,) = unknown_placeholders(body)
    assert reason_part in u.reason
    assert render(body, ctx()).text == body


def test_render_with_values() -> None:
    body = "亲爱的{顾客},您的{商品}({选择:尺码|S|M})备注:{输入:备注}"
    values = {"customer": "小王", "product": "T恤", "choice:尺码": "XL", "input:备注": ""}
    assert text(body, values) == "亲爱的小王,您的T恤(XL)备注:"


def test_extra_values_are_ignored() -> None:
    assert text("hi", {"customer": "x", "whatever": "y"}) == "hi"


def test_missing_fields_raises_with_all_missing_in_order() -> None:
    body = "{输入:备注}{顾客}{商品}{选择:尺码|S|M}"
    with pytest.raises(MissingFields) as exc:
        render(body, ctx(), {"product": "T恤"})
    assert exc.value.fields == (
        Field("input:备注", "input", "备注"),
        Field("customer", "customer", "顾客"),
        Field("choice:尺码", "choice", "尺码", ("S", "M")),
    )
    message = str(exc.value)
    assert "3 field(s)" in message
    for name in ("备注", "顾客", "customer", "尺码"):
        assert name in message
    assert "商品" not in message
    with pytest.raises(MissingFields):
        render("{顾客}", ctx())
    with pytest.raises(MissingFields):
        render("{顾客}", ctx(), {})


def test_missing_fields_is_picklable() -> None:
    err = MissingFields((Field("customer", "customer", "顾客"),))
    copy = pickle.loads(pickle.dumps(err))
    assert copy.fields == err.fields
    assert str(copy) == str(err)


# --------------------------------------------------------------------------- preview


def test_preview_markers() -> None:
    body = "{顾客}|{商品}|{输入:备注}|{选择:尺码|S|M}|{工号}"
    r = render_preview(body, ctx())
    assert r.text == "【顾客】|【商品】|【备注】|S|1024"


def test_preview_uses_given_values_and_marks_empty_ones() -> None:
    body = "{顾客}|{商品}|{选择:尺码|S|M}"
    r = render_preview(body, ctx(), {"customer": "小王", "product": "", "choice:尺码": "M"})
    assert r.text == "小王|【商品】|M"


def test_preview_reports_unknown_like_render() -> None:
    body = "{顾客} {foo}"
    r = render_preview(body, ctx())
    assert r.text == "【顾客】 {foo}"
    assert r.unknown == (Unknown("{foo}", 5, 10, "unknown placeholder 'foo'"),)


# --------------------------------------------------------------------------- clipboard


def test_clipboard_read_lazily_and_once() -> None:
    calls: list[int] = []

    def clip() -> str:
        calls.append(1)
        return "单号"

    assert text("no clipboard here {店铺}", clipboard=clip) == "no clipboard here 花漾旗舰店"
    assert calls == []
    assert text("{剪贴板}-{clipboard}", clipboard=clip) == "单号-单号"
    assert calls == [1]
    render_preview("{剪贴板}", ctx(clipboard=clip))
    assert calls == [1, 1]


def test_clipboard_missing_or_failing_renders_empty(caplog: pytest.LogCaptureFixture) -> None:
    assert text("[{剪贴板}]", clipboard=None) == "[]"

    def broken() -> str:
        raise RuntimeError("no display")

    with caplog.at_level(logging.WARNING, logger="app.core.template"):
        assert text("[{剪贴板}]", clipboard=broken) == "[]"
    assert any("clipboard" in rec.getMessage() for rec in caplog.records)


# --------------------------------------------------------------------------- escapes, unknown


def test_escapes() -> None:
    assert text("{{顾客}}") == "{顾客}"
    assert text("{{{店铺}}}") == "{花漾旗舰店}"
    assert text("a}}b{{c") == "a}b{c"
    assert fields_needed("{{顾客}}") == []
    assert unknown_placeholders("{{}}") == []


def test_unknown_positions_and_reasons() -> None:
    body = "您好{foo},{a{b}\n}x{ {顾客"
    r = render_preview(body, ctx())
    assert r.text == body
    assert [(u.text, u.start, u.end, u.reason) for u in r.unknown] == [
        ("{foo}", 2, 7, "unknown placeholder 'foo'"),
        ("{", 8, 9, "unclosed '{'"),
        ("{b}", 10, 13, "unknown placeholder 'b'"),
        ("}", 14, 15, "unmatched '}'"),
        ("{", 16, 17, "unclosed '{'"),
        ("{", 18, 19, "unclosed '{'"),
    ]
    for u in r.unknown:
        assert body[u.start : u.end] == u.text


def test_placeholder_does_not_span_lines() -> None:
    body = "{顾\n客}"
    assert fields_needed(body) == []
    assert [u.reason for u in unknown_placeholders(body)] == ["unclosed '{'", "unmatched '}'"]


def test_spans_kinds() -> None:
    body = "{{x}} {顾客} {日期+1d} {foo} {光标} {输入:备注} }"
    assert spans(body) == [
        Span(0, 2, "escape"),
        Span(3, 5, "escape"),
        Span(6, 10, "field"),
        Span(11, 18, "placeholder"),
        Span(19, 24, "unknown"),
        Span(25, 29, "placeholder"),
        Span(30, 37, "field"),
        Span(38, 39, "unknown"),
    ]


def test_returned_lists_are_copies() -> None:
    body = "{顾客}{foo}"
    fields_needed(body).clear()
    unknown_placeholders(body).clear()
    spans(body).clear()
    assert len(fields_needed(body)) == 1
    assert len(unknown_placeholders(body)) == 1
    assert len(spans(body)) == 2


def test_escape_helper() -> None:
    assert escape("a{b}c{{") == "a{{b}}c{{{{"
    assert text(escape("{顾客}")) == "{顾客}"


# --------------------------------------------------------------------------- cursor


def test_cursor_offset_multiline() -> None:
    body = "第一行{顾客}\n{光标}第二行\r\n第三行"
    r = render(body, ctx(), {"customer": "小王"})
    assert r.text == "第一行小王\n第二行\r\n第三行"
    assert r.cursor == 6
    assert r.text[r.cursor :] == "第二行\r\n第三行"
    assert cursor_left_presses(r) == 7  # 3 + 1 (\r\n) + 3


def test_cursor_absent_at_start_at_end() -> None:
    assert render("abc", ctx()).cursor is None
    assert cursor_left_presses(render("abc", ctx())) == 0
    r = render("{cursor}abc", ctx())
    assert (r.cursor, cursor_left_presses(r)) == (0, 3)
    r = render("abc{cursor}", ctx())
    assert (r.cursor, cursor_left_presses(r)) == (3, 0)


def test_first_cursor_wins_later_ones_vanish() -> None:
    r = render("a{光标}b{cursor}c", ctx())
    assert r.text == "abc"
    assert r.cursor == 1


def test_cursor_offset_counts_substituted_values() -> None:
    r = render("{问候}{店铺}{日期}{光标}!", ctx())
    assert r.cursor == len("下午好花漾旗舰店2024-01-31")
    assert cursor_left_presses(r) == 1


# --------------------------------------------------------------------------- catalog

DESIGN_TABLE = {
    "agent_no": "工号",
    "agent_name": "客服",
    "shop": "店铺",
    "customer": "顾客",
    "product": "商品",
    "date": "日期",
    "time": "时间",
    "greeting": "问候",
    "clipboard": "剪贴板",
    "input": "输入",
    "choice": "选择",
    "cursor": "光标",
}


def test_catalog_covers_every_placeholder() -> None:
    catalog = placeholder_catalog()
    assert {info.name: info.alias for info in catalog} == DESIGN_TABLE
    assert len(catalog) == len(DESIGN_TABLE)
    for info in catalog:
        assert info.description
        assert re.match(r"[A-Z][a-z']+ ", info.description)  # English prose
        assert unknown_placeholders(info.insert_text) == [], info
        assert render_preview(info.insert_text, ctx()).unknown == ()
        arg = ":备注" if info.name == "input" else ":尺码|S|M" if info.name == "choice" else ""
        for spelled in (info.name, info.alias):
            assert unknown_placeholders("{" + spelled + arg + "}") == [], spelled


def test_catalog_examples_match_rendering() -> None:
    by_name = {info.name: info for info in placeholder_catalog()}
    sample = Context(
        agent_no=by_name["agent_no"].example,
        agent_name=by_name["agent_name"].example,
        shop=by_name["shop"].example,
        now=datetime(2026, 4, 15, 14, 30),
        clipboard=lambda: by_name["clipboard"].example,
    )
    values = {
        "customer": by_name["customer"].example,
        "product": by_name["product"].example,
        "input:备注": by_name["input"].example,
        "choice:尺码": by_name["choice"].example,
    }
    for info in by_name.values():
        assert render(info.insert_text, sample, values).text == info.example, info.name


def test_catalog_is_a_copy() -> None:
    placeholder_catalog().clear()
    assert len(placeholder_catalog()) == len(DESIGN_TABLE)


# --------------------------------------------------------------------------- properties

no_braces = st.text(alphabet=st.characters(exclude_characters="{}"))
template_like = st.text(
    alphabet=st.sampled_from(
        [*"{}{}::|+-dw %mYH\n\r ab顾客日期时间输入选择光标店铺天周：｜", "\u3000"]
    ),
    max_size=40,
)
any_text = st.one_of(st.text(), template_like)


@given(no_braces)
def test_text_without_braces_renders_unchanged(body: str) -> None:
    r = render(body, ctx())
    assert r == Rendered(body, None, ())
    assert spans(body) == []
    assert fields_needed(body) == []


@given(st.text())
def test_escape_round_trip(raw: str) -> None:
    body = escape(raw)
    r = render(body, ctx())
    assert r.text == raw
    assert r.unknown == ()
    assert all(s.kind == "escape" for s in spans(body))


@settings(max_examples=3 * settings.default.max_examples)
@given(any_text)
def test_never_raises_and_reports_consistently(body: str) -> None:
    preview = render_preview(body, ctx())
    values = {f.key: f"<{f.key}>" for f in fields_needed(body)}
    r = render(body, ctx(), values)
    assert r.unknown == preview.unknown
    assert list(r.unknown) == unknown_placeholders(body)
    for u in r.unknown:
        assert body[u.start : u.end] == u.text
        assert u.reason
    if r.cursor is not None:
        assert 0 <= r.cursor <= len(r.text)
        assert 0 <= cursor_left_presses(r) <= len(r.text) - r.cursor
    # Spans are ordered, disjoint, inside the body and cover every unknown.
    previous_end = 0
    for s in spans(body):
        assert previous_end <= s.start < s.end <= len(body)
        previous_end = s.end
    unknown_spans = [(s.start, s.end) for s in spans(body) if s.kind == "unknown"]
    assert unknown_spans == [(u.start, u.end) for u in r.unknown]


@given(any_text)
def test_missing_fields_exactly_when_values_absent(body: str) -> None:
    needed = fields_needed(body)
    assert len({f.key for f in needed}) == len(needed)
    if needed:
        with pytest.raises(MissingFields) as exc:
            render(body, ctx())
        assert list(exc.value.fields) == needed
    else:
        render(body, ctx())


@given(no_braces, no_braces)
def test_literal_text_around_placeholder_is_preserved(before: str, after: str) -> None:
    r = render(before + "{店铺}{光标}" + after, ctx())
    assert r.text == before + "花漾旗舰店" + after
    assert r.cursor == len(before) + len("花漾旗舰店")


# --------------------------------------------------------------------------- exact edges
# Each case sits on one edge of a range or rule, just inside or just outside, so that an
# off-by-one in the code changes a result.


def test_clipboard_failure_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> str:
        raise RuntimeError("no display")

    with caplog.at_level(logging.WARNING, logger="app.core.template"):
        assert text("[{剪贴板}]", clipboard=broken) == "[]"
    (record,) = caplog.records
    assert record.getMessage() == "reading the clipboard for {clipboard} failed"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


@pytest.mark.parametrize("value", [None, b"bytes", 42])
def test_clipboard_that_returns_no_text_renders_empty(value: object) -> None:
    assert text("[{剪贴板}]", clipboard=lambda: value) == "[]"


def test_out_of_range_date_is_reported_in_body_order() -> None:
    body = "{date+1w}{foo}{date+2d}{bar"
    r = render(body, ctx(now=datetime(9999, 12, 30)))
    assert r.text == body
    assert [(u.start, u.reason) for u in r.unknown] == [
        (0, "date out of range"),
        (9, "unknown placeholder 'foo'"),
        (14, "date out of range"),
        (23, "unclosed '{'"),
    ]


def test_missing_fields_message() -> None:
    err = MissingFields((Field("customer", "customer", "顾客"), Field("备注", "input", "备注")))
    assert str(err) == "missing values for 2 field(s): 顾客 (customer), 备注"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{}", "empty placeholder"),
        ("{:x}", "empty placeholder name"),
        ("{date+3x}", "bad date offset (use e.g. +3d, -1d, +2w)"),
        ("{date:abc%}", "bad date format: lone '%' at the end"),
        ("{date:%-}", "bad date format: lone '%' at the end"),
        ("{time:%E点}", "bad time format: unsupported directive '%E'"),
        ("{time:%-E点}", "bad time format: unsupported directive '%-E'"),
        ("{date:%X}", "bad date format: unsupported directive '%X'"),
        ("{date:%#a}", "bad date format: unsupported directive '%#a'"),
    ],
)
def test_unknown_reasons_in_full(body: str, reason: str) -> None:
    (u,) = unknown_placeholders(body)
    assert u.reason == reason


def test_builtin_formats_are_checked() -> None:
    assert template_module._builtin_format("%H:%M") == template_module._DEFAULT_TIME_FMT
    with pytest.raises(ValueError, match=r"^unsupported directive '%Q'$"):
        template_module._builtin_format("%Q")


def test_profile_placeholders_are_listed_once_in_order() -> None:
    from app.core.template import profile_placeholders

    body = "{店铺}的{工号}号客服{客服}为您服务，{店铺}欢迎您。{日期} {input:单号} {{工号}}"
    assert profile_placeholders(body) == ["shop", "agent_no", "agent_name"]
    assert profile_placeholders("您好，{顾客}") == []
