# lib.sh — helpers shared by the integration test scripts (sourced).
#
# Every script gets its paths from the environment CTest sets (see
# CMakeLists.txt): LI_SOURCE_DIR (the lockinstr sources), LI_BINARY_DIR
# (the build tree under test), LI_TEST_SRC (this directory), LI_CMAKE,
# LI_CC (the C compiler of the build), LI_LAUNCHER (build-tree
# lockinstr-cc), LI_PREFIX (the install prefix the fixture fills), and
# LI_WORK (a scratch directory of its own, emptied first).
set -eu
# The caller's lockinstr settings must not change what the tests see.
unset LOCKINSTR_OUTPUT LOCKINSTR_DISABLE LOCKINSTR_SAMPLE_RATE \
  LOCKINSTR_EXCLUDE LOCKINSTR_INTERVAL LOCKINSTR_STRICT LOCKINSTR_TOOL \
  LOCKINSTR_PREFIX LOCKINSTR_CC LOCKINSTR_CC_LINK LOCKINSTR_CC_VERBOSE \
  LOCKINSTR_CC_KEEP LOCKINSTR_CC_TMPDIR

# fail MESSAGE: the test fails with MESSAGE.
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# step MESSAGE: says what the test is doing (shown by ctest -V / on failure).
step() {
  echo "==> $*"
}

# fresh_work: empties and enters $LI_WORK.
fresh_work() {
  rm -rf "$LI_WORK"
  mkdir -p "$LI_WORK"
  cd "$LI_WORK"
}

# check_profile DIR ARGS...: see check_profile.py.
check_profile() {
  python3 "$LI_TEST_SRC/check_profile.py" "$@" || fail "profile check ($*)"
}

# has_lockinstr_refs OBJECT: true if OBJECT was compiled from instrumented
# source with lock calls in it (it holds the prologue's site table).
has_lockinstr_refs() {
  nm "$1" | grep -q ' LI_SITE$'
}

# newer_than MARKER DIR: lists the files under DIR modified after MARKER.
newer_than() {
  find "$2" -type f -newer "$1" | sort
}
