"""The agent's library on disk: ``library/*.toml``, one file per top-level category.

- Loading never stops at a broken file: the others load, the broken one is reported with
  file, line and reason, and it is never overwritten (its categories are unknown to us).
- Every write is atomic; a rotating backup of ``library/`` is taken before every
  destructive change (delete, import, bulk move).
- First run seeds the library from the built-in packs; later runs only add built-in
  phrases that are new since the last run, never rewrite the agent's edits.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import logging
import re
import shutil
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from app.core.datafiles import data_files
from app.core.document import (
    ID_RE,
    decode_utf8,
    dump_document,
    parse_document,
)
from app.core.fsutil import Paths, Problem, atomic_write_text, os_reason
from app.core.gcpause import cycle_collector_paused
from app.core.hotkeys import hotkey_key
from app.core.locking import HomeLock, Stamp, stamp
from app.core.merge import category_key, merge_library, phrase_key
from app.core.model import Category, Library, Phrase
from app.core.parsecache import ParseCache
from app.core.problems import Msg
from app.core.safefile import LimitError, loads_limited, read_regular

log = logging.getLogger(__name__)

LIBRARY_SCHEMA = 1
MAX_LIBRARY_FILE = 50 * 1024 * 1024
KEEP_BACKUPS = 20
JOURNAL = ".moving.json"


class StorageError(Exception):
    """A library operation that cannot be done safely (the message says why)."""


@dataclass
class LoadResult:
    library: Library
    problems: list[Problem] = field(default_factory=list)
    broken_files: set[str] = field(default_factory=set)


@dataclass
class BuiltinPack:
    name: str
    file: str
    categories: list[Category]
    phrases: list[Phrase]


def load_builtin_packs() -> tuple[list[BuiltinPack], list[Problem]]:
    """The packs shipped in the ``phrases`` package (works from a wheel too)."""
    packs: list[BuiltinPack] = []
    problems: list[Problem] = []
    root = data_files("phrases")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        text, prob = decode_utf8(entry.read_bytes(), f"phrases/{entry.name}")
        if prob is not None or text is None:
            problems.append(prob or Problem(entry.name, None, Msg("file.unreadable")))
            continue
        doc = parse_document(text, f"phrases/{entry.name}")
        problems.extend(doc.problems)
        name = str(doc.meta.get("name", entry.name))
        packs.append(BuiltinPack(name, entry.name, doc.categories, doc.phrases))
    return packs, problems


def builtin_packs_digest() -> str:
    """A hash of the shipped packs' bytes: it changes when a Huashu update changes them."""
    h = hashlib.blake2b(digest_size=16)
    root = data_files("phrases")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            h.update(entry.name.encode("utf-8") + b"\0" + entry.read_bytes())
    return h.hexdigest()


def _parses_back(categories: list[Category], phrases: list[Phrase]) -> bool:
    """Whether parsing ``dump_document(categories, phrases)`` gives exactly these objects
    and no problem: only then may a save put them in the parse cache instead of a parse.
    Anything doubtful answers False (the next load parses that file, which is always right).
    """
    parents = {c.id: c.parent for c in categories}
    if len(parents) != len(categories):
        return False  # a category id twice
    for c in categories:
        if c.source or not ID_RE.match(c.id) or not c.name.strip() or type(c.order) is not int:
            return False
        if c.parent is not None and (c.parent not in parents or parents[c.parent] is not None):
            return False  # parent missing (or ""), or nested two levels
        if "\r" in c.name:
            return False
    ids: set[str] = set()
    for p in phrases:
        if p.id in ids or p.source or not ID_RE.match(p.id) or not p.title.strip():
            return False
        ids.add(p.id)
        if p.category not in parents or p.code != p.code.strip() or p.hotkey != p.hotkey.strip():
            return False
        if not all(e.strip() for e in p.examples):
            return False
        # TOML reads a CR LF inside a multi-line string back as LF.
        texts = (p.title, p.body, p.code, p.hotkey, p.created, p.updated, *p.tags, *p.examples)
        if any("\r" in t for t in texts):
            return False
    return True


