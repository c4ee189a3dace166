"""Developer tool for the zh_CN translation of the UI (not imported by the app).

    python -m app.i18n update    # extract every UI string from app/**.py into the .ts
    python -m app.i18n compile   # build the .qm the app loads from the .ts
    python -m app.i18n check     # exit 1 if a UI string is missing or untranslated

Extraction is ``pyside6-lupdate -no-obsolete`` (existing translations are kept), then an
:mod:`ast` pass adds what lupdate misses:

- calls to module-level helpers of the form ::

      def tr(text: str) -> str:
          return QCoreApplication.translate("HuashuApp", text)

  lupdate files ``tr("x")`` under the empty (or enclosing class) context, which is not the
  one looked up at run time, and skips ``_tr("x")`` entirely. Such calls are re-filed under
  the helper's context and lupdate's misfiled copies are dropped;
- ``self.tr("x")`` inside f-strings, which lupdate does not parse.

``check`` runs the same extraction into a temporary copy of the .ts and reports every
message that is not in the committed .ts, has an empty or unfinished translation, or whose
translation lost a placeholder (``%1``, ``%n``, ``{name}``) or a keyboard accelerator.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "app"
TS_PATH = ROOT / "resources" / "translations" / "huashu_zh_CN.ts"
QM_PATH = TS_PATH.with_suffix(".qm")
LANGUAGE = "zh_CN"

Key = tuple[str, str, str]
"""(context, source, disambiguation comment) identifying one message."""

_PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+)|\{[^{}\s]*\}")
_ACCELERATOR = re.compile(r"&(?!&)\S")


# -- tools -----------------------------------------------------------------------------------
def _tool(name: str) -> str:
    """Path of a PySide6 tool (``pyside6-lupdate``), next to this Python first."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found (is PySide6 installed in this Python?)")
    return found


def source_files(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Every .py file under ``source_dir``, sorted, skipping caches."""
    return sorted(p for p in source_dir.rglob("*.py") if "__pycache__" not in p.parts)


# -- what lupdate misses ---------------------------------------------------------------------
@dataclass(frozen=True)
class Call:
    """A translatable call with literal text found by :func:`ast_calls`."""

    context: str
    source: str
    comment: str
    numerus: bool
    path: Path
    lines: frozenset[int]
    via: str
    """The helper's name, or "self.tr" for a method call inside a class."""


def _helper_context(func: ast.FunctionDef) -> str | None:
    """The context if ``func(text, ...)`` calls ``X.translate("Ctx", text)``."""
    if not func.args.args:
        return None
    param = func.args.args[0].arg
    for node in ast.walk(func):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr != "translate" or len(node.args) < 2:
            continue
        ctx, text = node.args[0], node.args[1]
        if (
            isinstance(ctx, ast.Constant)
            and isinstance(ctx.value, str)
            and isinstance(text, ast.Name)
            and text.id == param
        ):
            return ctx.value
    return None


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path, helpers: dict[str, str]) -> None:
        self.path = path
        self.helpers = helpers
        self.classes: list[str] = []
        self.found: list[Call] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        text = _literal(node.args[0]) if node.args else None
        if text is not None:
            arg = node.args[0]
            lines = frozenset({node.lineno, arg.lineno, arg.end_lineno or arg.lineno})
            if isinstance(func, ast.Name) and func.id in self.helpers:
                self._add(self.helpers[func.id], text, "", False, lines, func.id)
            elif (
                isinstance(func, ast.Attribute)
                and func.attr == "tr"
                and isinstance(func.value, ast.Name)
                and func.value.id == "self"
                and self.classes
            ):
                comment = _literal(node.args[1]) if len(node.args) > 1 else None
                numerus = len(node.args) > 2 or any(k.arg == "n" for k in node.keywords)
                self._add(self.classes[-1], text, comment or "", numerus, lines, "self.tr")
        self.generic_visit(node)

    def _add(
        self, ctx: str, text: str, comment: str, numerus: bool, lines: frozenset[int], via: str
    ) -> None:
        self.found.append(Call(ctx, text, comment, numerus, self.path, lines, via))


