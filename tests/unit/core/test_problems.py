"""Problems as codes (app.core.problems) and their Chinese rendering by code (issue 12)."""

from __future__ import annotations

import copy
import logging
import pickle
import re
from pathlib import Path

import pytest

from app.core import messages
from app.core.fsutil import Problem
from app.core.messages import localize, localize_problem, message_of
from app.core.model import Category, LibraryError, Phrase, check_category, check_phrase
from app.core.packs import PackError, parse_pack_text
from app.core.packs.read import decode_pack_bytes
from app.core.problems import CATALOG, EN, Msg, fields
from app.core.textcheck import text_problem

SAMPLE = {"what": "phrase", "field": "title", "n": 300, "max": 200, "cp": 0x200B}
SAMPLE |= {"fmt": 7, "ours": 1, "msg": "Permission denied", "path": "/n/t.toml"}
SAMPLE |= {"keep": "no copy to fall back on", "col": "快捷编码", "ch": "="}
SAMPLE |= {"csv": "unexpected end of data", "header": "快捷编码,快捷短语"}
SAMPLE |= {"byte": 0xFF, "type": "int", "id": "x-1", "parent": "p", "cat": "c"}
SAMPLE |= {"kind": "zip", "list": "skip, replace, keep-both", "files": "a.toml, b.toml"}
SAMPLE |= {"toml": "Invalid value (at end of file)"}
SAMPLE |= {"cid": "c", "name": "c.toml", "v": 9, "ids": "c, p1", "want": "a whole number"}
SAMPLE |= {"size": 7.25, "total": 400, "known": "none"}