def _from_content(content: FileContent) -> tuple[list[Category], list[Phrase]]:
    """The categories and phrases a :func:`_file_content` snapshot holds."""
    cats = [Category(c[0], c[1], c[2], c[3]) for c in content[0]]
    phrases = [
        Phrase(
            id=p[0],
            title=p[1],
            body=p[2],
            category=p[3],
            code=p[4],
            hotkey=p[5],
            tags=list(p[6]),
            examples=list(p[7]),
            created=p[8],
            updated=p[9],
        )
        for p in content[1]
    ]
    return cats, phrases


FileContent = tuple[tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]


def _cached_content(cache: ParseCache, name: str) -> FileContent:
    return _file_content(*cache.fresh_copy(name))


def _file_content(categories: list[Category], phrases: list[Phrase]) -> FileContent:
    """An immutable snapshot of what a library file holds (phrases may be edited in place).

    Each entry is ``(id, *key)`` with the merge's own keys, so the merge base taken from
    these snapshots always compares like with like (a field added to the model is added
    to :func:`app.core.merge.phrase_key` once)."""
    return (
        tuple((c.id, *category_key(c)) for c in categories),
        tuple((p.id, *phrase_key(p)) for p in phrases),
    )


WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)


def is_reserved_name(stem: str) -> bool:
    """Whether Windows treats a file named ``stem`` (any extension, any case) as a device."""
    return stem.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED


def _safe_file_stem(cid: str) -> str:
    """File name stem of a category id; ids differing only in case get distinct names, so
    that they cannot overwrite each other on case-insensitive file systems (Windows, macOS)."""
    stem = re.sub(r"[^A-Za-z0-9_.\-]", "_", cid)
    reserved = is_reserved_name(stem)
    if reserved:
        stem = stem.replace(".", "_")  # "com1.txt" -> "com1_txt-<hash>", not a device
    if reserved or stem != stem.lower() or stem != cid:
        digest = hashlib.blake2b(cid.encode("utf-8"), digest_size=3).hexdigest()
        stem = f"{stem.lower()}-{digest}"
    return stem


