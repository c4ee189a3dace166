"""Undoable changes to the workspace (QUndoCommand subclasses).

Every command changes ``ws.library`` or ``ws.settings`` and saves at once (atomic writes
in the core). A change that fails (disk full, invalid nesting...) is rolled back in memory,
reported through :attr:`CommandContext.failed` and the command marks itself obsolete, so
it leaves the undo stack. Commands never mutate a Phrase or Category in place: they
replace the objects, so a shallow snapshot of the lists is enough to roll back.

Deleting goes through :meth:`Workspace.delete_phrases` (which takes a backup first);
deleting a category and moving phrases take a backup too. Undo re-inserts what was
removed at its old position.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from app.core.messages import message_of
from app.core.model import Category, Library, LibraryError, Phrase, check_category
from app.core.problems import Msg
from app.core.settings import Settings
from app.core.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a command changed, so the window knows what to refresh and re-register."""

    library: bool = False
    settings: bool = False
    hotkeys: bool = False
    focus_phrase: str | None = None  # phrase to select afterwards
    focus_category: str | None = None  # category to select afterwards
    saved: bool = False  # the step saved the library itself (ws.delete_phrases)


@dataclass
class CommandContext:
    """What commands need besides their own data."""

    ws: Workspace
    changed: Callable[[Outcome], None]
    failed: Callable[[str], None]


def _bindings(ws: Workspace) -> tuple[object, ...]:
    s = ws.settings
    phrase_keys = tuple(sorted((p.id, p.hotkey) for p in ws.library.phrases if p.hotkey))
    app_keys = (s.picker_hotkey, s.pause_hotkey, s.suggest_hotkey, s.panel_hotkey)
    return (*app_keys, s.hotkey_backend, phrase_keys)


def _replace_phrase(lib: Library, phrase: Phrase) -> None:
    for i, p in enumerate(lib.phrases):
        if p.id == phrase.id:
            if lib.category(phrase.category) is None:
                raise LibraryError(Msg("import.no_category", id=phrase.category))
            lib.phrases[i] = phrase
            return
    raise LibraryError(Msg("library.no_phrase", id=phrase.id))


def _replace_category(lib: Library, cat: Category) -> None:
    check_category(cat)
    for i, c in enumerate(lib.categories):
        if c.id == cat.id:
            lib.categories[i] = cat
            return
    raise LibraryError(f"no category with id {cat.id!r}")


class WorkspaceCommand(QUndoCommand):
    """Base: run apply/revert with rollback on failure, then save and notify."""

    touches_settings = False

    def __init__(self, ctx: CommandContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.error: str | None = None

    @property
    def ws(self) -> Workspace:
        return self.ctx.ws

    # subclasses --------------------------------------------------------------------------
    def apply(self) -> Outcome:
        raise NotImplementedError

    def revert(self) -> Outcome:
        raise NotImplementedError

    # QUndoCommand ------------------------------------------------------------------------
    def redo(self) -> None:
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], Outcome]) -> None:
        ws = self.ws
        lib = ws.library
        cats, phrases = list(lib.categories), list(lib.phrases)
        settings = copy.deepcopy(ws.settings) if self.touches_settings else None
        before = _bindings(ws)
        try:
            outcome = step()
            if outcome.library and not outcome.saved:
                ws.save_library()
            if outcome.settings:
                ws.save_settings()
        except Exception as exc:
            log.warning("%s failed: %s", self.text(), exc, exc_info=True)
            lib.categories, lib.phrases = cats, phrases
            if settings is not None:
                _assign_settings(ws, settings)
            # Files written before the failure must match what the window shows again.
            try:
                ws.save_library()
            except Exception:
                log.error("could not bring library/ back after a failed save", exc_info=True)
            self.error = message_of(exc)  # a coded message keeps its code
            self.setObsolete(True)
            self.ctx.failed(self.error)
            return
        self.error = None
        hotkeys = _bindings(ws) != before
        self.ctx.changed(dataclasses.replace(outcome, hotkeys=hotkeys))


# -- phrases --------------------------------------------------------------------------------
class AddPhrases(WorkspaceCommand):
    def __init__(self, ctx: CommandContext, phrases: Sequence[Phrase], text: str) -> None:
        super().__init__(ctx, text)
        self.phrases = [p.copy() for p in phrases]

    def apply(self) -> Outcome:
        for p in self.phrases:
            self.ws.library.add_phrase(p)
        return Outcome(library=True, focus_phrase=self.phrases[-1].id if self.phrases else None)

    def revert(self) -> Outcome:
        for p in self.phrases:
            self.ws.library.remove_phrase(p.id)
        return Outcome(library=True)


