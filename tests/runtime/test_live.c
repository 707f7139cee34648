/*
 * test_live.c — a dump includes what threads still running have buffered
 * (issue #18 item 9): their condition waits, contended waits and sampled
 * holds, while one thread sleeps in a condition wait and another holds a
 * sampled lock it waited for; each event counted once, also after the
 * threads exit and flush; and an event a dump cannot read (deferred to a
 * held entry because the buffer was nearly full) is counted, exactly, in
 * dropped.events.
 *
 * Every acquisition is sampled (rate 1). Contention is forced without
 * timing (main releases only once the other thread sleeps on the mutex,
 * glibc's __lock == 2); the condition waits are counted by the thread
 * itself, so a spurious wake-up cannot make the test wrong.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"
#include "lockinstr_pthread.h"
#include "thread.h" /* LI_EVENT_HIGH */

#define S(api, line, lk)                                                       \
  LOCKINSTR_SITE_INIT(api, 0, line, 3, "live.c", "f", lk, lk, "")

static struct lockinstr_site LI_SITE[] = {
    S(pthread_mutex_lock, 10, "m"),   /* 0: sleeper's loop */
    S(pthread_mutex_unlock, 11, "m"), /* 1 */
    S(pthread_mutex_lock, 12, "m"),   /* 2: sleeper, before its waits */
    S(pthread_cond_wait, 13, "m"),    /* 3 */
    S(pthread_mutex_lock, 20, "h"),   /* 4: holder */
    S(pthread_mutex_unlock, 21, "h"), /* 5 */
    S(pthread_mutex_lock, 30, "h"),   /* 6: main, forcing contention */
    S(pthread_mutex_unlock, 31, "h"), /* 7 */
    S(pthread_mutex_lock, 40, "o"),   /* 8: holder's outer lock */
    S(pthread_mutex_unlock, 41, "o"), /* 9 */
    S(pthread_mutex_lock, 50, "i"),   /* 10: holder's inner lock */
    S(pthread_mutex_unlock, 51, "i"), /* 11 */
};

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t h = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t o = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t in = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int go1, go2;    /* the sleeper's conditions; under m */
static int waits;       /* the sleeper's returns from its waits; atomic */
static int phase_s;     /* the sleeper's progress; atomic */
static int phase_h;     /* handshakes of main and the holder; atomic */
static int inner_pairs; /* the holder's pairs under o first; read-only */

static int get(int *v) {
  return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}
static void put(int *v, int x) {
  __atomic_store_n(v, x, __ATOMIC_RELEASE);
}
static void await(int *v, int x) {
  while (get(v) != x)
    t_sleep_ns(100000);
}

/* Three lock/unlock pairs, then a condition wait main ends (go1), then a
 * second one main ends only after its dump (go2). */
static void *sleeper(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 3; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &m);
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &m);
  }
  lockinstr_pthread_mutex_lock(&LI_SITE[2], &m);
  put(&phase_s, 1);
  while (!go1) {
    lockinstr_pthread_cond_wait(&LI_SITE[3], &c, &m);
    __atomic_fetch_add(&waits, 1, __ATOMIC_RELEASE);
  }
  put(&phase_s, 2);
  while (!go2) {
    lockinstr_pthread_cond_wait(&LI_SITE[3], &c, &m);
    __atomic_fetch_add(&waits, 1, __ATOMIC_RELEASE);
  }
  lockinstr_pthread_mutex_unlock(&LI_SITE[1], &m);
  return NULL;
}

/* inner_pairs pairs of i under o (no safe point: they stay buffered),
 * then two pairs of h, then a contended acquisition of h, which it holds
 * until main says (phase 5). */
