/*
 * test_deferred.c — the work a contended acquisition defers out of the
 * critical section is never lost.
 *
 * After a contended acquisition the runtime counts, appends the wait to
 * the thread's buffer (or, when the buffer is nearly full, defers it to the
 * held entry, which the release buffers after the real unlock) and pushes
 * a held entry (docs/runtime.md, "Inside and outside the critical
 * section"). These tests check that the counts and waits are exact while
 * the lock is still held, that every wait reaches the profile once the
 * locks are released (or the holder dumps, or exits holding the lock), that a
 * full event buffer inside an outer critical section loses nothing, and that a
 * reset drops a wait from before it.
 *
 * Contention is forced without timing: the holder lets go only once the
 * waiter is asleep on the mutex (glibc marks a mutex with sleepers as 2),
 * so the waiter's try has certainly failed by then.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"
#include "lockinstr_pthread.h"
#include "thread.h" /* LI_EVENT_BUF */

#define SITE(api, line, fn)                                                    \
  LOCKINSTR_SITE_INIT(api, 0, line, 3, "deferred.c", fn, "&mu", "mu", "")

static struct lockinstr_site LI_SITE[] = {
    SITE(pthread_mutex_lock, 10, "holder"),   /* 0 */
    SITE(pthread_mutex_unlock, 11, "holder"), /* 1 */
    SITE(pthread_mutex_lock, 20, "waiter"),   /* 2 */
    SITE(pthread_mutex_unlock, 21, "waiter"), /* 3 */
    SITE(pthread_mutex_lock, 30, "outer"),    /* 4 */
    SITE(pthread_mutex_unlock, 31, "outer"),  /* 5 */
    SITE(pthread_mutex_lock, 40, "inner"),    /* 6 */
    SITE(pthread_mutex_unlock, 41, "inner"),  /* 7 */
};

#define ROUNDS 8

static pthread_mutex_t mus[8]; /* a fresh one per test */
static pthread_mutex_t *mup;   /* the current one */
static int step;            /* handshake between main and the waiter; atomic */
static const char *dump_to; /* the waiter dumps here while holding, if set */
static int exit_holding;    /* the waiter exits without unlocking */

static int get(void) {
  return __atomic_load_n(&step, __ATOMIC_ACQUIRE);
}
static void set(int v) {
  __atomic_store_n(&step, v, __ATOMIC_RELEASE);
}
static void await(int v) {
  while (get() != v)
    t_sleep_ns(100000);
}

/* Until a thread sleeps on *mup (after its try failed). */
static void await_sleeper(void) {
#ifdef __GLIBC__
  while (__atomic_load_n(&mup->__data.__lock, __ATOMIC_ACQUIRE) != 2)
    t_sleep_ns(100000);
#else
  t_sleep_ns(50000000);
#endif
}

/* Main holds *mup with the holder's sites and releases it once the waiter
 * sleeps on it: the waiter's acquisition is contended. */
static void hold_until_waiter_sleeps(void) {
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], mup), 0);
  set(1); /* waiter: go */
  await_sleeper();
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], mup), 0);
}

/* The waiter: `rounds` contended acquisitions of mu; after the last it
 * holds mu until main says (step 3), dumping first if dump_to is set. */
static void *waiter(void *arg) {
  long rounds = (long)arg, i;
  for (i = 0; i < rounds; i++) {
    await(1);
    lockinstr_pthread_mutex_lock(&LI_SITE[2], mup);
    if (i + 1 < rounds) {
      lockinstr_pthread_mutex_unlock(&LI_SITE[3], mup);
      set(0); /* main: next round */
    }
  }
  if (dump_to && lockinstr_dump(dump_to) != 0)
    abort();
  set(2); /* main: the last one is held */
  if (exit_holding)
    return NULL;
  await(3);
  lockinstr_pthread_mutex_unlock(&LI_SITE[3], mup);
  return NULL;
}

