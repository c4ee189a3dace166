"""``huashu pack export|import|check|undo`` and ``huashu subscribe|unsubscribe``.

Wired into :mod:`app.cli` by ``register(sub)`` in ``build_parser``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
from pathlib import Path
from typing import Any

from app.cli_errors import CliError
from app.core import subscriptions
from app.core.messages import message_of
from app.core.packs import (
    POLICIES,
    ImportPreview,
    PackError,
    PackMeta,
    detect_kind,
    export_pack,
    preview_import,
    read_any,
)
from app.core.packs.qianniu import ENCODING_NAMES, export_qianniu
from app.core.problems import Msg
from app.core.storage import StorageError
from app.core.workspace import Workspace
from app.services import imports
from app.services.team_packs import TeamPacks

KINDS = ("auto", "huashu", "qianniu", "text")


def _pack_error(exc: PackError) -> CliError:
    return CliError(Msg("cli.problems", n=len(exc.problems)), problems=exc.problems)


def print_preview(preview: ImportPreview) -> None:
    pack = preview.pack
    enc = ENCODING_NAMES.get(pack.encoding, pack.encoding)
    print(f"{pack.source}: {pack.kind} file, {len(pack.phrases)} phrases, encoding {enc}")
    if pack.kind == "huashu":
        m = pack.meta
        print(f"pack: {m.name} {m.version} by {m.author or '-'}")
    for warning in pack.warnings:
        print(f"warning: {warning}")
    for cat in preview.new_categories:
        print(f"new category: {cat.name}")
    width = max([8, *(len(name) for name in preview.counts())])
    print(f"{'category':<{width}}  {'new':>5} {'same':>5} {'changed':>7} {'conflict':>8}")
    for name, c in preview.counts().items():
        print(f"{name:<{width}}  {c.new:>5} {c.identical:>5} {c.changed:>7} {c.conflict:>8}")
    t = preview.totals
    print(f"{'total':<{width}}  {t.new:>5} {t.identical:>5} {t.changed:>7} {t.conflict:>8}")


def cmd_pack_export(ws: Workspace, args: argparse.Namespace) -> int:
    path = Path(args.file)
    fmt = args.format or ("qianniu" if path.suffix.lower() == ".csv" else "huashu")
    try:
        if fmt == "qianniu":
            count = export_qianniu(ws.library, path, args.category or None)
        else:
            meta = PackMeta(
                name=args.name or path.stem,
                version=args.version,
                author=args.author or ws.settings.profile.agent_name,
                description=args.description,
                created=_dt.date.today().isoformat(),
            )
            count = len(export_pack(ws.library, path, meta, args.category or None).phrases)
    except KeyError as exc:
        names = ", ".join(f"{c.id} ({c.name})" for c in ws.library.top_categories())
        raise CliError(f"no category {exc.args[0]!r}; categories: {names}") from None
    except PackError as exc:
        raise _pack_error(exc) from None
    print(f"exported {count} phrases to {path} ({fmt})")
    return 0


def _read(args: argparse.Namespace) -> Any:
    kind = args.format if args.format != "auto" else detect_kind(args.file)
    try:
        return read_any(args.file, kind, text_category=getattr(args, "category", "") or "")
    except PackError as exc:
        raise _pack_error(exc) from None


def cmd_pack_import(ws: Workspace, args: argparse.Namespace) -> int:
    pack = _read(args)
    preview = preview_import(ws.library, pack)
    print_preview(preview)
    if args.dry_run:
        print("dry run: nothing changed")
        return 0
    try:
        res = imports.import_pack(ws, preview, args.on_conflict, accept_hotkeys=args.accept_hotkeys)
    except StorageError as exc:
        raise CliError(message_of(exc)) from None
    print(
        f"imported: {res.added} added, {res.replaced} replaced, {res.kept_both} kept both, "
        f"{res.skipped} skipped, {res.identical} already there"
    )
    for old, new in res.codes_renamed:
        print(f"code {old} renamed to {new}")
    if res.hotkeys_dropped:
        print(f"hotkeys not bound: {', '.join(res.hotkeys_dropped)} (use --accept-hotkeys)")
    if res.backup is not None:
        print(f"backup: {res.backup} (undo: huashu pack undo {res.backup})")
    return 0


def cmd_pack_check(ws: Workspace, args: argparse.Namespace) -> int:
    pack = _read(args)
    enc = ENCODING_NAMES.get(pack.encoding, pack.encoding)
    print(
        f"ok: {pack.source}: {len(pack.phrases)} phrases in {len(pack.categories)} "
        f"categories ({pack.kind}, {enc})"
    )
    return 0


def cmd_pack_undo(ws: Workspace, args: argparse.Namespace) -> int:
    try:
        changed = imports.undo(ws, args.backup)
    except StorageError as exc:
        raise CliError(message_of(exc)) from None
    print(f"restored {len(changed)} file(s) from {args.backup}")
    return 0


def cmd_subscribe(ws: Workspace, args: argparse.Namespace) -> int:
    try:
        res = TeamPacks(ws).subscribe(args.path, allow_shrink=args.accept_removals)
    except PackError as exc:
        raise _pack_error(exc) from None
    except subscriptions.SubscriptionError as exc:
        raise CliError(message_of(exc)) from None
    if res.held:
        raise CliError(Msg("subscription.accept_removals", msg=res.warning))
    if res.warning:
        raise CliError(res.warning)
    print(f"subscribed to {res.name}: {res.added} phrases ({res.path})")
    return 0


def cmd_unsubscribe(ws: Workspace, args: argparse.Namespace) -> int:
    try:
        removed = TeamPacks(ws).unsubscribe(args.path)
    except subscriptions.SubscriptionError as exc:
        raise CliError(message_of(exc)) from None
    print(f"unsubscribed from {args.path}: {removed} phrases removed from view")
    return 0


def register(sub: Any) -> None:
    """Add the pack and subscription commands to the ``huashu`` sub-parsers."""
    pack = sub.add_parser("pack", help="share phrases: export, import, check pack files")
    psub = pack.add_subparsers(dest="pack_command", required=True)

    p = psub.add_parser("export", help="write the library or chosen categories to a file")
    p.add_argument("file")
    p.add_argument("--category", action="append", help="category id or name (repeatable)")
    p.add_argument("--format", choices=("huashu", "qianniu"), help="default: by extension")
    p.add_argument("--name", help="pack name (default: file name)")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--author", default="")
    p.add_argument("--description", default="")
    p.set_defaults(func=cmd_pack_export)

    p = psub.add_parser("import", help="import a pack, Qianniu CSV or text file")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="only print the preview counts")
    p.add_argument("--on-conflict", choices=POLICIES, default="skip")
    p.add_argument("--category", help="category for a plain text file (one phrase per line)")
    p.add_argument("--format", choices=KINDS, default="auto")
    p.add_argument("--accept-hotkeys", action="store_true", help="bind the pack's free hotkeys")
    p.set_defaults(func=cmd_pack_import)

    p = psub.add_parser("check", help="validate a file; lists every problem")
    p.add_argument("file")
    p.add_argument("--format", choices=KINDS, default="auto")
    p.add_argument("--category", default="check", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_pack_check)

    p = psub.add_parser("undo", help="restore the library from an import's backup")
    p.add_argument("backup")
    p.set_defaults(func=cmd_pack_undo)

    p = sub.add_parser("subscribe", help="follow a team pack file (read-only)")
    p.add_argument("path")
    p.add_argument(
        "--accept-removals",
        action="store_true",
        help="take a new version even when it removes more than half of the phrases",
    )
    p.set_defaults(func=cmd_subscribe)
    p = sub.add_parser("unsubscribe", help="stop following a team pack file")
    p.add_argument("path")
    p.set_defaults(func=cmd_unsubscribe)
