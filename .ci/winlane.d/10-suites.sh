# Unit, platform and UI suites under Windows Python, on an English and on a Chinese
# (code page 936, zh_CN UI) Windows. Qt runs offscreen (tests/conftest.py); Linux-only
# tests are marked linux_only and skipped by platform.
rc=0
run_pytest suites-en en tests/unit tests/platform tests/ui || rc=1
run_pytest suites-zh zh tests/unit tests/platform tests/ui || rc=1
return $rc
