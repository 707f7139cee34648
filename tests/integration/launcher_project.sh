#!/bin/sh
# launcher_project.sh — how lockinstr-cc sees the project a compile
# belongs to (issues #24 and #18):
#   - the root is the project's top (a checkout's .git, a .lockinstr, a
#     configure script), so `make -C lib/a` compiling x.c that includes
#     "../common/h.h" instruments the header's lock macros (issue #24,
#     item 2: 0 sites before, silently);
#   - a build that loses lock calls says so once, not once per compile: a
#     make of two such files prints one warning naming the build's list,
#     which holds both; a second make warns again; two compiles outside a
#     build tool warn each;
#   - __FILE__ and diagnostics of a lock-free file and header built through
#     the launcher name the originals, as the plain compiler does (byte for
#     byte, but for clang's ./ before an included header)
#     (issue #18, item 8);
#   - the dependency file lists the configuration file (.lockinstr or
#     --config), so editing it rebuilds under make (issue #18, item 5);
#   - a --config file outside the tree whose [exclude] path matches
#     nothing says so, with its file and line, once per build (issue #24,
#     item 6).
. "$LI_TEST_SRC/lib.sh"
fresh_work
L=$LI_LAUNCHER
export LOCKINSTR_TOOL="$LI_BINARY_DIR/tool/lockinstr"
export LOCKINSTR_CC_STATE_DIR="$LI_WORK/state"

# project DIR: lib/common/h.h (lock macros), lib/a/x.c and lib/a/y.c using
# them through "../common/h.h".
project() {
  mkdir -p "$1/lib/common" "$1/lib/a"
  cat >"$1/lib/common/h.h" <<'SRC'
#include <pthread.h>
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
SRC
  for f in x y; do
    cat >"$1/lib/a/$f.c" <<SRC
#include "../common/h.h"
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
int $f(void) { LOCK(&mu); UNLOCK(&mu); return 0; }
SRC
  done
}

# root_is DIR MARKER: with MARKER made in DIR, a compile in DIR/lib/a has
# the root DIR, instruments the header's macros, and prints nothing.
root_is() {
  project "$1"
  case $2 in .git) mkdir "$1/.git" ;; *) : >"$1/$2" ;; esac
  want=$(cd "$1" && pwd -P)
  (cd "$1/lib/a" && LOCKINSTR_CC_VERBOSE=1 "$L" "$LI_CC" -c x.c) 2>verbose.txt ||
    { cat verbose.txt; fail "$2: compile"; }
  grep -q -- "--root $want " verbose.txt ||
    { grep rewrite: verbose.txt; fail "$2: the root is not $want"; }
  (cd "$1/lib/a" && "$L" "$LI_CC" -c x.c) 2>err.txt || fail "$2: compile"
  [ -s err.txt ] && { cat err.txt; fail "$2: printed on stderr"; }
  has_lockinstr_refs "$1/lib/a/x.o" || fail "$2: the header's macros lost"
  step "root from $2: $want"
}
root_is git .git
root_is dot .lockinstr
root_is conf configure.ac

step "a build that loses calls says so once"
project lossy
cat >lossy/lib/a/Makefile <<'MK'
all: x.o y.o
x.o y.o: %.o: %.c
	$(CC) -c $< -o $@
clean:
	rm -f x.o y.o
MK
# the root narrowed to lib/a: ../common/h.h is not the project's
export LOCKINSTR_CC_ROOT="$LI_WORK/lossy/lib/a"
make -s -C lossy/lib/a CC="$L $LI_CC" 2>make1.err >/dev/null ||
  { cat make1.err; fail "make"; }
cat make1.err
[ "$(grep -c 'lockinstr-cc: warning:' make1.err)" = 1 ] ||
  fail "not exactly one warning for the build"
grep -q ': 2 lock calls not instrumented (first: .*macro .LOCK. defined in header' make1.err ||
  fail "the warning does not give the count and the first reason"
list=$(sed -n 's/.*lose calls are listed in \(.*\)$/\1/p' make1.err)
[ -f "$list" ] || fail "no list of the build's files ($list)"
[ "$(wc -l <"$list")" = 2 ] || { cat "$list"; fail "the list does not hold 2 files"; }
grep -q "^$LI_WORK/lossy/lib/a/x.c: 2 lock calls" "$list" || fail "x.c not listed"
grep -q "^$LI_WORK/lossy/lib/a/y.c: 2 lock calls" "$list" || fail "y.c not listed"
make -s -C lossy/lib/a clean
make -s -C lossy/lib/a CC="$L $LI_CC" 2>make2.err >/dev/null || fail "make again"
[ "$(grep -c 'lockinstr-cc: warning:' make2.err)" = 1 ] ||
  { cat make2.err; fail "the second build did not warn once"; }
