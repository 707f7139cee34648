#!/bin/sh
# pkg_config.sh — the installed prefix through pkg-config, and the
# installed launcher: `pkg-config --cflags --libs lockinstr` compiles and
# links files the installed lockinstr rewrote against the static runtime,
# `lockinstr-shared` against liblockinstr.so with an rpath, and both
# programs start with no LD_LIBRARY_PATH; bin/lockinstr-cc finds
# the headers and runtime of its own prefix, also after the prefix has
# been moved elsewhere.
. "$LI_TEST_SRC/lib.sh"
fresh_work
cp -R "$LI_TEST_SRC/makeproj" proj
pc=$(find "$LI_PREFIX" -name lockinstr.pc | head -n 1)
[ -n "$pc" ] || fail "no lockinstr.pc under $LI_PREFIX"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
libdir=$(dirname "$(dirname "$pc")")

step "pkg-config flags"
cflags=$(pkg-config --cflags lockinstr) || fail "pkg-config --cflags"
libs=$(pkg-config --libs lockinstr) || fail "pkg-config --libs"
shlibs=$(pkg-config --libs lockinstr-shared) || fail "pkg-config lockinstr-shared"
echo "cflags: $cflags"
echo "libs: $libs"
echo "shared: $shlibs"
incdir=$(echo "$cflags" | sed -n 's/.*-I\([^ ]*\).*/\1/p')
[ "$(cd "$incdir" && pwd -P)" = "$(cd "$LI_PREFIX/include" && pwd -P)" ] ||
  fail "--cflags does not point at $LI_PREFIX/include"
case " $libs " in *"/liblockinstr.a -lpthread -lm "*) ;;
*) fail "--libs is not the static runtime with -lpthread -lm: $libs" ;; esac
case " $shlibs " in *" -Wl,-rpath,"*" -llockinstr "*) ;;
*) fail "lockinstr-shared lacks the rpath or -llockinstr: $shlibs" ;; esac
[ "$(pkg-config --modversion lockinstr)" = "$(sed -n 's/^Version: //p' "$pc")" ] ||
  fail "--modversion"

step "rewrite with the installed lockinstr, build with pkg-config"
cd proj
"$LI_PREFIX/bin/lockinstr" --quiet -o out src/main.c src/queue.c -- \
  -Iinclude -DQUEUE_CAP=8 || fail "lockinstr"
# shellcheck disable=SC2086
for f in main queue; do
  "$LI_CC" -Iinclude -DQUEUE_CAP=8 $cflags -c out/src/$f.c -o $f.o ||
    fail "compile out/src/$f.c with pkg-config --cflags"
done
has_lockinstr_refs queue.o || fail "queue.o is not instrumented"
# shellcheck disable=SC2086
"$LI_CC" -o app-static main.o queue.o $libs || fail "link with --libs"
# shellcheck disable=SC2086
"$LI_CC" -o app-shared main.o queue.o $shlibs || fail "link with lockinstr-shared"
ldd app-static | grep -q liblockinstr && fail "app-static uses liblockinstr.so"
ldd app-shared | grep -q "liblockinstr.so.*$libdir" ||
  { ldd app-shared; fail "app-shared does not find liblockinstr.so by rpath"; }
# Both start from a prefix the loader does not search, with no
# LD_LIBRARY_PATH.
(unset LD_LIBRARY_PATH; LOCKINSTR_QUIET=1 ./app-shared) || fail "app-shared"
check_profile . --expect src/queue.c --min-acq 2000
rm -f lockinstr.*.json
(unset LD_LIBRARY_PATH; LOCKINSTR_QUIET=1 ./app-static) || fail "app-static"
check_profile . --expect src/queue.c --min-acq 2000
rm -f lockinstr.*.json
cd ..

# launcher_from PREFIX: builds proj with PREFIX/bin/lockinstr-cc and checks
# that it used PREFIX's headers and runtime.
launcher_from() {
  rm -rf p2
  cp -R "$LI_TEST_SRC/makeproj" p2
  (cd p2 && LOCKINSTR_CC_VERBOSE=1 make CC="$1/bin/lockinstr-cc $LI_CC" \
    >make.log 2>&1) || { cat p2/make.log; fail "make with $1/bin/lockinstr-cc"; }
  grep -q -- "-isystem $1/" p2/make.log ||
    { cat p2/make.log; fail "lockinstr-cc did not use $1's headers"; }
  grep -q "$1/.*liblockinstr.a" p2/make.log ||
    { cat p2/make.log; fail "lockinstr-cc did not link $1's runtime"; }
  grep -q "rewrite: $1/bin/lockinstr " p2/make.log ||
    { cat p2/make.log; fail "lockinstr-cc did not use $1's lockinstr"; }
  (cd p2 && LOCKINSTR_QUIET=1 ./app) || fail "app built by $1/bin/lockinstr-cc"
  check_profile p2 --expect src/queue.c --min-acq 2000
}
step "the installed lockinstr-cc uses its own prefix"
launcher_from "$(cd "$LI_PREFIX" && pwd -P)"
step "... also after the prefix is moved"
cp -R "$LI_PREFIX" moved
launcher_from "$(cd moved && pwd -P)"
echo "PASS"
