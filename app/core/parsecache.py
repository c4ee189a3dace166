"""The parse cache: what each library file held, keyed by a hash of the file's bytes.

The TOML files stay the truth; this only saves parsing them again. A load takes a file
from the cache when its bytes hash to the digest stored with the entry, and parses it
otherwise. Anything doubtful about the cache file (missing, truncated, damaged, written
by another version or for another shape of the model) makes it empty, never trusted.

Why msgspec and MessagePack: the entries decode straight into the model's dataclasses
with their field types checked in C (10k phrases in ~20 ms, against ~0.4 s for JSON plus
``Phrase(**d)`` or ~0.5 s for parsing the TOML again), so a warm load does no per-phrase
work in Python. The cache file is::

    MAGIC | blake2b-16 of the payload | payload

and the payload maps each file name to ``[file digest, entry]``, the entry being its own
MessagePack document ``[schema_version, categories, phrases]``. Entries stay encoded
(``msgspec.Raw``) until a load asks for them, so an entry that is only carried over is
never decoded nor encoded again, and an entry never shares objects with the library
(phrases are edited in place).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import msgspec

from app.core.document import ParsedDocument
from app.core.fsutil import atomic_write_bytes
from app.core.gcpause import cycle_collector_paused
from app.core.model import Category, Phrase

log = logging.getLogger(__name__)

CACHE_VERSION = 2
"""Bump when what a parse gives changes while the model's fields do not."""
MAGIC = b"HSPC\x00\x01\r\n"  # the CR LF catches a text-mode copy


def _layout() -> bytes:
    """The version and the model's field names: a cache for another shape is not read."""
    fields = (f.name for cls in (Category, Phrase) for f in dataclasses.fields(cls))
    return f"{CACHE_VERSION}:{','.join(fields)}".encode()


class _Entry(msgspec.Struct, array_like=True):
    schema_version: int | None
    categories: list[Category]
    phrases: list[Phrase]


class CachedFile(NamedTuple):
    """One file's entry, decoded (for tests and tools)."""

    digest: str
    schema_version: int | None
    categories: list[Category]
    phrases: list[Phrase]


_encoder = msgspec.msgpack.Encoder()
_entry_decoder = msgspec.msgpack.Decoder(_Entry)
_payload_decoder = msgspec.msgpack.Decoder(tuple[bytes, dict[str, tuple[str, msgspec.Raw]]])


class ParseCache:
    """The entries of one cache file; read with :meth:`load`, written with :meth:`save`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, tuple[str, msgspec.Raw]] = {}
        self.loaded = False
        """Whether the entries are the cache file's (or what was put since)."""
        self.dirty = False
        """Whether the entries differ from the cache file."""

    # -- reading ------------------------------------------------------------------------
    def load(self) -> None:
        """Read the cache file; a missing or doubtful one gives no entries."""
        self._entries = read_entries(self.path)
        self.loaded = True
        self.dirty = False

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.load()

    def names(self) -> set[str]:
        return set(self._entries)

    def get(self, name: str, digest: str, source: str) -> ParsedDocument | None:
        """The document of file ``name`` when its entry was made from bytes with ``digest``."""
        found = self._entries.get(name)
        if found is None or found[0] != digest:
            return None
        try:
            entry = _decode(found[1])
        except (msgspec.DecodeError, ValueError, TypeError):
            log.warning("ignoring a bad parse-cache entry for %s", name)
            return None
        doc = ParsedDocument(source, schema_version=entry.schema_version)
        doc.categories = entry.categories
        doc.phrases = entry.phrases
        return doc

    def fresh_copy(self, name: str) -> tuple[list[Category], list[Phrase]]:
        """New objects for what the entry of ``name`` holds (KeyError when there is none)."""
        entry = _decode(self._entries[name][1])
        return entry.categories, entry.phrases

    # -- changing -----------------------------------------------------------------------
    def put(
        self,
        name: str,
        digest: str,
        schema_version: int | None,
        categories: list[Category],
        phrases: list[Phrase],
    ) -> None:
        """Note what file ``name`` (bytes hashing to ``digest``) holds; encoded at once, so
        later edits of these objects do not change the entry."""
        raw = msgspec.Raw(_encoder.encode(_Entry(schema_version, categories, phrases)))
        self._entries[name] = (digest, raw)
        self.dirty = True

    def discard(self, name: str) -> None:
        if self._entries.pop(name, None) is not None:
            self.dirty = True

    def keep_only(self, names: Iterable[str]) -> None:
        """Drop the entries of files not in ``names``."""
        for name in self.names() - set(names):
            self.discard(name)

    def save(self) -> None:
        """Write the cache file atomically if the entries changed; a failure is logged
        (the next start parses, which is always right)."""
        if not self.dirty:
            return
        payload = _encoder.encode((_layout(), self._entries))
        digest = hashlib.blake2b(payload, digest_size=16).digest()
        try:
            atomic_write_bytes(self.path, MAGIC + digest + payload)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.path, exc)
            return
        self.dirty = False


def _decode(raw: msgspec.Raw) -> _Entry:
    # Decoding makes thousands of objects that hold no cycles: without the pause, the cycle
    # collector would run many times over them (it doubled the time of a warm load).
    with cycle_collector_paused():
        return _entry_decoder.decode(raw)


def read_entries(path: Path) -> dict[str, tuple[str, msgspec.Raw]]:
    """File name -> (file digest, encoded entry) from the cache file at ``path``; empty when
    it is missing, damaged, or for another version or model."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(MAGIC) + 16
    if len(data) < head or not data.startswith(MAGIC):
        return {}
    payload = memoryview(data)[head:]
    if hashlib.blake2b(payload, digest_size=16).digest() != data[len(MAGIC) : head]:
        log.warning("ignoring a damaged parse cache %s", path)
        return {}
    try:
        layout, entries = _payload_decoder.decode(payload)
    except (msgspec.DecodeError, ValueError, TypeError):
        log.warning("ignoring an unreadable parse cache %s", path)
        return {}
    return entries if layout == _layout() else {}


def cached_files(path: Path) -> dict[str, CachedFile]:
    """Every entry of the cache file at ``path``, decoded (bad entries left out)."""
    out: dict[str, CachedFile] = {}
    for name, (digest, raw) in read_entries(path).items():
        try:
            entry = _decode(raw)
        except (msgspec.DecodeError, ValueError, TypeError):
            continue
        out[name] = CachedFile(digest, entry.schema_version, entry.categories, entry.phrases)
    return out