static void *holder(void *arg) {
  int i;
  (void)arg;
  if (inner_pairs)
    lockinstr_pthread_mutex_lock(&LI_SITE[8], &o);
  for (i = 0; i < inner_pairs; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[10], &in);
    lockinstr_pthread_mutex_unlock(&LI_SITE[11], &in);
  }
  for (i = 0; i < 2; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[4], &h);
    lockinstr_pthread_mutex_unlock(&LI_SITE[5], &h);
  }
  put(&phase_h, 3);
  await(&phase_h, 6);                            /* main holds h */
  lockinstr_pthread_mutex_lock(&LI_SITE[4], &h); /* contended */
  put(&phase_h, 4);
  await(&phase_h, 5);
  lockinstr_pthread_mutex_unlock(&LI_SITE[5], &h);
  if (inner_pairs)
    lockinstr_pthread_mutex_unlock(&LI_SITE[9], &o);
  return NULL;
}

/* Main takes h, lets the holder try it, and releases it once the holder
 * sleeps on it. */
static void contend_h(void) {
  await(&phase_h, 3);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[6], &h), 0);
  put(&phase_h, 6);
#ifdef __GLIBC__
  while (__atomic_load_n(&h.__data.__lock, __ATOMIC_ACQUIRE) != 2)
    t_sleep_ns(100000);
#else
  t_sleep_ns(50000000);
#endif
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[7], &h), 0);
  await(&phase_h, 4);
}

/* Ends the sleeper's first wait and returns once it sleeps in its
 * second (it released m in it: main can take m, uninstrumented). */
static void sleeper_to_second_wait(void) {
  await(&phase_s, 1);
  pthread_mutex_lock(&m);
  go1 = 1;
  pthread_cond_signal(&c);
  pthread_mutex_unlock(&m);
  await(&phase_s, 2);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
}

/* What the sleeper recorded, as of `w` returns from its waits: its
 * condition waits, and a hold for each acquisition it released (each
 * re-acquisition's hold ends at the next wait). */
static void check_sleeper(json_t *p, unsigned long long w) {
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "hold.samples"), 3);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 12, "hold.samples"), 1);
  assert_int_equal(t_site_u64(p, "pthread_cond_wait", 13, "acquisitions"), w);
  assert_int_equal(t_site_u64(p, "pthread_cond_wait", 13, "cond.count"), w);
  assert_int_equal(t_site_u64(p, "pthread_cond_wait", 13, "hold.samples"), w);
  assert_int_equal(t_site_u64(p, "pthread_cond_wait", 13, "wait.count"), 0);
}

static void dump_sees_live_threads(void **state) {
  pthread_t ts, th;
  unsigned long long w;
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(1);
  pthread_create(&ts, NULL, sleeper, NULL);
  pthread_create(&th, NULL, holder, NULL);
  contend_h();
  sleeper_to_second_wait();
  w = (unsigned long long)get(&waits);
  p = t_dump();
  check_sleeper(p, w);
  /* the holder holds h, which it waited for: counted, with its wait; the
   * hold in progress is no sample yet */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "acquisitions"), 3);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "hold.samples"), 2);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 30, "hold.samples"), 1);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
  /* after the threads exit (and flush): the same events, once each */
  pthread_mutex_lock(&m);
  go2 = 1;
  pthread_cond_signal(&c);
  pthread_mutex_unlock(&m);
  put(&phase_h, 5);
  pthread_join(ts, NULL);
  pthread_join(th, NULL);
  w = (unsigned long long)get(&waits);
  p = t_dump();
  check_sleeper(p, w);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "hold.samples"), 3);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
}

/* A nearly full buffer: the contended acquisition's wait is deferred to
 * the held entry, which a dump from another thread cannot read; it says
 * so in dropped.events, exactly, and has the wait once it is released. */
static void unreadable_wait_is_counted(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  lockinstr_set_sample_rate(1);
  inner_pairs = LI_EVENT_HIGH - 2; /* + the two holds of h */
  put(&phase_h, 0);
  pthread_create(&th, NULL, holder, NULL);
  contend_h();
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 50, "hold.samples"),
                   LI_EVENT_HIGH - 2);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 0);
  assert_int_equal(t_u64(p, "dropped.events"), 1);
  json_decref(p);
  put(&phase_h, 5);
  pthread_join(th, NULL);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 50, "hold.samples"),
                   LI_EVENT_HIGH - 2);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dump_sees_live_threads),
      cmocka_unit_test(unreadable_wait_is_counted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
