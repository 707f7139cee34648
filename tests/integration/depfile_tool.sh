#!/bin/sh
# depfile_tool.sh LOCKINSTR — `lockinstr --depfile` itself (the CMake side
# is dep_project.sh): the exact rule for a source whose header lies in a
# directory with a space and has '$' and '#' in its name, a header included
# twice (listed once), the configuration file, system headers;
# --depfile-target; an already-instrumented input (the input alone); a
# failed input leaves no dependency file (and no temporary file); the usage
# errors (exit 2); and that ninja and make read the file back: editing the
# odd header re-runs the rewrite, a second build does nothing. Runs the tool
# only, so it also runs under the sanitizers.
. "$LI_TEST_SRC/lib.sh"
L=$1
fresh_work
W=$LI_WORK
mkdir -p "p/sp ace"
cat >"p/sp ace/h\$#.h" <<'EOH'
#include <pthread.h>
static inline void hl(pthread_mutex_t *m) {
  pthread_mutex_lock(m);
  pthread_mutex_unlock(m);
}
EOH
echo 'int twice_n;' >p/twice.h
cat >p/a.c <<'EOC'
#include "sp ace/h$#.h"
#include "twice.h"
#include "twice.h"
pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
void f(void) { hl(&mu); }
void g(void) { pthread_mutex_lock(&mu); pthread_mutex_unlock(&mu); }
EOC
printf '[exclude]\nfunction = nothing_here\n' >p/.lockinstr

step "the rule: output, input, configuration, headers (escaped), each once"
(cd p && "$L" --quiet -o ../out a.c --depfile ../a.d) || fail "lockinstr --depfile"
cat a.d
sed -n 1,4p a.d >a.head
cat >a.want <<EOW
$W/out/a.c: $W/p/a.c \\
  $W/p/.lockinstr \\
  $W/p/sp\\ ace/h\$\$\\#.h \\
  /usr/include/pthread.h \\
EOW
cmp a.head a.want || { diff a.want a.head; fail "a.d: wrong first lines"; }
[ "$(grep -c twice.h a.d)" = 1 ] || fail "twice.h is not listed exactly once"
[ "$(tail -n 1 a.d)" = "  $W/p/twice.h" ] || fail "a.d does not end with twice.h"
grep -q '^  /usr/include/features.h \\$' a.d || fail "a.d: no system header"
[ "$(grep -c ' \\$' a.d)" = "$(($(wc -l <a.d) - 1))" ] ||
  fail "a.d: every line but the last ends with a continuation"

step "--depfile-target names the rule's target"
(cd p && "$L" --quiet --no-config -o ../out a.c --depfile ../t.d \
  --depfile-target 'rel dir/a.c') || fail "--depfile-target"
head -n 1 t.d | grep -q "^rel\\\\ dir/a.c: $W/p/a.c \\\\\$" ||
  { cat t.d; fail "t.d: wrong target"; }
grep -q '\.lockinstr' t.d && fail "--no-config: t.d names a configuration file"

step "an already-instrumented input depends on itself alone"
"$L" --quiet --no-config --root out -o out2 out/a.c --depfile i.d ||
  fail "already instrumented"
[ "$(cat i.d)" = "$W/out2/a.c: $W/out/a.c" ] || { cat i.d; fail "i.d"; }

step "a failed input leaves no dependency file"
printf '#include "twice.h"\nint broken = ;\n' >p/bad.c
if (cd p && "$L" --quiet -o ../out bad.c --depfile ../bad.d) 2>bad.err; then
  fail "bad.c was accepted"
fi
[ ! -e bad.d ] || fail "bad.d written for a failed input"
[ ! -e out/bad.c ] || fail "out/bad.c written for a failed input"
ls -a . out | grep -q lockinstr-tmp && fail "a temporary file was left behind"
grep -q 'bad.c:2:14: error' bad.err || { cat bad.err; fail "no diagnostic"; }
echo 'old' >keep.d
(cd p && "$L" --quiet -o ../out bad.c --depfile ../keep.d) 2>/dev/null &&
  fail "bad.c was accepted"
[ "$(cat keep.d)" = old ] || fail "an earlier dependency file was touched"

step "usage errors"
# usage_error WHAT ARGS...: lockinstr ARGS exits 2 saying WHAT.
usage_error() {
  what=$1
  shift
  rc=0
  (cd p && "$L" "$@") >/dev/null 2>usage.err || rc=$?
  [ "$rc" = 2 ] || fail "lockinstr $*: exit $rc, want 2"
  grep -q "$what" usage.err || { cat usage.err; fail "lockinstr $*: no '$what'"; }
}
usage_error 'needs exactly one input file' -o ../out a.c bad.c --depfile x.d
usage_error 'needs exactly one input file' -o ../out a.c a.c --depfile x.d
usage_error 'needs an output file' --list-sites a.c --depfile x.d
usage_error 'depfile-target needs --depfile' -o ../out a.c --depfile-target x
usage_error 'over the input' -o ../out a.c --depfile a.c
usage_error 'over the output' -o ../out a.c --depfile ../out/a.c
usage_error 'need a non-empty name' -o ../out a.c --depfile ''
usage_error 'need a non-empty name' -o ../out a.c --depfile x.d --depfile-target ''
[ ! -e p/x.d ] || fail "x.d written despite a usage error"

# edit_header: changes the odd header (a second unlock line), later.
edit_header() {
  sleep 1
  printf '/* edited */\n' >>"p/sp ace/h\$#.h"
}

if command -v ninja >/dev/null 2>&1; then
  step "ninja reads it back (deps = gcc)"
  mkdir nj
  cat >nj/build.ninja <<EON
rule li
  command = cd $W/p && $L --quiet -o $W/nj/out a.c --depfile $W/nj/out/a.d --depfile-target out/a.c
  depfile = out/a.d
  deps = gcc
build out/a.c: li $W/p/a.c
EON
  ninja -C nj >nj1.log 2>&1 || { cat nj1.log; fail "ninja"; }
  ninja -C nj -t deps >nj.deps
  grep -q "^    $W/p/sp ace/h\\\$#.h\$" nj.deps || { cat nj.deps; fail "ninja -t deps"; }
  ninja -C nj -n | grep -q 'no work to do' || fail "ninja: work after a build"
  edit_header
  ninja -C nj -n | grep -q 'no work to do' && fail "ninja: the header edit is not seen"
  ninja -C nj >nj2.log 2>&1 || { cat nj2.log; fail "ninja (2)"; }
  ninja -C nj -n | grep -q 'no work to do' || fail "ninja: work after a rebuild"
fi

step "make reads it back (-include)"
mkdir mk
cat >mk/Makefile <<EOM
$W/mk/out/a.c: $W/p/a.c
	cd $W/p && $L --quiet -o $W/mk/out a.c --depfile $W/mk/out/a.d
-include out/a.d
EOM
make -C mk >mk1.log 2>&1 || { cat mk1.log; fail "make"; }
make -C mk -q "$W/mk/out/a.c" || fail "make: out of date after a build"
edit_header
make -C mk -q "$W/mk/out/a.c" && fail "make: the header edit is not seen"
make -C mk >mk2.log 2>&1 || { cat mk2.log; fail "make (2)"; }
make -C mk -q "$W/mk/out/a.c" || fail "make: out of date after a rebuild"
echo "depfile_tool: ok"
