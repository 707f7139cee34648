/*
 * test_hold_estimate.c — at the default rate, a lock's estimated total
 * hold is within the bounds its own samples justify (issue #14, part 1).
 *
 * N acquisitions of one mutex, each held for a busy-wait of HOLD_NS. The
 * test brackets every hold the runtime measures: `inner` (clock read after
 * the lock returned to clock read before the unlock) <= the runtime's hold
 * <= `outer` (before the lock call to after the unlock returned), so the
 * exact total H lies in [sum inner, sum outer] whatever the scheduler did.
 * Each acquisition is sampled independently with p = 1/rate and weighted
 * by rate, so the estimate E is unbiased for H with standard deviation
 * sqrt((rate - 1) * sum h^2) <= sqrt((rate - 1) * sum outer^2), and the
 * number of samples is Binomial(N, p). The checks allow 6 standard
 * deviations (a false failure about once in 10^8 runs) and 2% for the
 * runtime's tick-to-ns conversion: statistics, not timing thresholds. A
 * preempted hold widens its own bound, since it enters sum outer^2.
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#define N 20000
#define RATE 100
#define HOLD_NS 5000ull

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "estimate.c", "hold",
                        "&m", "m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 3, "estimate.c", "hold",
                        "&m", "m", ""),
};

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void estimate_within_its_bounds(void **state) {
  double inner = 0, outer = 0, outer_sq = 0, sd, mean, slack = 0.02;
  unsigned long long samples, est, sampled;
  json_t *p;
  int i;
  (void)state;
  lockinstr_set_sample_rate(RATE);
  lockinstr_reset();
  for (i = 0; i < N; i++) {
    unsigned long long ta = t_now(), t0, t1, tb;
    assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &m), 0);
    t0 = t_now();
    do
      t1 = t_now();
    while (t1 - t0 < HOLD_NS);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &m), 0);
    tb = t_now();
    inner += (double)(t1 - t0);
    outer += (double)(tb - ta);
    outer_sq += (double)(tb - ta) * (double)(tb - ta);
  }
  p = t_dump();
  samples = t_site_u64(p, "pthread_mutex_lock", 10, "hold.samples");
  est = t_site_u64(p, "pthread_mutex_lock", 10, "hold.total_ns_est");
  sampled = t_site_u64(p, "pthread_mutex_lock", 10, "hold.sampled_total_ns");
  json_decref(p);
  /* the sample count is Binomial(N, 1/RATE) */
  mean = (double)N / RATE;
  sd = sqrt(mean * (1.0 - 1.0 / RATE));
  assert_true(fabs((double)samples - mean) <= 6 * sd);
  /* each sample stands for RATE acquisitions (the rate never changed) */
  assert_true(est == sampled * RATE);
  /* E is unbiased for H, inner <= H <= outer */
  sd = sqrt((RATE - 1) * outer_sq);
  assert_true((double)est >= inner * (1 - slack) - 6 * sd);
  assert_true((double)est <= outer * (1 + slack) + 6 * sd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(estimate_within_its_bounds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