# code -> (English, Chinese) with SAMPLE (and a nested too-long reason). The English is the
# text the core wrote before the codes, byte for byte; the Chinese the regex table's.
GOLDEN = {
    "field.problem": (
        "'title' is 300 characters long; the limit is 200",
        "'title'（标题）有 300 个字符，超过了上限 200",
    ),
    "text.too_long": ("is 300 characters long; the limit is 200", "有 300 个字符，超过了上限 200"),
    "text.line_break": (
        "contains a line break, which is not allowed here",
        "中有换行，这里不允许换行",
    ),
    "text.control_char": (
        "contains control character U+200B, which is not allowed here",
        "中有控制字符 U+200B，这里不允许",
    ),
    "text.invisible_char": (
        "contains the invisible character U+200B, which is not allowed here",
        "中有不可见字符 U+200B（零宽或改变文字方向的字符），这里不允许",
    ),
    "settings.not_used": (
        "is 300 characters long; the limit is 200; the value is not used",
        "有 300 个字符，超过了上限 200；不使用这个值",
    ),
    "pack.table_field": (
        "phrase: is 300 characters long; the limit is 200",
        "话术：有 300 个字符，超过了上限 200",
    ),
    "pack.too_many_tags": ("phrase: more than 300 tags", "话术：标签超过 300 个"),
    "pack.too_many_examples": (
        "phrase: more than 300 example questions",
        "话术：示例问题超过 300 个",
    ),
    "subscription.not_loaded": (
        "subscription not loaded: Permission denied",
        "订阅没有加载：没有访问权限",
    ),
    "subscription.failed": (
        "subscription /n/t.toml: t.toml:3: [pack] needs a 'name'; no copy to fall back on",
        "订阅 /n/t.toml：t.toml 第 3 行：[pack] 需要 'name'（话术包名称）；没有可用的副本",
    ),
    "qianniu.utf16": (
        "UTF-16 text is not supported; save as UTF-8 or GBK",
        "不支持 UTF-16 文本；请另存为 UTF-8 或 GBK 编码",
    ),
    "qianniu.binary": ("this is a binary file, not text", "这是二进制文件，不是文本文件"),
    "qianniu.bad_bom": (
        "starts like UTF-8 but is not valid UTF-8",
        "文件开头像 UTF-8（带 BOM），但内容不是有效的 UTF-8",
    ),
    "qianniu.unknown_encoding": (
        "text encoding not recognised (tried UTF-8, GBK, GB18030)",
        "无法识别文本编码（已尝试 UTF-8、GBK、GB18030）",
    ),
    "qianniu.too_many_rows": (
        "more than 300 phrases; that is the limit",
        "话术超过 300 条，已达上限",
    ),
    "qianniu.invalid_csv": (
        "invalid CSV: unexpected end of data",
        "CSV 格式错误：数据意外结束（引号没有闭合？）",
    ),
    "qianniu.empty": (
        "empty file; expected the header 快捷编码,快捷短语",
        "文件为空；第一行应为表头 快捷编码,快捷短语",
    ),
    "qianniu.not_qianniu": (
        "not a Qianniu phrase file: the first line must be the header 快捷编码,快捷短语",
        "不是千牛快捷短语文件：第一行必须是表头 快捷编码,快捷短语",
    ),
    "qianniu.formula": (
        "快捷编码 starts with '=': a spreadsheet program may run it as a formula; "
        "Huashu exports it with a leading apostrophe",
        "快捷编码以 '=' 开头：电子表格软件可能把它当作公式执行；"
        "话术导出时会在前面加一个英文单引号（'）",
    ),
    "qianniu.empty_phrase": ("the phrase (快捷短语) is empty", "话术内容（快捷短语）为空"),
    "qianniu.too_many_groups": (
        "more than 300 groups (快捷短语分组); the limit is 300",
        "分组（快捷短语分组）超过 300 个，已达上限 300",
    ),
    "qianniu.export_too_big": ("export is larger than 200 MB", "导出的文件超过 200 MB"),
    "text.no_category_name": ("plain text needs a category name", "纯文本需要一个分类名称"),
    "text.too_many_lines": ("more than 300 phrases; the limit", "话术超过 300 条，已达上限"),
    "doc.not_utf8": (
        "not valid UTF-8 text (byte 0xff); save the file as UTF-8",
        "不是有效的 UTF-8 文本（字节 0xff）；请将文件另存为 UTF-8 编码",
    ),
    "doc.pack_in_library": (
        "a library file must not have a [pack] table",
        "话术库文件里不能有 [pack] 表",
    ),
    "doc.bad_schema_version": (
        "'schema_version' must be a whole number",
        "'schema_version' 必须是整数",
    ),
    "doc.categories_not_array": (
        "'categories' must be an array of tables: [[categories]]",
        "'categories' 必须是表数组：[[categories]]",
    ),
    "doc.phrases_not_array": (
        "'phrases' must be an array of tables: [[phrases]]",
        "'phrases' 必须是表数组：[[phrases]]",
    ),
    "doc.missing": ("missing 'title'", "缺少 'title'（标题）"),
    "doc.not_text": (
        "'title' must be text (in quotes), not int",
        "'title'（标题）必须是文本（加引号），不能是 int（整数）",
    ),
    "doc.category_not_table": (
        "each category must be a table",
        "每个分类都必须是一个表（[[categories]]）",
    ),
    "doc.phrase_not_table": (
        "each phrase must be a table",
        "每条话术都必须是一个表（[[phrases]]）",
    ),
    "doc.bad_order": ("'order' must be a whole number", "'order'（排序）必须是整数"),
    "doc.bad_id": (
        "phrase id 'x-1' may only use letters, digits, '-', '_' and '.'",
        "话术 ID 'x-1' 只能使用字母、数字、'-'、'_' 和 '.'",
    ),
    "doc.empty_name": ("category 'x-1' has an empty name", "分类 'x-1' 的名称为空"),
    "doc.empty_title": ("phrase 'x-1' has an empty title", "话术 'x-1' 的标题为空"),
    "doc.bad_tags": (
        "'tags' must be a list of text, e.g. tags = [\"欢迎\"]",
        "'tags'（标签）必须是文本列表，例如 tags = [\"欢迎\"]",
    ),
    "doc.bad_examples": (
        '\'examples\' must be a list of text, e.g. ["什么时候发货？", "几天能到？"]',
        '\'examples\'（示例问题）必须是文本列表，例如 ["什么时候发货？", "几天能到？"]',
    ),
    "doc.duplicate_id": ("phrase id 'x-1' appears twice", "话术 ID 'x-1' 出现了两次"),
    "doc.no_parent": ("category 'x-1': parent 'p' not found", "分类 'x-1'：找不到上级分类 'p'"),
    "doc.nested_too_deep": (
        "category 'x-1': categories nest one level only",
        "分类 'x-1'：分类最多只能嵌套一层",
    ),
    "doc.no_category": ("phrase 'x-1': category 'c' not found", "话术 'x-1'：找不到分类 'c'"),
    "text.no_category": (
        "plain text needs a category to import into",
        "纯文本需要选择一个导入到的分类",
    ),
    "import.unknown_kind": ("unknown pack kind 'zip'", "未知的文件类型 'zip'"),
    "import.bad_policy": (
        "conflict policy must be one of skip, replace, keep-both",
        "冲突处理方式必须是以下之一：skip, replace, keep-both",
    ),
    "import.no_category": ("category 'x-1' does not exist", "分类 'x-1' 不存在"),
    "import.duplicate_category_ids": (
        "import would create duplicate category ids",
        "导入会产生重复的分类 ID",
    ),
    "import.duplicate_phrase_ids": (
        "import would create duplicate phrase ids",
        "导入会产生重复的话术 ID",
    ),
    "import.missing_category": (
        "phrase 'x-1' would be in a missing category",
        "话术 'x-1' 会落在不存在的分类中",
    ),
    "import.broken_files": (
        "cannot import into a library file that failed to load: a.toml, b.toml "
        "(fix or move that file first)",
        "不能导入到加载失败的话术库文件：a.toml, b.toml（请先修复或移走该文件）",
    ),
    "import.not_a_backup": (
        "/n/t.toml is not a backup of this library",
        "/n/t.toml 不是这个话术库的备份",
    ),
    "storage.broken_files": (
        "cannot save over a library file that failed to load: a.toml, b.toml "
        "(fix or move that file first)",
        "不能覆盖加载失败的话术库文件：a.toml, b.toml（请先修复或移走该文件）",
    ),
    "storage.shared_file": (
        "categories 'c' and another one would share the file c.toml",
        "分类 'c' 和另一个分类会使用同一个文件 c.toml",
    ),
    "storage.newer_schema": (
        "schema_version 9 is newer than this Huashu understands (1); update Huashu to read it",
        "schema_version 9 比当前版本的话术支持的版本（1）更新；请升级话术后再读取",
    ),
    "storage.duplicate_ids": (
        "ids also found in another file, one copy kept: c, p1",
        "这些 ID 在另一个文件中也有，已只保留一份：c, p1",
    ),
    "settings.bool_not_int": (
        "'title' must be a whole number, not bool; using the default",
        "'title'（标题）必须是整数，而不是布尔值；改用默认值",
    ),
    "settings.wrong_type": (
        "'title' must be a whole number, not int; using the default",
        "'title'（标题）必须是整数，而不是 int（整数）；改用默认值",
    ),
    "settings.not_text_entry": (
        "'title' must hold only text; dropped an entry of type int",
        "'title'（标题）中只能有文本；已去掉一个类型为 int（整数） 的条目",
    ),
    "settings.not_text_list": (
        "'title' must be a list of text; the value is not used",
        "'title'（标题）必须是文本列表；不使用这个值",
    ),
    "settings.not_table": (
        "[c.toml] must be a table; using the defaults",
        "[c.toml] 必须是一个表；改用默认值",
    ),
    "settings.paste_mode": (
        "paste mode 9 must be one of skip, replace, keep-both",
        "粘贴方式 9 无效，必须是 skip, replace, keep-both 之一；改用 paste",
    ),
    "settings.hotkey_backend": (
        "hotkey backend must be one of skip, replace, keep-both",
        "快捷键后端必须是 skip, replace, keep-both 之一；改用 auto",
    ),
    "settings.clipboard_backend": (
        "clipboard backend must be one of skip, replace, keep-both",
        "剪贴板后端必须是 skip, replace, keep-both 之一；改用 auto",
    ),
    "settings.language": (
        "language must be one of skip, replace, keep-both",
        "语言必须是 skip, replace, keep-both 之一；改用 auto",
    ),
    "settings.restore_delay": (
        "restore_delay_ms must be between 0 and 60000",
        "恢复剪贴板的延迟（restore_delay_ms）必须在 0 到 60000 之间；改用 400",
    ),
    "toml.invalid": (
        "invalid TOML: Invalid value (at end of file)",
        "TOML 格式错误：值无效（文本要加引号）（位于文件末尾）",
    ),
    "pack.cannot_read": ("cannot read: Permission denied", "无法读取：没有访问权限"),
    "pack.deep_keys": (
        "keys are nested too deeply (data only, please)",
        "键的嵌套层级太深（文件里只能放数据）",
    ),
    "pack.no_pack_table": (
        "not a Huashu pack: the [pack] table (format, name) is missing",
        "不是话术包：缺少 [pack] 表（format、name）",
    ),
    "pack.pack_not_table": ("'pack' must be a table: [pack]", "'pack' 必须是一个表：[pack]"),
    "pack.no_format": (
        "[pack] has no 'format' (use format = 1)",
        "[pack] 缺少 'format'（请写 format = 1）",
    ),
    "pack.bad_format": (
        "[pack] 'format' must be a whole number >= 1",
        "[pack] 的 'format' 必须是大于等于 1 的整数",
    ),
    "pack.newer_format": (
        "pack format 7 is newer than this Huashu understands (1); update Huashu to import it",
        "话术包格式 7 比当前版本的话术支持的格式（1）更新；请升级话术后再导入",
    ),
    "pack.too_many_categories": (
        "300 categories; the limit is 200",
        "共 300 个分类，超过了上限 200",
    ),
    "pack.too_many_phrases": ("300 phrases; the limit is 200", "共 300 条话术，超过了上限 200"),
    "pack.meta_not_text": (
        "[pack] 'title' must be text (in quotes)",
        "[pack] 的 'title'（标题）必须是文本（加引号）",
    ),
    "pack.meta_field": (
        "[pack] is 300 characters long; the limit is 200",
        "[pack] 有 300 个字符，超过了上限 200",
    ),
    "pack.no_name": ("[pack] needs a 'name'", "[pack] 需要 'name'（话术包名称）"),
    "pack.binary": ("this is a binary file, not a text pack", "这是二进制文件，不是文本话术包"),
    "pack.not_utf8": (
        "not valid UTF-8 text; save the pack as UTF-8",
        "不是有效的 UTF-8 文本；请将话术包另存为 UTF-8 编码",
    ),
    "file.too_big": ("file is 7.2 MB; the limit is 200 MB", "文件大小为 7.2 MB，超过了上限 200 MB"),
    "file.not_regular": (
        "not a regular file (a folder, pipe or device); only regular files are read",
        "不是普通文件（是文件夹、管道或设备）；只读取普通文件",
    ),
    "file.unreadable": ("unreadable", "无法读取"),
    "file.deep_values": ("values are nested too deeply", "值的嵌套层级太深"),
    "library.no_phrase": ("no phrase with id 'x-1'", "没有 ID 为 'x-1' 的话术"),
    "library.no_parent": ("parent category 'x-1' does not exist", "上级分类 'x-1' 不存在"),
    "lock.busy": (
        "another Huashu process has been writing /n/t.toml for more than 300 s; "
        "try again in a moment",
        "另一个话术进程正在写入 /n/t.toml，已超过 300 秒；请稍后再试",
    ),
    "usage.damaged": (
        "the usage statistics were damaged (Permission denied); moved aside as c.toml; "
        "statistics start empty",
        "使用统计文件已损坏（没有访问权限）；已移到 c.toml；统计从零开始",
    ),
    "usage.not_moved": ("(could not move it)", "（无法移走）"),
    "usage.cannot_save": (
        "cannot save the usage statistics: Permission denied",
        "无法保存使用统计：没有访问权限",
    ),
    "display.missing": (
        "no display: DISPLAY is not set, so the tray app cannot start; run it in a desktop "
        "session, or use the command line (huashu --help)",
        "没有显示器：未设置 DISPLAY，托盘程序无法启动；"
        "请在桌面会话中运行，或使用命令行（huashu --help）",
    ),
    "settings.broken": (
        "settings.toml failed to load, so it is not changed; fix it first",
        "settings.toml 加载失败，因此不会修改它；请先修复该文件",
    ),
    "subscription.unknown": (
        "not subscribed to /n/t.toml (subscriptions: none)",
        "没有订阅 /n/t.toml（当前订阅：无）",
    ),
    "subscription.error": (
        "subscription /n/t.toml: t.toml:3: [pack] needs a 'name'",
        "订阅 /n/t.toml：t.toml 第 3 行：[pack] 需要 'name'（话术包名称）",
    ),
    "subscription.removes": (
        "the new version removes 300 of 400 phrases",
        "新版本删掉了 400 条话术中的 300 条",
    ),
    "subscription.timeout": (
        "the source did not answer within 300 s",
        "源文件在 300 秒内没有响应",
    ),
    "subscription.accept_removals": (
        "Permission denied; to use it anyway: huashu subscribe --accept-removals PATH",
        "没有访问权限；如仍要使用新版本：huashu subscribe --accept-removals PATH",
    ),
    "cli.problems": ("300 problem(s):", "共 300 个问题："),
    "cli.no_phrase": (
        "no phrase with id or code 'x-1' (see 'huashu list')",
        "没有 ID 或快捷编码为 'x-1' 的话术（可用 huashu list 查看）",
    ),
}

