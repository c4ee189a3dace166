"""Problem messages as codes with parameters (issue 12: "problems as codes").

A :class:`Msg` is a ``str`` (its English text, so ``str(msg)``, ``==``, f-strings, logging
and every English assertion keep working) that also carries ``code`` and ``params``. The
text comes from :data:`CATALOG`, ``{code: (English template, Chinese template)}`` with
``str.format`` fields; :func:`app.core.messages.localize` renders the Chinese template by
code instead of matching the English text with a regex, so rewording a message in English
cannot silently break its translation.

A bad template (a missing or unknown field) never breaks an error report: the English
falls back to the code and its parameters, the Chinese to the English text. Tests check
every catalog entry instead (tests/unit/core/test_problems.py).

Pure Python; imports nothing from ``app``.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

EN = 0
ZH = 1

# code -> (English template, Chinese template). Fields named like the messages.py glosses
# (``what``: phrase/category, ``field``: a field name, ``msg``: a nested reason) get the
# same glosses in Chinese; a parameter that is itself a Msg is localized by its own code,
# a ``Problem`` (file, line, message) as ``file 第 N 行：消息``.
CATALOG: dict[str, tuple[str, str]] = {
    # -- fsutil.toml_error_line (``toml``: the parser's words, glossed by messages.py) -----
    "toml.invalid": ("invalid TOML: {toml}", "TOML 格式错误：{toml}"),
    # -- text fields (textcheck.text_problem; the reasons read after a field name) ------------
    "field.problem": ("'{field}' {reason}", "{field}{reason}"),
    "text.too_long": (
        "is {n} characters long; the limit is {max}",
        "有 {n} 个字符，超过了上限 {max}",
    ),
    "text.line_break": (
        "contains a line break, which is not allowed here",
        "中有换行，这里不允许换行",
    ),
    "text.control_char": (
        "contains control character U+{cp:04X}, which is not allowed here",
        "中有控制字符 U+{cp:04X}，这里不允许",
    ),
    "text.invisible_char": (
        "contains the invisible character U+{cp:04X}, which is not allowed here",
        "中有不可见字符 U+{cp:04X}（零宽或改变文字方向的字符），这里不允许",
    ),
    # -- settings.toml: one wrong value -----------------------------------------------------
    "settings.not_used": ("{reason}; the value is not used", "{reason}；不使用这个值"),
    "settings.bool_not_int": (
        "'{field}' must be a whole number, not bool; using the default",
        "{field}必须是整数，而不是布尔值；改用默认值",
    ),
    "settings.wrong_type": (
        "'{field}' must be {want}, not {type}; using the default",
        "{field}必须是{want}，而不是 {type}；改用默认值",
    ),
    "settings.not_text_entry": (
        "'{field}' must hold only text; dropped an entry of type {type}",
        "{field}中只能有文本；已去掉一个类型为 {type} 的条目",
    ),
    "settings.not_text_list": (
        "'{field}' must be a list of text; the value is not used",
        "{field}必须是文本列表；不使用这个值",
    ),
    "settings.not_table": (
        "[{name}] must be a table; using the defaults",
        "[{name}] 必须是一个表；改用默认值",
    ),
    "settings.paste_mode": (
        "paste mode {v!r} must be one of {list}",
        "粘贴方式 {v!r} 无效，必须是 {list} 之一；改用 paste",
    ),
    "settings.hotkey_backend": (
        "hotkey backend must be one of {list}",
        "快捷键后端必须是 {list} 之一；改用 auto",
    ),
    "settings.clipboard_backend": (
        "clipboard backend must be one of {list}",
        "剪贴板后端必须是 {list} 之一；改用 auto",
    ),
    "settings.language": ("language must be one of {list}", "语言必须是 {list} 之一；改用 auto"),
    "settings.restore_delay": (
        "restore_delay_ms must be between 0 and 60000",
        "恢复剪贴板的延迟（restore_delay_ms）必须在 0 到 60000 之间；改用 400",
    ),
    # -- document: the shape of a library file or pack ------------------------------------
    "doc.not_utf8": (
        "not valid UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8",
        "不是有效的 UTF-8 文本（字节 0x{byte:02x}）；请将文件另存为 UTF-8 编码",
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
    "doc.missing": ("missing '{field}'", "缺少 {field}"),
    "doc.not_text": (
        "'{field}' must be text (in quotes), not {type}",
        "{field}必须是文本（加引号），不能是 {type}",
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
        "{what} id {id!r} may only use letters, digits, '-', '_' and '.'",
        "{what} ID {id!r} 只能使用字母、数字、'-'、'_' 和 '.'",
    ),
    "doc.empty_name": ("category {id!r} has an empty name", "分类 {id!r} 的名称为空"),
    "doc.empty_title": ("phrase {id!r} has an empty title", "话术 {id!r} 的标题为空"),
    "doc.bad_tags": (
        "'tags' must be a list of text, e.g. tags = [\"欢迎\"]",
        "'tags'（标签）必须是文本列表，例如 tags = [\"欢迎\"]",
    ),
    "doc.bad_examples": (
        '\'examples\' must be a list of text, e.g. ["什么时候发货？", "几天能到？"]',
        '\'examples\'（示例问题）必须是文本列表，例如 ["什么时候发货？", "几天能到？"]',
    ),
    "doc.duplicate_id": ("{what} id {id!r} appears twice", "{what} ID {id!r} 出现了两次"),
    "doc.no_parent": (
        "category {id!r}: parent {parent!r} not found",
        "分类 {id!r}：找不到上级分类 {parent!r}",
    ),
    "doc.nested_too_deep": (
        "category {id!r}: categories nest one level only",
        "分类 {id!r}：分类最多只能嵌套一层",
    ),
    "doc.no_category": (
        "phrase {id!r}: category {cat!r} not found",
        "话术 {id!r}：找不到分类 {cat!r}",
    ),
    # -- packs.qianniu: Qianniu CSV and plain text ----------------------------------------
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
        "more than {n} phrases; that is the limit",
        "话术超过 {n} 条，已达上限",
    ),
    "qianniu.invalid_csv": ("invalid CSV: {csv}", "CSV 格式错误：{csv}"),
    "qianniu.empty": (
        "empty file; expected the header {header}",
        "文件为空；第一行应为表头 {header}",
    ),
    "qianniu.not_qianniu": (
        "not a Qianniu phrase file: the first line must be the header {header}",
        "不是千牛快捷短语文件：第一行必须是表头 {header}",
    ),
    "qianniu.formula": (
        "{col} starts with {ch!r}: a spreadsheet program may run it as a formula; "
        "Huashu exports it with a leading apostrophe",
        "{col}以 {ch!r} 开头：电子表格软件可能把它当作公式执行；"
        "话术导出时会在前面加一个英文单引号（'）",
    ),
    "qianniu.empty_phrase": ("the phrase (快捷短语) is empty", "话术内容（快捷短语）为空"),
    "qianniu.too_many_groups": (
        "more than {n} groups (快捷短语分组); the limit is {n}",
        "分组（快捷短语分组）超过 {n} 个，已达上限 {n}",
    ),
    "qianniu.export_too_big": ("export is larger than {max} MB", "导出的文件超过 {max} MB"),
    "text.no_category_name": ("plain text needs a category name", "纯文本需要一个分类名称"),
    "text.too_many_lines": ("more than {n} phrases; the limit", "话术超过 {n} 条，已达上限"),
    # -- importing, the import plan, storage -------------------------------------------------
    "text.no_category": (
        "plain text needs a category to import into",
        "纯文本需要选择一个导入到的分类",
    ),
    "import.unknown_kind": ("unknown pack kind {kind!r}", "未知的文件类型 {kind!r}"),
    "import.bad_policy": (
        "conflict policy must be one of {list}",
        "冲突处理方式必须是以下之一：{list}",
    ),
    "import.no_category": ("category {id!r} does not exist", "分类 {id!r} 不存在"),
    "import.duplicate_category_ids": (
        "import would create duplicate category ids",
        "导入会产生重复的分类 ID",
    ),
    "import.duplicate_phrase_ids": (
        "import would create duplicate phrase ids",
        "导入会产生重复的话术 ID",
    ),
    "import.missing_category": (
        "phrase {id!r} would be in a missing category",
        "话术 {id!r} 会落在不存在的分类中",
    ),
    "import.broken_files": (
        "cannot import into a library file that failed to load: {files} "
        "(fix or move that file first)",
        "不能导入到加载失败的话术库文件：{files}（请先修复或移走该文件）",
    ),
    "import.not_a_backup": (
        "{path} is not a backup of this library",
        "{path} 不是这个话术库的备份",
    ),
    "storage.broken_files": (
        "cannot save over a library file that failed to load: {files} "
        "(fix or move that file first)",
        "不能覆盖加载失败的话术库文件：{files}（请先修复或移走该文件）",
    ),
    "storage.shared_file": (
        "categories {cid!r} and another one would share the file {name}",
        "分类 {cid!r} 和另一个分类会使用同一个文件 {name}",
    ),
    "storage.newer_schema": (
        "schema_version {v} is newer than this Huashu understands ({ours}); "
        "update Huashu to read it",
        "schema_version {v} 比当前版本的话术支持的版本（{ours}）更新；请升级话术后再读取",
    ),
    "storage.duplicate_ids": (
        "ids also found in another file, one copy kept: {ids}",
        "这些 ID 在另一个文件中也有，已只保留一份：{ids}",
    ),
    # -- subscriptions --------------------------------------------------------------------
    "subscription.not_loaded": ("subscription not loaded: {msg}", "订阅没有加载：{msg}"),
    "subscription.failed": (
        "subscription {path}: {problem}; {keep}",
        "订阅 {path}：{problem}；{keep}",
    ),
    # -- packs.format: table checks and reading ----------------------------------------------
    "pack.table_field": ("{what}: {reason}", "{what}：{reason}"),
    "pack.too_many_tags": ("{what}: more than {n} tags", "{what}：标签超过 {n} 个"),
    "pack.too_many_examples": (
        "{what}: more than {n} example questions",
        "{what}：示例问题超过 {n} 个",
    ),
    "pack.cannot_read": ("cannot read: {msg}", "无法读取：{msg}"),
    # -- packs.read: a Huashu pack ----------------------------------------------------------
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
        "pack format {fmt} is newer than this Huashu understands ({ours}); "
        "update Huashu to import it",
        "话术包格式 {fmt} 比当前版本的话术支持的格式（{ours}）更新；请升级话术后再导入",
    ),
    "pack.too_many_categories": (
        "{n} categories; the limit is {max}",
        "共 {n} 个分类，超过了上限 {max}",
    ),
    "pack.too_many_phrases": ("{n} phrases; the limit is {max}", "共 {n} 条话术，超过了上限 {max}"),
    "pack.meta_not_text": (
        "[pack] '{field}' must be text (in quotes)",
        "[pack] 的 {field}必须是文本（加引号）",
    ),
    "pack.meta_field": ("[pack] {reason}", "[pack] {reason}"),
    "pack.no_name": ("[pack] needs a 'name'", "[pack] 需要 'name'（话术包名称）"),
    "pack.binary": (
        "this is a binary file, not a text pack",
        "这是二进制文件，不是文本话术包",
    ),
    "pack.not_utf8": (
        "not valid UTF-8 text; save the pack as UTF-8",
        "不是有效的 UTF-8 文本；请将话术包另存为 UTF-8 编码",
    ),
    # -- safefile: files refused before parsing -------------------------------------------
    "file.too_big": (
        "file is {size:.1f} MB; the limit is {max} MB",
        "文件大小为 {size:.1f} MB，超过了上限 {max} MB",
    ),
    "file.not_regular": (
        "not a regular file (a folder, pipe or device); only regular files are read",
        "不是普通文件（是文件夹、管道或设备）；只读取普通文件",
    ),
    "file.unreadable": ("unreadable", "无法读取"),
    "file.deep_values": ("values are nested too deeply", "值的嵌套层级太深"),
    # -- the library (model, the settings window's commands) --------------------------------
    "library.no_phrase": ("no phrase with id {id!r}", "没有 ID 为 {id!r} 的话术"),
    "library.no_parent": ("parent category {id!r} does not exist", "上级分类 {id!r} 不存在"),
    # -- locking, usage data, the display ---------------------------------------------------
    "lock.busy": (
        "another Huashu process has been writing {path} for more than {n:g} s; "
        "try again in a moment",
        "另一个话术进程正在写入 {path}，已超过 {n:g} 秒；请稍后再试",
    ),
    "usage.damaged": (
        "the usage statistics were damaged ({msg}); moved aside as {name}; statistics start empty",
        "使用统计文件已损坏（{msg}）；已移到 {name}；统计从零开始",
    ),
    "usage.not_moved": ("(could not move it)", "（无法移走）"),
    "usage.cannot_save": ("cannot save the usage statistics: {msg}", "无法保存使用统计：{msg}"),
    "display.missing": (
        "no display: DISPLAY is not set, so the tray app cannot start; run it in a desktop "
        "session, or use the command line (huashu --help)",
        "没有显示器：未设置 DISPLAY，托盘程序无法启动；"
        "请在桌面会话中运行，或使用命令行（huashu --help）",
    ),
    # -- settings.toml as a whole, subscriptions (more) ------------------------------------
    "settings.broken": (
        "settings.toml failed to load, so it is not changed; fix it first",
        "settings.toml 加载失败，因此不会修改它；请先修复该文件",
    ),
    "subscription.unknown": (
        "not subscribed to {path} (subscriptions: {known})",
        "没有订阅 {path}（当前订阅：{known}）",
    ),
    "subscription.error": ("subscription {path}: {problem}", "订阅 {path}：{problem}"),
    "subscription.removes": (
        "the new version removes {n} of {total} phrases",
        "新版本删掉了 {total} 条话术中的 {n} 条",
    ),
    "subscription.timeout": (
        "the source did not answer within {n:g} s",
        "源文件在 {n:g} 秒内没有响应",
    ),
    "subscription.accept_removals": (
        "{msg}; to use it anyway: huashu subscribe --accept-removals PATH",
        "{msg}；如仍要使用新版本：huashu subscribe --accept-removals PATH",
    ),
    # -- the command line -------------------------------------------------------------------
    "cli.problems": ("{n} problem(s):", "共 {n} 个问题："),
    "cli.no_phrase": (
        "no phrase with id or code {id!r} (see 'huashu list')",
        "没有 ID 或快捷编码为 {id!r} 的话术（可用 huashu list 查看）",
    ),
}

_FORMATTER = string.Formatter()


def fields(template: str) -> set[str]:
    """The field names a template uses (``{n}``, ``{cp:04X}`` -> ``n``, ``cp``)."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name is not None}