/* Runs `rounds` forced contentions of the waiter; returns with the waiter
 * holding mu after the last one (step 2). */
static pthread_t contend(long rounds) {
  pthread_t th;
  long i;
  set(0);
  pthread_create(&th, NULL, waiter, (void *)rounds);
  for (i = 0; i < rounds; i++) {
    await(0);
    hold_until_waiter_sleeps();
    if (i + 1 < rounds)
      while (get() == 1)
        t_sleep_ns(100000);
  }
  await(2);
  return th;
}

static void fresh(void) {
  static int used;
  assert_true(used < 8);
  mup = &mus[used++];
  pthread_mutex_init(mup, NULL);
  lockinstr_reset();
  dump_to = NULL;
  exit_holding = 0;
}

static void counts_exact_while_held_waits_after_release(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  fresh();
  th = contend(ROUNDS);
  /* The waiter still holds the lock it waited for last: the counts are
   * exact, and so are the waits (buffered, not deferred to the held
   * entry, so this dump reads them from the waiter's buffer: no
   * "contended 8, 7 waits"). */
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "acquisitions"),
                   ROUNDS);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"),
                   ROUNDS);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"),
                   ROUNDS);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
  set(3);
  pthread_join(th, NULL);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"),
                   ROUNDS);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"),
                   ROUNDS);
  assert_true(t_site_u64(p, "pthread_mutex_lock", 20, "wait.total_ns") > 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "contentions"), 0);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
}

static void holder_dump_has_its_own_deferred_wait(void **state) {
  char path[] = "/tmp/lockinstr-deferred-XXXXXX";
  int fd = mkstemp(path);
  pthread_t th;
  json_t *p;
  (void)state;
  assert_true(fd >= 0);
  close(fd);
  fresh();
  dump_to = path;
  th = contend(2);
  set(3);
  pthread_join(th, NULL);
  p = t_load(path); /* written by the waiter, holding mu */
  unlink(path);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"), 2);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 2);
  json_decref(p);
}

static void exit_while_holding_keeps_the_wait(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  fresh();
  exit_holding = 1;
  th = contend(1);
  pthread_join(th, NULL); /* exited holding mu */
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 1);
  json_decref(p); /* that mutex stays locked: the test uses no other */
}

/* White box: contended acquisitions as the wrapper reports them
 * (li_waited after the blocking call), many more than the event buffer
 * holds, all inside an outer critical section where the runtime never
 * reaches a safe point to flush. */
static void full_buffer_inside_outer_section_loses_nothing(void **state) {
  pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
  const int n = 3 * LI_EVENT_BUF + 7;
  unsigned long long t0;
  json_t *p;
  int i;
  (void)state;
  fresh();
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[4], &outer), 0);
  for (i = 0; i < n; i++) {
    t0 = li_now();
    assert_int_equal(pthread_mutex_lock(&inner), 0);
    li_waited(&LI_SITE[6], &inner, LI_OUT_OK, 1, t0, li_now());
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[7], &inner), 0);
  }
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &outer), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "acquisitions"), n);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "contentions"), n);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "wait.count"), n);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 41, "releases"), n);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
}

/* A wait that ended before a reset belongs to the profile before it. */
static void reset_drops_a_deferred_wait(void **state) {
  pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
  unsigned long long t0;
  json_t *p;
  (void)state;
  fresh();
  t0 = li_now();
  assert_int_equal(pthread_mutex_lock(&inner), 0);
  li_waited(&LI_SITE[6], &inner, LI_OUT_OK, 1, t0, li_now());
  lockinstr_reset();
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[7], &inner), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "contentions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "wait.count"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 41, "releases"), 1);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(counts_exact_while_held_waits_after_release),
      cmocka_unit_test(holder_dump_has_its_own_deferred_wait),
      cmocka_unit_test(exit_while_holding_keeps_the_wait),
      cmocka_unit_test(full_buffer_inside_outer_section_loses_nothing),
      cmocka_unit_test(reset_drops_a_deferred_wait),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
