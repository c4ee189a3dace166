#!/usr/bin/env bash
# The Windows lane: Huashu's tests under the official Windows CPython and Wine.
# `bash .ci/run` calls it after the Linux part; it also runs on its own (as root it
# installs its Debian packages; CI=true makes every missing piece an error).
#
# Steps: system packages, the Windows Python environment (.ci/winlane-env.sh build, into
# $WINLANE_DIR, default .winlane/), a fresh English and a fresh Chinese (code page 936)
# Wine prefix, one Xvfb display, then every stage in .ci/winlane.d/ in name order:
#
#   10-suites.sh    unit, platform and UI suites (English and Chinese Windows)
#   20-*.sh         building the Windows app (winbuild)
#   30-e2e-win.sh   tests/e2e_win against Wine's notepad (English and Chinese), if present
#
# A stage is a bash file sourced in a subshell with these variables and functions:
#   WINLANE_DIR, REPO, PREFIX_EN, PREFIX_ZH, DISPLAY (the lane's Xvfb), LOGS
#   winpy LOCALE ARGS...         Windows python.exe in that prefix, repo on PYTHONPATH
#   run_pytest LABEL LOCALE ARGS...  pytest under Windows Python; prints its summary line
# A stage fails by returning non-zero; the lane runs the others and fails at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
export WINLANE_DIR=${WINLANE_DIR:-$REPO/.winlane}
LOGS=$WINLANE_DIR/logs
lane_start=$(date +%s)

in_ci() { case "${CI:-}" in 1 | true | TRUE | True | yes) return 0 ;; *) return 1 ;; esac; }
say() { echo "== winlane: $*"; }

# -- system packages --------------------------------------------------------------------
WINLANE_PACKAGES=(wine wine64 gcc-mingw-w64-x86-64-win32 locales xvfb)
missing=()
for pkg in "${WINLANE_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif in_ci; then
    echo "winlane: missing Debian packages ${missing[*]} (run as root to install them)" >&2
    exit 1
  else
    echo "winlane: skipped, missing Debian packages: ${missing[*]}" >&2
    exit 0
  fi
fi

# -- the Windows Python environment -----------------------------------------------------
t0=$(date +%s)
bash .ci/winlane-env.sh build 2>&1 | grep -v "^WARNING: Location" || true
if ! bash .ci/winlane-env.sh check; then
  echo "winlane: the Windows Python environment is incomplete" >&2
  exit 1
fi
say "environment ready in $(($(date +%s) - t0)) s ($WINLANE_DIR)"

# -- prefixes and display ---------------------------------------------------------------
mkdir -p "$LOGS"
PREFIX_EN=$WINLANE_DIR/prefix-en
PREFIX_ZH=$WINLANE_DIR/prefix-zh
xvfb_pid=""
cleanup() {
  local p
  for p in "$PREFIX_EN" "$PREFIX_ZH"; do
    [ -d "$p" ] && WINEPREFIX=$p wineserver -k 2>/dev/null || true
  done
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
t0=$(date +%s)
bash .ci/winlane-env.sh prefix "$PREFIX_EN" en
bash .ci/winlane-env.sh prefix "$PREFIX_ZH" zh
say "prefixes ready in $(($(date +%s) - t0)) s"

display_number=${WINLANE_DISPLAY:-}
if [ -z "$display_number" ]; then
  for n in $(seq 140 199); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || { display_number=$n; break; }
  done
fi
Xvfb ":$display_number" -screen 0 1280x800x24 -nolisten tcp >"$LOGS/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display_number" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$display_number" ] || { echo "winlane: Xvfb :$display_number did not start" >&2; exit 1; }
export DISPLAY=":$display_number"

# -- helpers for stages -----------------------------------------------------------------
winpy() {
  local locale=$1
  shift
  local prefix=$PREFIX_EN
  [ "$locale" = zh ] && prefix=$PREFIX_ZH
  WINEPREFIX=$prefix WINLANE_SRC=$REPO bash "$REPO/.ci/winpy" "$@"
}

# Offscreen Qt on Windows reads fonts from a folder; Wine's C:\windows\Fonts is empty.
export QT_QPA_FONTDIR='Z:\usr\share\fonts\truetype\wqy'

run_pytest() {
  local label=$1 locale=$2
  shift 2
  local log=$LOGS/$label.log start rc=0
  start=$(date +%s)
  # -v: a crash of the interpreter (no summary) still shows which test was running
  winpy "$locale" -m pytest -v -rfEs --durations=10 "$@" >"$log" 2>&1 || rc=$?
  local summary
  summary=$(grep -E "^=+ .*(passed|failed|error|skipped|no tests ran).* in [0-9.]+s" "$log" | tail -1 || true)
  [ -n "$summary" ] || summary=$(grep -E "(passed|failed|error).* in [0-9.]+s" "$log" | tail -1 || true)
  echo "-- $label [$locale] ($(($(date +%s) - start)) s, exit $rc): ${summary:-no pytest summary}"
  if [ $rc -ne 0 ]; then
    grep -E "^(FAILED|ERROR) " "$log" | head -40 || true
    if [ -z "$summary" ]; then
      tail -40 "$log"
      echo "   the test running when it ended: $(grep -aoE '^tests/[^ ]+::[^ ]+' "$log" | tail -1)"
    fi
    echo "   full log: $log"
  fi
  return $rc
}

# -- stages -----------------------------------------------------------------------------
failed=()
for stage in .ci/winlane.d/*.sh; do
  [ -f "$stage" ] || continue
  name=$(basename "$stage" .sh)
  say "stage $name"
  t0=$(date +%s)
  if (set -euo pipefail; source "$stage"); then
    say "stage $name passed in $(($(date +%s) - t0)) s"
  else
    say "stage $name FAILED after $(($(date +%s) - t0)) s"
    failed+=("$name")
  fi
done

say "Windows lane took $(($(date +%s) - lane_start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "winlane: failed stages: ${failed[*]}" >&2
  exit 1
fi
