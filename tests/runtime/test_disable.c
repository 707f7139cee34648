/*
 * test_disable.c — compiled with -DLOCKINSTR_DISABLE: every wrapper is the
 * plain call (same results), and the runtime never hears of the sites.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <threads.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#define LOCKINSTR_USES_THREADS 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#ifndef LOCKINSTR_DISABLE
#error "test_disable.c must be built with -DLOCKINSTR_DISABLE"
#endif

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "d.c", "f", "&mu", "mu",
                        ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 11, 3, "d.c", "f", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 3, "d.c", "f", "&mu", "mu",
                        ""),
    LOCKINSTR_SITE_INIT(mtx_lock, 0, 13, 3, "d.c", "f", "&m", "m", ""),
    LOCKINSTR_SITE_INIT(mtx_unlock, 0, 14, 3, "d.c", "f", "&m", "m", ""),
    LOCKINSTR_SITE_INIT(mtx_destroy, 0, 15, 3, "d.c", "f", "&m", "m", ""),
};

static void wrappers_are_plain_calls(void **state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  mtx_t m;
  json_t *p;
  (void)state;
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu), 0);
  assert_int_equal(lockinstr_pthread_mutex_trylock(&LI_SITE[1], &mu), EBUSY);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[2], &mu), 0);
  assert_int_equal(mtx_init(&m, mtx_plain), thrd_success);
  assert_int_equal(lockinstr_mtx_lock(&LI_SITE[3], &m), thrd_success);
  assert_int_equal(lockinstr_mtx_unlock(&LI_SITE[4], &m), thrd_success);
  lockinstr_mtx_destroy(&LI_SITE[5], &m);
  assert_int_equal(LI_SITE[0].id, 0);
  assert_int_equal(li_held_depth(), 0);
  p = t_dump();
  assert_int_equal(json_array_size(json_object_get(p, "sites")), 0);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(wrappers_are_plain_calls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
#include "lockinstr_threads.h"
