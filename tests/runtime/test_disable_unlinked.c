/*
 * test_disable_unlinked.c — compiled with -DLOCKINSTR_DISABLE and linked
 * WITHOUT liblockinstr: the whole public API (control calls and hand
 * annotations) and the wrappers compile to no-ops, so a program built with
 * the off switch needs no runtime (issue #19 item 8). That it links at all
 * is half the test; the values say "nothing is recorded".
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "lockinstr.h"
#include "lockinstr_pthread.h"

#ifndef LOCKINSTR_DISABLE
#error "test_disable_unlinked.c must be built with -DLOCKINSTR_DISABLE"
#endif

static struct lockinstr_site LI_SITE[] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 3, "u.c", "f", "&mu", "mu",
                        ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 3, "u.c", "f", "&mu", "mu",
                        ""),
};

static void control_calls_are_no_ops(void **state) {
  (void)state;
  assert_int_equal(lockinstr_set_sample_rate(7), 0);
  assert_int_equal(lockinstr_get_sample_rate(), 0);
  assert_int_equal(lockinstr_dump(NULL), 0);
  assert_int_equal(lockinstr_dump("/nonexistent/dir/p.json"), 0);
  lockinstr_reset();
  lockinstr_enable(1);
  assert_int_equal(lockinstr_enabled(), 0);
  assert_int_equal(lockinstr_set_default_output("x.json"), 0);
  lockinstr_set_default_quiet(1);
  assert_non_null(strstr(lockinstr_strerror(-EINVAL), "LOCKINSTR_DISABLE"));
  assert_true(lockinstr_now_ns() == 0);
}

static void annotations_and_wrappers_are_plain(void **state) {
  static struct lockinstr_site custom = LOCKINSTR_SITE_CUSTOM("f", "&mu", "mu");
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  (void)state;
  track_describe(&custom, "my_lock", LOCKINSTR_KIND_ACQUIRE,
                 LOCKINSTR_MODE_EXCL);
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu), 0);
  track_acquire(&custom, &mu, LOCKINSTR_MODE_EXCL, 0, 0);
  assert_int_equal(pthread_mutex_trylock(&mu), EBUSY); /* really locked */
  assert_int_equal(track_cond_enter(&custom, &mu), 0);
  track_cond_leave(&custom, &mu, 0, LOCKINSTR_OUTCOME_OK, 0);
  track_release(&custom, &mu);
  track_failed(&custom, LOCKINSTR_OUTCOME_BUSY);
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu), 0);
  assert_int_equal(pthread_mutex_trylock(&mu), 0); /* really unlocked */
  pthread_mutex_unlock(&mu);
  assert_int_equal(custom.id, 0);
  assert_int_equal(LI_SITE[0].id, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(control_calls_are_no_ops),
      cmocka_unit_test(annotations_and_wrappers_are_plain),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