def _format(template: str, params: Mapping[str, Any]) -> str | None:
    """``template`` filled from ``params``; None when a field is missing or malformed."""
    try:
        return template.format_map(params)
    except (KeyError, ValueError, IndexError, TypeError, AttributeError):
        return None


class Msg(str):
    """A problem message: its English text, plus ``code`` and ``params``."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, **params: Any) -> Msg:
        entry = CATALOG.get(code)
        text = _format(entry[EN], params) if entry else None
        if text is None:  # a bad template must never break an error report
            log.error("bad problem template %r with %r", code, params)
            text = f"{code} {params}"
        obj = super().__new__(cls, text)
        obj.code = code
        obj.params = dict(params)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # copy / deepcopy / pickle: rebuild from code and params (str's default would call
        # Msg(text) with the English text as the code).
        return (_rebuild, (self.code, self.params))

    def chinese(self, values: Mapping[str, Any]) -> str:
        """The Chinese template filled from ``values`` (the params, localized by the
        caller); the English text when the template does not fit them."""
        entry = CATALOG.get(self.code)
        text = _format(entry[ZH], values) if entry else None
        if text is None:
            log.error("bad Chinese problem template %r with %r", self.code, values)
            return str(self)
        return text


def _rebuild(code: str, params: dict[str, Any]) -> Msg:
    return Msg(code, **params)