class EditPhrase(WorkspaceCommand):
    def __init__(self, ctx: CommandContext, old: Phrase, new: Phrase, text: str) -> None:
        super().__init__(ctx, text)
        self.old = old.copy()
        self.new = new.copy()

    def apply(self) -> Outcome:
        lib = self.ws.library
        if lib.root_of(self.old.category) != lib.root_of(self.new.category):
            self.ws.store.backup("move")  # it changes file: one undo away, like a move
        lib.update_phrase(self.new)  # stamps `updated`
        self.new = self.ws.library.phrase(self.new.id) or self.new
        return Outcome(library=True, focus_phrase=self.new.id)

    def revert(self) -> Outcome:
        _replace_phrase(self.ws.library, self.old.copy())
        return Outcome(library=True, focus_phrase=self.old.id)


class DeletePhrases(WorkspaceCommand):
    """Delete through ``ws.delete_phrases`` (backup first); undo puts them back in place."""

    def __init__(self, ctx: CommandContext, ids: Iterable[str], text: str) -> None:
        super().__init__(ctx, text)
        self.ids = list(dict.fromkeys(ids))
        self.removed: list[tuple[int, Phrase]] = []

    def apply(self) -> Outcome:
        lib = self.ws.library
        wanted = set(self.ids)
        self.removed = [(i, p) for i, p in enumerate(lib.phrases) if p.id in wanted]
        for _i, p in self.removed:
            if p.read_only:
                raise LibraryError(f"phrase {p.title!r} comes from a subscription")
        self.ws.delete_phrases(self.ids)  # backs up, removes and saves
        return Outcome(library=True, saved=True)

    def revert(self) -> Outcome:
        lib = self.ws.library
        for i, p in sorted(self.removed, key=lambda item: item[0]):
            if lib.phrase(p.id) is not None:
                raise LibraryError(f"phrase id {p.id!r} already exists")
            if lib.category(p.category) is None:
                raise LibraryError(Msg("import.no_category", id=p.category))
            lib.phrases.insert(min(i, len(lib.phrases)), p)
        last = self.removed[-1][1].id if self.removed else None
        return Outcome(library=True, focus_phrase=last)


class MovePhrases(WorkspaceCommand):
    def __init__(self, ctx: CommandContext, ids: Iterable[str], category: str, text: str) -> None:
        super().__init__(ctx, text)
        self.ids = list(dict.fromkeys(ids))
        self.category = category
        self.old: dict[str, str] = {}

    def apply(self) -> Outcome:
        lib = self.ws.library
        if lib.category(self.category) is None:
            raise LibraryError(Msg("import.no_category", id=self.category))
        self.ws.store.backup("move")
        self.old = {}
        for pid in self.ids:
            p = lib.phrase(pid)
            if p is None:
                raise LibraryError(Msg("library.no_phrase", id=pid))
            if p.read_only:
                raise LibraryError(f"phrase {p.title!r} comes from a subscription")
            self.old[pid] = p.category
            _replace_phrase(lib, p.copy(category=self.category))
        return Outcome(library=True)

    def revert(self) -> Outcome:
        lib = self.ws.library
        for pid, cat in self.old.items():
            p = lib.phrase(pid)
            if p is None:
                raise LibraryError(Msg("library.no_phrase", id=pid))
            _replace_phrase(lib, p.copy(category=cat))
        return Outcome(library=True)


# -- categories ---------------------------------------------------------------------------
class AddCategory(WorkspaceCommand):
    def __init__(self, ctx: CommandContext, cat: Category, text: str) -> None:
        super().__init__(ctx, text)
        self.cat = dataclasses.replace(cat)

    def apply(self) -> Outcome:
        self.ws.library.add_category(dataclasses.replace(self.cat))
        return Outcome(library=True, focus_category=self.cat.id)

    def revert(self) -> Outcome:
        lib = self.ws.library
        if lib.phrases_in(self.cat.id) or lib.children(self.cat.id):
            raise LibraryError("the category is not empty any more")
        lib.categories = [c for c in lib.categories if c.id != self.cat.id]
        return Outcome(library=True, focus_category=self.cat.parent or "")


class RenameCategory(WorkspaceCommand):
    def __init__(self, ctx: CommandContext, cid: str, name: str, text: str) -> None:
        super().__init__(ctx, text)
        self.cid = cid
        self.name = name
        self.old_name: str | None = None

    def _set(self, name: str) -> Outcome:
        cat = self.ws.library.category(self.cid)
        if cat is None:
            raise LibraryError(f"no category with id {self.cid!r}")
        if cat.source:
            raise LibraryError("categories of a subscription cannot be renamed")
        if not name.strip():
            raise LibraryError("a category name cannot be empty")
        if self.old_name is None:
            self.old_name = cat.name
        _replace_category(self.ws.library, dataclasses.replace(cat, name=name.strip()))
        return Outcome(library=True, focus_category=self.cid)

    def apply(self) -> Outcome:
        return self._set(self.name)

    def revert(self) -> Outcome:
        assert self.old_name is not None
        return self._set(self.old_name)


