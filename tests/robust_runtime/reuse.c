/*
 * reuse.c — a lock destroyed and its memory reused for another lock, of
 * the same type and of other types, at the same address (issue #7,
 * runtime). Run with LOCKINSTR_SAMPLE_RATE=1, so every hold is sampled.
 *
 * Phase A, a mutex: ROUNDS lock/unlock pairs, then one more lock released
 * by code that is not instrumented (a plain pthread_mutex_unlock, as a
 * library would), so the runtime still believes it held; then destroyed.
 * The destroy must drop that stale entry: otherwise it would count as held
 * under the next lock at this address (a false lock-order edge, a hold
 * attributed to phase A's site, and, once the stale entry is found by
 * phase B's unlocks, wrong holds there).
 * Phase B, a rwlock at the same address: ROUNDS write and ROUNDS/2 read
 * acquisitions. Phase C, a spinlock there. Phase D, a mutex there again,
 * with `other` locked inside it once: the only lock-order edge.
 * Prints the sum it computed.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[17] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_init, 0, 10, 5, "reuse.c", "phase_a",
                        "&u.m", "union slot.m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 11, 5, "reuse.c", "phase_a",
                        "&u.m", "union slot.m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 5, "reuse.c", "phase_a",
                        "&u.m", "union slot.m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_destroy, 0, 13, 5, "reuse.c", "phase_a",
                        "&u.m", "union slot.m", ""),
    LOCKINSTR_SITE_INIT(pthread_rwlock_init, 0, 20, 5, "reuse.c", "phase_b",
                        "&u.rw", "union slot.rw", ""),
    LOCKINSTR_SITE_INIT(pthread_rwlock_wrlock, 0, 21, 5, "reuse.c", "phase_b",
                        "&u.rw", "union slot.rw", ""),
    LOCKINSTR_SITE_INIT(pthread_rwlock_rdlock, 0, 22, 5, "reuse.c", "phase_b",
                        "&u.rw", "union slot.rw", ""),
    LOCKINSTR_SITE_INIT(pthread_rwlock_unlock, 0, 23, 5, "reuse.c", "phase_b",
                        "&u.rw", "union slot.rw", ""),
    LOCKINSTR_SITE_INIT(pthread_rwlock_destroy, 0, 24, 5, "reuse.c", "phase_b",
                        "&u.rw", "union slot.rw", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_init, 0, 30, 5, "reuse.c", "phase_c",
                        "&u.sp", "union slot.sp", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_lock, 0, 31, 5, "reuse.c", "phase_c",
                        "&u.sp", "union slot.sp", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_unlock, 0, 32, 5, "reuse.c", "phase_c",
                        "&u.sp", "union slot.sp", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_destroy, 0, 33, 5, "reuse.c", "phase_c",
                        "&u.sp", "union slot.sp", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 5, "reuse.c", "phase_d",
                        "&u.m", "union slot.m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 41, 7, "reuse.c", "phase_d",
                        "&other", "other", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 42, 7, "reuse.c", "phase_d",
                        "&other", "other", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 43, 5, "reuse.c", "phase_d",
                        "&u.m", "union slot.m", ""),
};
#include <pthread.h>

#include "rr.h"

#define ROUNDS 100

static union slot {
  pthread_mutex_t m;
  pthread_rwlock_t rw;
  pthread_spinlock_t sp;
} u;
static pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sum;

static void phase_a(void) {
  int i;
  RR_CHECK(lockinstr_pthread_mutex_init(&S[0], &u.m, NULL) == 0);
  for (i = 0; i < ROUNDS; i++) {
    RR_CHECK(lockinstr_pthread_mutex_lock(&S[1], &u.m) == 0);
    sum += 1;
    RR_CHECK(lockinstr_pthread_mutex_unlock(&S[2], &u.m) == 0);
  }
  RR_CHECK(lockinstr_pthread_mutex_lock(&S[1], &u.m) == 0);
  RR_CHECK(pthread_mutex_unlock(&u.m) == 0); /* not instrumented */
  RR_CHECK(lockinstr_pthread_mutex_destroy(&S[3], &u.m) == 0);
}

static void phase_b(void) {
  int i;
  RR_CHECK(lockinstr_pthread_rwlock_init(&S[4], &u.rw, NULL) == 0);
  for (i = 0; i < ROUNDS; i++) {
    RR_CHECK(lockinstr_pthread_rwlock_wrlock(&S[5], &u.rw) == 0);
    sum += 10;
    RR_CHECK(lockinstr_pthread_rwlock_unlock(&S[7], &u.rw) == 0);
  }
  for (i = 0; i < ROUNDS / 2; i++) {
    RR_CHECK(lockinstr_pthread_rwlock_rdlock(&S[6], &u.rw) == 0);
    sum += 100;
    RR_CHECK(lockinstr_pthread_rwlock_unlock(&S[7], &u.rw) == 0);
  }
  RR_CHECK(lockinstr_pthread_rwlock_destroy(&S[8], &u.rw) == 0);
}

static void phase_c(void) {
  int i;
  RR_CHECK(lockinstr_pthread_spin_init(&S[9], &u.sp, 0) == 0);
  for (i = 0; i < ROUNDS; i++) {
    RR_CHECK(lockinstr_pthread_spin_lock(&S[10], &u.sp) == 0);
    sum += 1000;
    RR_CHECK(lockinstr_pthread_spin_unlock(&S[11], &u.sp) == 0);
  }
  RR_CHECK(lockinstr_pthread_spin_destroy(&S[12], &u.sp) == 0);
}

static void phase_d(void) {
  RR_CHECK(lockinstr_pthread_mutex_init(&S[0], &u.m, NULL) == 0);
  RR_CHECK(lockinstr_pthread_mutex_lock(&S[13], &u.m) == 0);
  RR_CHECK(lockinstr_pthread_mutex_lock(&S[14], &other) == 0);
  sum += 10000;
  RR_CHECK(lockinstr_pthread_mutex_unlock(&S[15], &other) == 0);
  RR_CHECK(lockinstr_pthread_mutex_unlock(&S[16], &u.m) == 0);
  RR_CHECK(lockinstr_pthread_mutex_destroy(&S[3], &u.m) == 0);
}

int main(void) {
  phase_a();
  phase_b();
  phase_c();
  phase_d();
  printf("sum=%lu\n", sum);
  return 0;
}
#include <lockinstr_pthread.h>
