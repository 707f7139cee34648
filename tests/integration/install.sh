#!/bin/sh
# install.sh — the fixture of the installed-package tests: `cmake --install`
# of the build tree into a fresh prefix, then checks that every file the
# package promises is there (tool, launcher, headers, static and shared
# runtime, CMake package, Lockinstr.cmake, pkg-config file).
. "$LI_TEST_SRC/lib.sh"
rm -rf "$LI_PREFIX"
step "cmake --install $LI_BINARY_DIR --prefix $LI_PREFIX"
"$LI_CMAKE" --install "$LI_BINARY_DIR" --prefix "$LI_PREFIX" ||
  fail "cmake --install"
libdir=$(sed -n 's/^libdir=\${prefix}\///p' "$LI_BINARY_DIR/lockinstr.pc")
[ -n "$libdir" ] || fail "cannot read libdir from lockinstr.pc"
for f in bin/lockinstr bin/lockinstr-cc \
  include/lockinstr.h include/lockinstr_api.h include/lockinstr_site.h \
  include/lockinstr_counters.h \
  include/lockinstr_pthread.h include/lockinstr_threads.h include/lockinstr_group.h \
  "$libdir/liblockinstr.a" "$libdir/liblockinstr.so" \
  "$libdir/cmake/lockinstr/lockinstrConfig.cmake" \
  "$libdir/cmake/lockinstr/lockinstrConfigVersion.cmake" \
  "$libdir/cmake/lockinstr/lockinstrTargets.cmake" \
  "$libdir/cmake/lockinstr/Lockinstr.cmake" \
  "$libdir/pkgconfig/lockinstr.pc"; do
  [ -e "$LI_PREFIX/$f" ] || fail "not installed: $f"
done
"$LI_PREFIX/bin/lockinstr" --version || fail "installed lockinstr does not run"
echo "PASS"
