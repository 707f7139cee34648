/*
 * pairs.c — the measured loops of the overhead benchmarks, written as plain
 * lock code.
 *
 * bench/CMakeLists.txt compiles this file three times into one binary:
 * as written (prefix plain_), rewritten by lockinstr (prefix inst_), and
 * rewritten but compiled with -DLOCKINSTR_DISABLE (prefix off_). The
 * benchmark thus measures exactly what the rewriter emits, and can
 * alternate the variants inside one run.
 */
#define _XOPEN_SOURCE 700 /* rwlocks and spinlocks under -std=c11 */
#include "pairs.h"

#include <pthread.h>
#include <threads.h>

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(BENCH_VARIANT, name)

/* A store the compiler must keep, so the critical section is not empty. */
static volatile unsigned long sink;

/* An initialised global of this file, as programs have them: in .data,
 * where the instrumented file's site table is too. The "sharing" benchmark
 * has another thread write it while this thread runs spin_pairs. */
volatile long FN(neighbour) = 1;

/* The address of this file's site table (NULL when not instrumented), so
 * the benchmark can say whether neighbour would share its cache line. */
#ifdef LOCKINSTR_INSTRUMENTED
const void *const FN(site_table) = LI_SITE;
const unsigned long FN(site_table_size) = sizeof LI_SITE;
#else
const void *const FN(site_table) = 0;
const unsigned long FN(site_table_size) = 0;
#endif

/* First in the file, so its two sites open the site table: the "sharing"
 * benchmark needs them on the table's first line. */
void FN(spin_pairs)(pthread_spinlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    pthread_spin_lock(l);
    sink++;
    pthread_spin_unlock(l);
  }
}

void FN(mutex_pairs)(pthread_mutex_t *m, long n) {
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(m);
    sink++;
    pthread_mutex_unlock(m);
  }
}

void FN(rdlock_pairs)(pthread_rwlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    pthread_rwlock_rdlock(l);
    sink++;
    pthread_rwlock_unlock(l);
  }
}

void FN(wrlock_pairs)(pthread_rwlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    pthread_rwlock_wrlock(l);
    sink++;
    pthread_rwlock_unlock(l);
  }
}

void FN(mtx_pairs)(mtx_t *m, long n) {
  for (long i = 0; i < n; i++) {
    mtx_lock(m);
    sink++;
    mtx_unlock(m);
  }
}

/* Walks nlocks mutexes (a power of two) in a fixed odd stride, so each pair
 * touches another lock and every lock is visited: the cost per pair with
 * many lock instances. */
void FN(spread_pairs)(pthread_mutex_t *locks, long nlocks, long n) {
  long j = 0;
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&locks[j]);
    sink++;
    pthread_mutex_unlock(&locks[j]);
    j = (j + 7919) & (nlocks - 1);
  }
}

/* One contended worker: n pairs on locks[(start + i) % nlocks] with a few
 * nanoseconds of work inside. */
void FN(contended_pairs)(pthread_mutex_t *locks, long nlocks, long start,
                         long n) {
  long j = start % nlocks;
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&locks[j]);
    sink += (unsigned long)i;
    pthread_mutex_unlock(&locks[j]);
    if (++j == nlocks)
      j = 0;
  }
}
