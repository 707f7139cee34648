#!/bin/sh
# run.sh — tests of the configuration file (.lockinstr) and of the exclusion
# options (docs/configuration.md). Registered with CTest by CMakeLists.txt;
# each test runs in its own scratch directory under $WORK, which is made a
# git work tree root (a `.git` directory) so that discovery never climbs out
# of it into the developer's own directories.
#
#   run.sh golden P              project P (custom/, kinds/ or hdr/)
#                                instrumented, compared byte for byte with
#                                P/*.expected.c, its header copies with
#                                P/*.expected.h (or, for a header with
#                                nothing to rewrite, the header itself), and
#                                its --verbose notes with P/notes.expected
#   run.sh compile P CC          P's goldens (with its golden header copies)
#                                compiled with CC -Wall -Wextra -Werror (also
#                                with -DLOCKINSTR_DISABLE)
#   run.sh run CC                custom/'s goldens compiled with CC, linked
#                                with the runtime and run; the profile's
#                                counts checked exactly (profile.py)
#   run.sh run-hdr CC            the same for hdr/: calls in project headers
#   run.sh sem CC                semaphores, built in and configured
#   run.sh wrap CC               wrap/: lock wrappers as real programs write
#                                them, run; exact counts (wrap/check.py)
#   run.sh hdr-runs              hdr/ instrumented one file per run gives
#                                the same header copies; --list-sites
#   run.sh regen                 rewrites the goldens: review the diff!
#   run.sh exclude-glob | exclude-function | exclude-profile | cli |
#          discovery | defaults | defaults-output | warnings | errors |
#          cond-timed
#
# Environment: LOCKINSTR (the tool), LOCKINSTR_INCLUDE (include/),
# LOCKINSTR_LIB (liblockinstr.a), WORK (scratch base), PYTHON (python3),
# LINK_FLAGS (extra link flags, e.g. the runtime's sanitizers).
set -eu

SRC=$(cd "$(dirname "$0")" && pwd)
: "${LOCKINSTR:?}" "${WORK:?}"
PYTHON=${PYTHON:-python3}
unset LOCKINSTR_SAMPLE_RATE LOCKINSTR_OUTPUT LOCKINSTR_QUIET LOCKINSTR_DISABLE \
  LOCKINSTR_EXCLUDE LOCKINSTR_INTERVAL LOCKINSTR_SIGNAL

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# scratch NAME: a fresh directory, the root of a pretend repository; cd there.
scratch() {
  d="$WORK/$1"
  rm -rf "$d"
  mkdir -p "$d/.git"
  cd "$d"
}

# expect_file FILE TEXT: FILE holds exactly TEXT (printf format, no args).
expect_file() {
  # shellcheck disable=SC2059 # the expected text is the format
  printf "$2" >expected.txt
  cmp -s "$1" expected.txt || {
    diff -u expected.txt "$1" >&2 || true
    fail "$1 differs from the expected text"
  }
}

# A small program with one lock call, written to $1.
lock_file() {
  mkdir -p "$(dirname "$1")"
  cat >"$1" <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int take(void) { return pthread_mutex_lock(&m) || pthread_mutex_unlock(&m); }
C
}

# is_instrumented FILE / is_copy FILE ORIGINAL [NAME]: FILE is ORIGINAL
# after `#line 1 "NAME"` (default: ORIGINAL)
is_instrumented() {
  grep -q 'lockinstr_pthread_mutex_lock(&LI_SITE\[0\], &m)' "$1" ||
    fail "$1 is not instrumented"
}
is_copy() {
  { printf '#line 1 "%s"\n' "${3:-$2}" && cat "$2"; } >copy.expected
  cmp -s "$1" copy.expected || fail "$1 is not a copy of $2 after its #line"
}

# ---- the custom-API projects -------------------------------------------

