"""Mutation testing of the core, one module at a time, with mutmut.

    .venv/bin/python tests/mutation/run.py              # every module in MODULES
    .venv/bin/python tests/mutation/run.py fsutil lint  # some of them

For each module it copies the project into ``build/mutation/<module>/``, points mutmut at
that one file and at the module's own unit tests, runs it, and prints the score:
detected / all (killed or timed out, over all counted), after leaving out the mutants listed in
``tests/mutation/equivalent.toml`` (mutants that cannot change behaviour, each with the
reason). Survivors are listed so a test can be written for them; ``--show`` prints their
diffs. Exit 1 when a module is under ``--bar`` (default 90%).

The tests run with ``HUASHU_HYPOTHESIS=mutation`` (see tests/conftest.py): Hypothesis takes
10 derandomized examples per property instead of 100-300, and the ``functools`` caches of
``app.core`` are emptied before each test, since mutmut forks every mutant from a process
that already ran the clean tests (a warm cache would hide the mutant) and runs for a mutant
only the tests that called the mutated function in the clean run.

It is not part of ``.ci/run``: it runs every module's tests once per mutant and takes many
minutes on a 2-core machine (figures in tests/mutation/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "mutation"

PACK_TESTS = [
    "tests/unit/core/test_packs.py",
    "tests/unit/core/test_qianniu.py",
    "tests/unit/core/test_pack_modules.py",
]

# module (dotted, below app.core) -> the unit tests that own it (subprocess-based tests are
# left out: the child processes would import the unmutated code).
MODULES: dict[str, list[str]] = {
    "fsutil": ["tests/unit/core/test_fsutil.py"],
    "problems": [
        "tests/unit/core/test_problems.py",
        "tests/unit/core/test_messages.py",
        "tests/unit/core/test_problem_sites.py",
    ],
    "messages": [
        "tests/unit/core/test_messages.py",
        "tests/unit/core/test_problems.py",
        "tests/unit/core/test_problem_sites.py",
    ],
    "language": ["tests/unit/core/test_language.py"],
    "storage": [
        "tests/unit/core/test_storage.py",
        "tests/unit/core/test_storage_reliability.py",
        "tests/unit/core/test_storage_guards.py",
        "tests/unit/core/test_storage_cache_guards.py",
        "tests/unit/core/test_parse_cache.py",
        "tests/unit/core/test_parsecache.py",
    ],
    "packs.format": PACK_TESTS,
    "packs.read": PACK_TESTS,
    "packs.choose": PACK_TESTS,
    "packs.export": PACK_TESTS,
    "packs.plan": PACK_TESTS,
    "packs.qianniu": PACK_TESTS,
    "importing": PACK_TESTS,
    "search": ["tests/unit/core/test_search.py", "tests/unit/core/test_search_sync.py"],
    "search_hay": ["tests/unit/core/test_search.py", "tests/unit/core/test_search_sync.py"],
    "template": ["tests/unit/core/test_template.py"],
    "template_format": ["tests/unit/core/test_template.py"],
    "caret": ["tests/unit/core/test_caret.py", "tests/unit/core/test_template.py"],
    "lint": ["tests/unit/core/test_lint.py", "tests/unit/core/test_reliability_rules.py"],
    "merge": ["tests/unit/core/test_merge.py", "tests/unit/core/test_merge_guards.py"],
    "textcheck": ["tests/unit/core/test_textcheck.py", "tests/unit/core/test_textcheck_guards.py"],
    "safefile": [
        "tests/unit/core/test_safefile.py",
        "tests/unit/core/test_safefile_guards.py",
        "tests/unit/core/test_problem_sites.py",
    ],
    "locking": ["tests/unit/core/test_locking.py", "tests/unit/core/test_problem_sites.py"],
    "suggest": ["tests/unit/core/test_suggest.py", "tests/unit/core/test_suggest_eval.py"],
    "suggest_text": ["tests/unit/core/test_suggest.py", "tests/unit/core/test_suggest_eval.py"],
    "suggest_store": ["tests/unit/core/test_suggest.py"],
    "suggest_query": ["tests/unit/core/test_suggest.py"],
    "suggest_build": ["tests/unit/core/test_suggest_build.py"],
    "pinyin": ["tests/unit/core/test_pinyin.py", "tests/unit/core/test_search.py"],
    "gcpause": ["tests/unit/core/test_gcpause.py"],
    "appprofiles": [
        "tests/unit/core/test_appprofiles.py",
        "tests/unit/core/test_appprofiles_guards.py",
    ],
    "settings": [
        "tests/unit/core/test_settings.py",
        "tests/unit/core/test_settings_values.py",
        "tests/unit/core/test_settings_guards.py",
        "tests/unit/core/test_problem_sites.py",
    ],
    "usage": [
        "tests/unit/core/test_usage.py",
        "tests/unit/core/test_usage_guards.py",
        "tests/unit/core/test_problem_sites.py",
    ],
    "datafiles": ["tests/unit/core/test_datafiles.py"],
    "hotkeys": ["tests/unit/core/test_hotkeys.py", "tests/unit/core/test_hotkeys_guards.py"],
    "parsecache": [
        "tests/unit/core/test_parsecache.py",
        "tests/unit/core/test_parse_cache.py",
        "tests/unit/core/test_parsecache_guards.py",
    ],
    "hotkey_table": ["tests/unit/core/test_hotkey_table.py"],
    "document": [
        "tests/unit/core/test_document.py",
        "tests/unit/core/test_document_guards.py",
    ],
}

DETECTED = {"killed", "timeout"}

COPY = ["app", "phrases", "resources", "docs", "tests", "pyproject.toml"]


def equivalents() -> dict[str, str]:
    """Mutant name -> why it cannot change behaviour."""
    path = Path(__file__).with_name("equivalent.toml")
    data = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
    return {name: str(why) for name, why in data.get("equivalent", {}).items()}


def workdir(module: str) -> Path:
    """``build/mutation/<module>``, dots as dashes (``packs.read`` -> ``packs-read``)."""
    return WORK / module.replace(".", "-")


def prepare(module: str, *, keep: bool = False) -> Path:
    """A copy of the project whose mutmut config mutates only ``module``; with ``keep`` the
    last run's mutants and results stay and only the copied files are refreshed."""
    work = workdir(module)
    if work.exists() and not keep:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                work / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                dirs_exist_ok=True,
            )
        else:
            shutil.copy2(src, work / name)
    text = (work / "pyproject.toml").read_text("utf-8")
    text = re.sub(r"\n\[tool\.mutmut\]\n(?:(?!\[).*\n?)*", "\n", text)
    tests = ", ".join(f'"{t}"' for t in MODULES[module])
    text += (
        "\n[tool.mutmut]\n"
        'source_paths = ["app"]\n'
        f'only_mutate = ["app/core/{module.replace(".", "/")}.py"]\n'
        'pytest_add_cli_args = ["-p", "no:randomly", "-q", "--no-header"]\n'
        f"pytest_add_cli_args_test_selection = [{tests}]\n"
        'also_copy = ["phrases", "resources", "docs"]\n'
    )
    (work / "pyproject.toml").write_text(text, "utf-8")
    return work


