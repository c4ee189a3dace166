"""Chinese renderings of every importer / library message (app.core.messages)."""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import app.core
from app.core import importing, storage
from app.core import subscriptions as subs
from app.core.fsutil import Paths, Problem
from app.core.messages import localize, localize_problem, message_of
from app.core.model import Category, Library, Phrase
from app.core.packs import (
    ImportItem,
    ImportPreview,
    Pack,
    PackError,
    PackMeta,
    parse_pack_text,
    plan_import,
    preview_import,
    qianniu,
    read_any,
    read_limited,
)
from app.core.packs import read as pack_read
from app.core.packs.qianniu import parse_plain_text, parse_qianniu
from app.core.problems import CATALOG, Msg
from app.core.settings import SettingsError
from app.core.storage import LibraryStore, StorageError
from app.core.subscriptions import SubscriptionError
from app.core.workspace import Workspace

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")

HEAD = '[pack]\nformat = 1\nname = "团队"\n'
CAT = '[[categories]]\nid = "c"\nname = "分类"\n'


def _phrase(extra: str = "", pid: str = "p1", cat: str = "c") -> str:
    return f'[[phrases]]\nid = "{pid}"\ntitle = "标题"\nbody = "正文"\ncategory = "{cat}"\n{extra}'


PACK_TEXTS: dict[str, str] = {
    "truncated": HEAD + CAT + '[[phrases]]\nid = "p1"\ntitle = "标',
    "no equals": HEAD + "name\n",
    "unclosed array": HEAD + "tags = [1, 2\n",
    "bare value": HEAD + "x = 欢迎\n",
    "illegal char": HEAD + 'x = "a\x01b"\n',
    "duplicate key": HEAD + 'name = "again"\n',
    "bad table header": HEAD + "[[phrases]\n",
    "unterminated": HEAD + 'x = "abc\n',
    "no pack": CAT,
    "pack not table": "pack = 1\n" + CAT,
    "no format": '[pack]\nname = "x"\n',
    "bad format": '[pack]\nformat = "one"\nname = "x"\n',
    "newer format": '[pack]\nformat = 7\nname = "x"\n',
    "deep keys": HEAD + "a.b.c.d.e.f.g.h.i.j.k = 1\n",
    "meta": '[pack]\nformat = 1\nname = 5\nauthor = "a\\u007fb"\nversion = 2\n'
    + 'description = "'
    + "长" * 2001
    + '"\n',
    "name break": '[pack]\nformat = 1\nname = """a\nb"""\n',
    "no name": '[pack]\nformat = 1\nname = "  "\n',
    "fields": HEAD
    + CAT
    + _phrase('code = "' + "c" * 40 + '"\ntags = [' + ", ".join(['"t"'] * 21) + "]\n")
    + '[[phrases]]\nid = "p2"\ntitle = """a\nb"""\nbody = "b"\ncategory = "c"\n'
    + _phrase('tags = ["' + "t" * 60 + '"]\n', pid="p3"),
    "types": HEAD
    + '[[categories]]\nid = 3\nname = "n"\norder = "x"\n'
    + '[[phrases]]\nid = "p1"\ntitle = 5\nbody = ["x"]\ncategory = "c"\ntags = "t"\n'
    + '[[phrases]]\nid = "p2"\n',
    "ids": HEAD
    + CAT
    + CAT
    + '[[categories]]\nid = "bad id!"\nname = "x"\n'
    + '[[categories]]\nid = "e"\nname = " "\n'
    + '[[categories]]\nid = "k"\nname = "孩子"\nparent = "nope"\n'
    + '[[categories]]\nid = "k2"\nname = "孩子"\nparent = "c"\n'
    + '[[categories]]\nid = "k3"\nname = "孙子"\nparent = "k2"\n'
    + _phrase()
    + _phrase()
    + _phrase(pid="bad id!")
    + _phrase(cat="missing", pid="p9")
    + '[[phrases]]\nid = "p8"\ntitle = " "\nbody = "b"\ncategory = "c"\n',
    "not tables": "categories = [1]\nphrases = [2]\n" + HEAD,
    "not arrays": "categories = 1\nphrases = 2\n" + HEAD,
}