# project_copy P: a copy of project P (without its goldens) in ./P.
project_copy() {
  mkdir "$1"
  cp "$SRC/$1"/*.c "$SRC/$1"/*.h "$SRC/$1/.lockinstr" "$1/"
  rm -f "$1"/*.expected.c "$1"/*.expected.h
}

# headers P: the project's headers, by name.
headers() {
  for f in "$SRC/$1"/*.h; do
    case $f in *.expected.h) ;; *) basename "$f" ;; esac
  done
}

# header_golden P H: the golden copy of header H of project P.
header_golden() {
  if [ -f "$SRC/$1/${2%.h}.expected.h" ]; then
    echo "$SRC/$1/${2%.h}.expected.h"
  else
    echo "$SRC/$1/$2"
  fi
}

# golden_tree P DIR: P's golden outputs and header copies under their own
# names in DIR, so that quoted includes find the golden copies.
golden_tree() {
  mkdir -p "$2"
  for f in $(sources "$1"); do cp "$SRC/$1/${f%.c}.expected.c" "$2/$f"; done
  for h in $(headers "$1"); do cp "$(header_golden "$1" "$h")" "$2/$h"; done
}

# sources P: the project's C files, by name.
sources() {
  for f in "$SRC/$1"/*.c; do
    case $f in *.expected.c) ;; *) basename "$f" ;; esac
  done
}

# Instruments project P as a user would, from its own directory.
project_instrument() {
  # shellcheck disable=SC2046 # file names have no blanks
  (cd "$1" && "$LOCKINSTR" --verbose $(sources "$1") -o out 2>../stderr.txt) || {
    cat stderr.txt >&2
    fail "lockinstr exited non-zero on project $1"
  }
}

golden() {
  scratch "golden-$1"
  project_copy "$1"
  project_instrument "$1"
  for f in $(sources "$1"); do
    b=${f%.c}
    cmp "$1/out/$f" "$SRC/$1/$b.expected.c" || {
      diff -u "$SRC/$1/$b.expected.c" "$1/out/$f" >&2 || true
      fail "$1/$f: output differs from $1/$b.expected.c"
    }
  done
  for h in $(headers "$1"); do
    g=$(header_golden "$1" "$h")
    cmp "$1/out/$h" "$g" || {
      diff -u "$g" "$1/out/$h" >&2 || true
      fail "$1/$h: header copy differs from $g"
    }
  done
  grep 'note:' stderr.txt >notes.txt || true
  cmp notes.txt "$SRC/$1/notes.expected" || {
    diff -u "$SRC/$1/notes.expected" notes.txt >&2 || true
    fail "--verbose notes differ from $1/notes.expected"
  }
}

regen() {
  for p in custom kinds hdr; do
    (
      scratch "regen-$p"
      project_copy "$p"
      project_instrument "$p"
      for f in $(sources "$p"); do cp "$p/out/$f" "$SRC/$p/${f%.c}.expected.c"; done
      for h in $(headers "$p"); do
        if cmp -s "$p/out/$h" "$p/$h"; then
          rm -f "$SRC/$p/${h%.h}.expected.h"
        else
          cp "$p/out/$h" "$SRC/$p/${h%.h}.expected.h"
        fi
      done
      grep 'note:' stderr.txt >"$SRC/$p/notes.expected" || true
    )
    echo "regenerated $p/*.expected.[ch] and $p/notes.expected"
  done
}

# compile P CC: every golden of P builds warning-free, also as plain calls.
compile() {
  cc=$3
  scratch "compile-$2-$(basename "$cc")"
  golden_tree "$2" g
  for f in $(sources "$2"); do
    for d in "" -DLOCKINSTR_DISABLE; do
      # shellcheck disable=SC2086 # $d: empty or one word
      "$cc" -Wall -Wextra -Werror $d -I"$LOCKINSTR_INCLUDE" \
        -c "g/$f" -o out.o ||
        fail "$cc $d does not compile $2/${f%.c}.expected.c"
    done
  done
}

# run CC: the custom project's goldens run, and the profile is exact.
run() {
  cc=$2
  scratch "run-$(basename "$cc")"
  project_copy custom
  for f in custom uvx; do
    "$cc" -Wall -Wextra -Werror -Icustom -I"$LOCKINSTR_INCLUDE" \
      -c "$SRC/custom/$f.expected.c" -o "$f.o" ||
      fail "$cc does not compile $f.expected.c"
  done
  # shellcheck disable=SC2086 # LINK_FLAGS: several words
  "$cc" ${LINK_FLAGS:-} custom.o uvx.o "$LOCKINSTR_LIB" -lpthread -lm -o prog ||
    fail "$cc does not link the custom project"
  LOCKINSTR_OUTPUT=profile.json LOCKINSTR_QUIET=1 ./prog >stdout.txt ||
    fail "the custom program failed"
  grep -q '^stats: trylock_taken=1000$' stdout.txt || fail "program: $(cat stdout.txt)"
  "$PYTHON" "$SRC/profile.py" custom profile.json
  # sampling off: the same exact counts through the inline fast path
  LOCKINSTR_SAMPLE_RATE=0 LOCKINSTR_OUTPUT=profile0.json LOCKINSTR_QUIET=1 \
    ./prog >stdout.txt || fail "the custom program failed at rate 0"
  "$PYTHON" "$SRC/profile.py" custom profile0.json 0
}

# run-hdr CC: hdr/'s goldens and golden header copies run; the calls in
# queue.h's helpers and macros are sites with exact counts (profile.py hdr).
run_hdr() {
  cc=$2
  scratch "run-hdr-$(basename "$cc")"
  golden_tree hdr g
  for f in $(sources hdr); do
    "$cc" -Wall -Wextra -Werror -I"$LOCKINSTR_INCLUDE" -c "g/$f" \
      -o "${f%.c}.o" || fail "$cc does not compile hdr/${f%.c}.expected.c"
  done
  # shellcheck disable=SC2046,SC2086 # LINK_FLAGS: several words
  "$cc" ${LINK_FLAGS:-} $(sources hdr | sed 's/\.c$/.o/') "$LOCKINSTR_LIB" \
    -lpthread -lm -o prog || fail "$cc does not link the hdr project"
  LOCKINSTR_OUTPUT=profile.json LOCKINSTR_QUIET=1 ./prog >stdout.txt ||
    fail "the hdr program failed"
  expect_file stdout.txt 'queue: 7\n'
  "$PYTHON" "$SRC/profile.py" hdr profile.json
  LOCKINSTR_SAMPLE_RATE=0 LOCKINSTR_OUTPUT=profile0.json LOCKINSTR_QUIET=1 \
    ./prog >stdout.txt || fail "the hdr program failed at rate 0"
  "$PYTHON" "$SRC/profile.py" hdr profile0.json 0
}

# wrap CC: the wrappers of wrap/ (no lock argument, no try, a returned
# lock, a lock family, a library's wrapper named by a global) instrumented,
# built with CC and run at sample rates 100, 1 and 0; check.py checks
# every site exactly. ext.c is a library lockinstr does not see.
wrap() {
  cc=$2
  scratch "wrap-$(basename "$cc")"
  cp "$SRC/wrap/.lockinstr" "$SRC/wrap"/*.c "$SRC/wrap"/*.h .
  "$LOCKINSTR" --quiet main.c impl.c -o out || fail "lockinstr failed"
  cp ext.c out/
  for f in main impl ext; do
    "$cc" -Wall -Wextra -Werror -I. -I"$LOCKINSTR_INCLUDE" -c "out/$f.c" \
      -o "$f.o" || fail "out/$f.c does not compile with $cc"
  done
  # shellcheck disable=SC2086 # LINK_FLAGS: several words
  "$cc" ${LINK_FLAGS:-} main.o impl.o ext.o "$LOCKINSTR_LIB" -lpthread -lm \
    -o prog || fail "the wrap project does not link"
  for rate in 100 1 0; do
    LOCKINSTR_SAMPLE_RATE=$rate LOCKINSTR_OUTPUT=p$rate.json \
      LOCKINSTR_QUIET=1 ./prog || fail "the wrap program failed at rate $rate"
    "$PYTHON" "$SRC/wrap/check.py" p$rate.json main.c
  done
}

# sem CC: POSIX semaphores (built in) and a configured uv_sem-like API:
# exact waits, contentions, try failures, timeouts and posts; no hold, no
# lock-order edge (a mutex is held around the waits), no unlock_not_held
# (posts come from another thread).
sem() {
  cc=$2
  scratch "sem-$(basename "$cc")"
  printf '[api my_sem_wait]\nkind = semwait\ntry = my_sem_trywait\n[api my_sem_trywait]\nkind = semtry\n[api my_sem_post]\nkind = sempost\n' >.lockinstr
  cat >my.h <<'C'
#include <semaphore.h>
typedef struct { sem_t s; } my_sem_t;
void my_sem_wait(my_sem_t *m);
int my_sem_trywait(my_sem_t *m); /* 0, or -1: no unit */
void my_sem_post(my_sem_t *m);
C
  cat >impl.c <<'C'
#include "my.h"
void my_sem_wait(my_sem_t *m) { sem_wait(&m->s); }
int my_sem_trywait(my_sem_t *m) { return sem_trywait(&m->s); }
void my_sem_post(my_sem_t *m) { sem_post(&m->s); }
C
  cat >main.c <<'C'
#include <pthread.h>
#include <time.h>
#include "my.h"
static sem_t s;
static my_sem_t ms;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
/* glibc keeps a semaphore's waiters in the high half of its first word */
static int has_waiter(sem_t *x) {
  return __atomic_load_n((unsigned long long *)(void *)x, __ATOMIC_SEQ_CST) >> 32 != 0;
}
static void *poster(void *arg) {
  (void)arg;
  while (!has_waiter(&s))
    ;
  sem_post(&s); /* S poster */
  return NULL;
}
int main(void) {
  pthread_t t;
  struct timespec ts;
  sem_init(&s, 0, 2);
  sem_init(&ms.s, 0, 0);
  pthread_mutex_lock(&mu); /* S mu_lock */
  for (int i = 0; i < 2; i++)
    sem_wait(&s); /* S wait */
  if (sem_trywait(&s) == 0) /* S trywait */
    return 1;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  if (sem_timedwait(&s, &ts) == 0) /* S timedwait */
    return 1;
  pthread_create(&t, NULL, poster, NULL);
  sem_wait(&s); /* S contended */
  pthread_join(t, NULL);
  for (int i = 0; i < 3; i++)
    sem_post(&s); /* S post */
  my_sem_post(&ms); /* S my_post */
  my_sem_wait(&ms); /* S my_wait */
  if (my_sem_trywait(&ms) == 0) /* S my_trywait */
    return 1;
  pthread_mutex_unlock(&mu); /* S mu_unlock */
  return 0;
}
C
  "$LOCKINSTR" --quiet main.c impl.c -o out || fail "lockinstr failed"
  for f in main impl; do
    "$cc" -Wall -Wextra -Werror -I. -I"$LOCKINSTR_INCLUDE" -c "out/$f.c" \
      -o "$f.o" || fail "out/$f.c does not compile with $cc"
  done
  # shellcheck disable=SC2086
  "$cc" ${LINK_FLAGS:-} main.o impl.o "$LOCKINSTR_LIB" -lpthread -lm -o prog
  LOCKINSTR_SAMPLE_RATE=1 LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT=p.json ./prog ||
    fail "the program failed"
  "$PYTHON" - <<'PY'
import json, sys
prof = json.load(open("p.json"))
lines = {l.split("/* S ")[1].split(" ")[0]: n
         for n, l in enumerate(open("main.c"), 1) if "/* S " in l}
sites = {s["line"]: s for s in prof["sites"]}
if sorted(sites) != sorted(lines.values()) or any(
        s["file"] != "main.c" for s in prof["sites"]):
    sys.exit(f"FAIL: sites {sorted((s['file'], s['line']) for s in prof['sites'])}")
# name: api, kind, acquisitions, releases, contentions, try failures,
#       timeouts, waits, hold samples
want = {
    "mu_lock": ("pthread_mutex_lock", "acquire", 1, 0, 0, 0, 0, 0, 1),
    "wait": ("sem_wait", "semwait", 2, 0, 0, 0, 0, 0, 0),
    "trywait": ("sem_trywait", "semtry", 0, 0, 0, 1, 0, 0, 0),
    "timedwait": ("sem_timedwait", "semwait", 0, 0, 0, 0, 1, 0, 0),
    "contended": ("sem_wait", "semwait", 1, 0, 1, 0, 0, 1, 0),
    "poster": ("sem_post", "sempost", 0, 1, 0, 0, 0, 0, 0),
    "post": ("sem_post", "sempost", 0, 3, 0, 0, 0, 0, 0),
    "my_post": ("my_sem_post", "sempost", 0, 1, 0, 0, 0, 0, 0),
    "my_wait": ("my_sem_wait", "semwait", 1, 0, 0, 0, 0, 0, 0),
    "my_trywait": ("my_sem_trywait", "semtry", 0, 0, 0, 1, 0, 0, 0),
    "mu_unlock": ("pthread_mutex_unlock", "release", 0, 1, 0, 0, 0, 0, 0),
}
for name, w in want.items():
    s = sites[lines[name]]
    got = (s["api"], s["kind"], s["acquisitions"], s["releases"],
           s["contentions"], s["try_failures"], s["timeouts"],
           s["wait"]["count"], s["hold"]["samples"])
    if got != w:
        sys.exit(f"FAIL: main.c:{lines[name]} ({name}): {got}, want {w}")
if prof["lock_order"]["edges"]:
    sys.exit(f"FAIL: lock-order edges {prof['lock_order']['edges']}")
if prof["dropped"]["unlock_not_held"]:
    sys.exit("FAIL: unlock_not_held")
PY
}

