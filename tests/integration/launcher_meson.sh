#!/bin/sh
# launcher_meson.sh — CC="lockinstr-cc $CC" meson setup && ninja: meson
# detects the compiler through the launcher (--version and its sanity
# check pass through or still work), builds, and the program is profiled.
. "$LI_TEST_SRC/lib.sh"
fresh_work
cp -R "$LI_TEST_SRC/makeproj" proj
cat >proj/meson.build <<'EOC'
project('mp', 'c')
executable('app', 'src/main.c', 'src/queue.c',
  include_directories: include_directories('include'),
  c_args: ['-DQUEUE_CAP=8'],
  dependencies: dependency('threads'))
EOC
step "CC=\"lockinstr-cc $LI_CC\" meson setup"
(CC="$LI_LAUNCHER $LI_CC" meson setup build proj >setup.log 2>&1) ||
  { cat setup.log; fail "meson setup"; }
grep -q 'C compiler for the host machine' setup.log || { cat setup.log; fail "no compiler detected"; }
step "ninja"
ninja -C build >build.log 2>&1 || { cat build.log; fail "ninja"; }
grep -q 'lockinstr-cc: warning' build.log && { cat build.log; fail "warnings"; }
obj=$(find build -name '*queue.c.o' | head -n 1)
has_lockinstr_refs "$obj" || fail "$obj is not instrumented"
(cd build && LOCKINSTR_QUIET=1 ./app) || fail "app"
check_profile build --expect src/queue.c --min-acq 2000
echo "PASS"
