"""Using a phrase, without the windows: what it needs, the text it becomes, and what is
recorded once it reached the chat (use counts, learnt answers, recent fill-in values).

The tray app (``app.ui.phrase_flow``) adds the fill-in form and the paste; the command
line (``huashu render``) prints the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.settings import SettingsNotLoaded

if TYPE_CHECKING:  # the template engine loads on first use, not at start-up
    from app.core.model import Phrase
    from app.core.template import Field
    from app.core.workspace import Workspace

log = logging.getLogger(__name__)

#: CLI field names that stand for the built-in placeholders' keys.
FIELD_ALIASES = {"顾客": "customer", "商品": "product"}


def remember(
    recent: Mapping[str, Sequence[str]], values: Mapping[str, str], limit: int = 10
) -> dict[str, list[str]]:
    """``recent`` updated with ``values``: per key most recent first, unique, at most ``limit``.

    Pure: returns a new dict and leaves ``recent`` untouched. Empty values are not remembered.
    """
    out = {key: list(vals) for key, vals in recent.items()}
    for key, value in values.items():
        value = value.strip()
        if not value:
            continue
        old = [v for v in out.get(key, []) if v != value]
        out[key] = [value, *old][: max(limit, 0)]
    return out


@dataclass(frozen=True)
class UsePlan:
    """What using ``phrase`` needs: its fill-in ``fields`` (none: paste at once) and the
    profile values it uses that are empty (worth a warning)."""

    phrase: Phrase
    fields: list[Field]
    empty_profile: list[str]


@dataclass(frozen=True)
class Reply:
    """A rendered phrase, ready to deliver: ``cursor`` is where the caret ends (None:
    at the end); ``flagged`` when the compliance lint finds something in the text."""

    phrase_id: str
    text: str
    cursor: int | None
    flagged: bool


class UnknownField(ValueError):
    """A value was given for a field the phrase does not have."""


class PhraseUse:
    """The steps of using a phrase of ``ws``; ``clipboard`` reads the clipboard's text
    (for the ``{剪贴板}`` placeholder)."""

    def __init__(self, ws: Workspace, clipboard: Callable[[], str] | None = None) -> None:
        self.ws = ws
        self.clipboard = clipboard if clipboard is not None else (lambda: "")

    def plan(self, phrase_id: str) -> UsePlan | None:
        """None when the phrase no longer exists."""
        from app.core.template import fields_needed

        phrase = self.ws.library.phrase(phrase_id)
        if phrase is None:
            return None
        return UsePlan(phrase, fields_needed(phrase.body), self.ws.empty_profile_values(phrase))

    def previewer(self, phrase: Phrase) -> Callable[[Mapping[str, str]], str]:
        """The text the fill-in form shows for the values typed so far."""
        from app.core.template import render_preview

        ctx = self.ws.context(self.clipboard)
        return lambda values: render_preview(phrase.body, ctx, dict(values)).text

    def reply(self, phrase: Phrase, values: Mapping[str, str]) -> Reply:
        from app.core.template import render

        rendered = render(phrase.body, self.ws.context(self.clipboard), dict(values))
        flagged = bool(self.ws.linter.check_text(rendered.text, phrase.id))
        return Reply(phrase.id, rendered.text, rendered.cursor, flagged)

    def remember_values(self, values: Mapping[str, str]) -> str:
        """Keep the fill-in values for next time and save them (best-effort): "" when
        saved (or when settings are not saved at all), else why not."""
        s = self.ws.settings
        s.recent_values = remember(s.recent_values, values)
        return self._save_settings("recent values")

    def select_shop(self, shop: str) -> str:
        """Make ``shop`` the current one and save it: "" or why it was not saved."""
        self.ws.settings.profile.set_shop(shop)
        return self._save_settings("shop")

    def _save_settings(self, what: str) -> str:
        try:
            self.ws.save_settings()
        except SettingsNotLoaded:
            # settings.toml failed to load (the user was told at start): it is never
            # written, and that must not hold up a reply.
            return ""
        except Exception as exc:
            log.warning("%s not saved: %s", what, exc)
            return str(exc)
        return ""

    def learn(self, message: str, phrase_id: str) -> None:
        """Remember that ``phrase_id`` answered the customer's ``message`` (best-effort)."""
        try:
            self.ws.learn(message, phrase_id)
        except Exception:
            log.exception("could not learn from the choice of %s", phrase_id)

    def delivered(self, phrase_id: str) -> str:
        """The reply reached the chat: count the use. "" or why it was not saved."""
        if not phrase_id:
            return ""
        return self.ws.record_use(phrase_id) or ""

    def field_values(self, phrase: Phrase, given: Mapping[str, str]) -> dict[str, str]:
        """Values named by field key, label or alias, by key; UnknownField otherwise."""
        from app.core.template import fields_needed

        fields = fields_needed(phrase.body)
        values: dict[str, str] = {}
        for name, value in given.items():
            key = FIELD_ALIASES.get(name, name)
            match = [f for f in fields if key in (f.key, f.label)]
            if not match:
                needed = ", ".join(f.key for f in fields) or "none"
                raise UnknownField(f"phrase {phrase.id!r} has no field {name!r} (fields: {needed})")
            values[match[0].key] = value
        return values