# hdr-runs: one input per run (as the launcher and CMake run lockinstr)
# writes the same header copies as the batch; --list-sites names the
# custom API and kind of a header's sites.
hdr_runs() {
  scratch hdr-runs
  project_copy hdr
  cd hdr
  for f in $(sources hdr); do
    "$LOCKINSTR" --quiet "$f" -o "one-$f" || fail "lockinstr $f failed"
    for h in queue.h spin.h; do
      [ ! -e "one-$f/$h" ] || cmp "one-$f/$h" "$(header_golden hdr "$h")" ||
        fail "$h from a run over $f alone differs from the batch's"
    done
  done
  [ -e one-a.c/queue.h ] && [ -e one-b.c/queue.h ] ||
    fail "no copy of queue.h from a.c or b.c alone"
  # shellcheck disable=SC2046
  "$LOCKINSTR" --quiet --list-sites $(sources hdr) -o out >sites.json ||
    fail "lockinstr --list-sites failed"
  "$PYTHON" - <<'PY'
import json, sys
got = sorted((s["file"], s["line"], s["api"], s["kind"], s["macro"])
             for s in json.load(open("sites.json"))["sites"])
# each macro call also has its unattributed site (line 0)
want = [("a.c", 0, "spin_lock", "ACQUIRE", "QUEUE_LOCK"),
        ("a.c", 0, "spin_unlock", "RELEASE", "QUEUE_UNLOCK"),
        ("a.c", 9, "spin_lock", "ACQUIRE", "QUEUE_LOCK"),
        ("a.c", 11, "spin_unlock", "RELEASE", "QUEUE_UNLOCK"),
        ("queue.h", 0, "spin_lock", "ACQUIRE", "QUEUE_LOCK"),
        ("queue.h", 0, "spin_unlock", "RELEASE", "QUEUE_UNLOCK"),
        ("queue.h", 17, "spin_lock", "ACQUIRE", ""),
        ("queue.h", 19, "spin_unlock", "RELEASE", ""),
        ("queue.h", 24, "spin_lock", "ACQUIRE", "QUEUE_LOCK"),
        ("queue.h", 26, "spin_unlock", "RELEASE", "QUEUE_UNLOCK"),
        ("queue.h", 39, "spin_lock", "ACQUIRE", ""),
        ("queue.h", 41, "spin_unlock", "RELEASE", "")]
if got != want:
    sys.exit(f"FAIL: --list-sites {got}, want {want}")
PY
}

