/*
 * test_timing.c — contention is detected when forced (a thread holds the
 * lock while another asks), and the measured wait and hold times are
 * within 10 % of the truth measured independently around the calls.
 *
 * The durations are long (200 ms in all) so that a preemption of a few ms
 * between the test's clock reads and the runtime's, on a loaded machine,
 * stays well inside the 10 %.
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

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "timing.c", "holder",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "timing.c", "holder",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 3, "timing.c", "waiter",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 21, 3, "timing.c", "waiter",
                        "&mu", "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_lock, 0, 30, 3, "timing.c", "holder",
                        "&spin", "spin", ""),
    LOCKINSTR_SITE_INIT(pthread_spin_unlock, 0, 31, 3, "timing.c", "holder",
                        "&spin", "spin", ""),
};

#define HOLD_NS 200000000ull /* the holder's hold */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_spinlock_t spin;
static int held; /* the holder has the lock; atomic */

static void *holder(void *arg) {
  int use_spin = arg != NULL;
  if (use_spin)
    lockinstr_pthread_spin_lock(&LI_SITE[4], (void *)&spin);
  else
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
  __atomic_store_n(&held, 1, __ATOMIC_RELEASE);
  t_sleep_ns(HOLD_NS);
  if (use_spin)
    lockinstr_pthread_spin_unlock(&LI_SITE[5], (void *)&spin);
  else
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  return NULL;
}

/* Starts the holder and waits until it holds the lock. */
static pthread_t start_holder(void *arg) {
  pthread_t th;
  __atomic_store_n(&held, 0, __ATOMIC_RELAXED);
  pthread_create(&th, NULL, holder, arg);
  while (!__atomic_load_n(&held, __ATOMIC_ACQUIRE))
    t_sleep_ns(100000);
  return th;
}

static void forced_contention_counted_and_timed(void **state) {
  unsigned long long t0, t1, wait;
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  th = start_holder(NULL);
  t0 = t_now();
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[2], &mu), 0);
  t1 = t_now();
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[3], &mu), 0);
  pthread_join(th, NULL);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "contentions"), 0);
  wait = t_site_u64(p, "pthread_mutex_lock", 20, "wait.total_ns");
  assert_true(t1 - t0 > HOLD_NS / 2);
  assert_true(t_rel((double)wait, (double)(t1 - t0)) < 0.10);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.max_ns"),
                   wait);
  json_decref(p);
}

static void spinlock_contention(void **state) {
  unsigned long long t0, t1, wait;
  pthread_t th;
  json_t *p;
  (void)state;
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  lockinstr_reset();
  th = start_holder((void *)&spin);
  t0 = t_now();
  assert_int_equal(lockinstr_pthread_spin_lock(&LI_SITE[4], (void *)&spin), 0);
  t1 = t_now();
  assert_int_equal(lockinstr_pthread_spin_unlock(&LI_SITE[5], (void *)&spin),
                   0);
  pthread_join(th, NULL);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_spin_lock", 30, "acquisitions"), 2);
  assert_int_equal(t_site_u64(p, "pthread_spin_lock", 30, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "pthread_spin_unlock", 31, "releases"), 2);
  wait = t_site_u64(p, "pthread_spin_lock", 30, "wait.total_ns");
  assert_true(t_rel((double)wait, (double)(t1 - t0)) < 0.10);
  json_decref(p);
  pthread_spin_destroy(&spin);
}

static void hold_time_within_ten_percent(void **state) {
  static const unsigned long long holds[] = {20000000, 50000000, 10000000,
                                             80000000, 40000000};
  unsigned long long truth = 0, maxh = 0, t0, t1, total;
  json_t *p;
  size_t i;
  (void)state;
  lockinstr_set_sample_rate(1);
  lockinstr_reset();
  for (i = 0; i < sizeof holds / sizeof *holds; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[2], &mu);
    t0 = t_now();
    t_sleep_ns(holds[i]);
    t1 = t_now();
    lockinstr_pthread_mutex_unlock(&LI_SITE[3], &mu);
    truth += t1 - t0;
    if (t1 - t0 > maxh)
      maxh = t1 - t0;
  }
  p = t_dump();
  total = t_site_u64(p, "pthread_mutex_lock", 20, "hold.sampled_total_ns");
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "hold.samples"), 5);
  assert_true(t_rel((double)total, (double)truth) < 0.10);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "hold.total_ns_est"),
                   total);
  assert_true(
      t_rel((double)t_site_u64(p, "pthread_mutex_lock", 20, "hold.max_ns"),
            (double)maxh) < 0.10);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 20, "wait.count"), 0);
  json_decref(p);
  lockinstr_set_sample_rate(100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(forced_contention_counted_and_timed),
      cmocka_unit_test(spinlock_contention),
      cmocka_unit_test(hold_time_within_ten_percent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
