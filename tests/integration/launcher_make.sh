#!/bin/sh
# launcher_make.sh — lockinstr-cc with a plain Makefile project (makeproj/):
#   make CC="lockinstr-cc $CC" builds, the program runs and its profile has
#   the queue's sites; the .d files name the original sources and the
#   rebuild after touching a header works; -E, --version and assembly pass
#   through untouched; a syntax error fails with the compiler's own
#   diagnostics and status; a file lockinstr cannot parse (GNU nested
#   function) is compiled unchanged with one warning, and is an error with
#   --strict and with LOCKINSTR_STRICT=1; a rewrite that does not compile
#   falls back to the original; autoconf conftest.c files are
#   not instrumented; a shared library and the program linking it, both
#   instrumented, write one profile with the sites of both.
. "$LI_TEST_SRC/lib.sh"
fresh_work
cp -R "$LI_TEST_SRC/makeproj" proj
cd proj
L=$LI_LAUNCHER

step "make CC=\"lockinstr-cc $LI_CC\""
make CC="$L $LI_CC" >make1.log 2>&1 || { cat make1.log; fail "make"; }
cat make1.log
grep -q "warning" make1.log && fail "the build printed warnings"
has_lockinstr_refs obj/queue.o || fail "obj/queue.o is not instrumented"
LOCKINSTR_QUIET=1 ./app || fail "app failed"
check_profile . --expect src/queue.c --min-acq 2000

step ".d files name the original sources"
grep -q '^obj/queue.o: src/queue.c ' obj/queue.d ||
  { cat obj/queue.d; fail "obj/queue.d does not start with obj/queue.o: src/queue.c"; }
grep -q 'src/queue.h' obj/queue.d || fail "obj/queue.d lacks src/queue.h"
grep -q 'include/qconf.h' obj/queue.d || fail "obj/queue.d lacks include/qconf.h"
if grep -q 'lockinstr-cc\.' obj/*.d; then
  cat obj/*.d
  fail "a .d file names the launcher's temporary directory"
fi
step "debug info names the original source, never the temporary copy"
readelf --debug-dump=info,line obj/queue.o >dwarf.txt
grep -q 'DW_AT_name.*/src/queue\.c$' dwarf.txt || fail "DW_AT_name is not src/queue.c"
grep -q 'lockinstr-cc\.' dwarf.txt && fail "debug info names the temporary directory"
step "touching src/queue.h rebuilds both objects, through the .d files"
sleep 1
touch src/queue.h
make CC="$L $LI_CC" >make2.log 2>&1 || { cat make2.log; fail "make after touch"; }
grep -q 'obj/queue.o' make2.log && grep -q 'obj/main.o' make2.log ||
  { cat make2.log; fail "touching src/queue.h did not rebuild both objects"; }

step "-E prints the plain preprocessed source"
"$LI_CC" -Iinclude -DQUEUE_CAP=8 -E src/queue.c >plain.i
"$L" "$LI_CC" -Iinclude -DQUEUE_CAP=8 -E src/queue.c >launcher.i
cmp plain.i launcher.i || fail "-E output differs from the compiler's"
grep -q 'lockinstr_' launcher.i && fail "-E output is instrumented"

step "--version and -dumpversion pass through"
[ "$("$L" "$LI_CC" --version)" = "$("$LI_CC" --version)" ] ||
  fail "--version differs"
[ "$("$L" "$LI_CC" -dumpversion)" = "$("$LI_CC" -dumpversion)" ] ||
  fail "-dumpversion differs"

if [ "$(uname -m)" = x86_64 ]; then
  step "assembly passes through"
  "$L" "$LI_CC" -c extra/add.S -o add.o 2>asm.err || { cat asm.err; fail "add.S"; }
  [ ! -s asm.err ] || { cat asm.err; fail "add.S printed something"; }
  nm add.o | grep -q 'T li_add' || fail "add.o lacks li_add"
fi

step "a syntax error: the compiler's diagnostics and exit status"
set +e
"$LI_CC" -c extra/syntax.c -o syntax-plain.o 2>plain.err
plain_rc=$?
"$L" "$LI_CC" -c extra/syntax.c -o syntax.o 2>launcher.err
rc=$?
set -e
cat launcher.err
[ $plain_rc -ne 0 ] || fail "the compiler accepted extra/syntax.c"
[ $rc -eq $plain_rc ] || fail "exit status $rc, the compiler's is $plain_rc"
grep -q 'extra/syntax.c:[0-9]*:[0-9]*: error' launcher.err ||
  fail "no compiler diagnostic pointing at extra/syntax.c"
grep -q 'lockinstr-cc' launcher.err && fail "the launcher added to the diagnostics"
[ ! -e syntax.o ] || fail "syntax.o was produced"