grep -q "$list" make2.err && fail "the second build reused the first's list"
(cd lossy/lib/a && "$L" "$LI_CC" -c x.c && "$L" "$LI_CC" -c y.c) 2>hand.err
[ "$(grep -c 'calls not instrumented.*LOCKINSTR_CC_VERBOSE=1 lists them' hand.err)" = 2 ] ||
  { cat hand.err; fail "compiles outside a build tool do not warn each"; }
unset LOCKINSTR_CC_ROOT

step "__FILE__ and warnings of lock-free files name the originals"
mkdir nolock
cat >nolock/nolock.c <<'SRC'
#include <stdio.h>
#include "nl.h"
int main(void) { printf("%s\n", __FILE__); return warnme(); }
SRC
printf 'static int warnme(void) { int unused; return 0; }\n' >nolock/nl.h
(cd nolock && "$LI_CC" -Wall -o plain nolock.c) 2>plain.err || fail "plain build"
(cd nolock && "$L" "$LI_CC" -Wall -o inst nolock.c) 2>inst.err ||
  { cat inst.err; fail "launcher build"; }
cat inst.err
grep -q 'nl.h:1:.*unused' plain.err || fail "the plain compiler did not warn"
# clang names the header ./nl.h (the includer's directory joined), the
# copy's #line nl.h: the same file
sed 's|\./nl\.h|nl.h|' plain.err >plain.norm
cmp -s plain.norm inst.err || { diff plain.norm inst.err; fail "diagnostics differ"; }
[ "$(cd nolock && LOCKINSTR_QUIET=1 ./inst)" = nolock.c ] ||
  fail "__FILE__ is $(cd nolock && ./inst), not nolock.c"

step "the dependency file lists the configuration file"
project deps
printf '[exclude]\nfunction = none_of_these\n' >deps/.lockinstr
cat >deps/lib/a/Makefile <<'MK'
all: x.o
x.o: x.c
	$(CC) -MMD -MP -c x.c -o x.o
-include x.d
MK
make -s -C deps/lib/a CC="$L $LI_CC" 2>/dev/null || fail "make deps"
conf=$(cd deps && pwd -P)/.lockinstr
grep -q "^ $conf\$" deps/lib/a/x.d || { cat deps/lib/a/x.d; fail "x.d does not list $conf"; }
grep -q "^$conf:\$" deps/lib/a/x.d || fail "x.d has no empty rule for it (-MP)"
grep -q '^x.o: x.c ' deps/lib/a/x.d || { cat deps/lib/a/x.d; fail "x.d's first line"; }
(cd deps && touch -d '-1 hour' .lockinstr lib/common/h.h lib/a/x.c &&
  touch -d '-30 minutes' lib/a/x.o)
make -q -C deps/lib/a CC="$L $LI_CC" || fail "up to date after the build"
touch deps/.lockinstr
make -q -C deps/lib/a CC="$L $LI_CC" && fail "editing .lockinstr does not rebuild"
printf '[exclude]\nfunction = none\n' >conf.ini
(cd deps/lib/a && "$L" --config ../../../conf.ini "$LI_CC" -MMD -c y.c) ||
  fail "--config compile"
grep -q "^ $(pwd -P)/conf.ini\$" deps/lib/a/y.d || { cat deps/lib/a/y.d; fail "y.d does not list --config's file"; }

step "a --config file whose [exclude] path matches nothing says so, once"
mkdir elsewhere
printf '[exclude]\npath = lib/common/*\n' >elsewhere/conf.ini
cat >deps/lib/a/Makefile.cfg <<'MK'
all: x.o y.o
x.o y.o: %.o: %.c
	$(CC) -c $< -o $@
MK
rm -f deps/lib/a/*.o
make -s -C deps/lib/a -f Makefile.cfg \
  CC="$L --config $LI_WORK/elsewhere/conf.ini $LI_CC" 2>cfg.err >/dev/null ||
  { cat cfg.err; fail "make with --config"; }
cat cfg.err
[ "$(grep -c 'conf.ini:2: warning: \[exclude\] path .lib/common/\*. matches nothing' cfg.err)" = 1 ] ||
  fail "not one warning for the glob that matches nothing"
[ "$(wc -l <cfg.err)" = 1 ] || fail "more than the one warning"
echo PASS