ALLOWED = {"pack", "format", "name", "title", "utf", "huashu", "toml", "gbk", "csv", "bom"}
ALLOWED |= {"schema", "version", "auto", "paste", "restore", "delay"}  # setting values
ALLOWED |= {"display", "help", "list", "settings", "subscribe", "accept", "removals", "path"}
ALLOWED |= {
    "categories",
    "phrases",
    "tags",
    "int",
    "skip",
    "replace",
    "keep",
    "both",
    "zip",
}  # TOML syntax, type names (glossed)


def _sample(code: str) -> Msg:
    names = fields(CATALOG[code][EN])
    params: dict[str, object] = {k: v for k, v in SAMPLE.items() if k in names}
    if "reason" in names:
        params["reason"] = Msg("text.too_long", n=300, max=200)
    if "problem" in names:
        params["problem"] = Problem("t.toml", 3, Msg("pack.no_name"))
    return Msg(code, **params)


def test_golden_covers_the_catalog() -> None:
    assert set(GOLDEN) == set(CATALOG)


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_entry_renders_in_both_languages(code: str) -> None:
    en, zh = CATALOG[code]
    assert en.strip() and zh.strip()
    assert fields(en) == fields(zh), code
    msg = _sample(code)
    assert (str(msg), localize(msg, "zh_CN")) == GOLDEN[code]
    assert msg.code == code


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_chinese_keeps_no_english_words(code: str) -> None:
    zh = localize(_sample(code), "zh_CN")
    rest = re.sub(r"'[^']*'|U\+[0-9A-F]+|0x[0-9a-f]+", "", zh).lower()
    assert set(re.findall(r"[a-z]{3,}", rest)) <= ALLOWED, zh


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_the_chinese_comes_from_the_code_not_the_english(code: str) -> None:
    text = str(_sample(code))
    # as plain text (the code lost) it stays English: nothing translates by the English
    assert localize(text, "zh_CN") == text and type(text) is str
    assert not hasattr(messages, "table") and not hasattr(messages, "_RAW_TABLE")


