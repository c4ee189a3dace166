"""Every Win32 call in app/ goes through the typed declarations of app.platform.win32api."""

from __future__ import annotations

import ast
import ctypes
from pathlib import Path

import pytest

from app.platform import win32api

APP = Path(__file__).resolve().parents[2] / "app"
DECLARATIONS_MODULE = APP / "platform" / "win32api.py"
# Names through which ctypes reaches a DLL without our declarations.
RAW_LOADERS = {"WinDLL", "windll", "CDLL", "cdll", "OleDLL", "oledll", "PyDLL", "LoadLibrary"}


def _sources() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if p != DECLARATIONS_MODULE)


def raw_dll_uses(tree: ast.AST) -> list[str]:
    """``ctypes.WinDLL``/``windll``... attribute uses or imports in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in RAW_LOADERS:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "ctypes":
            found += [
                f"line {node.lineno}: import {a.name}" for a in node.names if a.name in RAW_LOADERS
            ]
    return found


def undeclared_uses(tree: ast.AST) -> list[str]:
    """``win32api.X`` (any alias) and ``from ... win32api import X`` where X is not declared."""
    aliases = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "app.platform":
            aliases |= {a.asname or a.name for a in node.names if a.name == "win32api"}
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "app.platform.win32api" and a.asname:
                    aliases.add(a.asname)
        if isinstance(node, ast.ImportFrom) and node.module == "app.platform.win32api":
            found += [
                f"line {node.lineno}: {a.name}"
                for a in node.names
                if a.name not in vars(win32api) and a.name not in win32api.FUNCTIONS
            ]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr not in win32api.FUNCTIONS
            and node.attr not in vars(win32api)
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_code_in_app_loads_a_dll_itself() -> None:
    offenders = {
        str(path.relative_to(APP)): uses
        for path in _sources()
        if (uses := raw_dll_uses(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_every_win32_name_used_in_app_is_declared() -> None:
    offenders = {
        str(path.relative_to(APP)): uses
        for path in _sources()
        if (uses := undeclared_uses(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_the_scans_catch_what_they_are_for() -> None:
    raw = ast.parse(
        "import ctypes\nfrom ctypes import windll\nu = ctypes.WinDLL('user32')\nctypes.windll.x\n"
    )
    assert raw_dll_uses(raw) == ["line 2: import windll", "line 3: .WinDLL", "line 4: .windll"]
    assert raw_dll_uses(ast.parse("import ctypes\nctypes.byref(x)\n")) == []
    undeclared = ast.parse(
        "from app.platform import win32api as w\n"
        "from app.platform.win32api import GetForegroundWindow, keybd_event\n"
        "w.GetForegroundWindow()\nw.TOKEN_QUERY\nw.FindWindowW(None, None)\n"
    )
    assert undeclared_uses(undeclared) == ["line 2: keybd_event", "line 5: w.FindWindowW"]
    plain = ast.parse(
        "import app.platform.win32api as api\napi.SendMessageW()\nother.SendMessageW()\n"
    )
    assert undeclared_uses(plain) == ["line 2: api.SendMessageW"]


def test_undeclared_function_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="declares no Win32 function 'keybd_event'"):
        _ = win32api.keybd_event
    assert not hasattr(win32api, "SendMessageW")


def test_declarations_are_complete() -> None:
    assert win32api.FUNCTIONS  # the table the scans check against is not empty
    for name, declaration in win32api.FUNCTIONS.items():
        assert declaration.dll in {"user32", "kernel32", "advapi32"}, name
        assert isinstance(declaration.argtypes, tuple), name
        assert declaration.restype is not None, name  # none of ours returns void
        for argtype in (declaration.restype, *declaration.argtypes):
            assert isinstance(argtype, type) and issubclass(
                argtype, ctypes._SimpleCData | ctypes._Pointer
            ), (name, argtype)


def test_handles_are_pointer_sized() -> None:
    """The bug of issue 8: handles must not go through C int."""
    for name in ("GetCurrentProcess", "OpenProcess"):
        assert ctypes.sizeof(win32api.FUNCTIONS[name].restype) == ctypes.sizeof(ctypes.c_void_p)
    assert (
        win32api.FUNCTIONS["OpenProcessToken"].argtypes[0]
        is win32api.FUNCTIONS["CloseHandle"].argtypes[0]
    )
    assert ctypes.sizeof(win32api.FUNCTIONS["CloseHandle"].argtypes[0]) == 8


@pytest.mark.windows_only
def test_input_structure_has_the_windows_size() -> None:
    # wintypes.DWORD is C long: 4 bytes on Windows, 8 on 64-bit Linux, so only here.
    assert ctypes.sizeof(win32api.INPUT) == 40  # SendInput's cbSize on 64-bit Windows
    assert ctypes.sizeof(win32api.KEYBDINPUT) == 24


@pytest.mark.linux_only("checks the answer where Win32 does not exist")
def test_calling_off_windows_raises() -> None:
    with pytest.raises(win32api.Win32Unavailable, match="GetForegroundWindow"):
        win32api.GetForegroundWindow()
    assert win32api.last_error() == 0


@pytest.mark.windows_only
def test_every_declaration_binds_with_its_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(win32api, "_bound", {})  # bind afresh (conftest guards SendInput)
    for name, declaration in win32api.FUNCTIONS.items():
        function = win32api.function(name)
        assert function.restype is declaration.restype, name
        assert tuple(function.argtypes) == declaration.argtypes, name
        assert getattr(win32api, name) is function  # bound once, then cached


@pytest.mark.windows_only
def test_pseudo_handle_round_trips() -> None:
    """GetCurrentProcess() is (HANDLE)-1: it comes back as 2**64-1 and must go back in."""
    process = win32api.GetCurrentProcess()
    assert process == 2**64 - 1
    token = ctypes.c_void_p()
    assert win32api.OpenProcessToken(process, win32api.TOKEN_QUERY, ctypes.byref(token))
    assert token.value
    assert win32api.CloseHandle(token)
    assert not win32api.CloseHandle(None)
    assert win32api.last_error() == 6  # ERROR_INVALID_HANDLE, kept by use_last_error


@pytest.mark.windows_only
def test_process_and_thread_ids() -> None:
    import os
    import threading

    assert win32api.GetCurrentProcessId() == os.getpid()
    assert win32api.GetCurrentThreadId() == threading.get_native_id()
