"""``huashu suggest MESSAGE [--limit N] [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_prints_ranked_phrases_with_score_and_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run(capsys, "suggest", "亲，咋还不发货啊😭")
    assert code == 0
    first = out.splitlines()[0]
    assert "logistics-urge-shipping" in first and "example “" in first
    assert float(first.split()[0]) > 0.5


def test_suggest_json_has_the_search_fields_plus_score_and_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run(capsys, "suggest", "能便宜点吗？包邮不", "--json", "--limit", "2")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 2
    assert {d["id"] for d in data} == {"bargaining-price-policy", "bargaining-free-shipping"}
    _c, search_out, _e = run(capsys, "search", "包邮", "--json", "--limit", "1")
    search_keys = set(json.loads(search_out)[0]) - {"match"}
    assert search_keys | {"score", "why"} == set(data[0])
    assert 0 < data[0]["score"] <= 1 and data[0]["why"]


def test_suggest_says_nothing_fits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "suggest", "可以开发票吗")
    assert code == 1 and out == "" and "nothing fits" in err
    code, out, _err = run(capsys, "suggest", "可以开发票吗", "--json")
    assert code == 0 and json.loads(out) == []


def test_suggest_rejects_a_bad_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "suggest", "什么时候发货", "--limit", "0")
    assert code == 1 and "--limit must be at least 1" in err


def test_suggest_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "suggest", "退货", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 1


def test_suggest_creates_no_learning_file(
    capsys: pytest.CaptureFixture[str], huashu_home: Path
) -> None:
    run(capsys, "suggest", "什么时候发货")
    assert not (huashu_home / "suggest.sqlite3").exists()
