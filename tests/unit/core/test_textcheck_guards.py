"""looks_like_formula guards found by mutation testing (tests/mutation): a two-character
formula, and a capital letter first is plain text."""

from __future__ import annotations

import pytest

from app.core.textcheck import looks_like_formula


@pytest.mark.parametrize(
    ("text", "formula"),
    [("-2", True), ("+1", True), ("=1", True), ("X", False), ("X1", False), ("XX", False)],
)
def test_looks_like_formula_edges(text: str, formula: bool) -> None:
    assert looks_like_formula(text) is formula
