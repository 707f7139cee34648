/*
 * test_sample.c — hold-time sampling: the geometric countdown has mean =
 * the rate; rate 0 and 1 are exact; end to end, the number of sampled
 * holds and the Horvitz–Thompson estimate follow the rate, including after
 * a change of rate while running.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"
#include "sample.h"

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 101, 3, "sample.c", "loop",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 102, 3, "sample.c", "loop",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 201, 3, "sample.c", "loop",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 202, 3, "sample.c", "loop",
                        "&mu", "mu", ""),
};

/* The mean of n draws at `rate`. */
static double mean_gap(unsigned int rate, unsigned int n) {
  unsigned long long state = 42, sum = 0;
  unsigned int i;
  for (i = 0; i < n; i++) {
    int d = li_sample_draw(&state, rate);
    assert_true(d >= 1);
    sum += (unsigned long long)d;
  }
  return (double)sum / n;
}

static void draw_mean_matches_rate(void **state) {
  (void)state;
  assert_true(t_rel(mean_gap(100, 1000000), 100.0) < 0.02);
  assert_true(t_rel(mean_gap(7, 1000000), 7.0) < 0.02);
  assert_true(t_rel(mean_gap(10000, 200000), 10000.0) < 0.03);
}

static void draw_rate_one_and_zero_exact(void **state) {
  unsigned long long s = 1;
  int i;
  (void)state;
  for (i = 0; i < 10000; i++) {
    assert_int_equal(li_sample_draw(&s, 1), 1);
    assert_int_equal(li_sample_draw(&s, 0), LI_COUNTDOWN_NEVER);
  }
}

/* n lock/unlock pairs at sites k, k+1. */
static void pairs(pthread_mutex_t *mu, int k, unsigned int n) {
  unsigned int i;
  for (i = 0; i < n; i++) {
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[k], mu), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[k + 1], mu), 0);
  }
}

static void rate_one_samples_every_acquisition(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  lockinstr_reset();
  lockinstr_set_sample_rate(1);
  pairs(&mu, 0, 5000);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 101, "acquisitions"),
                   5000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 101, "hold.samples"),
                   5000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 102, "releases"),
                   5000);
  assert_int_equal(t_u64(p, "sample_rate"), 1);
  json_decref(p);
}

static void rate_zero_samples_nothing(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(0);
  lockinstr_reset();
  pairs(&mu, 0, 100000);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 101, "acquisitions"),
                   100000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 101, "hold.samples"), 0);
  json_decref(p);
}

static void rate_hundred_samples_one_in_hundred(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  unsigned long long samples, est, sampled;
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(100);
  lockinstr_reset();
  pairs(&mu, 2, 1000000);
  p = t_dump();
  samples = t_site_u64(p, "pthread_mutex_lock", 201, "hold.samples");
  sampled = t_site_u64(p, "pthread_mutex_lock", 201, "hold.sampled_total_ns");
  est = t_site_u64(p, "pthread_mutex_lock", 201, "hold.total_ns_est");
  /* 10000 expected, standard deviation ~100: 5 % is 5 sigma. */
  assert_true(t_rel((double)samples, 10000.0) < 0.05);
  assert_int_equal(est, sampled * 100);
  json_decref(p);
}

static void rate_change_is_seen_at_once(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(0);
  lockinstr_reset();
  pairs(&mu, 0, 1000);
  assert_int_equal(lockinstr_set_sample_rate(1), 0);
  assert_int_equal(lockinstr_get_sample_rate(), 1);
  pairs(&mu, 0, 10);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 101, "hold.samples"),
                   10);
  json_decref(p);
  lockinstr_set_sample_rate(100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(draw_mean_matches_rate),
      cmocka_unit_test(draw_rate_one_and_zero_exact),
      cmocka_unit_test(rate_one_samples_every_acquisition),
      cmocka_unit_test(rate_zero_samples_nothing),
      cmocka_unit_test(rate_hundred_samples_one_in_hundred),
      cmocka_unit_test(rate_change_is_seen_at_once),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
