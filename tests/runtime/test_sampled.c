/*
 * test_sampled.c — the sampled path's shortcuts record exactly what the
 * general path records.
 *
 * A sampled acquisition and its release take out-of-line leaf paths when
 * every acquisition is sampled (rate 1) and the event buffer is neither
 * empty nor full; every other case (an empty or full buffer, a nested
 * blocking acquisition with its lock-order edges, a release out of order,
 * another rate, CLOCK_MONOTONIC instead of the TSC) goes to the general
 * path; a flush converts ticks to ns with a per-flush ratio, and a draw
 * uses the thread's cached log1p(-1/rate). These tests cross each of those
 * boundaries and check the exact counts, the number of samples, their
 * weights, the histogram, the conversion and the draw themselves.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "clock.h"
#include "helpers.h"
#include "lockinstr.h"
#include "lockinstr_pthread.h"
#include "sample.h"
#include "site.h"   /* li_lock */
#include "thread.h" /* LI_EVENT_BUF */

#define SITE(api, line)                                                        \
  LOCKINSTR_SITE_INIT(api, 0, line, 3, "sampled.c", "f", "&mu", "mu", "")

static struct lockinstr_site LI_SITE[] = {
    SITE(pthread_mutex_lock, 10),    /* 0: outer */
    SITE(pthread_mutex_unlock, 11),  /* 1 */
    SITE(pthread_mutex_lock, 20),    /* 2: inner / plain pairs */
    SITE(pthread_mutex_unlock, 21),  /* 3 */
    SITE(pthread_mutex_trylock, 30), /* 4: inner by trylock */
    SITE(pthread_mutex_unlock, 31),  /* 5 */
    SITE(pthread_mutex_lock, 40),    /* 6: third segment */
    SITE(pthread_mutex_unlock, 41),  /* 7 */
    SITE(pthread_spin_unlock, 51),   /* 8: by a new thread */
};

/* n lock/unlock pairs at sites k, k+1. */
static void pairs(pthread_mutex_t *mu, int k, int n) {
  int i;
  for (i = 0; i < n; i++) {
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[k], mu), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[k + 1], mu), 0);
  }
}

/* The sum of a histogram's buckets at `path` ("hold") of site (api, line). */
static unsigned long long hist_sum(json_t *p, const char *api,
                                   unsigned int line, const char *path) {
  json_t *site = t_site(p, api, line), *h, *v;
  unsigned long long sum = 0;
  size_t i;
  assert_non_null(site);
  h = json_object_get(json_object_get(site, path), "hist");
  assert_true(json_is_array(h));
  json_array_foreach(h, i, v) sum += (unsigned long long)json_integer_value(v);
  return sum;
}

/* Every hold sample of site (lock api, line) has weight 1: n samples, the
 * estimate equals the sampled total, the histogram holds n. */
static void check_rate_one(json_t *p, const char *api, unsigned int line,
                           unsigned long long n) {
  assert_int_equal(t_site_u64(p, api, line, "acquisitions"), n);
  assert_int_equal(t_site_u64(p, api, line, "hold.samples"), n);
  assert_int_equal(t_site_u64(p, api, line, "hold.total_ns_est"),
                   t_site_u64(p, api, line, "hold.sampled_total_ns"));
  assert_int_equal(hist_sum(p, api, line, "hold"), n);
}

static void fresh(unsigned long rate) {
  lockinstr_set_sample_rate(rate);
  lockinstr_reset();
}

/* The flush's inline conversion gives li_ticks_to_ns's nanosecond for
 * every tick count, on both sides of its inline limit. */
static void conversion_matches_ticks_to_ns(void **state) {
  static const unsigned long long fixed[] = {0,
                                             1,
                                             2,
                                             3,
                                             999,
                                             1000001,
                                             1ull << 31,
                                             (1ull << 32) - 1,
                                             1ull << 32,
                                             123456789012ull,
                                             (1ull << 52) - 1,
                                             1ull << 52,
                                             (1ull << 52) + 1,
                                             1ull << 60};
  unsigned long long x = 0x243f6a8885a308d3ull;
  struct li_tick_conv c;
  unsigned int i;
  (void)state;
  li_lock();
  c = li_clock_conv();
  assert_true(c.ns_per_tick > 0.0);
  assert_int_equal(c.lim, 1ull << 52);
  for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    assert_int_equal(li_ticks_conv(fixed[i], c), li_ticks_to_ns(fixed[i]));
  for (i = 0; i < 100000; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    /* tick counts of every magnitude up to 2^60 */
    assert_int_equal(li_ticks_conv(x >> (4 + x % 60), c),
                     li_ticks_to_ns(x >> (4 + x % 60)));
  }
  li_unlock();
}