def ast_calls(path: Path) -> list[Call]:
    """Calls of ``self.tr`` and of module-level translate helpers, with literal text."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    helpers: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            ctx = _helper_context(node)
            if ctx is not None:
                helpers[node.name] = ctx
    finder = _Finder(path, helpers)
    finder.visit(tree)
    return finder.found


# -- .ts reading and writing -----------------------------------------------------------------
def _key(context: ET.Element, message: ET.Element) -> Key:
    return (
        context.findtext("name") or "",
        message.findtext("source") or "",
        message.findtext("comment") or "",
    )


def read_ts(path: Path) -> dict[Key, ET.Element]:
    """Messages of a .ts file by key (empty if the file does not exist)."""
    if not path.exists():
        return {}
    root = ET.parse(path).getroot()
    return {_key(c, m): m for c in root.iter("context") for m in c.iter("message")}


def write_ts(root: ET.Element, path: Path) -> None:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8"
    )


def _location_path(ts_path: Path, location: ET.Element) -> Path:
    return Path(os.path.normpath(ts_path.parent / (location.get("filename") or "")))


def _merge_ast_calls(ts_path: Path, calls: Sequence[Call], previous: dict[Key, ET.Element]) -> None:
    """Add the :func:`ast_calls` lupdate missed or misfiled to the .ts it just wrote."""
    tree = ET.parse(ts_path)
    root = tree.getroot()
    misfiled = {
        (c.path.resolve(), line, c.source) for c in calls if c.via == "tr" for line in c.lines
    }
    for context in list(root.iter("context")):
        for message in list(context.iter("message")):
            source = message.findtext("source") or ""
            locations = message.findall("location")
            stray = [
                loc
                for loc in locations
                if (_location_path(ts_path, loc), int(loc.get("line") or 0), source) in misfiled
            ]
            if not stray:
                continue
            if len(stray) == len(locations):
                context.remove(message)
            else:
                for loc in stray:
                    message.remove(loc)
        if not context.findall("message"):
            root.remove(context)

    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    messages = {_key(c, m): m for c in root.iter("context") for m in c.iter("message")}
    for call in calls:
        key: Key = (call.context, call.source, call.comment)
        found = messages.get(key)
        if found is not None:
            if call.via == "self.tr":
                continue  # lupdate saw it
            message = found
        else:
            parent = contexts.get(call.context)
            if parent is None:
                parent = ET.SubElement(root, "context")
                ET.SubElement(parent, "name").text = call.context
                contexts[call.context] = parent
            message = ET.SubElement(parent, "message")
            if call.numerus:
                message.set("numerus", "yes")
            ET.SubElement(message, "source").text = call.source
            if call.comment:
                ET.SubElement(message, "comment").text = call.comment
            old = previous.get(key)
            old_tr = old.find("translation") if old is not None else None
            if old_tr is not None:
                message.append(copy.deepcopy(old_tr))
            else:
                blank = ET.SubElement(message, "translation", type="unfinished")
                if call.numerus:
                    ET.SubElement(blank, "numerusform")
            messages[key] = message
        location = ET.Element(
            "location",
            filename=os.path.relpath(call.path.resolve(), ts_path.parent.resolve()),
            line=str(min(call.lines)),
        )
        # keep <location> before <source>, as lupdate writes it
        message.insert(len(message.findall("location")), location)
    write_ts(root, ts_path)


# -- commands --------------------------------------------------------------------------------
def update(ts_path: Path = TS_PATH, source_dir: Path = SOURCE_DIR) -> int:
    """Extract all UI strings into ``ts_path``, keeping translations; returns message count."""
    files = source_files(source_dir)
    previous = read_ts(ts_path)
    ts_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.lst"
        listing.write_text("\n".join(str(f) for f in files) + "\n", encoding="utf-8")
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                "-silent",
                "-no-obsolete",
                "-target-language",
                LANGUAGE,
                f"@{listing}",
                "-ts",
                str(ts_path),
            ],
            check=True,
        )
    calls = [c for f in files for c in ast_calls(f)]
    _merge_ast_calls(ts_path, calls, previous)
    return len(read_ts(ts_path))


def compile_qm(ts_path: Path = TS_PATH, qm_path: Path = QM_PATH) -> None:
    """Build ``qm_path`` from ``ts_path`` with pyside6-lrelease."""
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(ts_path), "-qm", str(qm_path)],
        check=True,
    )


def translations_of(message: ET.Element) -> list[str]:
    """The translated text(s) of a message: one per numerus form, '' when empty."""
    translation = message.find("translation")
    if translation is None:
        return [""]
    forms = translation.findall("numerusform")
    if forms:
        return [f.text or "" for f in forms]
    return [translation.text or ""]


def is_finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    return (
        translation is not None
        and translation.get("type") is None
        and all(t.strip() for t in translations_of(message))
    )


def message_problems(key: Key, message: ET.Element) -> list[str]:
    """Why a committed message is not a complete, well-formed translation ([] if it is)."""
    source = key[1]
    if not is_finished(message):
        return ["unfinished"]
    out: list[str] = []
    wanted = sorted(set(_PLACEHOLDER.findall(source)))
    has_accel = bool(_ACCELERATOR.search(source.replace("&&", "")))
    for text in translations_of(message):
        got = sorted(set(_PLACEHOLDER.findall(text)))
        if got != wanted:
            out.append(f"placeholders {wanted} became {got}")
        if has_accel and not _ACCELERATOR.search(text.replace("&&", "")):
            out.append("accelerator (&) lost")
    return out


def fresh_messages(ts_path: Path = TS_PATH, source_dir: Path = SOURCE_DIR) -> dict[Key, ET.Element]:
    """What ``update`` would produce now, computed on a temporary copy of ``ts_path``."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh_path = Path(tmp) / ts_path.name
        if ts_path.exists():
            shutil.copyfile(ts_path, fresh_path)
        update(fresh_path, source_dir)
        return read_ts(fresh_path)