def _corpus(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    """Every problem a range of broken inputs produces through the real importers."""
    out: list[Problem] = []

    def catch(fn: Callable[[], object]) -> None:
        try:
            fn()
        except PackError as exc:
            out.extend(exc.problems)
        except (StorageError, SubscriptionError, SettingsError, ValueError) as exc:
            out.append(Problem("-", None, message_of(exc)))  # as the UI passes it

    for name, text in PACK_TEXTS.items():
        catch(lambda text=text, name=name: parse_pack_text(text, f"{name}.toml"))  # type: ignore[misc]
    nested = "x = " + "[" * 3000 + "]" * 3000 + "\n"
    catch(lambda: parse_pack_text(HEAD + nested, "nested.toml"))

    with monkeypatch.context() as m:
        m.setattr(pack_read, "MAX_PHRASES", 2)
        m.setattr(pack_read, "MAX_CATEGORIES", 1)
        catch(lambda: parse_pack_text(HEAD + _phrase() * 3, "many.toml"))
        catch(lambda: parse_pack_text(HEAD + CAT * 2, "cats.toml"))

    # files: binary, bad UTF-8, missing, too big, text without category
    files = {
        "bin.toml": b"\x00\x01\x02",
        "latin.toml": HEAD.encode() + b'x = "\xe9"\n',
        "u16.csv": "a,b".encode("utf-16"),
        "bin.csv": b"ab\x00cd",
        "bom.csv": b"\xef\xbb\xbf" + b"a\n\xff\xfe",
        "junk.csv": b"\xff\xff\xff",
        "empty.csv": b"",
        "header.csv": "编码,内容\r\n1,2\r\n".encode("gbk"),
        "quote.csv": '快捷短语编码,快捷短语\r\n"a"b,c\r\n'.encode(),
        "eof.csv": '快捷短语编码,快捷短语\r\na,"open\r\n'.encode(),
        "rows.csv": (
            "快捷短语编码,快捷短语,快捷短语分组\r\n"
            + "x" * 40
            + ",正文,组\r\n"
            + "a, ,组\r\n"
            + "b,正\x07文,组\r\n"
            + "c,正文,"
            + "组" * 120
            + "\r\n"
        ).encode("gbk"),
        "lines.txt": ("好\n" + "长" * 10_001 + "\n").encode(),
    }
    for fname, data in files.items():
        (tmp / fname).write_bytes(data)
        catch(lambda fname=fname: read_any(tmp / fname, text_category="分类"))  # type: ignore[misc]
    catch(lambda: read_any(tmp / "lines.txt"))
    catch(lambda: read_any(tmp / "missing.toml"))
    catch(lambda: read_limited(tmp / "lines.txt", "lines.txt", limit=10))
    catch(lambda: parse_plain_text(b"a\n", "t.txt", " "))
    catch(lambda: parse_plain_text(b"a\n", "t.txt", "类" * 101))
    with monkeypatch.context() as m:
        m.setattr(qianniu, "MAX_PHRASES", 2)
        catch(lambda: parse_plain_text(b"a\nb\nc\nd\n", "many.txt", "分类"))
        catch(
            lambda: parse_qianniu("快捷短语编码,快捷短语\n1,a\n2,b\n3,c\n4,d\n".encode(), "m.csv")
        )

    # the library on disk
    paths = Paths(tmp / "home")
    lib_dir = paths.library
    lib_dir.mkdir(parents=True)
    doc = "schema_version = 1\n" + CAT + _phrase()
    (lib_dir / "a.toml").write_text(doc, "utf-8")
    (lib_dir / "b.toml").write_text(doc, "utf-8")  # same ids again
    (lib_dir / "c.toml").write_text("schema_version = 'x'\n" + HEAD, "utf-8")
    (lib_dir / "d.toml").write_text("schema_version = 9\n", "utf-8")
    (lib_dir / "e.toml").write_bytes(b"schema_version = 1\n# \xff\n")
    (lib_dir / "f.toml").mkdir()
    (lib_dir / "g.toml").write_text("schema_version = 1\n" + "# x\n" * 2000, "utf-8")
    with monkeypatch.context() as m:
        m.setattr(storage, "MAX_LIBRARY_FILE", 5000)
        out.extend(LibraryStore(paths).load().problems)

    # import / subscription errors (StorageError, SubscriptionError, ValueError)
    pack = Pack(PackMeta("p"), [], [], "p.toml")
    dup = Library([Category("a", "A"), Category("a", "B")], [])
    catch(lambda: plan_import(dup, ImportPreview(pack, [], [], {})))
    twins = Library([Category("a", "A")], [Phrase("x", "t", "b", "a"), Phrase("x", "t", "b", "a")])
    catch(lambda: plan_import(twins, ImportPreview(pack, [], [], {})))
    lost = Library([Category("a", "A")], [Phrase("x", "t", "b", "zz")])
    catch(lambda: plan_import(lost, ImportPreview(pack, [], [], {})))
    item = ImportItem(Phrase("n", "t", "b", "gone"), "new")
    catch(lambda: plan_import(Library(), ImportPreview(pack, [item], [], {})))
    catch(lambda: plan_import(Library(), ImportPreview(pack, [], [], {}), "merge"))
    ws = Workspace.open(Paths(tmp / "ws"), seed=False)
    catch(lambda: importing.undo_import(ws, tmp))
    catch(lambda: subs.unsubscribe(ws, tmp / "team.toml"))
    catch(lambda: read_any(tmp / "lines.txt", "weird"))
    with monkeypatch.context() as m:
        m.setattr(qianniu, "MAX_FILE_BYTES", 10)
        catch(lambda: qianniu.export_qianniu(dup, tmp / "out.csv"))
    broken = tmp / "broken-team.toml"
    broken.write_text(HEAD + "x = [", "utf-8")
    ws.settings.subscriptions = [str(broken)]
    out.extend(subs.load_subscriptions(ws))
    out.append(Problem("-", None, subs.refresh(ws, broken).warning))
    ws.settings.subscriptions = []
    ws.store.broken_files = {"x.toml"}
    xlib = Library([Category("x", "X")], [Phrase("xp", "t", "b", "x")])
    catch(lambda: ws.store.save(xlib))
    xpack = Pack(PackMeta("p"), [Category("x", "X")], [Phrase("xp", "t", "b", "x")], "p.toml")
    catch(lambda: importing.apply_import(ws, preview_import(ws.library, xpack)))
    ws.settings_ok = False
    catch(lambda: subs.subscribe(ws, tmp / "team.toml"))
    return out


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    return _corpus(tmp_path, monkeypatch)


def test_corpus_reaches_many_distinct_templates(corpus: list[Problem]) -> None:
    codes = {p.message.code for p in corpus if isinstance(p.message, Msg)}
    messages = {p.message for p in corpus}
    assert len(messages) >= 85, len(messages)
    assert len(codes) >= 60, sorted(set(CATALOG) - codes)


def test_every_corpus_message_is_translated_keeping_values(corpus: list[Problem]) -> None:
    bad = []
    for p in corpus:
        zh = localize(p.message, "zh_CN")
        ok = zh != p.message and CJK.search(zh) is not None
        ok = ok and all(n in zh for n in NUMBER.findall(p.message))
        ok = ok and all(q in zh for q in QUOTED.findall(p.message))
        if not ok:
            bad.append((p.message, zh))
    assert not bad, "\n".join(f"{en!r} -> {zh!r}" for en, zh in bad)


def test_translated_messages_keep_no_english_sentence(corpus: list[Problem]) -> None:
    for p in corpus:
        zh = localize(p.message, "zh_CN")
        stripped = QUOTED.sub("", zh)
        words = set(re.findall(r"[a-z]{3,}(?: [a-z]{3,}){2,}", stripped))
        # three English words in a row: untranslated (file paths of the corpus aside)
        words = {w for w in words if w not in str(p.file)}
        assert not words, (p.message, zh)


def test_english_and_unknown_stay_unchanged() -> None:
    msg = "'title' is 300 characters long; the limit is 200"
    assert localize(msg, "en") == msg
    assert localize(msg, "de") == msg
    assert localize("something brand new", "zh_CN") == "something brand new"
    assert localize("", "zh_CN") == ""


def test_localize_problem_keeps_the_location() -> None:
    p = Problem("team.toml", 12, Msg("doc.empty_title", id="a"))
    assert localize_problem(p, "en") == "team.toml:12: phrase 'a' has an empty title"
    assert localize_problem(p, "zh_CN") == "team.toml 第 12 行：话术 'a' 的标题为空"
    q = Problem("team.toml", None, Msg("file.deep_values"))
    assert localize_problem(q, "zh_CN") == "team.toml：值的嵌套层级太深"
    # the same text without its code stays English: nothing translates by regex any more
    plain = Problem("team.toml", None, "values are nested too deeply")
    assert localize_problem(plain, "zh_CN") == "team.toml：values are nested too deeply"


def test_nested_messages_and_glosses() -> None:
    warn = Msg(
        "subscription.failed",
        path="/n/t.toml",
        problem=Problem("t.toml", 3, Msg("toml.invalid", toml="Invalid value")),
        keep="no copy to fall back on",
    )
    assert str(warn) == (
        "subscription /n/t.toml: t.toml:3: invalid TOML: Invalid value; no copy to fall back on"
    )
    assert localize(warn, "zh_CN") == (
        "订阅 /n/t.toml：t.toml 第 3 行：TOML 格式错误：值无效（文本要加引号）；没有可用的副本"
    )
    # a problem given as its text (file:line: message) keeps its place, glossed
    as_text = Msg("subscription.error", path="/n/t.toml", problem="t.toml:3: Permission denied")
    assert localize(as_text, "zh_CN") == "订阅 /n/t.toml：t.toml 第 3 行：没有访问权限"
    assert localize(Msg("pack.cannot_read", msg="No such file or directory"), "zh_CN") == (
        "无法读取：文件或文件夹不存在"
    )
    assert localize(Msg("doc.not_text", field="order", type="int"), "zh_CN") == (
        "'order'（排序）必须是文本（加引号），不能是 int（整数）"
    )
    assert localize(Msg("toml.invalid", toml="Totally new parser text"), "zh_CN") == (
        "TOML 格式错误：Totally new parser text"
    )


# -- every message template in the sources has a table entry ---------------------------------
SOURCES = [
    "packs/format.py",
    "packs/read.py",
    "packs/choose.py",
    "packs/export.py",
    "packs/plan.py",
    "packs/qianniu.py",
    "importing.py",
    "document.py",
    "subscriptions.py",
    "subscription_copies.py",
    "storage.py",
    "fsutil.py",
    "safefile.py",
    "locking.py",
    "usage.py",
]
MESSAGE_CALLS = {"Problem": 2, "StorageError": 0, "SubscriptionError": 0, "ValueError": 0}
MESSAGE_CALLS |= {"LimitError": 0, "BusyError": 0, "UsageError": 0}
MESSAGE_FUNCS = {"field_problem", "_too_big", "toml_error_line"}
# Values tried for each interpolated part of a template (names assigned a literal or an
# f-string in the same file use those values instead).
CANDIDATES = ["7", "7.5", "'x-1'", "x", "unreadable", "phrase", "int"]
ALLOWED_WORDS = {"toml", "utf", "gbk", "csv", "bom", "pack", "format", "name", "phrases"}
ALLOWED_WORDS |= {"categories", "schema", "version", "settings", "tags", "order", "unicode"}
ALLOWED_WORDS |= {"errno"}
Env = dict[str, list[str]]


def _hole(v: ast.FormattedValue, env: Env) -> list[str]:
    if isinstance(v.value, ast.Name) and v.value.id in env:
        return env[v.value.id]
    spec = v.format_spec
    if isinstance(spec, ast.JoinedStr) and all(isinstance(x, ast.Constant) for x in spec.values):
        fmt = "".join(str(x.value) for x in spec.values if isinstance(x, ast.Constant))
        out = []
        for value in (7, 7.5, 31):
            try:
                out.append(format(value, fmt))
            except ValueError:
                continue
        return out
    return CANDIDATES


def _samples(node: ast.expr, env: Env | None = None) -> list[str] | None:
    """Sample texts of a message expression, or None when it is not a template."""
    env = env or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [
            [str(v.value)] if isinstance(v, ast.Constant) else _hole(v, env)  # type: ignore[arg-type]
            for v in node.values
        ]
        return ["".join(c) for c in itertools.islice(itertools.product(*parts), 5000)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _samples(node.left, env)
        right = _samples(node.right, env)
        if left is None and right is None:
            return None
        return [a + b for a in (left or CANDIDATES) for b in (right or CANDIDATES)]
    if isinstance(node, (ast.IfExp, ast.BoolOp)):
        options = [node.body, node.orelse] if isinstance(node, ast.IfExp) else node.values
        found = [s for s in (_samples(o, env) for o in options) if s is not None]
        return [x for s in found for x in s] if found else None
    return None


def _env(tree: ast.AST) -> Env:
    """Local names assigned message pieces (``what = "a line break" if ... else ...``)."""
    env: Env = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                got = _samples(node.value)
                env.setdefault(target.id, []).extend(got if got is not None else CANDIDATES)
    return env


def _templates(path: Path) -> list[tuple[int, ast.expr, Env]]:
    """Message expressions (Problem/...Error arguments, problem(), message helpers), each
    with the names assigned in its top-level function."""
    tree = ast.parse(path.read_text("utf-8"))
    found: list[tuple[int, ast.expr, Env]] = []
    for top in tree.body:
        env = _env(top)
        for node in ast.walk(top):
            exprs: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                pos = MESSAGE_CALLS.get(name)
                if name == "problem" and len(node.args) == 2:
                    pos = 1
                if pos is not None and len(node.args) > pos:
                    exprs.append(node.args[pos])
                exprs.extend(kw.value for kw in node.keywords if kw.arg == "message")
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "append"
                    and getattr(func.value, "id", "") == "bad"
                    and node.args
                ):
                    exprs.append(node.args[0])
            elif isinstance(node, ast.FunctionDef) and node.name in MESSAGE_FUNCS:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Return) and sub.value is not None:
                        exprs.append(sub.value)
                        if isinstance(sub.value, ast.Tuple):
                            exprs.extend(sub.value.elts)
            elif isinstance(node, ast.Assign):
                target = node.targets[0]
                if isinstance(target, ast.Attribute) and target.attr == "warning":
                    exprs.append(node.value)
            found.extend((getattr(node, "lineno", 0), e, env) for e in exprs)
    return found


