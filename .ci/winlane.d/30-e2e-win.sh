# End-to-end tests of the running app against Windows programs (Wine's notepad), on the
# lane's Xvfb display, once per Windows language. They live in tests/e2e_win (winrun);
# a build stage (20-*.sh) may export HUASHU_EXE to run them against the frozen app too.
if [ ! -d tests/e2e_win ]; then
  echo "tests/e2e_win not present: no Windows end-to-end tests to run"
  return 0
fi
rc=0
run_pytest e2e-win-en en tests/e2e_win || rc=1
run_pytest e2e-win-zh zh tests/e2e_win || rc=1
return $rc
