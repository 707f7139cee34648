#!/bin/sh
# cmake_consumer.sh MODE GENERATOR — lockinstr_instrument() on a consumer
# project (consumer/), MODE "installed" (find_package(lockinstr) from the
# prefix the install fixture filled) or "subdirectory" (add_subdirectory of
# the lockinstr sources). Checks: the build instruments src/*.c but not the
# EXCLUDEd vendor/ and src/unprofiled.c; the program runs and its profile
# has the sites of src/worker.c and src/main.c and none of the excluded
# files; touching one source re-instruments (and recompiles) only it.
. "$LI_TEST_SRC/lib.sh"
mode=$1 generator=$2
fresh_work
cp -R "$LI_TEST_SRC/consumer" src
case $mode in
installed) how="-DCMAKE_PREFIX_PATH=$LI_PREFIX" ;;
subdirectory)
  # A snapshot of the sources: an edit to them while the test runs must not
  # rebuild the tool between the two builds (which re-instruments all).
  # The build tree under test may live inside the sources, whatever its name.
  inner=${LI_BINARY_DIR#"$LI_SOURCE_DIR"/}
  [ "$inner" != "$LI_BINARY_DIR" ] || inner=build
  mkdir lockinstr
  (cd "$LI_SOURCE_DIR" && tar -cf - --exclude='./build*' --exclude=./.git \
    --exclude="./${inner%%/*}" --exclude='./out' .) | (cd lockinstr && tar -xf -)
  how="-DLOCKINSTR_SOURCE_DIR=$LI_WORK/lockinstr -DLOCKINSTR_WERROR=OFF" ;;
*) fail "unknown mode $mode" ;;
esac

step "configure ($mode, $generator)"
# shellcheck disable=SC2086
"$LI_CMAKE" -S src -B build -G "$generator" -DCMAKE_C_COMPILER="$LI_CC" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo $how >configure.log 2>&1 ||
  { cat configure.log; fail "configure"; }

step "build"
"$LI_CMAKE" --build build >build1.log 2>&1 || { cat build1.log; fail "build"; }
cat build1.log
out=build/lockinstr/app
for f in src/main.c src/worker.c; do
  [ -f "$out/$f" ] || fail "$out/$f was not generated"
  grep -q LOCKINSTR_INSTRUMENTED "$out/$f" || fail "$out/$f is not instrumented"
done
[ ! -e "$out/vendor" ] || fail "vendor/ was instrumented despite EXCLUDE vendor/*"
[ ! -e "$out/src/unprofiled.c" ] ||
  fail "src/unprofiled.c was instrumented despite EXCLUDE src/unprofiled.c"

step "debug info names the original source"
obj=$(find build -name 'worker.c.o' | head -n 1)
readelf --debug-dump=info "$obj" | grep -q "DW_AT_name.*$PWD/src/src/worker\.c\$" ||
  { readelf --debug-dump=info "$obj" | grep DW_AT_name | head -n 3;
    fail "$obj: the compile unit is not named after src/worker.c"; }

step "run"
(cd build && LOCKINSTR_QUIET=1 ./app) || fail "app failed"
check_profile build --expect src/worker.c --expect src/main.c \
  --min-acq 1 --forbid vendor/ --forbid unprofiled.c
# The worker's lock is taken APP_WORKERS * APP_ROUNDS times.
check_profile build --expect src/worker.c --min-acq 4000

step "touch src/worker.c: only it is re-instrumented"
sleep 1
touch marker
sleep 1
touch src/src/worker.c
"$LI_CMAKE" --build build >build2.log 2>&1 || { cat build2.log; fail "rebuild"; }
cat build2.log
changed=$(newer_than marker "$out")
[ "$changed" = "$out/src/worker.c" ] ||
  fail "expected only $out/src/worker.c to be regenerated, got: $changed"
grep -q "instrumenting src/worker.c" build2.log ||
  fail "the build did not report re-instrumenting src/worker.c"
if grep -q "instrumenting src/main.c" build2.log; then
  fail "src/main.c was re-instrumented though it did not change"
fi

step "a no-op build does nothing"
"$LI_CMAKE" --build build >build3.log 2>&1 || { cat build3.log; fail "rebuild"; }
if grep -q "instrumenting" build3.log; then
  cat build3.log
  fail "a no-op build re-instrumented something"
fi
echo "PASS"