/* The countdown as first written: 1 + floor(log u / log1p(-1/rate)). */
static int draw_reference(unsigned long long *state, unsigned int rate) {
  double u = ((double)(li_rng_next(state) >> 11) + 1.0) * 0x1.0p-53;
  double n = 1.0 + floor(log(u) / log1p(-1.0 / (double)rate));
  return n >= (double)LI_COUNTDOWN_NEVER ? LI_COUNTDOWN_NEVER : (int)n;
}

/* A draw with the thread's cached divisor and truncation in place of
 * floor gives exactly the countdown of the original formula. */
static void draw_matches_reference(void **state) {
  static const unsigned int rates[] = {
      2, 3, 7, 100, 65536, 1000000, LOCKINSTR_MAX_SAMPLE_RATE};
  unsigned long long s1, s2;
  unsigned int r, i;
  (void)state;
  for (r = 0; r < sizeof rates / sizeof rates[0]; r++) {
    double lg = li_sample_log(rates[r]);
    s1 = s2 = 0x9e3779b97f4a7c15ull * (r + 1);
    for (i = 0; i < 200000; i++)
      assert_int_equal(li_sample_draw_log(&s1, rates[r], lg),
                       draw_reference(&s2, rates[r]));
  }
}

/* Rate 1, many more pairs than the buffer holds: flushes at safe points. */
static void rate_one_pairs_cross_flushes(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  const int n = 5 * LI_EVENT_BUF + 3;
  json_t *p;
  (void)state;
  fresh(1);
  pairs(&mu, 2, n);
  p = t_dump();
  check_rate_one(p, "pthread_mutex_lock", 20, n);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 21, "releases"), n);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  json_decref(p);
}

/* Rate 1 inside an outer section: no safe point, so the buffer fills and
 * is flushed as a last resort; nested blocking acquisitions take the
 * general path for their lock-order edge. */
static void rate_one_nested_fills_buffer(void **state) {
  pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
  const int n = 3 * LI_EVENT_BUF + 7;
  json_t *p, *e;
  (void)state;
  fresh(1);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &outer), 0);
  pairs(&inner, 2, n);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &outer), 0);
  p = t_dump();
  check_rate_one(p, "pthread_mutex_lock", 20, n);
  check_rate_one(p, "pthread_mutex_lock", 10, 1);
  assert_int_equal(t_u64(p, "dropped.events"), 0);
  e = json_object_get(json_object_get(p, "lock_order"), "edges");
  assert_int_equal(json_array_size(e), 1);
  assert_int_equal(t_u64(json_array_get(e, 0), "count"), n);
  json_decref(p);
}

/* Rate 1, trylocks inside an outer section: the leaf path (a trylock
 * records no edge), and the inner hold never outlasts the outer one. */
static void rate_one_trylock_inside_section(void **state) {
  pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t inner = PTHREAD_MUTEX_INITIALIZER;
  const int n = 2 * LI_EVENT_BUF + 1;
  int i;
  json_t *p;
  (void)state;
  fresh(1);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &outer), 0);
  for (i = 0; i < n; i++) {
    assert_int_equal(lockinstr_pthread_mutex_trylock(&LI_SITE[4], &inner), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[5], &inner), 0);
  }
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &outer), 0);
  p = t_dump();
  check_rate_one(p, "pthread_mutex_trylock", 30, n);
  check_rate_one(p, "pthread_mutex_lock", 10, 1);
  assert_true(t_site_u64(p, "pthread_mutex_trylock", 30, "hold.max_ns") <=
              t_site_u64(p, "pthread_mutex_lock", 10, "hold.max_ns"));
  assert_int_equal(json_array_size(json_object_get(
                       json_object_get(p, "lock_order"), "edges")),
                   0);
  json_decref(p);
}

/* Releases out of order at rate 1 (the general path): every hold ends
 * once, at its own site. */
static void rate_one_release_out_of_order(void **state) {
  pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
  int i;
  json_t *p;
  (void)state;
  fresh(1);
  for (i = 0; i < 100; i++) {
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &a), 0);
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[2], &b), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &a), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[3], &b), 0);
  }
  p = t_dump();
  check_rate_one(p, "pthread_mutex_lock", 10, 100);
  check_rate_one(p, "pthread_mutex_lock", 20, 100);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

