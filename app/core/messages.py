"""Core problem messages in the user's language (English or Simplified Chinese).

Core code raises and reports coded messages (:class:`app.core.problems.Msg`: English
text plus a code and parameters). :func:`localize` renders a coded message from its
catalog entry's Chinese template, glossing some parameters: field names, phrase/category,
and the texts that come from third parties and so carry no code (OS error reasons, the
TOML and CSV parsers' own details), each through a small table of its own below. A
parameter that is itself a message is localized recursively.

Nothing in the core is translated by matching its English any more (issue 12 removed
the table of English regexes): a plain-text message stays English, never an error.

Pure Python: the UI and the CLI pass their language ("zh_CN" or "en").
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable

from app.core.fsutil import Problem
from app.core.problems import Msg

log = logging.getLogger(__name__)

ZH = "zh_CN"
_MAX_DEPTH = 4

# A Python repr() of a str: '...' or "..." with backslash escapes.
_Q = r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"

Table = list[tuple[re.Pattern[str], str]]


def _compile(raw: list[tuple[str, str]]) -> Table:
    return [(re.compile(pattern), zh) for pattern, zh in raw]  # parser texts: one line


# -- glosses for interpolated values ----------------------------------------------------------
FIELD_NAMES = {
    "id": "ID",
    "title": "标题",
    "body": "正文",
    "category": "分类",
    "code": "快捷编码",
    "hotkey": "快捷键",
    "tags": "标签",
    "examples": "示例问题",
    "created": "创建时间",
    "updated": "更新时间",
    "name": "名称",
    "parent": "上级分类",
    "order": "排序",
    "version": "版本",
    "author": "作者",
    "description": "说明",
    "format": "格式",
    "line": "这一行",
    "agent_no": "工号",
    "agent_name": "客服名",
    "shops": "店铺",
    "active_shop": "当前店铺",
    "files": "订阅文件",
    "picker": "选择器快捷键",
    "pause": "暂停快捷键",
    "restore_delay_ms": "恢复剪贴板的延迟",
    "autostart": "开机启动",
    "language": "语言",
}

TYPE_NAMES = {
    "int": "整数",
    "float": "小数",
    "bool": "布尔值",
    "list": "列表",
    "dict": "表",
    "date": "日期",
    "datetime": "日期时间",
    "time": "时间",
}

WHAT = {"phrase": "话术", "category": "分类"}

KEEP = {
    "keeping the last good copy": "继续使用上次的有效副本",
    "no copy to fall back on": "没有可用的副本",
}

OS_ERRORS = {
    "No such file or directory": "文件或文件夹不存在",
    "Permission denied": "没有访问权限",
    "Is a directory": "这是一个文件夹，不是文件",
    "Not a directory": "不是文件夹",
    "File name too long": "文件名太长",
    "Input/output error": "输入/输出错误",
    "Invalid argument": "参数无效",
    "Device or resource busy": "设备或资源忙",
    "Operation not permitted": "不允许的操作",
    "Too many open files": "打开的文件太多",
    "Read-only file system": "只读文件系统",
    "No space left on device": "磁盘空间不足",
}

_TOML_RAW: list[tuple[str, str]] = [
    (r"Expected '=' after a key in a key/value pair", "键后面缺少 '='（应为 键 = 值）"),
    (r"Unclosed array", "数组没有闭合（缺少 ']'）"),
    (r"Unclosed inline table", "内联表没有闭合（缺少 '}}'）"),
    (r"Invalid value", "值无效（文本要加引号）"),
    (r"Invalid statement", "无效的语句"),
    (rf"Illegal character (?P<q>{_Q})", "非法字符 {q}"),
    (rf"Found invalid character (?P<q>{_Q})", "发现无效字符 {q}"),
    (r"Unterminated string", "字符串没有结束（缺少右引号）"),
    (r"Cannot overwrite a value", "不能覆盖已有的值（键重复？）"),
    (r"Cannot declare (?P<k>.+) twice", "{k} 被声明了两次"),
    (r"Cannot redefine namespace (?P<k>.+)", "不能重新定义表 {k}"),
    (r"Cannot mutate immutable namespace (?P<k>.+)", "不能修改不可变的表 {k}"),
    (rf"Duplicate inline table key (?P<q>{_Q})", "内联表中的键 {q} 重复"),
    (
        r"Expected '\]\]' at the end of an array declaration",
        "表数组声明的末尾缺少 ']]'",
    ),
    (r"Expected '\]' at the end of a table declaration", "表声明的末尾缺少 ']'"),
    (rf"Expected (?P<q>{_Q})", "此处应为 {q}"),
    (r"Invalid initial character for a key part", "键的开头字符无效"),
    (r"Invalid hex value", "十六进制值无效"),
    (r"Invalid date or datetime", "日期或日期时间无效"),
    (r"Unescaped '\\\\' in a string", "字符串中有未转义的 '\\'"),
    (r"Escaped character is not a Unicode scalar value", "转义字符不是有效的 Unicode 字符"),
]
_toml_table = functools.cache(lambda: _compile(_TOML_RAW))
_TOML_END = " (at end of file)"

_CSV_RAW: list[tuple[str, str]] = [
    (rf"(?P<a>{_Q}) expected after (?P<b>{_Q})", "{b} 后面应为 {a}（引号用法有误？）"),
    (r"unexpected end of data", "数据意外结束（引号没有闭合？）"),
    (r"line contains NUL", "这一行包含 NUL 字符"),
    (r"field larger than field limit \((?P<n>\d+)\)", "字段超过长度上限（{n}）"),
    (r"new-line character seen in unquoted field.*", "未加引号的字段中出现了换行符"),
]
_csv_table = functools.cache(lambda: _compile(_CSV_RAW))

_ERRNO = re.compile(r"(?P<head>\[Errno \d+\] )?(?P<text>[^:]+)(?P<rest>:.*)?", re.DOTALL)
_PROBLEM_TEXT = re.compile(r"(?P<file>.+?)(?::(?P<line>\d+))?: (?P<msg>.+)", re.DOTALL)


def _field(name: str) -> str:
    """A field name as the catalog's ``{field}`` shows it: ``'title'（标题）``."""
    gloss = FIELD_NAMES.get(name)
    return f"'{name}'（{gloss}）" if gloss else f"'{name}' "


