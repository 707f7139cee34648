/*
 * test_cond.c — condition waits: the hold interval ends at the wait and
 * restarts after it; the time blocked on the condition goes to the wait
 * site's cond histogram, never to lock wait; timed waits that time out are
 * counted; C11 cnd_* behave the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <threads.h>
#include <time.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#define LOCKINSTR_USES_THREADS 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#define S(api, line)                                                           \
  LOCKINSTR_SITE_INIT(api, 0, line, 5, "cond.c", "f", "&mu", "mu", "")
static struct lockinstr_site LI_SITE[] = {
    S(pthread_mutex_lock, 10), S(pthread_mutex_unlock, 11),
    S(pthread_cond_wait, 12),  S(pthread_cond_timedwait, 13),
    S(pthread_mutex_lock, 20), S(pthread_mutex_unlock, 21),
    S(mtx_lock, 30),           S(mtx_unlock, 31),
    S(cnd_wait, 32),           S(cnd_timedwait, 33),
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready; /* under mu */

/* Waits 200 ms, then sets ready and signals. */
static void *signaller(void *arg) {
  (void)arg;
  t_sleep_ns(200000000ull);
  lockinstr_pthread_mutex_lock(&LI_SITE[4], &mu);
  ready = 1;
  pthread_cond_signal(&cv);
  lockinstr_pthread_mutex_unlock(&LI_SITE[5], &mu);
  return NULL;
}

static void cond_wait_accounting(void **state) {
  unsigned long long t0, t1, t2, t3, cond;
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_set_sample_rate(1);
  lockinstr_reset();
  ready = 0;
  pthread_create(&th, NULL, signaller, NULL);
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
  t_sleep_ns(20000000ull); /* a 20 ms hold before the wait */
  t0 = t_now();
  while (!ready)
    assert_int_equal(lockinstr_pthread_cond_wait(&LI_SITE[2], &cv, &mu), 0);
  t1 = t_now();
  t2 = t_now();
  t_sleep_ns(100000000ull); /* a 100 ms hold after it */
  t3 = t_now();
  lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  pthread_join(th, NULL);
  p = t_dump();
  cond = t_site_u64(p, "pthread_cond_wait", 12, "cond.total_ns");
  assert_true(t_site_u64(p, "pthread_cond_wait", 12, "cond.count") >= 1);
  assert_true(t_rel((double)cond, (double)(t1 - t0)) < 0.10);
  assert_int_equal(t_site_u64(p, "pthread_cond_wait", 12, "wait.count"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "wait.count"), 0);
  /* the hold before the wait is the lock site's, about 20 ms ... */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 10, "hold.samples"), 1);
  assert_true(t_site_u64(p, "pthread_mutex_lock", 10, "hold.max_ns") <
              (t1 - t0) / 2);
  /* ... and the hold after it restarts at the wait's site: 100 ms. */
  assert_true(
      t_rel((double)t_site_u64(p, "pthread_cond_wait", 12, "hold.max_ns"),
            (double)(t3 - t2)) < 0.10);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  lockinstr_set_sample_rate(100);
}

static void cond_timedwait_timeout(void **state) {
  struct timespec dl;
  json_t *p;
  (void)state;
  lockinstr_reset();
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
  clock_gettime(CLOCK_REALTIME, &dl);
  dl.tv_nsec += 10000000L;
  dl.tv_sec += dl.tv_nsec / 1000000000L;
  dl.tv_nsec %= 1000000000L;
  assert_int_equal(lockinstr_pthread_cond_timedwait(&LI_SITE[3], &cv, &mu, &dl),
                   ETIMEDOUT);
  lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_cond_timedwait", 13, "timeouts"), 1);
  assert_int_equal(t_site_u64(p, "pthread_cond_timedwait", 13, "cond.count"),
                   1);
  assert_true(t_site_u64(p, "pthread_cond_timedwait", 13, "cond.total_ns") >=
              5000000ull);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 11, "releases"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static void c11_mutex_and_condition(void **state) {
  mtx_t m;
  cnd_t c;
  struct timespec dl;
  json_t *p;
  (void)state;
  lockinstr_reset();
  assert_int_equal(mtx_init(&m, mtx_timed), thrd_success);
  assert_int_equal(cnd_init(&c), thrd_success);
  assert_int_equal(lockinstr_mtx_lock(&LI_SITE[6], &m), thrd_success);
  timespec_get(&dl, TIME_UTC);
  dl.tv_nsec += 5000000L;
  dl.tv_sec += dl.tv_nsec / 1000000000L;
  dl.tv_nsec %= 1000000000L;
  assert_int_equal(lockinstr_cnd_timedwait(&LI_SITE[9], &c, &m, &dl),
                   thrd_timedout);
  assert_int_equal(lockinstr_mtx_unlock(&LI_SITE[7], &m), thrd_success);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "mtx_lock", 30, "acquisitions"), 1);
  assert_int_equal(t_site_u64(p, "mtx_unlock", 31, "releases"), 1);
  assert_int_equal(t_site_u64(p, "cnd_timedwait", 33, "timeouts"), 1);
  assert_int_equal(t_site_u64(p, "cnd_timedwait", 33, "cond.count"), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  cnd_destroy(&c);
  mtx_destroy(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cond_wait_accounting),
      cmocka_unit_test(cond_timedwait_timeout),
      cmocka_unit_test(c11_mutex_and_condition),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
#include "lockinstr_threads.h"