# ---- exclusions ------------------------------------------------------------

# Path globs: a directory (vendor/**), a file pattern in one directory
# (third_party/*.c), a bare name matching at any depth (generated.c).
exclude_glob() {
  scratch exclude-glob
  printf '[exclude]\npath = vendor/**\npath = third_party/*.c\npath = generated.c\n' >.lockinstr
  for f in src/a.c vendor/lib/v.c third_party/t.c third_party/sub/deep.c \
    src/gen/generated.c; do lock_file "$f"; done
  mkdir -p vendor/inc && printf 'int vendored(void);\n' >vendor/inc/v.h
  printf '#include "../inc/v.h"\n' >>vendor/lib/v.c
  "$LOCKINSTR" --verbose src/a.c vendor/lib/v.c third_party/t.c \
    third_party/sub/deep.c src/gen/generated.c -o out 2>err.txt ||
    { cat err.txt >&2; fail "lockinstr exited non-zero"; }
  is_instrumented out/src/a.c
  is_instrumented out/third_party/sub/deep.c # `*` does not cross '/'
  is_copy out/third_party/t.c third_party/t.c
  is_copy out/src/gen/generated.c src/gen/generated.c
  # copied unchanged but for its quoted include, re-pointed as in any output
  sed 's|"../inc/v.h"|"../../../vendor/inc/v.h"|' vendor/lib/v.c >v.expected
  is_copy out/vendor/lib/v.c v.expected vendor/lib/v.c
  grep -q '^lockinstr: vendor/lib/v.c: excluded by .lockinstr:2; copied unchanged$' err.txt ||
    { cat err.txt >&2; fail "no --verbose line for the excluded vendor/lib/v.c"; }
  grep -q '^lockinstr: third_party/t.c: excluded by .lockinstr:3; copied unchanged$' err.txt ||
    fail "no --verbose line for third_party/t.c"
  grep -q '^lockinstr: 4 sites in 2 of 5 files; 0 not instrumented$' err.txt ||
    { cat err.txt >&2; fail "summary"; }
  # a project header under an excluded directory is left alone too: no
  # instrumented copy, its includer points at the original
  cat >vendor/inc/vl.h <<'C'
#include <pthread.h>
static inline int vlock(pthread_mutex_t *m) { return pthread_mutex_lock(m); }
C
  printf '#include "../vendor/inc/vl.h"\nint g(pthread_mutex_t *m) { return vlock(m); }\n' >src/b.c
  "$LOCKINSTR" --verbose src/b.c -o out2 2>err.txt || fail "lockinstr failed"
  [ ! -e out2/vendor/inc/vl.h ] || fail "an instrumented copy of the excluded vendor/inc/vl.h"
  grep -q '^#include "../../vendor/inc/vl.h"$' out2/src/b.c ||
    fail "src/b.c does not include the original vendor/inc/vl.h"
  grep -q "^vendor/inc/vl.h:2:54: note: not instrumented: call to pthread_mutex_lock in function 'vlock'" err.txt ||
    { cat err.txt >&2; fail "the excluded header's call is not listed"; }
}

# Functions: exact names and globs; the calls are listed with --verbose.
exclude_function() {
  scratch exclude-function
  printf '[exclude]\nfunction = debug_*\nfunction = slow_path\n' >.lockinstr
  cat >f.c <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void debug_dump(void) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); }
