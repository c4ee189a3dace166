"""Fuzz every importer: a clear error or a valid preview, and the library never changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.fsutil import Paths
from app.core.model import Category, Library, Phrase
from app.core.packs import (
    PackError,
    PackMeta,
    build_pack,
    dump_pack,
    plan_import,
    preview_import,
    read_any,
)
from app.core.packs.qianniu import dump_qianniu
from app.core.workspace import Workspace

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _lib() -> Library:
    lib = Library()
    lib.add_category(Category("payment", "催付", 10))
    lib.add_category(Category("pay-sms", "短信", 1, parent="payment"))
    lib.add_phrase(Phrase("c1", "催付", "亲,请付款\n谢谢", "payment", code="cf1", tags=["催"]))
    lib.add_phrase(
        Phrase("c2", "短信", "【店铺】请付款", "pay-sms", code="cf2", hotkey="ctrl+alt+2")
    )
    return lib


VALID_PACK = dump_pack(build_pack(_lib(), PackMeta("团队", version="1.0")))
VALID_CSV = dump_qianniu(_lib()).decode("utf-8-sig")
VALID_TEXT = "亲,请付款\n谢谢\n\n已发货\n"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    home = Path(tempfile.mkdtemp(prefix="huashu-fuzz-"))
    ws = Workspace.open(Paths(home), seed=False)
    ws.library = _lib()
    ws.save_library()
    return ws


def _snapshot(ws: Workspace) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(ws.paths.library.glob("*"))}


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    text = base
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "insert", "delete", "dup", "truncate"]))
        i = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:i] + draw(st.text(max_size=20)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 30)) :]
        elif op == "dup":
            j = draw(st.integers(i, min(len(text), i + 200)))
            text = text[:j] + text[i:j] + text[j:]
        elif op == "truncate":
            text = text[:i]
        else:
            text = text[:i] + "\n" + text[i:]
    return text


def _encodings(text: str) -> st.SearchStrategy[bytes]:
    def enc(name: str) -> bytes:
        try:
            return text.encode(name)
        except UnicodeEncodeError:
            return text.encode("utf-8")

    return st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]).map(enc)


def _run(ws: Workspace, data: bytes, suffix: str) -> None:
    before = _snapshot(ws)
    lib_before = repr(ws.library)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"in{suffix}"
        path.write_bytes(data)
        try:
            pack = read_any(path, text_category="导入")
        except PackError as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.file == path.name and p.message.strip()
                assert p.line is None or p.line >= 1
        else:
            preview = preview_import(ws.library, pack)
            assert preview.totals.total == len(preview.items) <= len(pack.phrases)
            for policy in ("skip", "replace", "keep-both"):
                new, _ = plan_import(ws.library, preview, policy, accept_hotkeys=True)
                ids = [p.id for p in new.phrases]
                assert len(ids) == len(set(ids))
    assert _snapshot(ws) == before
    assert repr(ws.library) == lib_before


@FUZZ
@given(data=st.one_of(st.binary(max_size=3000), mutated(VALID_PACK).map(str.encode)))
def test_fuzz_huashu_pack(workspace: Workspace, data: bytes) -> None:
    _run(workspace, data, ".toml")


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        mutated(VALID_CSV).flatmap(_encodings),
        st.text(max_size=500).flatmap(_encodings),
    )
)
def test_fuzz_qianniu_csv(workspace: Workspace, data: bytes) -> None:
    _run(workspace, data, ".csv")


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        mutated(VALID_TEXT).flatmap(_encodings),
    )
)
def test_fuzz_plain_text(workspace: Workspace, data: bytes) -> None:
    _run(workspace, data, ".txt")


def test_valid_inputs_really_import(workspace: Workspace) -> None:
    """The fuzz bases are valid, so the fuzz explores near real files."""
    for text, suffix in ((VALID_PACK, ".toml"), (VALID_CSV, ".csv"), (VALID_TEXT, ".txt")):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / f"in{suffix}"
            path.write_text(text, "utf-8")
            pack = read_any(path, text_category="导入")
            assert preview_import(workspace.library, pack).totals.total >= 2