def test_a_message_is_its_english_text() -> None:
    msg = Msg("pack.too_many_tags", what="category", n=20)
    assert msg == "category: more than 20 tags"
    assert f"x {msg}" == "x category: more than 20 tags"
    assert isinstance(msg, str) and msg.params == {"what": "category", "n": 20}
    for other in (copy.copy(msg), copy.deepcopy(msg), pickle.loads(pickle.dumps(msg))):
        assert isinstance(other, Msg)
        assert (other, other.code, other.params) == (msg, msg.code, msg.params)


def test_bad_templates_never_raise(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="app.core.problems"):
        missing = Msg("pack.too_many_tags", what="phrase")
    assert missing == "pack.too_many_tags {'what': 'phrase'}"
    assert missing.code == "pack.too_many_tags"
    assert [r.getMessage() for r in caplog.records] == [
        "bad problem template 'pack.too_many_tags' with {'what': 'phrase'}"
    ]
    assert Msg("no.such.code", a=1) == "no.such.code {'a': 1}"
    assert Msg("text.control_char", cp="x") == "text.control_char {'cp': 'x'}"
    # extra parameters are ignored
    assert Msg("pack.binary", extra=1) == GOLDEN["pack.binary"][0]
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="app.core.problems"):
        assert missing.chinese({}) == str(missing)
    assert [r.getMessage() for r in caplog.records] == [
        "bad Chinese problem template 'pack.too_many_tags' with {}"
    ]
    assert Msg("no.such.code").chinese({}) == "no.such.code {}"
    assert Msg("pack.too_many_tags", what="phrase", n=3).chinese({"what": "话术", "n": 3}) == (
        "话术：标签超过 3 个"
    )