void slow_path(void) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); }
void fast_path(void) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); }
C
  "$LOCKINSTR" --verbose f.c -o out 2>err.txt || fail "lockinstr failed"
  expect_file err.txt 'lockinstr: f.c: 2 sites -> out/f.c
f.c:3:25: note: not instrumented: call to pthread_mutex_lock in function '"'"'debug_dump'"'"', excluded by .lockinstr:2
f.c:3:49: note: not instrumented: call to pthread_mutex_unlock in function '"'"'debug_dump'"'"', excluded by .lockinstr:2
f.c:4:24: note: not instrumented: call to pthread_mutex_lock in function '"'"'slow_path'"'"', excluded by .lockinstr:3
f.c:4:48: note: not instrumented: call to pthread_mutex_unlock in function '"'"'slow_path'"'"', excluded by .lockinstr:3
lockinstr: 2 sites in 1 of 1 files; 4 not instrumented
'
  grep -q '^void debug_dump(void) { pthread_mutex_lock(&m); pthread_mutex_unlock(&m); }$' out/f.c ||
    fail "debug_dump was rewritten"
  grep -q 'lockinstr_pthread_mutex_lock(&LI_SITE\[0\], &m);.*"fast_path"' out/f.c ||
    grep -q '^void fast_path(void) { lockinstr_pthread_mutex_lock(&LI_SITE\[0\], &m);' out/f.c ||
    fail "fast_path was not rewritten"
}

# --exclude, --exclude-function, --config, --no-config.
cli() {
  scratch cli
  printf '[exclude]\npath = b.c\n' >.lockinstr
  lock_file a.c
  lock_file b.c
  lock_file sub/c.c
  cat >d.c <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
void skip_me(void) { pthread_mutex_lock(&m); }
void keep_me(void) { pthread_mutex_unlock(&m); }
C
  "$LOCKINSTR" --quiet --exclude 'sub/**' --exclude-function skip_me \
    a.c b.c sub/c.c d.c -o out || fail "lockinstr failed"
  is_instrumented out/a.c
  is_copy out/b.c b.c         # from .lockinstr: the file and the flags add up
  is_copy out/sub/c.c sub/c.c # from --exclude
  grep -q '^void skip_me(void) { pthread_mutex_lock(&m); }$' out/d.c ||
    fail "--exclude-function skip_me: the call was rewritten"
  grep -q '^void keep_me(void) { lockinstr_pthread_mutex_unlock(&LI_SITE\[0\], &m); }$' out/d.c ||
    fail "keep_me was not rewritten"
  # an absolute glob is matched against the absolute path
  rm -rf out
  "$LOCKINSTR" --quiet --exclude "$PWD/a.c" a.c -o out || fail "lockinstr failed"
  is_copy out/a.c a.c
  # --no-config: .lockinstr is not read
  rm -rf out
  "$LOCKINSTR" --quiet --no-config b.c -o out || fail "lockinstr failed"
  is_instrumented out/b.c
  # --config FILE: that file for every input, instead of discovery
  printf '[exclude]\npath = a.c\n' >other.conf
  rm -rf out
  "$LOCKINSTR" --quiet --config other.conf a.c b.c -o out || fail "lockinstr failed"
  is_copy out/a.c a.c
  is_instrumented out/b.c
  # --verbose names the flag that excluded a file
  rm -rf out
  "$LOCKINSTR" --verbose --no-config --exclude a.c a.c -o out 2>err.txt
  grep -q '^lockinstr: a.c: excluded by --exclude; copied unchanged$' err.txt ||
    { cat err.txt >&2; fail "--verbose does not name --exclude"; }
}

# Excluded code runs but is not profiled: a vendored file and a function.
exclude_profile() {
  scratch exclude-profile
  printf '[exclude]\npath = vendor/**\nfunction = noisy\n' >.lockinstr
  mkdir vendor
  cat >vendor/v.c <<'C'
#include <pthread.h>
static pthread_mutex_t vm = PTHREAD_MUTEX_INITIALIZER;
void vendored(void) {
  for (int i = 0; i < 3; i++)
    pthread_mutex_lock(&vm), pthread_mutex_unlock(&vm);
}
C
  cat >main.c <<'C'
#include <pthread.h>
void vendored(void);
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void noisy(void) {
  for (int i = 0; i < 5; i++)
    pthread_mutex_lock(&m), pthread_mutex_unlock(&m);
}
int main(void) {
  noisy();
  vendored();
  pthread_mutex_lock(&m);
  return pthread_mutex_unlock(&m);
}
C
  "$LOCKINSTR" --quiet main.c vendor/v.c -o out || fail "lockinstr failed"
  is_copy out/vendor/v.c vendor/v.c
  cc=${CC_GCC:-gcc}
  for f in main vendor/v; do
    "$cc" -Wall -Wextra -Werror -I"$LOCKINSTR_INCLUDE" -c "out/$f.c" \
      -o "$(basename "$f").o" || fail "out/$f.c does not compile"
  done
  # shellcheck disable=SC2086
  "$cc" ${LINK_FLAGS:-} main.o v.o "$LOCKINSTR_LIB" -lpthread -lm -o prog
  LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT=p.json ./prog || fail "the program failed"
  "$PYTHON" - <<'PY'
import json, sys
sites = json.load(open("p.json"))["sites"]
got = sorted((s["file"], s["line"], s["function"], s["api"], s["acquisitions"],
              s["releases"]) for s in sites)
want = [("main.c", 11, "main", "pthread_mutex_lock", 1, 0),
        ("main.c", 12, "main", "pthread_mutex_unlock", 0, 1)]
if got != want:
    sys.exit(f"FAIL: sites {got}, want only {want}")
PY
}

