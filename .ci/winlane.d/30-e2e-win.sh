# End-to-end tests of the running app (python -m app under the Windows CPython) against
# Wine's notepad, English and Chinese Windows. The tests drive Wine from the Linux side
# (xdotool, Xvfb, their own prefixes), so the Linux .venv runs pytest; the lane's
# WINLANE_DIR gives them the Windows Python. Stage 20 runs the same tests on Huashu.exe.
# Wine can leave the X focus behind the window Windows put in front (its XSetInputFocus
# carries a lagging timestamp that X ignores; see WinEnv.keyboard_follows): the tests then
# move the X focus themselves and list it (XFOCUS-RESYNC). A failed test is still run again
# up to three times; the summary line says how many needed it ("rerun"), and each rerun
# test is listed with why it failed (RERUN-WHY, from tests/e2e_win/conftest.py).
if [ ! -d "$REPO/tests/e2e_win" ]; then
  echo "tests/e2e_win not present: no Windows end-to-end tests to run"
  return 0
fi
log=$LOGS/e2e-win-python.log
start=$(date +%s)
rc=0
(cd "$REPO" && CI=${CI:-} WINLANE_DIR=$WINLANE_DIR "$REPO/.venv/bin/python" -m pytest -q -rfEsxR \
  -p no:randomly --reruns 3 --reruns-delay 2 tests/e2e_win) >"$log" 2>&1 || rc=$?
echo "-- e2e-win-python ($(($(date +%s) - start)) s, exit $rc): $(grep -E " in [0-9.]+s" "$log" | tail -1)"
grep -E "^(RERUN|XFOCUS-RESYNC)" "$log" | sort | uniq -c | sed 's/^/   /' || true
[ $rc -eq 0 ] || { grep -E "^(FAILED|ERROR) " "$log" | head -20; echo "   full log: $log"; }
return $rc