def test_glosses_and_fallbacks_of_parameters() -> None:
    assert localize(Msg("field.problem", field="body", reason=Msg("text.line_break")), ZH_) == (
        "'body'（正文）中有换行，这里不允许换行"
    )
    unknown = Msg("field.problem", field="zz", reason=Msg("text.line_break"))
    assert localize(unknown, ZH_) == "'zz' 中有换行，这里不允许换行"
    assert localize(Msg("pack.cannot_read", msg="odd failure"), ZH_) == "无法读取：odd failure"
    tags = Msg("pack.too_many_tags", what="category", n=2)
    assert localize(tags, ZH_) == "分类：标签超过 2 个"
    assert localize(tags, "en") == str(tags) and type(localize(tags, "en")) is Msg


ZH_ = "zh_CN"


def test_exceptions_keep_their_code() -> None:
    exc = LibraryError(Msg("pack.too_many_tags", what="phrase", n=20))
    assert message_of(exc) is exc.args[0]
    assert localize(exc, ZH_) == "话术：标签超过 20 个"
    assert localize(exc, "en") == "phrase: more than 20 tags"
    assert message_of(ValueError("plain")) == "plain"
    two = LibraryError(Msg("pack.binary"), "more")
    assert message_of(two) == str(two)
    err = OSError(2, "No such file or directory")
    assert localize(err, ZH_) == "[Errno 2] No such file or directory"  # as before
    assert message_of("text") == "text"


