#!/bin/sh
# launcher_inline.sh — the wrappers are always inlined into their callers
# (issue #18, item 11): a function with 32 lock calls, built through
# lockinstr-cc with gcc and clang at -O2, -Os and -O0, and in C89 mode, leaves
# no out-of-line copy of a lockinstr_pthread_* wrapper in the object (gcc
# -O2 once emitted `call lockinstr_pthread_mutex_lock.isra.0` for a large
# file: the size heuristics gave up on the hot path; without the attribute
# gcc -O2 and clang -O2 leave all four wrappers out of line here already).
. "$LI_TEST_SRC/lib.sh"
fresh_work
L=$LI_LAUNCHER
export LOCKINSTR_TOOL="$LI_BINARY_DIR/tool/lockinstr"

{
  echo '#define _POSIX_C_SOURCE 200809L'
  echo '#include <pthread.h>'
  echo '#include <stdio.h>'
  echo 'struct q { pthread_mutex_t mu; pthread_rwlock_t rw; int v[64]; };'
  echo 'int big(struct q *q, int n) {'
  echo '  int s = 0;'
  i=0
  while [ $i -lt 8 ]; do
    echo "  if (n > $i) { pthread_mutex_lock(&q->mu); s += q->v[$((i % 64))] * $((i + 1)); if (s > $((i * 7))) printf(\"%d \", s); pthread_mutex_unlock(&q->mu); }"
    echo "  if (pthread_rwlock_rdlock(&q->rw) == 0) { s ^= q->v[$((i * 3 % 64))]; pthread_rwlock_unlock(&q->rw); }"
    i=$((i + 1))
  done
  echo '  return s;'
  echo '}'
} >big.c

# one_build WHAT COMPILER FLAGS...: the object is instrumented (it has the
# site table) and holds no wrapper of its own, nor a call to one.
one_build() {
  what=$1
  shift
  "$L" "$@" -Wall -Werror -c big.c -o big.o 2>err.txt ||
    { head -20 err.txt; fail "$what: compile"; }
  [ -s err.txt ] && { head -20 err.txt; fail "$what: printed on stderr"; }
  has_lockinstr_refs big.o || fail "$what: not instrumented"
  if nm big.o | grep lockinstr_pthread_; then
    fail "$what: a wrapper was not inlined"
  fi
  objdump -d big.o | grep -q 'call.*lockinstr_pthread' &&
    fail "$what: calls a wrapper"
  step "$what: no wrapper left out of line"
}

one_build "cc -O2" "$LI_CC" -O2
one_build "cc -Os" "$LI_CC" -Os
one_build "cc -O0 -std=c89" "$LI_CC" -O0 -std=c89 -pedantic
for other in gcc clang clang-14; do
  [ "$other" = "$(basename "$LI_CC")" ] && continue
  command -v "$other" >/dev/null 2>&1 || continue
  one_build "$other -O2" "$other" -O2
  one_build "$other -O0 -std=c89" "$other" -O0 -std=c89 -pedantic
done
echo "PASS"
