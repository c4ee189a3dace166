"""What the settings forms refuse or warn about, as translated messages.

:func:`hotkey_problems` says why a hotkey cannot be used (the phrase editor and the
general page both ask); :func:`phrase_errors` lists what blocks saving a phrase, field by
field; :func:`placeholder_warnings` and :func:`lint_warnings` are the warnings shown under
its reply. The messages keep the translation context of the phrase editor
("PhraseEditor"), where they are shown first. :data:`ERROR_STYLE` and
:data:`WARNING_STYLE` are how such messages look next to their field.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from app.core.hotkeys import HotkeyError, parse_hotkey, same_hotkey
from app.core.model import Phrase
from app.core.template import unknown_placeholders
from app.core.workspace import Workspace

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c62828;"
WARNING_STYLE = "color: #9a6700;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("PhraseEditor", text)


def hotkey_problems(
    ws: Workspace,
    hotkey: str,
    *,
    phrase_id: str | None = None,
    app_action: str | None = None,
) -> list[str]:
    """Why ``hotkey`` cannot be used (empty list: it can).

    Checks the notation, typing keys without Ctrl/Alt/Win, the other phrases (not
    ``phrase_id``), the app's own hotkeys (not ``app_action``), then whatever
    ``external`` reports.
    """
    if not hotkey:
        return []
    try:
        parsed = parse_hotkey(hotkey)
    except HotkeyError as exc:
        return [_tr("This is not a valid hotkey: {reason}").format(reason=exc)]
    if parsed.blocks_typing:
        return [_tr("This key would stop you typing it anywhere; add Ctrl, Alt or Win.")]
    canonical = str(parsed)
    out: list[str] = []

    def same(other: str) -> bool:
        return bool(other) and same_hotkey(other, canonical)

    for p in ws.library.phrases:
        if p.id != phrase_id and p.hotkey and same(p.hotkey):
            out.append(_tr("Already used by the phrase “{title}”.").format(title=p.title))
    s = ws.settings
    if app_action != "picker" and same(s.picker_hotkey):
        out.append(_tr("Already used to open the phrase picker."))
    if app_action != "pause" and same(s.pause_hotkey):
        out.append(_tr("Already used to pause and resume Huashu."))
    if app_action != "suggest" and same(s.suggest_hotkey):
        out.append(_tr("Already used to suggest replies to the copied message."))
    if app_action != "panel" and same(s.panel_hotkey):
        out.append(_tr("Already used to show or hide the docked panel."))
    return out


def phrase_errors(ws: Workspace, p: Phrase, phrase_id: str | None) -> dict[str, str]:
    """What blocks saving ``p`` (the phrase ``phrase_id``, None for a new one), by field:
    "title", "code", "category" and "hotkey"; empty when it can be saved."""
    errors: dict[str, str] = {}
    if not p.title:
        errors["title"] = _tr("The title cannot be empty.")
    if p.code:
        if any(c.isspace() for c in p.code):
            errors["code"] = _tr("A code cannot contain spaces.")
        else:
            for other in ws.library.by_code(p.code):
                if other.id != phrase_id:
                    errors["code"] = _tr(
                        "The code is already used by the phrase “{title}”."
                    ).format(title=other.title)
                    break
    if not p.category or ws.library.category(p.category) is None:
        errors["category"] = _tr("Choose a category (create one first if there is none).")
    if p.hotkey:
        problems = hotkey_problems(ws, p.hotkey, phrase_id=phrase_id)
        if problems:
            errors["hotkey"] = "\n".join(problems)
    return errors


def placeholder_warnings(body: str) -> list[str]:
    """One warning per unknown placeholder in ``body`` (it stays as typed)."""
    return [
        _tr("{text} is not a known placeholder and stays as typed ({reason}).").format(
            text=u.text, reason=u.reason
        )
        for u in unknown_placeholders(body)
    ]


def lint_warnings(ws: Workspace, p: Phrase) -> list[str]:
    """The compliance findings on ``p``, with the suggested wording when there is one."""
    lint = []
    try:
        findings = ws.linter.check_phrase(p)
    except Exception:
        log.exception("compliance check failed")
        findings = []
    for f in findings:
        if f.suggestion:
            lint.append(
                _tr("“{word}” may be penalised ({reason}). Say instead: {suggestion}").format(
                    word=f.word, reason=f.reason, suggestion=f.suggestion
                )
            )
        else:
            lint.append(
                _tr("“{word}” may be penalised ({reason}).").format(word=f.word, reason=f.reason)
            )
    return lint
