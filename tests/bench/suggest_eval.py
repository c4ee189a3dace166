"""The evaluation of the suggestion ranker on ``tests/data/suggest_eval.toml``.

Shared by the benchmark (``bench_suggest.py``) and the regression test
(``tests/unit/core/test_suggest_eval.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.model import Library
from app.core.storage import load_builtin_packs
from app.core.suggest import Suggester

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EVAL_FILE = Path(__file__).resolve().parents[1] / "data" / "suggest_eval.toml"


@dataclass(frozen=True)
class Case:
    message: str
    accept: tuple[str, ...]
    split: str


@dataclass(frozen=True)
class Metrics:
    cases: int
    answerable: int
    top1: float  # share of answerable cases whose first suggestion is acceptable
    top3: float  # ... whose first three suggestions hold an acceptable one
    none_precision: float  # of the "nothing fits" answers, the share that were right
    none_recall: float  # of the cases where nothing fits, the share answered so
    misses: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

    def line(self, name: str) -> str:
        return (
            f"{name:<8} n={self.cases:<4} top-1 {self.top1:6.1%}  top-3 {self.top3:6.1%}  "
            f"nothing-fits precision {self.none_precision:6.1%} recall {self.none_recall:6.1%}"
        )


def load_cases(path: Path = EVAL_FILE) -> list[Case]:
    data = tomllib.loads(path.read_text("utf-8"))
    return [Case(c["message"], tuple(c["accept"]), c["split"]) for c in data["case"]]


def builtin_library() -> Library:
    lib = Library()
    packs, problems = load_builtin_packs()
    assert not problems, problems
    for pack in packs:
        lib.categories.extend(pack.categories)
        lib.phrases.extend(pack.phrases)
    return lib


def evaluate(suggester: Suggester, cases: Iterable[Case]) -> Metrics:
    n = answerable = top1 = top3 = said_none = said_none_right = truly_none = 0
    misses: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for case in cases:
        n += 1
        got = tuple(s.phrase.id for s in suggester.suggest(case.message, 3).suggestions)
        if not got:
            said_none += 1
        if not case.accept:
            truly_none += 1
            if not got:
                said_none_right += 1
            else:
                misses.append((case.message, case.accept, got))
            continue
        answerable += 1
        if got and got[0] in case.accept:
            top1 += 1
        if any(g in case.accept for g in got):
            top3 += 1
        else:
            misses.append((case.message, case.accept, got))
    return Metrics(
        n,
        answerable,
        top1 / max(answerable, 1),
        top3 / max(answerable, 1),
        said_none_right / said_none if said_none else 1.0,
        said_none_right / truly_none if truly_none else 1.0,
        tuple(misses),
    )


def split(cases: Sequence[Case], name: str) -> list[Case]:
    return [c for c in cases if c.split == name]