def _translated(sample: str) -> bool:
    zh = localize(sample, "zh_CN")
    if zh == sample or not CJK.search(zh):
        return False
    rest = QUOTED.sub("", zh).lower()
    for cand in CANDIDATES:
        rest = rest.replace(cand, "")
    return set(re.findall(r"[a-z]{3,}", rest)) <= ALLOWED_WORDS


def test_every_message_template_in_core_has_a_table_entry() -> None:
    core = Path(app.core.__file__).parent
    missing: list[str] = []
    count = 0
    for fname in SOURCES:
        for lineno, expr, env in _templates(core / fname):
            samples_list = _samples(expr, env)
            if samples_list is None or not any(s.strip() for s in samples_list):
                continue
            count += 1
            if not any(_translated(s) for s in samples_list):
                missing.append(f"{fname}:{lineno}: {samples_list[0]!r}")
    coded = _coded_calls(core)
    unknown = [c for c in coded if c not in CATALOG]
    assert not unknown, f"codes missing from the catalog: {unknown}"
    assert len(coded) >= 25, len(coded)
    assert count + len(coded) >= 80, (count, len(coded))
    assert not missing, "messages without a Chinese table entry:\n" + "\n".join(missing)


def _coded_calls(core: Path) -> list[str]:
    """The code of every ``Msg("code", ...)`` in the sources (translated by code)."""
    codes = []
    for fname in [*SOURCES, "textcheck.py", "model.py", "settings.py", "workspace.py"]:
        for node in ast.walk(ast.parse((core / fname).read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Msg":
                first = node.args[0]
                assert isinstance(first, ast.Constant), ast.dump(node)
                codes.append(str(first.value))
    return codes


def test_the_source_scan_can_fail() -> None:
    tree = ast.parse('Problem(s, 1, f"a brand new problem with {n} things")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    samples = _samples(call.args[2])
    assert samples is not None
    assert not any(_translated(s) for s in samples)