Layout = list[tuple[str, "str | None", int]]  # (category id, parent id, order)


class ArrangeCategories(WorkspaceCommand):
    """Reorder and (un)nest categories: set (parent, order) of the listed categories."""

    def __init__(
        self, ctx: CommandContext, layout: Layout, text: str, focus: str | None = None
    ) -> None:
        super().__init__(ctx, text)
        self.layout = list(layout)
        self.old: Layout = []
        self.focus = focus

    def _set(self, layout: Layout) -> None:
        lib = self.ws.library
        new_parent = {cid: parent for cid, parent, _o in layout}
        for cid, parent, order in layout:
            cat = lib.category(cid)
            if cat is None:
                raise LibraryError(f"no category with id {cid!r}")
            if cat.source and (parent != cat.parent):
                raise LibraryError("categories of a subscription cannot be moved")
            if parent is not None:
                if parent == cid:
                    raise LibraryError("a category cannot contain itself")
                pcat = lib.category(parent)
                if pcat is None:
                    raise LibraryError(Msg("library.no_parent", id=parent))
                if new_parent.get(parent, pcat.parent):
                    raise LibraryError("categories nest one level only")
                if pcat.source:
                    raise LibraryError("a subscription's category cannot hold your categories")
            _replace_category(lib, dataclasses.replace(cat, parent=parent, order=order))
        for c in lib.categories:
            parent_cat = lib.category(c.parent) if c.parent else None
            if parent_cat is not None and parent_cat.parent:
                raise LibraryError("categories nest one level only")

    def apply(self) -> Outcome:
        lib = self.ws.library
        self.old = []
        for cid, _p, _o in self.layout:
            cat = lib.category(cid)
            if cat is not None:
                self.old.append((cid, cat.parent, cat.order))
        self._set(self.layout)
        return Outcome(library=True, focus_category=self.focus)

    def revert(self) -> Outcome:
        self._set(self.old)
        return Outcome(library=True, focus_category=self.focus)


class DeleteCategory(WorkspaceCommand):
    """Delete a category, its children and their phrases (backup first)."""

    def __init__(self, ctx: CommandContext, cid: str, text: str) -> None:
        super().__init__(ctx, text)
        self.cid = cid
        self.cats: list[tuple[int, Category]] = []
        self.phrases: list[tuple[int, Phrase]] = []

    def apply(self) -> Outcome:
        lib = self.ws.library
        cat = lib.category(self.cid)
        if cat is None:
            raise LibraryError(f"no category with id {self.cid!r}")
        if cat.source:
            raise LibraryError("categories of a subscription cannot be deleted")
        ids = {self.cid} | {c.id for c in lib.children(self.cid)}
        if any(p.read_only for p in lib.phrases if p.category in ids):
            raise LibraryError("the category holds phrases of a subscription")
        self.cats = [(i, c) for i, c in enumerate(lib.categories) if c.id in ids]
        self.phrases = [(i, p) for i, p in enumerate(lib.phrases) if p.category in ids]
        self.ws.store.backup("delete-category")
        lib.remove_category(self.cid)
        return Outcome(library=True, focus_category=cat.parent or "")

    def revert(self) -> Outcome:
        lib = self.ws.library
        for i, c in self.cats:
            if lib.category(c.id) is not None:
                raise LibraryError(f"category id {c.id!r} already exists")
            lib.categories.insert(min(i, len(lib.categories)), c)
        for i, p in self.phrases:
            if lib.phrase(p.id) is not None:
                raise LibraryError(f"phrase id {p.id!r} already exists")
            lib.phrases.insert(min(i, len(lib.phrases)), p)
        return Outcome(library=True, focus_category=self.cid)


# -- settings -----------------------------------------------------------------------------
class ChangeSettings(WorkspaceCommand):
    """Replace the settings with ``after`` (undo: ``before``)."""

    touches_settings = True

    def __init__(self, ctx: CommandContext, before: Settings, after: Settings, text: str) -> None:
        super().__init__(ctx, text)
        self.before = copy.deepcopy(before)
        self.after = copy.deepcopy(after)

    def apply(self) -> Outcome:
        _assign_settings(self.ws, self.after)
        return Outcome(settings=True)

    def revert(self) -> Outcome:
        _assign_settings(self.ws, self.before)
        return Outcome(settings=True)


def _assign_settings(ws: Workspace, value: Settings) -> None:
    """Copy ``value`` into ``ws.settings`` in place: others may hold that object."""
    fresh = copy.deepcopy(value)
    for f in dataclasses.fields(Settings):
        setattr(ws.settings, f.name, getattr(fresh, f.name))
