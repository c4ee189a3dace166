# The Windows build stage of the Wine lane. .ci/winlane.sh sources every .ci/winlane.d/*.sh
# in a subshell (with REPO, WINLANE_DIR, DISPLAY, LOGS, run_pytest...); the lane's
# .ci/winlane.d/20-winbuild.sh is one line:  source "$REPO/packaging/winlane-stage.sh"
#
# 1. bash packaging/build-windows.sh: Huashu.exe, the zip and the installer in dist/
#    (its own Windows Python + PyInstaller in build/windows/env, not the lane's);
# 2. tests/winbuild: the artifacts, the exe's resources, the frozen exe starting with its
#    tray and data, the installer's silent install and the uninstaller keeping the data;
# 3. tests/e2e_win (when present) against the frozen exe (HUASHU_WIN_EXE), English and
#    Chinese Windows. These run on the Linux side with the project's .venv.
rc=0
t0=$(date +%s)
if ! bash "$REPO/packaging/build-windows.sh" >"$LOGS/winbuild.log" 2>&1; then
  tail -40 "$LOGS/winbuild.log"
  echo "-- Windows build FAILED after $(($(date +%s) - t0)) s; full log: $LOGS/winbuild.log"
  return 1
fi
echo "-- Windows build ($(($(date +%s) - t0)) s): $(tail -3 "$LOGS/winbuild.log" | tr '\n' ' ')"

linux_pytest() {
  local label=$1 log=$LOGS/$1.log start rc=0
  shift
  start=$(date +%s)
  (cd "$REPO" && "$REPO/.venv/bin/python" -m pytest -q -rfEsR -p no:randomly "$@") >"$log" 2>&1 || rc=$?
  echo "-- $label ($(($(date +%s) - start)) s, exit $rc): $(grep -E " in [0-9.]+s" "$log" | tail -1)"
  grep -E "^(RERUN|XFOCUS-RESYNC)" "$log" | sort | uniq -c | sed 's/^/   /' || true
  [ $rc -eq 0 ] || { grep -E "^(FAILED|ERROR) " "$log" | head -20; echo "   full log: $log"; }
  return $rc
}
# own Xvfb displays and Wine prefixes: the lane's DISPLAY is not needed
HUASHU_WIN_DIST=$REPO/dist linux_pytest winbuild-tests tests/winbuild || rc=1
if [ -d "$REPO/tests/e2e_win" ]; then
  HUASHU_WIN_EXE=$REPO/dist/Huashu/Huashu.exe linux_pytest e2e-win-exe \
    --reruns 3 --reruns-delay 2 tests/e2e_win || rc=1
fi
return $rc