def _sub_table(value: str, rows: Table) -> str | None:
    for pattern, zh in rows:
        m = pattern.fullmatch(value)
        if m:
            return zh.format_map(m.groupdict())  # every group takes part in its match
    return None


def _toml_detail(value: str, depth: int) -> str:
    end = value.endswith(_TOML_END)
    core = value[: -len(_TOML_END)] if end else value
    zh = _sub_table(core, _toml_table()) or core
    return zh + ("（位于文件末尾）" if end else "")


def _csv_detail(value: str, depth: int) -> str:
    return _sub_table(value, _csv_table()) or value


def _os_error(value: str) -> str:
    m = _ERRNO.fullmatch(value)
    if not m or m.group("text").strip() not in OS_ERRORS:
        return value
    rest = m.group("rest") or ""
    return (m.group("head") or "") + OS_ERRORS[m.group("text").strip()] + rest


def _nested(value: str, depth: int) -> str:
    out = _zh(value, depth + 1)
    return out if out != value else _os_error(value)


def _problem_text(value: str, depth: int) -> str:
    """A ``str(Problem)`` inside another message: ``file:line: message``."""
    m = _PROBLEM_TEXT.fullmatch(value)
    if not m:
        return _nested(value, depth)
    line = int(m.group("line")) if m.group("line") else None
    return _render(m.group("file"), line, _nested(m.group("msg"), depth))


WANT = {
    "text": "文本",
    "a whole number": "整数",
    "true or false": "true 或 false",
    "a list": "列表",
    "a table": "表",
}

_TRANSFORMS: dict[str, Callable[[str, int], str]] = {
    "want": lambda v, d: WANT.get(v, v),
    "type": lambda v, d: f"{v}（{TYPE_NAMES[v]}）" if v in TYPE_NAMES else v,
    "what": lambda v, d: WHAT.get(v, v),
    "keep": lambda v, d: KEEP.get(v, v),
    "known": lambda v, d: "无" if v == "none" else v,
    "msg": _nested,
    "problem": _problem_text,
    "toml": _toml_detail,
    "csv": _csv_detail,
}


def _coded(message: Msg, depth: int) -> str:
    """A coded message in Chinese: its catalog template, with each parameter glossed
    (a nested Msg by its own code, a field name, phrase/category, an OS reason)."""
    values: dict[str, object] = {}
    for name, value in message.params.items():
        if isinstance(value, Msg):
            values[name] = _zh(value, depth + 1)
        elif isinstance(value, Problem):
            values[name] = _render(value.file, value.line, _nested(value.message, depth))
        elif name == "field":
            values[name] = _field(str(value))
        elif name in _TRANSFORMS and isinstance(value, str):
            values[name] = _TRANSFORMS[name](value, depth)
        else:
            values[name] = value
    return message.chinese(values)


def _zh(message: str, depth: int = 0) -> str:
    """A coded message in Chinese; plain text (no code: an OS or parser text, or a message
    whose code was lost) as it is."""
    if depth > _MAX_DEPTH or not isinstance(message, Msg):
        return message
    return _coded(message, depth)


def message_of(problem: str | BaseException) -> str:
    """The message of a problem or of an exception raised with one (a coded
    :class:`Msg` keeps its code; ``str(exc)`` would drop it)."""
    if isinstance(problem, BaseException):
        args = problem.args
        return args[0] if len(args) == 1 and isinstance(args[0], Msg) else str(problem)
    return problem


def localize(message: str | BaseException, language: str) -> str:
    """``message`` (an English core message) in ``language``; English when unknown.

    A coded message (:class:`app.core.problems.Msg`) is rendered from its catalog entry;
    any other text is returned as it is."""
    message = message_of(message)
    if language != ZH:
        return message
    try:
        return _zh(message)
    except Exception:  # a bad gloss must never break an error report
        log.exception("cannot localize %r", message)
        return message


def _render(file: str, line: int | None, message: str) -> str:
    if line:
        return f"{file} 第 {line} 行：{message}"
    return f"{file}：{message}"


def localize_problem(problem: Problem, language: str) -> str:
    """``file:line: message`` (English) or ``file 第 N 行：消息`` (zh_CN)."""
    if language != ZH:
        return str(problem)
    return _render(problem.file, problem.line, localize(problem.message, language))
