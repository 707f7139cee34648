#!/bin/sh
# run.sh — the rewriter's golden and behaviour tests (registered with CTest by
# CMakeLists.txt; each test runs in its own scratch directory).
#
#   run.sh golden NAME          instrument NAME.c, compare with NAME.expected.c
#                               byte for byte (and stderr of --verbose with
#                               NAME.stderr.expected if present)
#   run.sh compile NAME CC      compile NAME.expected.c with CC and
#                               OUTPUT_WARNINGS: no warning that NAME.c
#                               does not have itself (none for a clean
#                               input); link it with the runtime
#   run.sh regen [NAME...]      rewrite NAME.expected.c (and .stderr.expected)
#                               from the current tool: review the diff!
#   run.sh diag | parse-error | compdb | basename | refuse | outside-root |
#          list-apis | list-sites | list-sites-utf8 | jobs | idempotent-output | macro-lines |
#          header-input | header-star-dir | macro-notes | call-notes
#   run.sh c89                  c89.c instrumented, built with -std=c89 (= -ansi)
#                               and -std=gnu89 -pedantic -Werror, then run
#   run.sh bare-words           the same for bare_words.c, which #defines
#                               the table's words (ACQUIRE, EXCL, ZERO...)
#   run.sh stringify-run        stringify.c built and run: prints the same
#                               (#x of lock calls), counts each call
#   run.sh macro-nesting-run    macro_nesting.c built and run: the counts
#                               of nested macro uses, gcc and clang
#
# Environment: LOCKINSTR (the tool), LOCKINSTR_INCLUDE (include/),
# LOCKINSTR_LIB (liblockinstr.a), WORK (scratch base directory),
# DOCS (the docs directory), CC_GCC and CC_CLANG (the two compilers),
# LINK_FLAGS (extra link flags, e.g. the runtime's sanitizers).
set -eu

SRC=$(cd "$(dirname "$0")" && pwd)
: "${LOCKINSTR:?}" "${WORK:?}"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# scratch NAME: a fresh directory holding copies of the test's inputs; cd there.
scratch() {
  d="$WORK/$1"
  rm -rf "$d"
  mkdir -p "$d"
  cd "$d"
}