# Custom condition waits and timed calls at run time: the waits go to the
# site's cond histogram, a timed call on a held lock is a timeout.
cond_timed() {
  scratch cond-timed
  printf '[api my_lock]\nkind = acquire\n[api my_unlock]\nkind = release\n[api my_cond_wait]\nkind = condtimedwait\nlock = 2\n[api my_timedlock]\nkind = timed\n' >.lockinstr
  cat >my.h <<'C'
#include <pthread.h>
void my_lock(pthread_mutex_t *m);
void my_unlock(pthread_mutex_t *m);
int my_cond_wait(pthread_cond_t *c, pthread_mutex_t *m); /* times out */
int my_timedlock(pthread_mutex_t *m, long ms);
C
  cat >impl.c <<'C'
#include "my.h"
#include <time.h>
static struct timespec later(long ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += ms * 1000000L;
  t.tv_sec += t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}
void my_lock(pthread_mutex_t *m) { pthread_mutex_lock(m); }
void my_unlock(pthread_mutex_t *m) { pthread_mutex_unlock(m); }
int my_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  struct timespec t = later(1);
  int rc;
  do /* nobody signals: only a spurious wake-up returns 0 */
    rc = pthread_cond_timedwait(c, m, &t);
  while (rc == 0);
  return rc;
}
int my_timedlock(pthread_mutex_t *m, long ms) {
  struct timespec t = later(ms);
  return pthread_mutex_timedlock(m, &t);
}
C
  cat >main.c <<'C'
#include "my.h"
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER, held = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t b1, b2;
static void *holder(void *arg) { /* holds `held` while main tries it */
  (void)arg;
  pthread_mutex_lock(&held);
  pthread_barrier_wait(&b1);
  pthread_barrier_wait(&b2);
  pthread_mutex_unlock(&held);
  return 0;
}
int main(void) {
  pthread_t t;
  int timedout;
  my_lock(&mu);
  for (int i = 0; i < 3; i++)
    my_cond_wait(&cv, &mu);
  my_unlock(&mu);
  pthread_barrier_init(&b1, 0, 2);
  pthread_barrier_init(&b2, 0, 2);
  pthread_create(&t, 0, holder, 0);
  pthread_barrier_wait(&b1);
  timedout = my_timedlock(&held, 5) != 0;
  pthread_barrier_wait(&b2);
  pthread_join(t, 0);
  return !timedout;
}
C
  "$LOCKINSTR" --quiet main.c impl.c -o out || fail "lockinstr failed"
  cc=${CC_GCC:-gcc}
  for f in main impl; do
    "$cc" -Wall -Wextra -Werror -I. -I"$LOCKINSTR_INCLUDE" -c "out/$f.c" \
      -o "$f.o" || fail "out/$f.c does not compile"
  done
  # shellcheck disable=SC2086
  "$cc" ${LINK_FLAGS:-} main.o impl.o "$LOCKINSTR_LIB" -lpthread -lm -o prog
  LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT=p.json ./prog || fail "the program failed"
  "$PYTHON" - <<'PY'
import json, sys
sites = {(s["line"], s["api"]): s for s in json.load(open("p.json"))["sites"]
         if s["file"] == "main.c"}
def check(line, api, **want):
    s = sites.get((line, api))
    if s is None:
        sys.exit(f"FAIL: no {api} site at main.c:{line}: {sorted(sites)}")
    got = {k: (s[k]["count"] if k == "cond" else s[k]) for k in want}
    if got != want:
        sys.exit(f"FAIL: main.c:{line} {api}: {got}, want {want}")
check(16, "my_lock", acquisitions=1)
check(18, "my_cond_wait", kind="condtimedwait", acquisitions=3, releases=0,
      cond=3, timeouts=3)
check(19, "my_unlock", releases=1)
check(24, "my_timedlock", kind="timed", acquisitions=0, timeouts=1)
PY
}

# The nearest .lockinstr above each file; never above a .git directory.
discovery() {
  scratch discovery
  printf '[exclude]\npath = deep/x.c\n' >.lockinstr # the repository's
  mkdir -p deep mod/sub outer/repo/.git outer/repo/src
  lock_file deep/x.c
  lock_file mod/sub/y.c
  lock_file mod/sub/z.c
  printf '[exclude]\npath = sub/y.c\n' >mod/.lockinstr # nearer for mod/**
  printf '[exclude]\npath = **\n' >outer/.lockinstr    # above another .git
  lock_file outer/repo/src/w.c
  "$LOCKINSTR" --quiet deep/x.c mod/sub/y.c mod/sub/z.c outer/repo/src/w.c \
    -o out || fail "lockinstr failed"
  is_copy out/deep/x.c deep/x.c             # found two levels up
  is_copy out/mod/sub/y.c mod/sub/y.c       # the nearest file wins ...
  is_instrumented out/mod/sub/z.c           # ... and only it applies
  is_instrumented out/outer/repo/src/w.c    # discovery stopped at repo/.git
  # run from another directory: discovery follows the file, not the cwd
  mkdir elsewhere && cd elsewhere
  "$LOCKINSTR" --quiet --root .. ../deep/x.c -o ../out2 || fail "lockinstr failed"
  is_copy ../out2/deep/x.c ../deep/x.c
}

# [runtime] sample_rate reaches the program; the environment still wins.
defaults() {
  scratch defaults
  printf '[runtime]\nsample_rate = 7\n' >.lockinstr
  cat >p.c <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int main(void) { return pthread_mutex_lock(&m) || pthread_mutex_unlock(&m); }
C
  "$LOCKINSTR" --quiet p.c -o out || fail "lockinstr failed"
  cc=${CC_GCC:-gcc}
  "$cc" -Wall -Wextra -Werror -I"$LOCKINSTR_INCLUDE" -c out/p.c -o p.o ||
    fail "the output does not compile"
  # shellcheck disable=SC2086
  "$cc" ${LINK_FLAGS:-} p.o "$LOCKINSTR_LIB" -lpthread -lm -o p
  LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT=a.json ./p
  LOCKINSTR_QUIET=1 LOCKINSTR_OUTPUT=b.json LOCKINSTR_SAMPLE_RATE=3 ./p
  "$PYTHON" - <<'PY'
import json, sys
a = json.load(open("a.json"))["sample_rate"]
b = json.load(open("b.json"))["sample_rate"]
if (a, b) != (7, 3):
    sys.exit(f"FAIL: sample_rate {a} (config 7), {b} (environment 3)")
PY
}

