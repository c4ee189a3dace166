"""Which language the ``language`` setting means (app.core.language), without Qt."""

from __future__ import annotations

import pytest

from app.core.language import locale_from_env, pick_language


@pytest.mark.parametrize(
    ("setting", "system", "unknown", "expected"),
    [
        ("zh_CN", "en_US", "en", "zh_CN"),
        ("en", "zh_CN", "zh_CN", "en"),
        ("auto", "zh_CN.UTF-8", "en", "zh_CN"),
        ("auto", "zh_TW", "en", "zh_CN"),
        ("auto", "en_US.UTF-8", "zh_CN", "en"),
        ("auto", "de_DE", "zh_CN", "en"),
        ("auto", "C", "en", "en"),
        ("auto", "C", "zh_CN", "zh_CN"),
        ("auto", "C.UTF-8", "en", "en"),
        ("auto", "C.UTF-8", "zh_CN", "zh_CN"),
        ("auto", "POSIX.UTF-8", "zh_CN", "zh_CN"),
        ("auto", "POSIX", "zh_CN", "zh_CN"),
        ("auto", "", "en", "en"),
        ("auto", "", "zh_CN", "zh_CN"),
        ("fr", "zh_CN", "en", "zh_CN"),  # an unknown setting means auto
        ("auto", "Czech", "zh_CN", "en"),  # only C itself is unknown, not "C..." names
    ],
)
def test_pick_language(setting: str, system: str, unknown: str, expected: str) -> None:
    assert pick_language(setting, system, unknown=unknown) == expected


def test_unknown_defaults_to_chinese() -> None:
    assert pick_language("auto", "C") == "zh_CN"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ""),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN.UTF-8"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "C"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C", "LC_ALL": "en_US"}, "en_US"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh_CN.UTF-8"),  # empty is unset
        ({"LC_MESSAGES": "", "LANG": ""}, ""),
    ],
)
def test_locale_from_env(env: dict[str, str], expected: str) -> None:
    assert locale_from_env(env) == expected