def results(work: Path) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith("app."):
            found[name] = status
    return found


def merged(work: Path) -> dict[str, str]:
    """mutmut's results, over the ones kept in ``results.json`` from the runs before: a
    re-run (``--again``) re-checks only some mutants, and mutmut forgets the others' results
    when the tests change. A mutant detected before stays detected (tests were only added)."""
    saved = work / "results.json"
    before: dict[str, str] = json.loads(saved.read_text("utf-8")) if saved.exists() else {}
    found = dict(before)
    for name, status in results(work).items():
        if status != "not checked" and before.get(name) not in DETECTED:
            found[name] = status
        found.setdefault(name, status)
    saved.write_text(json.dumps(found, indent=0, sort_keys=True), "utf-8")
    return found


def show(work: Path, name: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "mutmut", "show", name],
        cwd=work,
        capture_output=True,
        text=True,
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--bar", type=float, default=90.0)
    parser.add_argument("--show", action="store_true", help="print the survivors' diffs")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--again",
        action="store_true",
        help="keep the last run and re-run only its undetected mutants against the current "
        "tests (after adding tests; the module itself must be unchanged)",
    )
    parser.add_argument(
        "--report", action="store_true", help="run nothing: print the scores of the last runs"
    )
    args = parser.parse_args(argv)
    skip = equivalents()
    rows = []
    failed = False
    for module in args.modules:
        if module not in MODULES:
            parser.error(f"unknown module {module!r}; known: {', '.join(MODULES)}")
        work = workdir(module)
        if args.report and not (work / "mutants").is_dir():
            print(f"{module}: not run yet")
            continue
        again = (args.again or args.report) and (work / "mutants").is_dir()
        names: list[str] = []
        if again:
            names = sorted(n for n, s in merged(work).items() if s not in DETECTED)
        elif (work / "results.json").exists():
            (work / "results.json").unlink()
        started = time.monotonic()
        if not args.report and (names or not again):
            work = prepare(module, keep=again)
            tmp = work / "tmp"
            tmp.mkdir(exist_ok=True)
            command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.children)]
            subprocess.run(
                [*command, *names],
                cwd=work,
                stdout=subprocess.DEVNULL,
                check=False,
                env={
                    **os.environ,
                    # fewer, reproducible Hypothesis examples per mutant (tests/conftest.py)
                    "HUASHU_HYPOTHESIS": "mutation",
                    # pytest's tmp_path folders apart from other pytest runs on the machine
                    # (their clean-up of old folders could pull ours away mid-run)
                    "PYTEST_DEBUG_TEMPROOT": str(tmp),
                },
            )
        seconds = time.monotonic() - started
        found = merged(work)
        counted = {n: s for n, s in found.items() if n not in skip}
        # a mutant that makes the tests hang (timeout) was detected too
        killed = sum(1 for s in counted.values() if s in DETECTED)
        survivors = sorted(n for n, s in counted.items() if s not in DETECTED)
        total = killed + len(survivors)
        score = 100.0 * killed / total if total else 0.0
        failed |= score < args.bar
        rows.append((module, len(found), len(found) - len(counted), killed, total, score, seconds))
        for name in survivors:
            print(f"  {counted[name]:10} {name}")
            if args.show:
                print(show(work, name))
    print(f"\n{'module':10} {'mutants':>7} {'equiv':>5} {'killed':>6} {'score':>7} {'time':>7}")
    for module, n, eq, killed, _total, score, seconds in rows:
        print(f"{module:10} {n:7} {eq:5} {killed:6} {score:6.1f}% {seconds:6.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