def test_a_nested_message_deeper_than_the_limit_stays_english() -> None:
    msg: Msg = Msg("text.line_break")
    for _ in range(messages._MAX_DEPTH + 2):
        msg = Msg("pack.meta_field", reason=msg)
    zh = localize(msg, ZH_)
    assert zh.startswith("[pack] [pack]") and zh.endswith(
        "contains a line break, which is not allowed here"
    )


def test_core_sites_carry_codes(tmp_path: Path) -> None:
    reason = text_problem("a\u200bb", 10, key="code")
    assert isinstance(reason, Msg) and reason.code == "field.problem"
    plain = text_problem("a\nb", 10)
    assert isinstance(plain, Msg) and plain.code == "text.line_break"
    assert text_problem("ok", 10, key="code") is None
    with pytest.raises(LibraryError) as info:
        check_phrase(Phrase("p", "t" * 300, "b", "c"))
    assert localize(info.value, ZH_) == "'title'（标题）有 300 个字符，超过了上限 200"
    with pytest.raises(LibraryError) as info:
        check_phrase(Phrase("p", "t", "b", "c", tags=["x"] * 21))
    assert localize(info.value, ZH_) == "话术：标签超过 20 个"
    with pytest.raises(LibraryError) as info:
        check_phrase(Phrase("p", "t", "b", "c", tags=["a\tb"]))
    assert localize(info.value, ZH_) == "'tags'（标签）中有控制字符 U+0009，这里不允许"
    with pytest.raises(LibraryError) as info:
        check_category(Category("c", "n" * 101))
    assert localize(info.value, ZH_) == "'name'（名称）有 101 个字符，超过了上限 100"
    with pytest.raises(PackError) as pinfo:
        parse_pack_text('[pack]\nformat = 9\nname = "x"\n', "p.toml")
    assert pinfo.value.problems[0].message.code == "pack.newer_format"  # type: ignore[attr-defined]
    assert localize_problem(pinfo.value.problems[0], ZH_) == (
        "p.toml 第 1 行：话术包格式 9 比当前版本的话术支持的格式（1）更新；请升级话术后再导入"
    )
    with pytest.raises(PackError) as pinfo:
        decode_pack_bytes(b"a\x00b", "p.toml")
    assert localize_problem(pinfo.value.problems[0], ZH_) == (
        "p.toml：这是二进制文件，不是文本话术包"
    )
    assert localize_problem(Problem("f", 2, Msg("pack.no_name")), ZH_) == (
        "f 第 2 行：[pack] 需要 'name'（话术包名称）"
    )