# headers: the test headers (not their goldens), one per line.
headers() {
  for h in "$SRC"/*.h; do
    case $h in *.expected.h) ;; *) echo "$h" ;; esac
  done
}

# inputs NAME: copies NAME.c and the local headers it may include.
inputs() {
  cp "$SRC/$1.c" .
  for h in $(headers); do cp "$h" .; done
}

# header_golden H: the golden of header copy H (a basename): H.expected.h
# if the copy is instrumented, else the header itself (copied unchanged).
header_golden() {
  g="$SRC/$(basename "$1" .h).expected.h"
  [ -f "$g" ] && echo "$g" || echo "$SRC/$1"
}

# instrument NAME: runs the tool as a user would, with relative paths.
instrument() {
  "$LOCKINSTR" --verbose "$1.c" -o out 2>stderr.txt || {
    cat stderr.txt >&2
    fail "lockinstr exited $? on $1.c"
  }
}

golden() {
  scratch "golden-$1"
  inputs "$1"
  instrument "$1"
  cmp "out/$1.c" "$SRC/$1.expected.c" || {
    diff -u "$SRC/$1.expected.c" "out/$1.c" >&2 || true
    fail "$1: output differs from $1.expected.c"
  }
  for h in out/*.h; do # the project headers it includes: copied
    [ -e "$h" ] || continue
    g=$(header_golden "$(basename "$h")")
    cmp "$h" "$g" || {
      diff -u "$g" "$h" >&2 || true
      fail "$1: header copy $h differs from $(basename "$g")"
    }
  done
  if [ -f "$SRC/$1.stderr.expected" ]; then
    cmp stderr.txt "$SRC/$1.stderr.expected" || {
      diff -u "$SRC/$1.stderr.expected" stderr.txt >&2 || true
      fail "$1: --verbose messages differ from $1.stderr.expected"
    }
  fi
}

regen() {
  # shellcheck disable=SC2046 # golden names have no blanks
  [ $# -gt 0 ] || set -- $(cd "$SRC" && for f in ./*.expected.c; do basename "$f" .expected.c; done)
  for n in "$@"; do
    (
      scratch "regen-$n"
      inputs "$n"
      instrument "$n"
      cp "out/$n.c" "$SRC/$n.expected.c"
      for h in out/*.h; do
        [ -e "$h" ] || continue
        b=$(basename "$h" .h)
        if cmp -s "$h" "$SRC/$b.h"; then rm -f "$SRC/$b.expected.h"; else cp "$h" "$SRC/$b.expected.h"; fi
      done
      if grep -q "note: not instrumented" stderr.txt; then
        cp stderr.txt "$SRC/$n.stderr.expected"
      fi
    )
    echo "regenerated $n"
  done
}

# link_main DIR: a main() for a golden file that has none.
link_main() {
  printf 'int main(void) { return 0; }\n' >"$1/li_main.c"
}

# The warnings rewritten code must not add (issue 24): a file that compiles
# clean with them compiles clean instrumented, header copies included.
OUTPUT_WARNINGS="-Wall -Wextra -Wredundant-decls -Wshadow -Wstrict-prototypes
  -Wmissing-prototypes -Wmissing-declarations -Wcast-qual -Wundef -Wpedantic"

# warnings CC FILE OUT [FLAGS...]: compiles FILE (in the current directory)
# with OUTPUT_WARNINGS; writes its warnings, sorted, to OUT. Fails if it
# does not compile.
warnings() {
  wcc=$1 wfile=$2 wout=$3
  shift 3
  # shellcheck disable=SC2086 # OUTPUT_WARNINGS: several words
  "$wcc" $OUTPUT_WARNINGS "$@" -c "$wfile" -o "${wfile%.c}.o" 2>"$wout.all" ||
    { cat "$wout.all" >&2; return 1; }
  grep 'warning:' "$wout.all" | sort -u >"$wout" || true
}

compile() {
  cc=$2
  scratch "compile-$1-$(basename "$cc")"
  mkdir out
  for h in $(headers); do # originals, and the copies next to the output
    cp "$h" .
    cp "$(header_golden "$(basename "$h")")" "out/$(basename "$h")"
  done
  cp "$SRC/$1.c" .
  cp "$SRC/$1.expected.c" "out/$1.c" # named as its #line names it
  link_main .
  warnings "$cc" "$1.c" in.txt || fail "$1: $cc does not compile the input"
  (cd out && warnings "$cc" "$1.c" ../out.txt -I"$LOCKINSTR_INCLUDE") ||
    fail "$1: $cc does not compile the output"
  comm -13 in.txt out.txt >new.txt
  [ ! -s new.txt ] || { cat new.txt >&2; fail "$1: $cc warns about the output, not the input"; }
  "$cc" -c li_main.c -o li_main.o
  # shellcheck disable=SC2086 # LINK_FLAGS: several words
  "$cc" ${LINK_FLAGS:-} "out/$1.o" li_main.o "$LOCKINSTR_LIB" -lpthread -lm -o linked ||
    fail "$1: $cc does not link the output with the runtime"
}

# A compiler diagnostic in an instrumented file points at the original line.
diag() {
  scratch diag
  cat >diag.c <<'SRC'
#include <pthread.h>
pthread_mutex_t dl = PTHREAD_MUTEX_INITIALIZER;
int f(void) {
  pthread_mutex_lock(&dl);
  int unused_here = 0;
  return pthread_mutex_unlock(&dl);
}
SRC
  "$LOCKINSTR" diag.c -o out 2>/dev/null
  "${CC_GCC:-gcc}" -Wall -I"$LOCKINSTR_INCLUDE" -c out/diag.c -o /dev/null 2>gcc.txt || true
  grep -q '^diag.c:5:7: warning: unused variable .unused_here' gcc.txt ||
    { cat gcc.txt >&2; fail "gcc diagnostic does not point at diag.c:5:7"; }
  "${CC_CLANG:-clang-14}" -Wall -I"$LOCKINSTR_INCLUDE" -c out/diag.c -o /dev/null 2>clang.txt || true
  grep -q '^diag.c:5:7: warning: unused variable .unused_here' clang.txt ||
    { cat clang.txt >&2; fail "clang diagnostic does not point at diag.c:5:7"; }
}

# A file that does not parse: its diagnostics, no output, the others written.
parse_error() {
  scratch parse-error
  printf '#include <pthread.h>\nint good(pthread_mutex_t *m) { return pthread_mutex_lock(m); }\n' >good.c
  printf '#include <pthread.h>\nint bad(pthread_mutex_t *m) {\n  return pthread_mutex_lock(m) +;\n}\n' >bad.c
  rc=0
  "$LOCKINSTR" bad.c good.c -o out 2>err.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit status $rc, want 1"
  grep -q '^bad.c:3:33: error: expected expression' err.txt ||
    { cat err.txt >&2; fail "no compiler diagnostic for bad.c:3:33"; }
  [ ! -e out/bad.c ] || fail "out/bad.c written for a file that does not parse"
  grep -q 'lockinstr_pthread_mutex_lock(&LI_SITE\[0\], m)' out/good.c ||
    fail "good.c not instrumented next to a failing file"
  [ -z "$(find out -name '.lockinstr-tmp*')" ] || fail "temporary file left"
}

# -p BUILDDIR: flags from compile_commands.json, with gcc-only flags,
# relative include paths and a definition the file needs.
compdb() {
  scratch compdb
  mkdir -p src/inc build
  printf '#define CFG_LOCK pthread_mutex_t\n' >src/inc/cfg.h
  cat >src/a.c <<'SRC'
#ifndef NEEDED
#error NEEDED comes from compile_commands.json
#endif
#include <pthread.h>
#include <cfg.h>
CFG_LOCK cl = PTHREAD_MUTEX_INITIALIZER;
int a(void) { return pthread_mutex_lock(&cl); }
SRC
  cat >build/compile_commands.json <<JSON
[{"directory": "$PWD/src",
  "command": "/usr/bin/gcc -DNEEDED=1 -Iinc -O2 -fno-tree-vrp -Wno-stringop-overflow -fanalyzer -Werror -MD -MF a.d -c -o a.o a.c",
  "file": "a.c"}]
JSON
  "$LOCKINSTR" -p build src/a.c -o out 2>err.txt ||
    { cat err.txt >&2; fail "lockinstr -p failed"; }
  grep -q 'lockinstr_pthread_mutex_lock(&LI_SITE\[0\], &cl)' out/src/a.c ||
    fail "src/a.c not instrumented with flags from compile_commands.json"
  rc=0
  "$LOCKINSTR" src/a.c -o out2 2>err2.txt || rc=$?
  if [ "$rc" != 1 ] || ! grep -q 'NEEDED comes from' err2.txt; then
    fail "without -p the file must fail (the test would prove nothing)"
  fi
}

# Two files with the same name in two directories do not collide.
basename_() {
  scratch basename
  mkdir -p one two
  for d in one two; do
    printf '#include <pthread.h>\npthread_mutex_t %s_l;\nint util_%s(void) { return pthread_mutex_lock(&%s_l); }\n' \
      $d $d $d >$d/util.c
  done
  "$LOCKINSTR" one/util.c two/util.c -o out 2>/dev/null
  grep -q '"one/util.c", "util_one", "&one_l"' out/one/util.c || fail "out/one/util.c"
  grep -q '"two/util.c", "util_two", "&two_l"' out/two/util.c || fail "out/two/util.c"
}

# The tool never writes over its inputs.
refuse() {
  scratch refuse
  printf '#include <pthread.h>\npthread_mutex_t r;\nint f(void) { return pthread_mutex_lock(&r); }\n' >r.c
  cp r.c r.orig
  rc=0
  "$LOCKINSTR" r.c -o . 2>err.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit status $rc, want 1"
  grep -q 'refusing to write over the input' err.txt || fail "no refusal message"
  cmp r.c r.orig || fail "input overwritten"
}

# An input outside the root is an error, not a file written outside OUTDIR.
outside_root() {
  scratch outside-root
  mkdir -p root other
  printf 'int x;\n' >other/o.c
  rc=0
  "$LOCKINSTR" --root root other/o.c -o out 2>err.txt || rc=$?
  [ "$rc" = 1 ] || fail "exit status $rc, want 1"
  grep -q 'other/o.c: error: not under the root' err.txt || fail "no error message"
  [ ! -e out ] || [ -z "$(find out -type f)" ] || fail "something was written"
}

# docs/supported-apis.md is exactly what --list-apis prints.
list_apis() {
  scratch list-apis
  "$LOCKINSTR" --list-apis >apis.md
  cmp apis.md "$DOCS/supported-apis.md" ||
    fail "docs/supported-apis.md is stale: lockinstr --list-apis > docs/supported-apis.md"
  grep -c '^| `' apis.md | grep -qx 38 || fail "not one row per table API"
}

# --list-sites prints the sites as JSON.
list_sites() {
  scratch list-sites
  cp "$SRC/macros.c" .
  "$LOCKINSTR" --list-sites --quiet macros.c >sites.json
  grep -q '"class": "struct account.lock"' sites.json || fail "class missing"
  if grep -q '"macro": "WITH_LOCK"' sites.json; then
    fail "a site's macro must be the innermost one (LOCK, not WITH_LOCK)"
  fi
  grep -q '"in_macro": true' sites.json || fail "in_macro missing"
  grep -q '"reason": "address of pthread_mutex_unlock taken' sites.json ||
    fail "not_instrumented missing"
  [ ! -e out ] || fail "--list-sites without -o wrote files"
}

# A site whose file name is not valid UTF-8 is listed (jansson refuses
# such strings), with each bad byte as U+FFFD, as the runtime's profile
# names it (issue 20, item 8).
list_sites_utf8() {
  scratch list-sites-utf8
  bad=$(printf 'l\351.c')
  printf '#include <pthread.h>\npthread_mutex_t um = PTHREAD_MUTEX_INITIALIZER;\nint main(void) {\n  pthread_mutex_lock(&um);\n  return pthread_mutex_unlock(&um);\n}\n' >"$bad"
  "$LOCKINSTR" --list-sites --quiet "$bad" -o out >sites.json ||
    fail "lockinstr --list-sites failed"
  want=$(printf '"file": "l\357\277\275.c"')
  [ "$(grep -cF "$want" sites.json)" = 2 ] ||
    { cat sites.json >&2; fail "the two sites are not listed with l<U+FFFD>.c"; }
  # shellcheck disable=SC2086 # LINK_FLAGS: several words
  "$CC_GCC" -I"$LOCKINSTR_INCLUDE" "out/$bad" ${LINK_FLAGS:-} "$LOCKINSTR_LIB" \
    -lpthread -lm -o p || fail "does not build"
  LOCKINSTR_OUTPUT=prof.json LOCKINSTR_QUIET=1 ./p || fail "does not run"
  [ "$(grep -c '"file":"l\\ufffd.c"' prof.json)" = 2 ] ||
    fail "the profile names the file otherwise"
}

# -j: many files on many threads give the same bytes as one at a time.
jobs() {
  scratch jobs
  for n in apis_pthread contexts lockexprs macros crlf bom; do
    cp "$SRC/$n.c" .
  done
  for h in $(headers); do cp "$h" .; done
  files="apis_pthread.c contexts.c lockexprs.c macros.c crlf.c bom.c"
  # shellcheck disable=SC2086 # a list of plain names
  "$LOCKINSTR" -j 4 $files -o par 2>/dev/null
  # shellcheck disable=SC2086
  "$LOCKINSTR" -j 1 $files -o seq 2>/dev/null
  diff -r par seq || fail "-j 4 and -j 1 differ"
  for n in apis_pthread contexts lockexprs macros crlf bom; do
    cmp "par/$n.c" "$SRC/$n.expected.c" || fail "-j 4: $n.c differs from golden"
  done
}

# Instrumenting an output again copies it unchanged, with a note.
idempotent_output() {
  scratch idempotent
  mkdir in
  cp "$SRC/contexts.expected.c" in/contexts.c
  "$LOCKINSTR" in/contexts.c -o out 2>err.txt
  cmp out/in/contexts.c in/contexts.c || fail "an instrumented file was changed"
  grep -q 'in/contexts.c: note: already instrumented; copied unchanged' err.txt ||
    fail "no note"
}

# Each use of a macro picks its own site under gcc and under clang, also
# when the use spans lines (gcc's __LINE__ is the first line, clang's the
# last). The wrappers are replaced by ones that print the site.
macro_lines() {
  scratch macro-lines
  cat >m.c <<'SRC'
#include <pthread.h>
pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, h = PTHREAD_MUTEX_INITIALIZER;
#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
#define WITH(m, stmt) do { LOCK(m); stmt; UNLOCK(m); } while (0)
int main(void) {
  LOCK(&g);
  UNLOCK(&g);
  LOCK(
    &h);
  UNLOCK(&h
  );
  WITH(&g,
       (void)0);
  return 0;
}
SRC
  mkdir stub
  cat >stub/lockinstr_pthread.h <<'SRC'
#include <pthread.h>
#include <stdio.h>
static inline int lockinstr_pthread_mutex_lock(struct lockinstr_site *s, void *l) {
  printf("lock %u:%u %s %s\n", s->line, s->column, s->expr, s->macro);
  return pthread_mutex_lock(l);
}
static inline int lockinstr_pthread_mutex_unlock(struct lockinstr_site *s, void *l) {
  printf("unlock %u:%u %s %s\n", s->line, s->column, s->expr, s->macro);
  return pthread_mutex_unlock(l);
}
SRC
  cat >want.txt <<'SRC'
lock 7:3 &g LOCK
unlock 8:3 &g UNLOCK
lock 9:3 &h LOCK
unlock 11:3 &h UNLOCK
lock 13:3 &g LOCK
unlock 13:3 &g UNLOCK
SRC
  "$LOCKINSTR" m.c -o out 2>/dev/null
  for cc in "${CC_GCC:-gcc}" "${CC_CLANG:-clang-14}"; do
    "$cc" -w -Istub -I"$LOCKINSTR_INCLUDE" out/m.c -o m -lpthread ||
      fail "$cc does not compile"
    ./m >got.txt
    cmp got.txt want.txt || { diff want.txt got.txt >&2; fail "$cc picks the wrong sites"; }
  done
}

# A header given as an input: instrumented into OUTDIR with its own guarded
# site array; the .c file's quoted include points at the instrumented copy,
# the header can be included twice, and it may call the other API group
# (C11 mtx_lock in the header, pthread calls in the .c file).
header_input() {
  scratch header-input
  mkdir -p src/inc
  cat >src/inc/q.h <<'SRC'
#ifndef Q_H
#define Q_H
#include <threads.h>
struct q { mtx_t mu; };
static inline int q_init(struct q *x) { return mtx_init(&x->mu, mtx_plain); }
static inline int q_lock(struct q *x) { return mtx_lock(&x->mu); }
#endif
SRC
  cat >src/a.c <<'SRC'
#include "inc/q.h"
#include "inc/q.h"
#include <pthread.h>
pthread_mutex_t pm = PTHREAD_MUTEX_INITIALIZER;
int main(void) {
  struct q x;
  if (q_init(&x) != thrd_success || q_lock(&x) != thrd_success)
    return 1;
  return pthread_mutex_lock(&pm);
}
SRC
  "$LOCKINSTR" src/a.c src/inc/q.h -o out 2>err.txt ||
    { cat err.txt >&2; fail "lockinstr failed"; }
  grep -q '^#include "inc/q.h"$' out/src/a.c || fail "include not kept on the copy"
  grep -q 'static struct lockinstr_site LI_SITE_src_inc_q_h\[LOCKINSTR_SITES(2)\]' out/src/inc/q.h ||
    fail "header site array"
  grep -q 'return lockinstr_mtx_lock(&LI_SITE_src_inc_q_h\[1\], &x->mu)' \
    out/src/inc/q.h || fail "header call not rewritten"
  # shellcheck disable=SC2086 # OUTPUT_WARNINGS, LINK_FLAGS: several words
  "${CC_GCC:-gcc}" $OUTPUT_WARNINGS -Werror -I"$LOCKINSTR_INCLUDE" out/src/a.c \
    ${LINK_FLAGS:-} "$LOCKINSTR_LIB" -lpthread -lm -o a || fail "does not build"
  LOCKINSTR_OUTPUT="$PWD/profile.json" ./a 2>/dev/null || fail "does not run"
  grep -q '"src/inc/q.h"' profile.json || fail "header site not in the profile"
}

# A project header under a directory named `we*`: the path goes into the
# copy's first comment, where "*/" would end the comment (the copy then
# did not compile: a bug of the header emitter, fixed by the one emitter).
header_star_dir() {
  scratch header-star-dir
  mkdir -p 'src/we*'
  cat >'src/we*/h.h' <<'SRC'
#include <pthread.h>
static inline int h_lock(pthread_mutex_t *m) { return pthread_mutex_lock(m); }
SRC
  cat >src/a.c <<'SRC'
#include "we*/h.h"
pthread_mutex_t am = PTHREAD_MUTEX_INITIALIZER;
int main(void) { return h_lock(&am) || pthread_mutex_unlock(&am); }
SRC
  "$LOCKINSTR" src/a.c -o out 2>err.txt || { cat err.txt >&2; fail "lockinstr failed"; }
  head -n 1 'out/src/we*/h.h' | grep -qF '/* lockinstr: instrumented from src/we*\/h.h; do not edit */' ||
    fail "header copy's first line: $(head -n 1 'out/src/we*/h.h')"
  grep -qF '#line 1 "src/we*/h.h"' 'out/src/we*/h.h' || fail "header copy's #line"
  for cc in "$CC_GCC" "$CC_CLANG"; do
    # shellcheck disable=SC2086 # LINK_FLAGS: several words
    "$cc" $OUTPUT_WARNINGS -Werror -I"$LOCKINSTR_INCLUDE" out/src/a.c \
      ${LINK_FLAGS:-} "$LOCKINSTR_LIB" -lpthread -lm -o a ||
      fail "the copy under we*/ does not compile with $cc"
    ./a || fail "does not run"
  done
}

# Macros defined in #if branches and in other files: the active
# definition is used (a -D flag flips it), and a note names the file that
# really defines the macro a call comes from.
macro_notes() {
  scratch macro-notes
  cp "$SRC/cond_macro_a.c" .
  mkdir sys
  printf '#include <pthread.h>\n#define EXT_LOCK(m) pthread_mutex_lock(m)\n' >sys/ext.h
  cat >n.c <<'SRC'
#include <ext.h>
#define MY_LOCK(m) EXT_LOCK(m)
pthread_mutex_t nm = PTHREAD_MUTEX_INITIALIZER;
int f(void) { return EXT_LOCK(&nm) | MY_LOCK(&nm); }
SRC
  "$LOCKINSTR" --verbose n.c -o out -- -isystem sys 2>err.txt
  grep -qF "n.c:4:22: note: not instrumented: call to pthread_mutex_lock in macro 'EXT_LOCK' defined in system header sys/ext.h" err.txt ||
    { cat err.txt >&2; fail "note for a system header's macro"; }
  grep -qF "n.c:4:38: note: not instrumented: call to pthread_mutex_lock comes from macro 'EXT_LOCK' that 'MY_LOCK' uses, defined in system header sys/ext.h" err.txt ||
    { cat err.txt >&2; fail "note for a macro using a system header's macro"; }
  "$LOCKINSTR" --verbose cond_macro_a.c -o rw -- -DNO_THREADS -DUSE_RWLOCK 2>err.txt
  grep -q '^lockinstr: cond_macro_a.c: 2 sites' err.txt || { cat err.txt >&2; fail "-D: sites"; }
  grep -qF '#define RD_LOCK(l) lockinstr_pthread_rwlock_rdlock(&LI_SITE[__LINE__ == 32 ? 0 : 1], &(l)->rw)' rw/cond_macro_a.c ||
    fail "-DUSE_RWLOCK: the rwlock branch is not the one rewritten"
  grep -qF '#define MY_LOCK(m) pthread_mutex_lock((m))' rw/cond_macro_a.c ||
    fail "-DNO_THREADS: the inactive branch was rewritten"
}

# Every lock call seen and not rewritten is noted with its true reason
# (issue 20, item 7): a call with no prototype in scope (implicitly
# declared), a name made by token pasting, a macro defined on the
# command line.
call_notes() {
  scratch call-notes
  cat >impl.c <<'SRC'
int f(void *m);
int f(void *m) { return pthread_mutex_lock(m) | mtx_unlock(m); }
SRC
  cat >cat.c <<'SRC'
#include <pthread.h>
#define CAT(a, b) a##b
#define MY_LOCK(m) LOCK(m)
void g(pthread_mutex_t *m);
void g(pthread_mutex_t *m) {
  CAT(pthread_mutex_, unlock)(m);
  LOCK(m);
  MY_LOCK(m);
}
SRC
  "$LOCKINSTR" --verbose impl.c cat.c -o out -- '-DLOCK(m)=pthread_mutex_lock(m)' 2>err.txt ||
    { cat err.txt >&2; fail "lockinstr failed"; }
  cat >want.txt <<'TXT'
cat.c:6:3: note: not instrumented: call to pthread_mutex_unlock whose name is made by token pasting (##) in macro 'CAT'
cat.c:7:3: note: not instrumented: call to pthread_mutex_lock in macro 'LOCK' defined on the command line
cat.c:8:3: note: not instrumented: call to pthread_mutex_lock comes from macro 'LOCK' that 'MY_LOCK' uses, defined on the command line
impl.c:2:25: note: not instrumented: call to pthread_mutex_lock without a declaration (implicitly declared: <pthread.h> is not included)
impl.c:2:49: note: not instrumented: call to mtx_unlock without a declaration (implicitly declared: <threads.h> is not included)
TXT
  grep ': note: ' err.txt >got.txt || true
  cmp got.txt want.txt || { diff want.txt got.txt >&2; fail "notes"; }
  grep -q '^lockinstr: 0 sites in 0 of 2 files; 5 not instrumented$' err.txt ||
    { cat err.txt >&2; fail "summary"; }
}

# strict_run NAME STD...: instruments NAME.c (an input without a golden),
# then for gcc and clang and each -std given, compiles the copy with
# -pedantic -Wall -Wextra -Werror, runs it, and compares what it prints
# with what the uninstrumented program prints; the profile must count
# acquisitions.
strict_run() {
  n=$1
  shift
  scratch "$n"
  cp "$SRC/$n.c" .
  "$LOCKINSTR" "$n.c" -o out -- -std="$1" 2>err.txt ||
    { cat err.txt >&2; fail "lockinstr failed on $n.c"; }
  for cc in "$CC_GCC" "$CC_CLANG"; do
    for std in "$@"; do
      "$cc" -std="$std" "$n.c" -lpthread -o plain ||
        fail "$n.c does not compile uninstrumented with $cc -std=$std"
      ./plain >want.txt 2>&1 || fail "$n.c: the uninstrumented program failed"
      # shellcheck disable=SC2086 # LINK_FLAGS: several words
      "$cc" -std="$std" -pedantic -Wall -Wextra -Werror \
        -I"$LOCKINSTR_INCLUDE" "out/$n.c" ${LINK_FLAGS:-} "$LOCKINSTR_LIB" \
        -lpthread -lm -o inst || fail "$n: $cc -std=$std rejects the output"
      rm -f prof.json
      LOCKINSTR_OUTPUT=prof.json LOCKINSTR_QUIET=1 ./inst >got.txt 2>&1 ||
        fail "$n: the instrumented program ($cc -std=$std) failed"
      cmp got.txt want.txt || {
        diff -u want.txt got.txt >&2 || true
        fail "$n ($cc -std=$std) prints something else when instrumented"
      }
      grep -q '"acquisitions": *4000' prof.json ||
        fail "$n ($cc -std=$std): no site with 4000 acquisitions in the profile"
    done
  done
}

# site_counts PROFILE: one line per site the run used, in profile order:
# "line:column api expr acquisitions releases try_failures".
site_counts() {
  python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["sites"]:
    print("%d:%d %s %s %d %d %d" % (s["line"], s["column"], s["api"], s["expr"],
          s["acquisitions"], s["releases"], s["try_failures"]))' "$1"
}

# run_pair NAME MAIN CC: builds NAME.c (uninstrumented, in plain/) and
# out/NAME.c (instrumented, in inst/) with main file MAIN, both named NAME
# (assert prints the program's name).
run_pair() {
  rm -rf plain inst
  mkdir plain inst
  "$3" "$1.c" "$2" -lpthread -o "plain/$1" || fail "$3: $1.c does not build"
  # shellcheck disable=SC2086 # LINK_FLAGS: several words
  "$3" -I"$LOCKINSTR_INCLUDE" "out/$1.c" "$2" ${LINK_FLAGS:-} "$LOCKINSTR_LIB" \
    -lpthread -lm -o "inst/$1" || fail "$3: out/$1.c does not build"
}

# stringify_run: stringify.c's lock calls sit in arguments that TRACE and
# assert print with #x. Built with gcc and clang, the instrumented program
# prints what the uninstrumented one prints (assert's failure message too),
# and its profile counts each call at its own line and column.
stringify_run() {
  scratch stringify-run
  cp "$SRC/stringify.c" .
  printf 'int stringify_run(int);\nint main(int argc, char **argv) {\n  (void)argv;\n  return stringify_run(argc > 1);\n}\n' >main.c
  "$LOCKINSTR" stringify.c -o out 2>err.txt || { cat err.txt >&2; fail "lockinstr failed"; }
  cat >want-counts.txt <<'TXT'
21:14 pthread_mutex_lock &a 3 0 0
22:15 pthread_mutex_trylock &b 3 0 0
23:15 pthread_mutex_unlock &b 0 3 0
24:13 pthread_mutex_unlock &a 0 3 0
27:10 pthread_mutex_lock &a 1 0 0
29:10 pthread_mutex_trylock &a 0 0 1
30:10 pthread_mutex_unlock &a 0 1 0
TXT
  for cc in "$CC_GCC" "$CC_CLANG"; do
    run_pair stringify main.c "$cc"
    (cd plain && ./stringify) >want.txt 2>&1 || fail "$cc: stringify.c failed"
    (cd inst && LOCKINSTR_OUTPUT=../prof.json LOCKINSTR_QUIET=1 ./stringify) \
      >got.txt 2>&1 || fail "$cc: out/stringify.c failed"
    cmp got.txt want.txt || { diff -u want.txt got.txt >&2 || true; fail "$cc: the instrumented program prints something else"; }
    grep -qF 'pthread_mutex_trylock(&b) == 0 && pthread_mutex_unlock(&b) == 0 = 1' got.txt ||
      fail "$cc: TRACE does not print the calls as written"
    site_counts prof.json >counts.txt
    cmp counts.txt want-counts.txt || { diff -u want-counts.txt counts.txt >&2 || true; fail "$cc: counts"; }
    (cd plain && ./stringify fail) >want.txt 2>&1 && fail "$cc: the assert did not fail"
    (cd inst && LOCKINSTR_QUIET=1 ./stringify fail) >got.txt 2>&1 && fail "$cc: the instrumented assert did not fail"
    cmp got.txt want.txt || { diff -u want.txt got.txt >&2 || true; fail "$cc: assert's message differs"; }
    grep -qF "Assertion \`pthread_mutex_trylock(&a) == 0 || !fail' failed" got.txt ||
      { cat got.txt >&2; fail "$cc: assert's message does not show the call as written"; }
  done
}

# macro_nesting_run: macro_nesting.c's nested uses of WITH over two lines.
# __LINE__ is 23 for the outer use under gcc, 24 under clang (its ')'),
# and 24 for the inner one under both: 24 is ambiguous and goes to the
# unattributed sites, and no site of line 23 counts lock b (the bug was
# lock a twice, unlock b twice, all at line 23).
macro_nesting_run() {
  scratch macro-nesting-run
  cp "$SRC/macro_nesting.c" .
  printf 'int nesting_run(void);\nint main(void) { return nesting_run() != 2; }\n' >main.c
  "$LOCKINSTR" macro_nesting.c -o out 2>err.txt || { cat err.txt >&2; fail "lockinstr failed"; }
  for cc in "$CC_GCC" "$CC_CLANG"; do
    run_pair macro_nesting main.c "$cc"
    (cd inst && LOCKINSTR_OUTPUT=../prof.json LOCKINSTR_QUIET=1 ./macro_nesting) ||
      fail "$cc: out/macro_nesting.c failed"
    site_counts prof.json | sort >counts.txt
    if [ "$cc" = "$CC_CLANG" ]; then
      cat >want.txt <<'TXT'
0:0 pthread_mutex_lock unattributed use of macro LOCK 2 0 0
0:0 pthread_mutex_unlock unattributed use of macro WITH 0 2 0
25:3 pthread_mutex_lock &b 1 0 0
25:3 pthread_mutex_unlock &b 0 1 0
TXT
    else
      cat >want.txt <<'TXT'
0:0 pthread_mutex_lock unattributed use of macro LOCK 1 0 0
0:0 pthread_mutex_unlock unattributed use of macro WITH 0 1 0
23:3 pthread_mutex_lock &a 1 0 0
23:3 pthread_mutex_unlock &a 0 1 0
25:3 pthread_mutex_lock &b 1 0 0
25:3 pthread_mutex_unlock &b 0 1 0
TXT
    fi
    cmp counts.txt want.txt || { diff -u want.txt counts.txt >&2 || true; fail "$cc: counts"; }
  done
}

cmd=$1
shift
case $cmd in
golden) golden "$@" ;;
compile) compile "$@" ;;
regen) regen "$@" ;;
diag) diag ;;
parse-error) parse_error ;;
compdb) compdb ;;
basename) basename_ ;;
refuse) refuse ;;
outside-root) outside_root ;;
list-apis) list_apis ;;
list-sites) list_sites ;;
list-sites-utf8) list_sites_utf8 ;;
jobs) jobs ;;
idempotent-output) idempotent_output ;;
macro-lines) macro_lines ;;
header-input) header_input ;;
header-star-dir) header_star_dir ;;
macro-notes) macro_notes ;;
call-notes) call_notes ;;
c89) strict_run c89 c89 gnu89 ;;
bare-words) strict_run bare_words gnu11 ;;
stringify-run) stringify_run ;;
macro-nesting-run) macro_nesting_run ;;
*) fail "unknown command $cmd" ;;
esac
