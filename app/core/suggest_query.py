"""Does a picker query read like a customer's sentence? (cheap: no ranker is loaded)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_QUESTION = re.compile(r"[吗呢啥咋么嘛?？]|怎|什么|多少|几|能不能|可以|有没有|是不是")


def looks_like_sentence(query: str) -> bool:
    """True when a picker query reads like a customer's sentence rather than a code,
    pinyin or a title fragment: five or more Chinese characters, or two or more with a
    question word (吗, 怎么, 什么, 多少, 能不能 ...)."""
    cjk = len(_CJK.findall(query))
    if cjk >= 5:
        return True
    return cjk >= 2 and bool(_QUESTION.search(query))