if command -v gcc >/dev/null 2>&1; then
  step "a file lockinstr cannot rewrite: one warning, compiled unchanged"
  "$L" gcc -c extra/nested.c -o nested.o 2>nested.err || {
    cat nested.err
    fail "extra/nested.c did not compile through the launcher"
  }
  cat nested.err
  [ "$(grep -c 'lockinstr-cc: warning: extra/nested.c: not instrumented' nested.err)" = 1 ] ||
    fail "expected exactly one warning for extra/nested.c"
  [ "$(wc -l <nested.err)" = 1 ] || fail "more than the one warning line"
  has_lockinstr_refs nested.o && fail "nested.o is instrumented?"
  nm nested.o | grep -q 'U pthread_mutex_lock' || fail "nested.o lacks its lock call"

  step "--strict: the same file is an error"
  rm -f nested.o
  set +e
  "$L" --strict gcc -c extra/nested.c -o nested.o 2>strict.err
  rc=$?
  LOCKINSTR_STRICT=1 "$L" gcc -c extra/nested.c -o nested.o 2>strict2.err
  rc2=$?
  set -e
  cat strict.err
  [ $rc -ne 0 ] || fail "--strict did not fail"
  [ $rc2 -ne 0 ] || fail "LOCKINSTR_STRICT=1 did not fail"
  grep -q 'lockinstr-cc: error: extra/nested.c' strict.err || fail "--strict: no error line"
  grep -q 'lockinstr-cc: error: extra/nested.c' strict2.err ||
    fail "LOCKINSTR_STRICT=1: no error line"
  [ ! -e nested.o ] || fail "--strict still produced nested.o"
fi

step "the rewriter's output does not compile: the original is, one warning"
cat >badtool.sh <<'EOC'
#!/bin/sh
# A rewriter with a bug: its output does not compile. It is run from the
# project top with a relative source; the output is OUTDIR/<the source's
# path under the root>.
while [ $# -gt 0 ]; do
  case $1 in -o) out=$2; shift 2 ;; --root) root=$2; shift 2 ;;
  --header-dir|--config) shift 2 ;;
  --) break ;; -*) shift ;; *) src=$1; shift ;; esac
done
rel=$(pwd -P)/$src
rel=${rel#"$root"/}
mkdir -p "$(dirname "$out/$rel")"
{ echo '#error "a broken rewrite"'; cat "$src"; } >"$out/$rel"
EOC
chmod +x badtool.sh
LOCKINSTR_TOOL=$PWD/badtool.sh "$L" "$LI_CC" -Iinclude -DQUEUE_CAP=8 \
  -c src/queue.c -o bad.o 2>bad.err || { cat bad.err; fail "not compiled unchanged"; }
cat bad.err
[ "$(wc -l <bad.err)" = 1 ] || fail "expected exactly one line on stderr"
grep -q 'lockinstr-cc: warning: src/queue.c: not instrumented, compiled unchanged (the instrumented file did not compile: .*broken rewrite' bad.err ||
  fail "no warning naming the failed instrumented compile"
has_lockinstr_refs bad.o && fail "bad.o is instrumented?"
set +e
LOCKINSTR_TOOL=$PWD/badtool.sh "$L" "$LI_CC" -c extra/syntax.c -o s.o 2>bad2.err
rc=$?
set -e
[ $rc -eq $plain_rc ] || fail "exit status $rc, the compiler's is $plain_rc"
grep -q 'broken rewrite' bad2.err && fail "diagnostics of the rewritten file were shown"
grep -q 'extra/syntax.c:[0-9]*:[0-9]*: error' bad2.err || fail "the original's diagnostics are missing"

step "conftest.c (autoconf) is compiled and linked unchanged"
"$L" "$LI_CC" -c extra/conftest.c -o conftest.o || fail "conftest.c -c"
has_lockinstr_refs conftest.o && fail "conftest.o is instrumented"
"$L" "$LI_CC" -o conftest extra/conftest.c -lpthread || fail "conftest link"
./conftest || fail "conftest does not run"

step "compile and link in one step instruments the source"
"$L" "$LI_CC" -Iinclude -DQUEUE_CAP=8 -o app1 src/main.c src/queue.c || fail "one-step build"
rm -f lockinstr.*.json
LOCKINSTR_QUIET=1 ./app1 || fail "app1 failed"
check_profile . --expect src/queue.c --min-acq 2000
step "a shared library and its program, both instrumented: one profile"
mkdir -p shl
cat >shl/lib.c <<'EOC'
#include <pthread.h>
static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
int lib_work(void) {
  pthread_mutex_lock(&lib_lock);
  pthread_mutex_unlock(&lib_lock);
  return 1;
}
EOC
cat >shl/main.c <<'EOC'
#include <pthread.h>
int lib_work(void);
static pthread_mutex_t main_lock = PTHREAD_MUTEX_INITIALIZER;
int main(void) {
  pthread_mutex_lock(&main_lock);
  pthread_mutex_unlock(&main_lock);
  return lib_work() - 1;
}
EOC
(cd shl && "$L" "$LI_CC" -fPIC -shared -o libw.so lib.c &&
  "$L" "$LI_CC" -o app main.c -L. -lw && LOCKINSTR_QUIET=1 LD_LIBRARY_PATH=. ./app) ||
  fail "shared library build"
check_profile shl --expect lib.c --expect main.c
echo "PASS"
