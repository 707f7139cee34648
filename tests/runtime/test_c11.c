/*
 * test_c11.c — the C11 <threads.h> group: mtx_lock / trylock / timedlock /
 * unlock return thrd_success, thrd_busy, thrd_timedout exactly as the real
 * calls, and count acquisitions, try failures, timeouts, contention;
 * recursive C11 mutexes; mtx_destroy (void) forgets the lock.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <threads.h>
#include <time.h>

#include <cmocka.h>

#define LOCKINSTR_USES_THREADS 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#define S(api, line)                                                           \
  LOCKINSTR_SITE_INIT(api, 0, line, 5, "c11.c", "f", "&m", "m", "")
static struct lockinstr_site LI_SITE[] = {
    S(mtx_lock, 10),   S(mtx_trylock, 11), S(mtx_timedlock, 12),
    S(mtx_unlock, 13), S(mtx_init, 14),    S(mtx_destroy, 15),
};

static mtx_t m;
static int state_; /* 1 = holding, 2 = may release; atomic */

/* Run with pthread_create: TSan (clang 14) does not intercept thrd_create
 * and crashes in threads it did not see start. */
static void *hold_until_told(void *arg) {
  (void)arg;
  mtx_lock(&m);
  __atomic_store_n(&state_, 1, __ATOMIC_RELEASE);
  while (__atomic_load_n(&state_, __ATOMIC_ACQUIRE) != 2)
    t_sleep_ns(100000);
  t_sleep_ns(20000000ull);
  mtx_unlock(&m);
  return NULL;
}

static void c11_semantics(void **unused) {
  struct timespec dl;
  unsigned int depth = li_held_depth();
  pthread_t th;
  json_t *p;
  (void)unused;
  lockinstr_reset();
  assert_int_equal(lockinstr_mtx_init(&LI_SITE[4], &m, mtx_timed),
                   thrd_success);
  pthread_create(&th, NULL, hold_until_told, NULL);
  while (__atomic_load_n(&state_, __ATOMIC_ACQUIRE) != 1)
    t_sleep_ns(100000);
  assert_int_equal(lockinstr_mtx_trylock(&LI_SITE[1], &m), thrd_busy);
  timespec_get(&dl, TIME_UTC);
  dl.tv_nsec += 10000000L;
  dl.tv_sec += dl.tv_nsec / 1000000000L;
  dl.tv_nsec %= 1000000000L;
  assert_int_equal(lockinstr_mtx_timedlock(&LI_SITE[2], &m, &dl),
                   thrd_timedout);
  __atomic_store_n(&state_, 2, __ATOMIC_RELEASE);
  assert_int_equal(lockinstr_mtx_lock(&LI_SITE[0], &m), thrd_success);
  assert_int_equal(lockinstr_mtx_unlock(&LI_SITE[3], &m), thrd_success);
  pthread_join(th, NULL);
  assert_int_equal(lockinstr_mtx_lock(&LI_SITE[0], &m), thrd_success);
  assert_int_equal(li_held_depth(), depth + 1);
  lockinstr_mtx_destroy(&LI_SITE[5], &m); /* held: forgotten */
  assert_int_equal(li_held_depth(), depth);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "mtx_lock", 10, "acquisitions"), 2);
  assert_int_equal(t_site_u64(p, "mtx_lock", 10, "contentions"), 1);
  assert_int_equal(t_site_u64(p, "mtx_lock", 10, "wait.count"), 1);
  assert_int_equal(t_site_u64(p, "mtx_trylock", 11, "try_failures"), 1);
  assert_int_equal(t_site_u64(p, "mtx_trylock", 11, "acquisitions"), 0);
  assert_int_equal(t_site_u64(p, "mtx_timedlock", 12, "timeouts"), 1);
  assert_int_equal(t_site_u64(p, "mtx_timedlock", 12, "acquisitions"), 0);
  assert_int_equal(t_site_u64(p, "mtx_unlock", 13, "releases"), 1);
  assert_non_null(t_site(p, "mtx_destroy", 15));
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

static void c11_recursive(void **unused) {
  mtx_t r;
  json_t *p;
  int i;
  (void)unused;
  lockinstr_reset();
  assert_int_equal(mtx_init(&r, mtx_plain | mtx_recursive), thrd_success);
  for (i = 0; i < 4; i++)
    assert_int_equal(lockinstr_mtx_lock(&LI_SITE[0], &r), thrd_success);
  for (i = 0; i < 4; i++)
    assert_int_equal(lockinstr_mtx_unlock(&LI_SITE[3], &r), thrd_success);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "mtx_lock", 10, "acquisitions"), 4);
  assert_int_equal(t_site_u64(p, "mtx_unlock", 13, "releases"), 4);
  assert_int_equal(t_site_u64(p, "mtx_lock", 10, "contentions"), 0);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  mtx_destroy(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(c11_semantics),
      cmocka_unit_test(c11_recursive),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_threads.h"