def check(
    ts_path: Path = TS_PATH,
    source_dir: Path = SOURCE_DIR,
    fresh: dict[Key, ET.Element] | None = None,
) -> list[str]:
    """Problems with ``ts_path`` against the current sources ([] when complete)."""
    committed = read_ts(ts_path)
    if fresh is None:
        fresh = fresh_messages(ts_path, source_dir)
    problems: list[str] = []
    for key in fresh:
        context, source, comment = key
        label = f"[{context}] {source!r}" + (f" ({comment})" if comment else "")
        if key not in committed:
            problems.append(f"missing: {label}")
            continue
        problems.extend(f"{p}: {label}" for p in message_problems(key, committed[key]))
    return problems


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["update", "compile", "check"])
    parser.add_argument("--ts", type=Path, default=TS_PATH, help="the .ts file")
    parser.add_argument("--qm", type=Path, default=QM_PATH, help="the .qm file (compile)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "update":
        count = update(args.ts)
        unfinished = sum(1 for m in read_ts(args.ts).values() if not is_finished(m))
        print(f"{args.ts}: {count} messages, {unfinished} unfinished")
        return 0
    if args.command == "compile":
        compile_qm(args.ts, args.qm)
        print(f"wrote {args.qm}")
        return 0
    fresh = fresh_messages(args.ts)
    problems = check(args.ts, fresh=fresh)
    for problem in problems:
        print(problem)
    unused = [k for k in read_ts(args.ts) if k not in fresh]
    if unused:
        print(f"note: {len(unused)} message(s) no longer used; `update` drops them")
    if problems:
        print(f"{len(problems)} problem(s); run `python -m app.i18n update`, translate, compile")
        return 1
    print(f"{args.ts}: complete ({len(read_ts(args.ts))} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
