"""Build time: fill packaging/version_info.txt.in with the project version.

    python packaging/make_version_info.py OUT.txt      # prints the version

The version comes from pyproject.toml; Windows wants four 16-bit numbers (1.2.3 -> 1,2,3,0).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "version_info.txt.in"
PYPROJECT = HERE.parent / "pyproject.toml"


def project_version(pyproject: Path = PYPROJECT) -> str:
    return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The numeric release of a PEP 440 version, padded to four parts (1.2 -> 1,2,0,0)."""
    m = re.match(r"^\s*v?(\d+(?:\.\d+){0,3})(?![\d.]*\d)", version)
    if m is None:
        raise ValueError(f"no numeric release in version {version!r}")
    parts = [int(p) for p in m.group(1).split(".")]
    if any(p > 0xFFFF for p in parts):
        raise ValueError(f"version part above 65535 in {version!r}")
    parts += [0] * (4 - len(parts))
    return (parts[0], parts[1], parts[2], parts[3])


def render(version: str, template: str) -> str:
    text = template.replace("@VERSION_TUPLE@", repr(version_tuple(version)))
    text = text.replace("@VERSION@", version)
    if "@" in re.sub(r"#.*", "", text):
        raise ValueError("unfilled placeholder in the version template")
    return text


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    version = project_version()
    Path(argv[1]).write_text(render(version, TEMPLATE.read_text("utf-8")), "utf-8")
    print(version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