def _chain(levels: int, *, via_problem: bool) -> Msg:
    """``levels`` messages wrapped around a line-break reason, as Msg parameters or as the
    message of a Problem parameter."""
    msg: Msg = Msg("text.line_break")
    for _ in range(levels):
        if via_problem:
            msg = Msg("subscription.error", path="p", problem=Problem("f", 1, msg))
        else:
            msg = Msg("pack.meta_field", reason=msg)
    return msg


@pytest.mark.parametrize("via_problem", [False, True])
def test_nesting_is_localized_down_to_the_limit_exactly(via_problem: bool) -> None:
    inner_zh = "中有换行，这里不允许换行"
    inner_en = "contains a line break, which is not allowed here"
    outer = "订阅 p：f 第 1 行：" if via_problem else "[pack] "
    n = messages._MAX_DEPTH
    assert localize(_chain(n, via_problem=via_problem), ZH_) == outer * n + inner_zh
    assert localize(_chain(n + 1, via_problem=via_problem), ZH_) == outer * (n + 1) + inner_en


def test_a_problem_given_as_text_is_glossed() -> None:
    def warn(problem: str) -> str:
        return localize(Msg("subscription.error", path="/t", problem=problem), ZH_)

    assert warn("Permission denied") == "订阅 /t：没有访问权限"
    assert warn("t.toml: Permission denied") == "订阅 /t：t.toml：没有访问权限"
    assert warn("t.toml:4: Permission denied") == "订阅 /t：t.toml 第 4 行：没有访问权限"
    assert warn("odd") == "订阅 /t：odd"


def test_a_failing_gloss_is_logged_and_leaves_english(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(message: Msg, depth: int) -> str:
        raise RuntimeError("bad gloss")

    monkeypatch.setattr(messages, "_coded", boom)
    msg = Msg("pack.binary")
    with caplog.at_level(logging.ERROR, logger="app.core.messages"):
        assert localize(msg, ZH_) == str(msg)
    assert [r.getMessage() for r in caplog.records] == [f"cannot localize {msg!r}"]


def test_field_glosses() -> None:
    assert localize(Msg("doc.missing", field="title"), ZH_) == "缺少 'title'（标题）"
    assert localize(Msg("doc.missing", field="zz"), ZH_) == "缺少 'zz' "