/* Rate 1, then 100, then 1 again in one thread: each segment's samples
 * carry the weight of their own rate. */
static void rate_one_around_another_rate(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  fresh(1);
  pairs(&mu, 0, 1000);
  lockinstr_set_sample_rate(100);
  pairs(&mu, 2, 100000);
  lockinstr_set_sample_rate(1);
  pairs(&mu, 6, 1000);
  p = t_dump();
  check_rate_one(p, "pthread_mutex_lock", 10, 1000);
  check_rate_one(p, "pthread_mutex_lock", 40, 1000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "acquisitions"),
                   100000);
  /* 1000 expected, standard deviation ~32: 15 % is over 4 sigma; a draw
   * at rate 100 with rate 1's divisor would sample nothing or everything */
  assert_true(
      t_rel((double)t_site_u64(p, "pthread_mutex_lock", 20, "hold.samples"),
            1000.0) < 0.15);
  assert_int_equal(
      t_site_u64(p, "pthread_mutex_lock", 20, "hold.total_ns_est"),
      100 * t_site_u64(p, "pthread_mutex_lock", 20, "hold.sampled_total_ns"));
  json_decref(p);
}

/* With CLOCK_MONOTONIC as the clock (white box: the TSC switched off with
 * no lock held) the leaf paths step aside and nothing changes. */
static void rate_one_without_tsc(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  const int n = 2 * LI_EVENT_BUF + 5;
  int tsc = li_shared.clock_tsc;
  json_t *p;
  (void)state;
  fresh(1);
  __atomic_store_n(&li_shared.clock_tsc, 0, __ATOMIC_RELAXED);
  pairs(&mu, 2, n);
  p = t_dump();
  __atomic_store_n(&li_shared.clock_tsc, tsc, __ATOMIC_RELAXED);
  check_rate_one(p, "pthread_mutex_lock", 20, n);
  json_decref(p);
}

/* A long hold among short ones at rate 1: its maximum is its own. */
static void rate_one_maximum_is_the_long_hold(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  unsigned long long t0, held, max;
  json_t *p;
  (void)state;
  fresh(1);
  pairs(&mu, 2, 100);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[2], &mu), 0);
  t0 = t_now();
  t_sleep_ns(20000000);
  held = t_now() - t0;
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[3], &mu), 0);
  pairs(&mu, 2, 100);
  p = t_dump();
  check_rate_one(p, "pthread_mutex_lock", 20, 201);
  max = t_site_u64(p, "pthread_mutex_lock", 20, "hold.max_ns");
  /* accuracy bound of issue #5's hold-time test (test_timing.c) */
  assert_true(t_rel((double)max, (double)held) < 0.10);
  json_decref(p);
}

static pthread_spinlock_t plain;

/* A thread whose first call into the runtime is a release, of a lock it
 * took with the plain call. */
static void *unlock_first(void *arg) {
  (void)arg;
  assert_int_equal(pthread_spin_lock(&plain), 0);
  assert_int_equal(lockinstr_pthread_spin_unlock(&LI_SITE[8], &plain), 0);
  return NULL;
}

/* At rate 1, a release by a thread that has no state yet (no held stack,
 * no counters) takes the general path: counted as a release of a lock not
 * held, nothing else touched. */
static void rate_one_release_by_a_new_thread(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  fresh(1);
  assert_int_equal(pthread_spin_init(&plain, PTHREAD_PROCESS_PRIVATE), 0);
  assert_int_equal(pthread_create(&th, NULL, unlock_first, NULL), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  assert_int_equal(pthread_spin_destroy(&plain), 0);
  p = t_dump();
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 1);
  assert_int_equal(t_site_u64(p, "pthread_spin_unlock", 51, "releases"), 1);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(conversion_matches_ticks_to_ns),
      cmocka_unit_test(draw_matches_reference),
      cmocka_unit_test(rate_one_pairs_cross_flushes),
      cmocka_unit_test(rate_one_nested_fills_buffer),
      cmocka_unit_test(rate_one_trylock_inside_section),
      cmocka_unit_test(rate_one_release_out_of_order),
      cmocka_unit_test(rate_one_around_another_rate),
      cmocka_unit_test(rate_one_without_tsc),
      cmocka_unit_test(rate_one_maximum_is_the_long_hold),
      cmocka_unit_test(rate_one_release_by_a_new_thread),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
