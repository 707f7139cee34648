#!/bin/sh
# dep_project.sh GENERATOR — editing a header alone re-runs the rewrite of
# lockinstr_instrument() (the rewriter's --depfile through DEPFILE), with
# GENERATOR "Ninja" or "Unix Makefiles". depproj/ has include/locks.h (a
# lock macro and a static inline lock helper, whose instrumented copy in
# OUTPUT_DIR shadows the original) used by src/main.c and src/other.c, and
# include/other.h used by src/other.c only. Checks, each with exact counts
# from the program's profile:
#   1. the first build instruments both sources; each dependency file
#      names the headers its source includes (and only those);
#   2. a rebuild with nothing changed re-runs no rewrite;
#   3. editing include/other.h re-instruments src/other.c only;
#   4. editing include/locks.h (a second lock in the helper, another lock
#      in the macro) re-instruments both sources, rewrites the header's
#      copy, and the new program's profile shows both edits;
#   5. then a rebuild with nothing changed re-runs no rewrite again.
. "$LI_TEST_SRC/lib.sh"
gen=$1
fresh_work
cp -R "$LI_TEST_SRC/depproj" src
out=build/lockinstr/app
copy=$out/include/locks.h

# build LOG: builds, keeping the output in LOG.
build() {
  "$LI_CMAKE" --build build >"$1" 2>&1 || { cat "$1"; fail "build ($1)"; }
}

# instrumented LOG FILE...: each FILE (relative to src/) was re-instrumented.
instrumented() {
  log=$1
  shift
  for f in "$@"; do
    grep -q "lockinstr: instrumenting $f\$" "$log" ||
      { cat "$log"; fail "$log: $f was not re-instrumented"; }
  done
}

# not_instrumented LOG FILE...: no FILE was re-instrumented.
not_instrumented() {
  log=$1
  shift
  for f in "$@"; do
    grep -q "lockinstr: instrumenting $f\$" "$log" &&
      { cat "$log"; fail "$log: $f was re-instrumented for nothing"; }
  done
  return 0
}

# noop LOG: nothing to do, and no rewrite re-ran.
noop() {
  if [ "$gen" = Ninja ]; then
    ninja -C build -n >"$1.n" 2>&1 || { cat "$1.n"; fail "ninja -n"; }
    grep -q 'no work to do' "$1.n" ||
      { ninja -C build -n -d explain 2>&1 | head -n 20; fail "ninja has work to do"; }
  fi
  build "$1"
  not_instrumented "$1" src/main.c src/other.c
}

# profile NAME SPEC...: runs the program, writing NAME.json; dep_profile.py.
profile() {
  p=$LI_WORK/$1.json
  shift
  (cd build && LOCKINSTR_OUTPUT=$p LOCKINSTR_QUIET=1 ./app >/dev/null) ||
    fail "app failed (wrong total)"
  python3 "$LI_TEST_SRC/dep_profile.py" "$p" "$LI_WORK/src" "$@" ||
    fail "profile $p"
}

step "configure ($gen) and build"
"$LI_CMAKE" -S src -B build -G "$gen" -DCMAKE_C_COMPILER="$LI_CC" \
  -DCMAKE_PREFIX_PATH="$LI_PREFIX" >configure.log 2>&1 ||
  { cat configure.log; fail "configure"; }
build build1.log
instrumented build1.log src/main.c src/other.c
grep -q 'lockinstr_pthread_mutex_lock(' "$copy" || fail "$copy is not instrumented"
profile p1 "include/locks.h|pthread_mutex_lock(&stats_mu);|bump|&stats_mu|7" \
  "src/main.c|STATS_LOCK();|main|&stats_mu|2"

step "the dependency files name the headers each source includes"
deps=build/CMakeFiles/app.dir/lockinstr/src
for f in main other; do
  d=$deps/$f.c.d
  [ -f "$d" ] || fail "no $d"
  head -n 1 "$d" | grep -q "^$LI_WORK/$out/src/$f.c: $LI_WORK/src/src/$f.c" ||
    { cat "$d"; fail "$d: wrong target or first prerequisite"; }
  grep -q "^  $LI_WORK/src/include/locks.h" "$d" || { cat "$d"; fail "$d: no locks.h"; }
  grep -q "^  /usr/include/pthread.h" "$d" || { cat "$d"; fail "$d: no pthread.h"; }
done
grep -q 'other\.h' $deps/main.c.d && fail "main.c.d names other.h"
grep -q "^  $LI_WORK/src/include/other.h" $deps/other.c.d ||
  { cat $deps/other.c.d; fail "other.c.d: no other.h"; }
find "$out" -name '*.d' | grep -q . && fail "a dependency file in OUTPUT_DIR"

step "a rebuild with nothing changed re-runs no rewrite"
noop build2.log

step "editing include/other.h re-instruments src/other.c only"
sleep 1
echo '/* edited */' >>src/include/other.h
build build3.log
instrumented build3.log src/other.c
not_instrumented build3.log src/main.c

step "editing include/locks.h re-instruments both sources and its copy"
cp "$copy" locks-copy.before
sleep 1
python3 - src/include/locks.h <<'EOP' || fail "editing locks.h"
import sys
p = sys.argv[1]
t = open(p).read()
old_macro = "#define STATS_LOCK() pthread_mutex_lock(&stats_mu)\n" \
            "#define STATS_UNLOCK() pthread_mutex_unlock(&stats_mu)\n"
old_end = "  pthread_mutex_unlock(&stats_mu);\n}\n"
assert old_macro in t and old_end in t
t = t.replace(old_macro,
              "#define STATS_LOCK() pthread_mutex_lock(&other_mu)\n"
              "#define STATS_UNLOCK() pthread_mutex_unlock(&other_mu)\n")
t = t.replace(old_end,
              "  pthread_mutex_unlock(&stats_mu);\n"
              "  pthread_mutex_lock(&other_mu);\n"
              "  pthread_mutex_unlock(&other_mu);\n}\n")
open(p, "w").write(t)
EOP
build build4.log
instrumented build4.log src/main.c src/other.c
cmp -s locks-copy.before "$copy" && fail "$copy was not rewritten"
grep -q 'lockinstr_pthread_mutex_lock(&LI_[A-Za-z0-9_]*\[[0-9]*\], &other_mu)' "$copy" ||
  { cat "$copy"; fail "$copy: the helper's new lock is not instrumented"; }
profile p2 "include/locks.h|pthread_mutex_lock(&stats_mu);|bump|&stats_mu|7" \
  "include/locks.h|pthread_mutex_lock(&other_mu);|bump|&other_mu|7" \
  "src/main.c|STATS_LOCK();|main|&other_mu|2"

step "then a rebuild with nothing changed re-runs no rewrite"
noop build5.log
echo "dep_project ($gen): ok"
