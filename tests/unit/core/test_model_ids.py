"""New ids of the phrase model."""

from __future__ import annotations

import re

from app.core.document import ID_RE
from app.core.model import new_id


def test_new_id_is_twelve_random_hex_digits() -> None:
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) and ID_RE.match(i) for i in ids)