# output and quiet no longer warn: the only line is the run's summary.
warnings() {
  scratch warnings
  printf '[runtime]\noutput = prof/%%p.json\nquiet = yes\n' >.lockinstr
  lock_file a.c
  "$LOCKINSTR" a.c -o out 2>err.txt || fail "lockinstr failed"
  expect_file err.txt "lockinstr: 2 sites in 1 of 1 files; 0 not instrumented
"
  is_instrumented out/a.c
}

# [runtime] output and quiet reach the program (the exit profile is written
# at the configured pattern, no summary); LOCKINSTR_OUTPUT and
# LOCKINSTR_QUIET still win. A pattern with a quote and a backslash is
# carried into the generated C string intact.
defaults_output() {
  scratch defaults_output
  printf '[runtime]\noutput = prof/%%e-"q\\x".%%p.json\nquiet = yes\n' \
    >.lockinstr
  cat >p.c <<'C'
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int main(void) { return pthread_mutex_lock(&m) || pthread_mutex_unlock(&m); }
C
  "$LOCKINSTR" --quiet p.c -o out || fail "lockinstr failed"
  grep -F 'lockinstr_set_default_output("prof/%e-\"q\\x\".%p.json");' out/p.c \
    >/dev/null || fail "out/p.c does not set the configured output"
  grep -F 'lockinstr_set_default_quiet(1);' out/p.c >/dev/null ||
    fail "out/p.c does not set the configured quiet"
  cc=${CC_GCC:-gcc}
  "$cc" -Wall -Wextra -Werror -I"$LOCKINSTR_INCLUDE" -c out/p.c -o p.o ||
    fail "the output does not compile"
  # shellcheck disable=SC2086
  "$cc" ${LINK_FLAGS:-} p.o "$LOCKINSTR_LIB" -lpthread -lm -o p
  mkdir prof
  # 1. environment unset: the configured pattern, no summary
  ./p 2>err1.txt || fail "p failed"
  expect_file err1.txt ""
  n=$(ls prof | wc -l)
  [ "$n" -eq 1 ] || fail "prof/ holds $n files, not 1"
  f=$(ls prof)
  case "$f" in
  'p-"q\x".'[0-9]*.json) ;;
  *) fail "profile written as prof/$f, not prof/p-\"q\\x\".PID.json" ;;
  esac
  ls ./*.json 2>/dev/null && fail "a profile at the built-in default path"
  "$PYTHON" - "prof/$f" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
n = sum(s["acquisitions"] for s in p["sites"] if s["api"] == "pthread_mutex_lock")
if (p["reason"], p["program"], n) != ("exit", "p", 1):
    sys.exit(f"FAIL: {sys.argv[1]}: reason {p['reason']}, program {p['program']}, {n} locks")
PY
  rm -f prof/*
  # 2. LOCKINSTR_OUTPUT and LOCKINSTR_QUIET=0 win
  LOCKINSTR_OUTPUT=env.json LOCKINSTR_QUIET=0 ./p 2>err2.txt || fail "p failed"
  [ -f env.json ] || fail "no profile at LOCKINSTR_OUTPUT=env.json"
  [ -z "$(ls prof)" ] || fail "a profile at the configured path despite LOCKINSTR_OUTPUT"
  grep -F "lockinstr: profile written to env.json" err2.txt >/dev/null ||
    fail "no summary despite LOCKINSTR_QUIET=0: $(cat err2.txt)"
}

# ---- errors ----------------------------------------------------------------

# bad CONFIG-TEXT EXPECTED-STDERR: exit 2, exactly that on stderr, no output.
bad() {
  # shellcheck disable=SC2059 # the configuration text is the format
  printf "$1" >.lockinstr
  rc=0
  "$LOCKINSTR" a.c -o out 2>err.txt || rc=$?
  [ "$rc" = 2 ] || fail "exit status $rc for $(head -c 60 .lockinstr), want 2"
  expect_file err.txt "$2"
  [ ! -e out ] || fail "output written despite a bad configuration"
}

errors() {
  scratch errors
  lock_file a.c
  E='lockinstr: .lockinstr'
  bad 'x = 1\n' "$E:1: error: 'x' is outside a section ([exclude], [runtime], [api NAME])\n"
  bad '[exclude]\npath\n' "$E:2: error: expected 'key = value'\n"
  bad '[exclude]\n = a.c\n' "$E:2: error: expected 'key = value'\n"
  bad '[exclude]\npath =\n' "$E:2: error: 'path' needs a value\n"
  bad '[exclude]\npath =   # nothing\n' "$E:2: error: 'path' needs a value\n"
  bad '[exclude\n' "$E:1: error: expected '[section]'\n"
  bad '[exclude] x\n' "$E:1: error: expected '[section]'\n"
  bad '[excludes]\npath = a\n' "$E:1: error: unknown section [excludes] (sections: [exclude], [runtime], [api NAME])\n"
  bad '[exclude]\nfile = a.c\n' "$E:2: error: unknown key 'file' in [exclude] (keys: path, function)\n"
  bad '[exclude]\npath = ../x.c\n' "$E:2: error: path glob '../x.c' has a '..' component: globs are relative to the directory of the configuration file\n"
  bad '[exclude]\nfunction = a-b\n' "$E:2: error: function 'a-b' is not a function name (letters, digits, _ and the glob characters * ? [ ])\n"
  bad '[runtime]\nsample_rate = lots\n' "$E:2: error: sample_rate 'lots' is not a whole number from 0 (off) to 1000000000\n"
  bad '[runtime]\nsample_rate = 1000000001\n' "$E:2: error: sample_rate '1000000001' is not a whole number from 0 (off) to 1000000000\n"
  bad '[runtime]\nquiet = maybe\n' "$E:2: error: quiet 'maybe' is not a boolean (1/0, yes/no, true/false, on/off)\n"
  bad '[runtime]\nsample_rate = 1\nsample_rate = 2\n' "$E:3: error: 'sample_rate' is set twice in [runtime] (first at line 2)\n"
  long=$(printf '%04096d' 0)
  bad "[runtime]\noutput = $long\n" "$E:2: error: output is longer than 4095 bytes\n"
  bad '[runtime]\nrate = 1\n' "$E:2: error: unknown key 'rate' in [runtime] (keys: sample_rate, output, quiet)\n"
  bad '[api 1lock]\nkind = acquire\n' "$E:1: error: '1lock' is not a function name\n"
  bad '[api pthread_mutex_lock]\nkind = acquire\n' "$E:1: error: 'pthread_mutex_lock' is a built-in lock API; it cannot be redefined\n"
  bad '[api l]\nkind = acquire\n[api l]\nkind = release\n' "$E:3: error: [api l] is defined twice (first at .lockinstr:1)\n"
  bad '[api l]\nlock = 1\n' "$E:1: error: [api l] has no kind (acquire, try, timed, release, condwait, condtimedwait, init, destroy, semwait, semtry, sempost)\n"
  bad '[api l]\nkind = lock\n' "$E:2: error: unknown kind 'lock' (kinds: acquire, try, timed, release, condwait, condtimedwait, init, destroy, semwait, semtry, sempost)\n"
  bad '[api l]\nkind = acquire\nkind = release\n' "$E:3: error: 'kind' is set twice in [api l] (first at line 2)\n"
  bad '[api l]\nkind = acquire\nlock = 0\n' "$E:3: error: lock '0' is not an argument number from 1 to 16, none, return or global NAME\n"
  bad '[api l]\nkind = acquire\nlock = global 1x\n' "$E:3: error: lock 'global 1x' is not an argument number from 1 to 16, none, return or global NAME\n"
  bad '[api l]\nkind = release\nlock = return\n' "$E:1: error: [api l]: 'lock = return' is only for kind acquire, timed, try or init\n"
  bad '[api l]\nkind = condwait\nlock = none\n' "$E:1: error: [api l]: a lock that is no argument is only for kind acquire, timed, try or release\n"
  bad '[api l]\nkind = acquire\nlock = return\ntry = t\n' "$E:1: error: [api l]: 'try' needs the lock before the call: a lock argument or 'lock = global NAME'\n"
  bad '[api l]\nkind = acquire\nclass = a-b\n' "$E:3: error: class 'a-b' is not a lock class name (letters, digits, _ . [ ] and blanks)\n"
  bad '[api l]\nkind = acquire\nsuccess = yes\n' "$E:3: error: unknown success convention 'yes' (zero, nonzero, void, thrd, nonnull)\n"
  bad '[api l]\nkind = acquire\nmode = shared\n' "$E:3: error: unknown mode 'shared' (excl, read, write)\n"
  bad '[api l]\nkind = acquire\nowner = me\n' "$E:3: error: unknown key 'owner' in [api l] (keys: kind, lock, success, mode, try, try_success, class)\n"
  bad '[api l]\nkind = acquire\ntry = l\n' "$E:3: error: try function 'l' is not a function name other than l\n"
  bad '[api l]\nkind = try\nsuccess = void\n' "$E:1: error: [api l]: a try call must return its outcome (success = zero, nonzero or thrd)\n"
  bad '[api l]\nkind = release\ntry = t\n' "$E:1: error: [api l]: 'try' is only for kind acquire, timed or semwait\n"
  bad '[api l]\nkind = acquire\nsuccess = nonzero\ntry = t\n' "$E:1: error: [api l]: 'try' needs an acquire that returns void, zero or thrd_success on success\n"
  bad '[api l]\nkind = acquire\ntry_success = zero\n' "$E:1: error: [api l]: 'try_success' without 'try'\n"
  bad '[api l]\nkind = acquire\ntry = t\ntry_success = void\n' "$E:1: error: [api l]: a try function must return its outcome (try_success = zero, nonzero or thrd)\n"
  # every error of a file is reported, in order
  bad '[bad]\n[exclude]\nnope = 1\n' "$E:1: error: unknown section [bad] (sections: [exclude], [runtime], [api NAME])
$E:3: error: unknown key 'nope' in [exclude] (keys: path, function)\n"
  # --config names the file as given; an unreadable one is an error too
  rc=0
  "$LOCKINSTR" --config missing.conf a.c -o out 2>err.txt || rc=$?
  [ "$rc" = 2 ] || fail "exit status $rc for a missing --config"
  expect_file err.txt "lockinstr: missing.conf: error: cannot read the configuration: No such file or directory\n"
  [ ! -e out ] || fail "output written despite a missing --config"
}

case "${1:-}" in
golden) golden "$2" ;;
compile) compile "$@" ;;
run) run "$@" ;;
run-hdr) run_hdr "$@" ;;
wrap) wrap "$@" ;;
sem) sem "$@" ;;
hdr-runs) hdr_runs ;;
regen) regen ;;
exclude-glob) exclude_glob ;;
exclude-function) exclude_function ;;
exclude-profile) exclude_profile ;;
cond-timed) cond_timed ;;
cli) cli ;;
discovery) discovery ;;
defaults) defaults ;;
warnings) warnings ;;
defaults-output) defaults_output ;;
errors) errors ;;
*)
  echo "usage: run.sh golden P|compile P CC|run CC|run-hdr CC|hdr-runs|regen|exclude-glob|exclude-function|exclude-profile|cond-timed|cli|discovery|defaults|defaults-output|warnings|errors" >&2
  exit 2
  ;;
esac
