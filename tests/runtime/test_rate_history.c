/*
 * test_rate_history.c — the profile records the sample rate's history
 * (issue #14, part 1): the rate in effect at the profile's start and each
 * change since, dated from the start; at most LI_RATE_HISTORY (16) entries,
 * the oldest dropped and counted; a reset starts it again.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "lockinstr.h"

static json_t *rate_at(json_t *p, size_t i) {
  json_t *a = json_object_get(p, "sample_rates");
  assert_true(json_is_array(a));
  assert_true(i < json_array_size(a));
  return json_array_get(a, i);
}

static size_t nrates(json_t *p) {
  return json_array_size(json_object_get(p, "sample_rates"));
}

static void history_of_a_run(void **state) {
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(100);
  lockinstr_reset();
  lockinstr_set_sample_rate(1);
  lockinstr_set_sample_rate(1); /* no change: no entry */
  t_sleep_ns(1000000);
  lockinstr_set_sample_rate(0);
  p = t_dump();
  assert_int_equal(t_u64(p, "sample_rate"), 0);
  assert_int_equal(nrates(p), 3);
  assert_int_equal(t_u64(rate_at(p, 0), "rate"), 100);
  assert_int_equal(t_u64(rate_at(p, 0), "from_ns"), 0);
  assert_int_equal(t_u64(rate_at(p, 1), "rate"), 1);
  assert_int_equal(t_u64(rate_at(p, 2), "rate"), 0);
  assert_true(t_u64(rate_at(p, 2), "from_ns") >=
              t_u64(rate_at(p, 1), "from_ns") + 1000000);
  assert_true(t_u64(rate_at(p, 2), "from_ns") <= t_u64(p, "duration_ns"));
  assert_int_equal(t_u64(p, "sample_rates_dropped"), 0);
  json_decref(p);
}

static void history_is_bounded(void **state) {
  json_t *p;
  unsigned long r;
  (void)state;
  lockinstr_set_sample_rate(0);
  lockinstr_reset(); /* [0 from 0] */
  for (r = 1; r <= 20; r++)
    lockinstr_set_sample_rate(r);
  p = t_dump(); /* 21 entries: the first 5 are not kept */
  assert_int_equal(nrates(p), 16);
  assert_int_equal(t_u64(p, "sample_rates_dropped"), 5);
  assert_int_equal(t_u64(rate_at(p, 0), "rate"), 5);
  assert_int_equal(t_u64(rate_at(p, 15), "rate"), 20);
  json_decref(p);
  lockinstr_reset(); /* the rate then in effect, from 0 */
  p = t_dump();
  assert_int_equal(nrates(p), 1);
  assert_int_equal(t_u64(rate_at(p, 0), "rate"), 20);
  assert_int_equal(t_u64(rate_at(p, 0), "from_ns"), 0);
  assert_int_equal(t_u64(p, "sample_rates_dropped"), 0);
  json_decref(p);
  lockinstr_set_sample_rate(100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(history_of_a_run),
      cmocka_unit_test(history_is_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
