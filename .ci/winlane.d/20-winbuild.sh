# Build Huashu.exe, the zip and the installer, test them, and run tests/e2e_win against
# the frozen exe (packaging/winlane-stage.sh says what it does).
source "$REPO/packaging/winlane-stage.sh"