class LibraryStore:
    """Reads and writes ``library/*.toml``; remembers what is on disk to write only changes."""

    def __init__(self, paths: Paths, lock: HomeLock | None = None) -> None:
        self.paths = paths
        self.lock = lock or HomeLock(paths.home)
        # file name -> stamp of every library file as last read or written: "is the file
        # on disk still the one I loaded".
        self._stamps: dict[str, Stamp] = {}
        self.external_merges = 0
        """How often other processes' changes were merged in (the app refreshes on it)."""
        self.needs_save = False
        """The last load dropped duplicated ids: saving rewrites the files cleanly."""
        self.last_problems: list[Problem] = []
        # file name -> its categories and phrases as last read or written. Comparing content
        # (not text) means a hand-edited file (comments, key order) is only rewritten when
        # its own categories or phrases change.
        self._on_disk: dict[str, FileContent] = {}
        # The same for files a load took from the parse cache, made when first needed (a
        # save or a merge): a warm load of 10k phrases would spend half its time on it.
        self._on_disk_later: dict[str, Callable[[], FileContent]] = {}
        self.broken_files: set[str] = set()
        self._cache = ParseCache(paths.parse_cache)
        # file name -> (hash, content) of what saves wrote since the cache was last read
        # or written (None: the file was removed); turned into entries by flush_cache().
        self._pending: dict[str, tuple[str, FileContent] | None] = {}

    # -- parse cache --------------------------------------------------------------------
    # Parsing TOML is most of a cold load (10k phrases: ~0.3 s); files whose bytes are
    # unchanged since the last load come from the parse cache (app.core.parsecache).
    def flush_cache(self) -> None:
        """Write the parse cache if saves changed it since it was last read or written.

        Saves only note what they wrote (building entries and ~1 MB of JSON per 10k
        phrases would double the time of every save); the workspace flushes after seeding
        and when it closes. Never flushed (a crash) only means the next start parses the
        files saved since.
        """
        if not self._pending:
            return
        self._cache.ensure_loaded()
        for name, written in self._pending.items():
            if written is None:
                self._cache.discard(name)
                continue
            digest, content = written
            cats, phrases = _from_content(content)
            if _parses_back(cats, phrases):
                self._cache.put(name, digest, LIBRARY_SCHEMA, cats, phrases)
            else:
                self._cache.discard(name)
        self._pending.clear()
        self._cache.save()

    # -- load ---------------------------------------------------------------------------
    def load(self) -> LoadResult:
        with self.lock.hold():
            return self._load()

    def _load(self) -> LoadResult:
        # 100k phrases: the cycle collector took a quarter of a cold load (see gcpause)
        with cycle_collector_paused():
            return self._load_all()

    def _load_all(self) -> LoadResult:
        lib = Library()
        result = LoadResult(lib)
        self._on_disk.clear()
        self._on_disk_later.clear()
        self._stamps = {}
        self.broken_files = set()
        self.needs_save = False
        directory = self.paths.library
        if not directory.is_dir():
            return result
        seen_cats: set[str] = set()
        where: dict[str, int] = {}  # phrase id -> index in lib.phrases
        cache = self._cache
        cache.load()
        self._pending.clear()  # the files are read again: their entries are made below
        cached: list[str] = []  # the files whose entry is (now) right
        for path in sorted(directory.glob("*.toml")):
            rel = f"library/{path.name}"
            self._stamps[path.name] = stamp(path)
            try:
                data = read_regular(path, MAX_LIBRARY_FILE)
            except LimitError as exc:
                result.problems.append(Problem(rel, None, exc.message))
                self.broken_files.add(path.name)
                continue
            except OSError as exc:
                result.problems.append(
                    Problem(rel, None, Msg("pack.cannot_read", msg=os_reason(exc)))
                )
                self.broken_files.add(path.name)
                continue
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            # Only a file that decoded and parsed has an entry: a hit skips both.
            doc = cache.get(path.name, digest, rel)
            hit = doc is not None
            if doc is None:
                text, prob = decode_utf8(data, rel)
                if text is None:
                    result.problems.append(prob or Problem(rel, None, Msg("file.unreadable")))
                    self.broken_files.add(path.name)
                    continue
                doc = parse_document(text, rel, allow_pack=False)
            if doc.schema_version is not None and doc.schema_version > LIBRARY_SCHEMA:
                doc.problems.append(
                    Problem(
                        rel,
                        None,
                        Msg("storage.newer_schema", v=doc.schema_version, ours=LIBRARY_SCHEMA),
                    )
                )
            if doc.problems:
                result.problems.extend(doc.problems)
                self.broken_files.add(path.name)
                continue
            # An id in two files (a move between files interrupted by a crash, a copied
            # file): keep one copy, warn, and never refuse the whole file.
            dup = [c.id for c in doc.categories if c.id in seen_cats]
            seen_cats.update(c.id for c in doc.categories)
            lib.categories.extend(c for c in doc.categories if c.id not in dup)
            for p in doc.phrases:
                i = where.get(p.id)
                if i is None:
                    where[p.id] = len(lib.phrases)
                    lib.phrases.append(p)
                    continue
                dup.append(p.id)
                if p.updated > lib.phrases[i].updated:
                    lib.phrases[i] = p  # the copy changed last wins
            if dup:
                self.needs_save = True
                result.problems.append(
                    Problem(
                        rel,
                        None,
                        Msg("storage.duplicate_ids", ids=", ".join(dict.fromkeys(dup[:5]))),
                    )
                )
            if hit:
                self._on_disk_later[path.name] = functools.partial(
                    _cached_content, cache, path.name
                )
            else:
                self._on_disk[path.name] = _file_content(doc.categories, doc.phrases)
            if not hit:
                cache.put(path.name, digest, doc.schema_version, doc.categories, doc.phrases)
            cached.append(path.name)
        if self._apply_journal(lib):
            self.needs_save = True
        result.broken_files = set(self.broken_files)
        lib.sort_phrases()  # files are read in name order
        cache.keep_only(cached)
        cache.save()
        for prob in result.problems:
            log.warning("library problem: %s", prob)
        return result

    # -- moves between files -------------------------------------------------------------
    # A phrase that changes file is written to a journal first; the loader completes an
    # interrupted move from it, so a crash never leaves it in no file (or in two).
    @property
    def journal_path(self) -> Path:
        return self.paths.library / JOURNAL

    def _write_journal(self, library: Library, moving: set[str]) -> None:
        phrases = [p for p in library.phrases if p.id in moving]
        cat_ids = {p.category for p in phrases}
        cat_ids |= {c.parent for c in library.categories if c.id in cat_ids and c.parent}
        cats = [c for c in library.categories if c.id in cat_ids]
        payload = {
            "categories": [dataclasses.asdict(c) for c in cats],
            "phrases": [dataclasses.asdict(p) for p in phrases],
        }
        atomic_write_text(self.journal_path, json.dumps(payload, ensure_ascii=False))

    def _apply_journal(self, lib: Library) -> bool:
        """Complete a move that a crash interrupted; True when the journal was there."""
        try:
            data = json.loads(self.journal_path.read_text("utf-8"))
            cats = [Category(**c) for c in data["categories"]]
            phrases = [Phrase(**p) for p in data["phrases"]]
        except FileNotFoundError:
            return False
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.warning("ignoring an unreadable move journal %s: %s", self.journal_path, exc)
            return False
        known = {c.id for c in lib.categories}
        for c in sorted(cats, key=lambda c: bool(c.parent)):
            if c.id not in known and (not c.parent or c.parent in known):
                lib.categories.append(c)
                known.add(c.id)
        for p in phrases:
            if p.category not in known:
                continue  # its category is gone: the copies in the files stay
            at = [i for i, q in enumerate(lib.phrases) if q.id == p.id]
            for i in reversed(at):
                del lib.phrases[i]
            lib.phrases.insert(at[0] if at else len(lib.phrases), p)
        log.info("completed an interrupted move of %d phrase(s)", len(phrases))
        return True

    # -- save ---------------------------------------------------------------------------
    def file_for(self, top_category_id: str) -> str:
        return f"{_safe_file_stem(top_category_id)}.toml"

    def group_files(self, library: Library) -> dict[str, tuple[list[Category], list[Phrase]]]:
        """File name -> the categories and phrases it holds, per top-level category."""
        files: dict[str, tuple[list[Category], list[Phrase]]] = {}
        for top in library.top_categories():
            if top.source:
                continue  # subscriptions live in subscriptions/, never in library/
            cats = [top, *(c for c in library.children(top.id) if not c.source)]
            ids = {c.id for c in cats}
            phrases = [p for p in library.phrases if p.category in ids and not p.source]
            name = self.file_for(top.id)
            if name in files:
                raise StorageError(Msg("storage.shared_file", cid=top.id, name=name))
            files[name] = (cats, phrases)
        return files

    def disk_changed(self) -> bool:
        """Whether ``library/`` is no longer what this store last read or wrote."""
        directory = self.paths.library
        current = {p.name: stamp(p) for p in directory.glob("*.toml")} if directory.is_dir() else {}
        return current != self._stamps

    def refresh(self, library: Library) -> bool:
        """Take in what other processes wrote since the last load or save (keeping this
        process's unsaved changes); True when anything was read."""
        with self.lock.hold():
            if not self.disk_changed():
                return False
            self._merge_from_disk(library)
            return True

    def _disk(self) -> dict[str, FileContent]:
        """What each library file holds as last read or written (see ``_on_disk``)."""
        for name, make in self._on_disk_later.items():
            self._on_disk[name] = make()
        self._on_disk_later.clear()
        return self._on_disk

    def _merge_from_disk(self, library: Library) -> None:
        base_cats: dict[str, Hashable] = {
            c[0]: c[1:] for content in self._disk().values() for c in content[0]
        }
        base_phrases: dict[str, Hashable] = {
            p[0]: p[1:] for content in self._disk().values() for p in content[1]
        }
        ours = Library(
            [c for c in library.categories if not c.source],
            [p for p in library.phrases if not p.source],
        )
        result = self._load()
        self.last_problems = result.problems
        merged = merge_library(base_cats, base_phrases, ours, result.library)
        library.categories = merged.categories + [c for c in library.categories if c.source]
        library.phrases = merged.phrases + [p for p in library.phrases if p.source]
        library.sort_phrases()
        self.external_merges += 1
        log.info("merged changes another process made to %s", self.paths.library)

    def save(self, library: Library) -> list[str]:
        """Write the files that changed, remove files of deleted categories; return names.

        Holds the data folder's lock; when another process changed ``library/`` since this
        one loaded it, its changes are merged in first (``library`` is updated in place).
        """
        with self.lock.hold():
            if self.disk_changed():
                self._merge_from_disk(library)
            return self._save(library)

    def _save(self, library: Library) -> list[str]:
        files = self.group_files(library)
        clash = set(files) & self.broken_files
        if clash:
            raise StorageError(Msg("storage.broken_files", files=", ".join(sorted(clash))))
        changed: list[str] = []
        disk = self._disk()
        directory = self.paths.library
        directory.mkdir(parents=True, exist_ok=True)
        writes: list[tuple[bool, str, FileContent, str]] = []
        leaving: set[str] = set()
        for name, (cats, phrases) in files.items():
            content = _file_content(cats, phrases)
            old = disk.get(name)
            if old != content:
                text = dump_document(cats, phrases, schema_version=LIBRARY_SCHEMA)
                gone = {t[0] for t in old[1]} - {p.id for p in phrases} if old else set()
                leaving |= gone
                writes.append((bool(gone), name, content, text))
        moving = leaving & {p.id for p in library.phrases if not p.source}
        if moving:
            self._write_journal(library, moving)
        # Files that only gain are written first: even without the journal, a crash in
        # between leaves two copies (the loader keeps one), never none.
        writes.sort(key=lambda w: w[0])
        for _loses, name, content, text in writes:
            atomic_write_text(directory / name, text)
            self._on_disk[name] = content
            self._stamps[name] = stamp(directory / name)
            changed.append(name)
            # What was just written goes into the parse cache (at flush_cache), so the next
            # start does not parse it again (a seeded or imported library would load cold).
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
            self._pending[name] = (digest, content)
        for name in list(self._on_disk):
            if name not in files:
                try:
                    (directory / name).unlink()
                except FileNotFoundError:
                    pass
                del self._on_disk[name]
                self._stamps.pop(name, None)
                self._pending[name] = None
                changed.append(name)
        try:
            self.journal_path.unlink()
        except FileNotFoundError:
            pass
        self.needs_save = False
        return changed

    # -- backups ------------------------------------------------------------------------
    def backup(self, reason: str) -> Path | None:
        """Snapshot ``library/`` into ``backups/`` (rotating); None when there is nothing."""
        with self.lock.hold():
            return self._backup(reason)

    def _backup(self, reason: str) -> Path | None:
        src = self.paths.library
        if not src.is_dir() or not any(src.glob("*.toml")):
            return None
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        tag = re.sub(r"[^A-Za-z0-9_-]", "_", reason)[:40]
        dest = self.paths.backups / f"{stamp}-{tag}"
        tmp = self.paths.backups / f".{stamp}-{tag}.partial"
        tmp.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, tmp, ignore=shutil.ignore_patterns(".*"))
        tmp.rename(dest)
        self._rotate()
        return dest

    def list_backups(self) -> list[Path]:
        if not self.paths.backups.is_dir():
            return []
        return sorted(
            p for p in self.paths.backups.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def _rotate(self) -> None:
        for old in self.list_backups()[:-KEEP_BACKUPS]:
            # Hide it first, so a crash half-way through rmtree never leaves a partial
            # backup that looks complete.
            trash = old.with_name(f".trash-{old.name}")
            old.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
        for stale in self.paths.backups.glob(".trash-*"):
            shutil.rmtree(stale, ignore_errors=True)

    # -- built-in packs -----------------------------------------------------------------
    def seed_builtin(self, library: Library) -> list[Phrase]:
        """Add built-in phrases never offered before; return those added.

        The ids offered are remembered in ``builtin-state.toml``, so a phrase the agent
        deleted or edited is never brought back or rewritten.
        """
        with self.lock.hold():
            return self._seed_builtin(library)

    def _read_builtin_state(self) -> tuple[set[str], str] | None:
        """(offered ids, packs digest); None when the file is missing or damaged."""
        try:
            data = read_regular(self.paths.builtin_state, 10 * 1024 * 1024)
            state = loads_limited(data.decode("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:  # LimitError, TOMLDecodeError, UnicodeError
            log.warning("ignoring unreadable %s: %s", self.paths.builtin_state, exc)
            return None
        offered = state.get("offered", [])
        if not isinstance(offered, list) or not all(isinstance(x, str) for x in offered):
            log.warning("ignoring %s: 'offered' is not a list of ids", self.paths.builtin_state)
            return None
        return set(offered), str(state.get("packs_digest", ""))

    def _seed_builtin(self, library: Library) -> list[Phrase]:
        state_path = self.paths.builtin_state
        state = self._read_builtin_state()
        if state is None and self._stamps:
            # A library exists but the record of what was offered is gone or damaged:
            # the agent may have deleted built-in phrases, so none is brought back. The
            # record is rebuilt with every shipped phrase marked as offered.
            packs, _problems = load_builtin_packs()
            every = sorted({ph.id for pack in packs for ph in pack.phrases})
            record = {"offered": every, "packs_digest": builtin_packs_digest()}
            atomic_write_text(state_path, tomli_w.dumps(record))
            log.warning("rebuilt %s; no built-in phrase was re-added", state_path)
            return []
        seen, old_digest = state if state is not None else (set(), "")
        digest = builtin_packs_digest()
        if digest == old_digest:
            return []  # every built-in phrase of these packs was offered already
        packs, problems = load_builtin_packs()
        for p in problems:
            log.error("built-in pack problem: %s", p)
        taken_hotkeys = {hotkey_key(p.hotkey) for p in library.phrases if p.hotkey}
        taken_codes = {p.code.lower() for p in library.phrases if p.code}
        added: list[Phrase] = []
        offered = set(seen)
        complete = not problems
        for pack in packs:
            pack_cats = {c.id: c for c in pack.categories}
            for ph in pack.phrases:
                if ph.id in seen or library.phrase(ph.id) is not None:
                    offered.add(ph.id)
                    continue
                # A category is (re)created only for a phrase never offered before, so a
                # built-in category the agent deleted does not come back empty.
                cat = pack_cats.get(ph.category)
                chain = (
                    [c for c in (pack_cats.get(cat.parent or ""), cat) if c is not None]
                    if cat
                    else []
                )
                if any(self.file_for(c.parent or c.id) in self.broken_files for c in chain):
                    complete = False
                    continue  # never write over a file that failed to load
                for c in chain:
                    if library.category(c.id) is None:
                        library.add_category(Category(c.id, c.name, c.order, c.parent))
                if library.category(ph.category) is None:
                    complete = False
                    continue
                new = ph.copy()
                if new.hotkey and hotkey_key(new.hotkey) in taken_hotkeys:
                    new.hotkey = ""
                if new.code and new.code.lower() in taken_codes:
                    new.code = ""
                library.add_phrase(new)
                taken_hotkeys.add(hotkey_key(new.hotkey))
                taken_codes.add(new.code.lower())
                added.append(new)
                offered.add(ph.id)
        # The digest lets later starts skip parsing the packs; it is only recorded when
        # every phrase could be offered (a broken library file may hold some back).
        new_state = {"offered": sorted(offered), "packs_digest": digest if complete else ""}
        atomic_write_text(state_path, tomli_w.dumps(new_state))
        return added
