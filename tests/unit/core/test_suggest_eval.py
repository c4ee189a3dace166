"""Regression floor: the ranker's accuracy on the evaluation set must not fall.

The figures themselves are printed by tests/bench/bench_suggest.py; the floors here sit a
little below them, so a change that makes suggestions worse fails the suite.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from suggest_eval import builtin_library, evaluate, load_cases, split

from app.core.suggest import Suggester


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(builtin_library())


def test_the_set_is_big_varied_and_labelled_with_real_ids() -> None:
    cases = load_cases()
    lib = builtin_library()
    ids = {p.id for p in lib.phrases}
    assert len(cases) >= 300
    assert len(split(cases, "holdout")) >= 60
    assert {c.split for c in cases} == {"tune", "holdout"}
    assert sum(1 for c in cases if not c.accept) >= 30
    for c in cases:
        assert set(c.accept) <= ids, c.message
    covered = {lib.phrase(i).category for c in cases for i in c.accept}  # type: ignore[union-attr]
    assert covered == {cat.id for cat in lib.categories}  # every category and subcategory


def _bare(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def test_no_evaluation_message_is_an_example_question() -> None:
    examples = {_bare(e) for p in builtin_library().phrases for e in p.examples}
    for c in load_cases():
        assert _bare(c.message) not in examples, c.message


@pytest.mark.parametrize(
    ("name", "top1", "top3", "precision", "recall"),
    [("tune", 0.89, 0.95, 0.85, 0.8), ("holdout", 0.83, 0.9, 0.5, 0.6)],
)
def test_accuracy_stays_above_the_floor(
    suggester: Suggester, name: str, top1: float, top3: float, precision: float, recall: float
) -> None:
    m = evaluate(suggester, split(load_cases(), name))
    assert m.top1 >= top1, m.line(name)
    assert m.top3 >= top3, m.line(name)
    assert m.none_precision >= precision, m.line(name)
    assert m.none_recall >= recall, m.line(name)
