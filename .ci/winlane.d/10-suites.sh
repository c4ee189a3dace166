# Unit, platform and UI suites under Windows Python, on an English and on a Chinese
# (code page 936, zh_CN UI) Windows. Qt runs offscreen (tests/conftest.py); Linux-only
# tests are marked linux_only and skipped by platform.
# Tests run in random order (pytest-randomly); the seed is chosen here and printed, so a
# failure that depends on the order can be replayed with WINLANE_SEED=N.
seed=${WINLANE_SEED:-$((RANDOM * 32768 + RANDOM))}
echo "-- suites: pytest-randomly seed $seed (replay: WINLANE_SEED=$seed)"
rc=0
run_pytest suites-en en --randomly-seed="$seed" tests/unit tests/platform tests/ui || rc=1
run_pytest suites-zh zh --randomly-seed="$seed" tests/unit tests/platform tests/ui || rc=1
return $rc
