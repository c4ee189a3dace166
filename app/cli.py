"""Command line over app/core: ``huashu list|search|suggest|render|profile|lint|stats|doctor``.

With no sub-command, ``huashu`` starts the tray app.
Errors are one clear line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from app.cli_errors import EXIT_ERROR as EXIT_ERROR
from app.cli_errors import EXIT_MISSING as EXIT_MISSING
from app.cli_errors import CliError as CliError
from app.cli_errors import cli_language, show, show_error
from app.core.fsutil import Paths
from app.core.messages import localize_problem, message_of
from app.core.model import LibraryError, Phrase
from app.core.problems import Msg
from app.core.settings import SettingsError, SettingsNotLoaded
from app.core.template import MissingFields, fields_needed
from app.core.workspace import Workspace
from app.services.phrase_use import PhraseUse, UnknownField


def _phrase_json(ws: Workspace, p: Phrase) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "body": p.body,
        "category": p.category,
        "category_name": ws.library.category_path(p.category),
        "code": p.code,
        "hotkey": p.hotkey,
        "tags": list(p.tags),
        "source": p.source,
        "fields": [f.key for f in fields_needed(p.body)],
    }


def _one_line(text: str, width: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# -- commands ---------------------------------------------------------------------------
def cmd_list(ws: Workspace, args: argparse.Namespace) -> int:
    phrases = ws.library.phrases
    if args.category:
        cats = [c for c in ws.library.categories if args.category in (c.id, c.name)]
        if not cats:
            names = ", ".join(f"{c.id} ({c.name})" for c in ws.library.top_categories())
            raise CliError(f"no category {args.category!r}; categories: {names}")
        phrases = [p for c in cats for p in ws.library.phrases_in(c.id)]
    if args.json:
        _print_json([_phrase_json(ws, p) for p in phrases])
        return 0
    for p in phrases:
        cat = ws.library.category_path(p.category)
        print(f"{p.code or '-':8} {p.title:<12} [{cat}] {p.hotkey or ''}  {_one_line(p.body)}")
    return 0


def cmd_search(ws: Workspace, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    hits = ws.search(args.query, args.limit)
    if args.json:
        _print_json(
            [{**_phrase_json(ws, h.phrase), "score": h.score, "match": h.reason} for h in hits]
        )
        return 0
    if not hits:
        print(f"no phrase matches {args.query!r}", file=sys.stderr)
        return 1
    for h in hits:
        p = h.phrase
        print(f"{p.code or '-':8} {p.title:<12} {p.id:<28} {h.reason:<11} {_one_line(p.body, 40)}")
    return 0


def cmd_suggest(ws: Workspace, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    result = ws.suggest(args.message, args.limit)
    if args.json:
        _print_json(
            [
                {**_phrase_json(ws, s.phrase), "score": s.score, "why": s.why}
                for s in result.suggestions
            ]
        )
        return 0
    if result.nothing_fits:
        print(f"nothing fits {args.message!r}", file=sys.stderr)
        return 1
    for s in result.suggestions:
        p = s.phrase
        print(f"{s.score:5.2f}  {p.code or '-':8} {p.title:<12} {p.id:<28} {s.why}")
    return 0


def _parse_sets(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CliError(f"--set needs NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def cmd_render(ws: Workspace, args: argparse.Namespace) -> int:
    phrase = ws.find(args.id)
    if phrase is None:
        raise CliError(Msg("cli.no_phrase", id=args.id))
    try:
        values = PhraseUse(ws).field_values(phrase, _parse_sets(args.set or []))
    except UnknownField as exc:
        raise CliError(message_of(exc)) from None
    try:
        rendered = ws.render(phrase.id, values, clipboard=lambda: "")
    except MissingFields as exc:
        names = ", ".join(f"{f.key} ({f.label})" for f in exc.fields)
        raise CliError(
            f"phrase {phrase.id!r} needs values for: {names}; give them with --set NAME=VALUE",
            EXIT_MISSING,
        ) from None
    for u in rendered.unknown:
        print(f"warning: {u.reason} at {u.start}: {u.text}", file=sys.stderr)
    print(rendered.text)
    return 0


def cmd_profile(ws: Workspace, args: argparse.Namespace) -> int:
    prof = ws.settings.profile
    changed = False
    if args.agent_no is not None:
        prof.agent_no = args.agent_no.strip()
        changed = True
    if args.agent_name is not None:
        prof.agent_name = args.agent_name.strip()
        changed = True
    if args.shop is not None:
        try:
            prof.set_shop(args.shop)
        except ValueError as exc:
            raise CliError(message_of(exc)) from None
        changed = True
    if args.remove_shop is not None:
        if args.remove_shop not in prof.shops:
            raise CliError(f"no shop {args.remove_shop!r}; shops: {', '.join(prof.shops)}")
        prof.shops.remove(args.remove_shop)
        if prof.active_shop == args.remove_shop:
            prof.active_shop = prof.shops[0] if prof.shops else ""
        changed = True
    if changed:
        ws.save_settings()
    if args.json:
        _print_json(
            {
                "agent_no": prof.agent_no,
                "agent_name": prof.agent_name,
                "shops": prof.shops,
                "active_shop": prof.shop,
            }
        )
        return 0
    print(f"agent number: {prof.agent_no or '(not set)'}")
    print(f"agent name:   {prof.agent_name or '(not set)'}")
    for s in prof.shops:
        print(f"shop:         {s}{'  (active)' if s == prof.shop else ''}")
    if not prof.shops:
        print("shop:         (not set)")
    return 0


def cmd_lint(ws: Workspace, args: argparse.Namespace) -> int:
    findings = ws.linter.check_library(ws.library)
    if args.json:
        _print_json(
            [
                {
                    "phrase_id": f.phrase_id,
                    "field": f.field,
                    "word": f.word,
                    "start": f.start,
                    "end": f.end,
                    "kind": f.kind,
                    "reason": f.reason,
                    "suggestion": f.suggestion,
                }
                for f in findings
            ]
        )
    else:
        for f in findings:
            p = ws.library.phrase(f.phrase_id)
            title = p.title if p else f.phrase_id
            hint = f"; {f.suggestion}" if f.suggestion else ""
            print(f"{f.phrase_id} ({title}) {f.field}:{f.start}: '{f.word}' {f.reason}{hint}")
        if not findings:
            print(f"no findings in {len(ws.library.phrases)} phrases")
    return 1 if findings else 0


def cmd_stats(ws: Workspace, args: argparse.Namespace) -> int:
    uses = {u.phrase_id: u for u in ws.usage.all()}
    phrases = ws.library.phrases
    used = sorted((p for p in phrases if p.id in uses), key=lambda p: (-uses[p.id].count, p.title))
    never = [p for p in phrases if p.id not in uses]
    total = sum(u.count for u in uses.values())
    if args.json:
        _print_json(
            {
                "phrases": len(phrases),
                "uses": total,
                "most_used": [
                    {"id": p.id, "title": p.title, "count": uses[p.id].count}
                    for p in used[: args.top]
                ],
                "never_used": [p.id for p in never],
            }
        )
        return 0
    print(f"{len(phrases)} phrases, {total} uses, {len(never)} never used")
    for p in used[: args.top]:
        last = _dt.datetime.fromtimestamp(uses[p.id].last_used).strftime("%Y-%m-%d %H:%M")
        print(f"{uses[p.id].count:6}  {p.title:<14} {p.code or '-':8} last {last}")
    return 0


def cmd_doctor(ws: Workspace, args: argparse.Namespace) -> int:
    from app.platform.factory import doctor_report

    print(f"data directory: {ws.paths.home}")
    print(f"library: {len(ws.library.phrases)} phrases in {len(ws.library.categories)} categories")
    lang = cli_language(ws.settings.language)
    for prob in ws.problems:
        print(f"problem: {localize_problem(prob, lang)}")
    s = ws.settings
    for capability, backend, why in doctor_report(
        s.hotkey_backend, clipboard_preference=s.clipboard_backend
    ):
        print(f"{capability:16} {backend:10} {why}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huashu",
        description="Huashu 话术: quick replies for customer-service agents. "
        "Without a command, starts the tray app.",
    )
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("list", help="list phrases")
    p.add_argument("--category", help="category id or name")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("search", help="ranked search: code, pinyin initials, pinyin, text")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("suggest", help="phrases that answer a customer's message")
    p.add_argument("message", help="the customer's message, e.g. 什么时候发货")
    p.add_argument("--limit", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_suggest)
    p = sub.add_parser("render", help="print a phrase with its placeholders filled in")
    p.add_argument("id", help="phrase id or code")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="fill-in field value")
    p.set_defaults(func=cmd_render)
    p = sub.add_parser("profile", help="show or set agent number, name and shops")
    p.add_argument("--agent-no")
    p.add_argument("--agent-name")
    p.add_argument("--shop", help="add a shop (if new) and make it active")
    p.add_argument("--remove-shop")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile)
    p = sub.add_parser("lint", help="compliance check of all phrases (exit 1 on findings)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lint)
    p = sub.add_parser("stats", help="usage statistics")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("doctor", help="which hotkey, clipboard and paste backends are used")
    p.set_defaults(func=cmd_doctor)
    from app.cli_pack import register

    register(sub)
    return parser


@contextlib.contextmanager
def _log_to_file(paths: Paths) -> Iterator[None]:
    """Log to the app's log file, never to the terminal: the user sees each problem once,
    as one line, and tracebacks go to the log. The logging set-up is undone afterwards
    (``main`` may run inside another program, e.g. the tests)."""
    import logging
    import logging.handlers

    root = logging.getLogger()
    handler: logging.Handler
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            paths.logs / "huashu.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [cli]: %(message)s")
        )
    except OSError:
        handler = logging.NullHandler()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        from app.main import run

        return run(args_list)
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader went away (``huashu search cf | head -1``): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141


def _run(args: argparse.Namespace) -> int:
    paths = Paths.default()
    with _log_to_file(paths):
        return _run_logged(args, paths)


def _run_logged(args: argparse.Namespace, paths: Paths) -> int:
    ws: Workspace | None = None
    lang = cli_language()  # before the settings are read: the locale alone
    try:
        ws = Workspace.open(paths)
        lang = cli_language(ws.settings.language)
        for text in dict.fromkeys(localize_problem(prob, lang) for prob in ws.problems):
            print(f"huashu: warning: {text}", file=sys.stderr)
        code: int = args.func(ws, args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler
        return code
    except CliError as exc:
        print(f"huashu: error: {show_error(exc, lang)}", file=sys.stderr)
        return exc.code
    except SettingsNotLoaded as exc:  # names settings.toml itself
        print(f"huashu: error: {show(exc, lang)}", file=sys.stderr)
        return EXIT_ERROR
    except SettingsError as exc:
        print(f"huashu: error: {localize_problem(exc.problem, lang)}", file=sys.stderr)
        return EXIT_ERROR
    except (LibraryError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        print(f"huashu: error: {show(exc, lang)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: one line here, the traceback in the log
        import logging

        logging.getLogger("app.cli").exception("command failed")
        print(f"huashu: error: {exc} (details: {paths.logs / 'huashu.log'})", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if ws is not None:
            try:
                ws.close()
            except Exception:
                pass
