#!/bin/sh
# launcher_probe.sh — the command lines build systems probe the compiler
# with, through lockinstr-cc (issue #24, item 3): each must behave as with
# the plain compiler, quickly and silently.
#   - a program from stdin, linked (`-x c - -o x`: autoconf, a Makefile's
#     `-Wl,-z,noexecstack` probe): exit 0, a working binary, no output;
#   - `-x c -c /dev/null` (kbuild's cc-option): exit 0, no output;
#   - `-E` from stdin: the compiler's own output;
#   - `-x c` on a source named .c and on one that is not, compiled and
#     linked: instrumented, runs, writes a profile with its sites;
#   - stdin and a source in one command: stdin compiled as it is, the
#     source instrumented, linked;
#   - a response file holding `-x c SOURCE -o PROG`: read, instrumented;
#   - a source whose lock calls are left uninstrumented (through function
#     pointers): one warning with their count and the first place and
#     reason (issue #24: a build that loses sites says so).
. "$LI_TEST_SRC/lib.sh"
fresh_work
L=$LI_LAUNCHER
export LOCKINSTR_TOOL="$LI_BINARY_DIR/tool/lockinstr"

# quiet_ok WHAT CMD...: CMD exits 0 within 60 s and prints nothing on stderr.
quiet_ok() {
  what=$1
  shift
  timeout 60 "$@" 2>err.txt || { head -20 err.txt; fail "$what: exit status"; }
  [ -s err.txt ] && { head -20 err.txt; fail "$what: printed on stderr"; }
  return 0
}

cat >lock.c <<'SRC'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void helper(void);
int main(void) {
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  return 0;
}
SRC
sed '/^void helper/d' lock.c >solo.c

step "a program from stdin, compiled and linked (-x c - -o probe)"
echo 'int main(void){return 0;}' >probe.txt
quiet_ok "stdin probe" "$L" "$LI_CC" -x c - -o probe <probe.txt
./probe || fail "the probe program does not run"
quiet_ok "stdin probe to /dev/null" "$L" "$LI_CC" -x c - -o /dev/null <probe.txt
quiet_ok "-z noexecstack probe" "$L" "$LI_CC" -Werror -xc - \
  -Wl,-z,noexecstack -o /dev/null <probe.txt

step "-x c -c /dev/null (kbuild's cc-option)"
quiet_ok "/dev/null probe" "$L" "$LI_CC" -Werror -c -x c /dev/null -o null.o

step "-E from stdin is the compiler's own output"
printf '#define X 42\nint x = X;\n' >pp.txt
"$LI_CC" -x c -E - <pp.txt >plain.i
"$L" "$LI_CC" -x c -E - <pp.txt >launcher.i || fail "-E from stdin"
cmp plain.i launcher.i || fail "-E from stdin differs from the compiler's"

step "-x c on sources, compiled and linked"
quiet_ok "-x c solo.c" "$L" "$LI_CC" -x c solo.c -o solo
cp solo.c solo.inc
quiet_ok "-x c solo.inc" "$L" "$LI_CC" -x c solo.inc -o solo_inc
for p in solo solo_inc; do
  nm $p | grep -q ' LI_SITE' || fail "$p is not instrumented"
  rm -rf "out_$p" && mkdir "out_$p"
  (cd "out_$p" && LOCKINSTR_QUIET=1 "../$p") || fail "$p does not run"
done
check_profile out_solo --expect solo.c
check_profile out_solo_inc --expect solo.inc

step "stdin and a source in one command"
echo 'void helper(void) {}' >helper.txt
quiet_ok "stdin + lock.c" "$L" "$LI_CC" -x c - lock.c -o mixed <helper.txt
nm mixed | grep -q ' LI_SITE' || fail "mixed: lock.c is not instrumented"
nm mixed | grep -q ' T helper$' || fail "mixed: stdin's helper is missing"
mkdir out_mixed && (cd out_mixed && LOCKINSTR_QUIET=1 ../mixed) ||
  fail "mixed does not run"
check_profile out_mixed --expect lock.c

step "a response file with -x c inside"
printf -- "-x c\n'solo.c' -o rsp_prog\n" >args.rsp
quiet_ok "@args.rsp" "$L" "$LI_CC" -O1 @args.rsp
nm rsp_prog | grep -q ' LI_SITE' || fail "rsp_prog is not instrumented"
mkdir out_rsp && (cd out_rsp && LOCKINSTR_QUIET=1 ../rsp_prog) ||
  fail "rsp_prog does not run"
check_profile out_rsp --expect solo.c
step "calls left uninstrumented: one warning with the count and the first"
cat >fp.c <<'SRC'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int (*lockp)(pthread_mutex_t *) = pthread_mutex_lock;
int (*unlockp)(pthread_mutex_t *) = pthread_mutex_unlock;
int main(void) { lockp(&m); return unlockp(&m); }
SRC
"$L" "$LI_CC" -c fp.c -o fp.o 2>fp.err || { cat fp.err; fail "fp.c"; }
[ "$(wc -l <fp.err)" = 1 ] || { cat fp.err; fail "fp.c: not one line"; }
grep -q '^lockinstr-cc: warning: fp.c: 2 lock calls not instrumented (first: fp.c:3:35: address of pthread_mutex_lock taken' fp.err ||
  { cat fp.err; fail "fp.c: no warning with the count and the first call"; }
echo "launcher_probe: OK"
