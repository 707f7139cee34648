/*
 * test_clash.c — a program whose own globals carry the runtime's internal
 * names (li_lock, li_init, li_config) links with liblockinstr.a and with
 * liblockinstr.so (issue 20) and runs: each side calls its own. Before
 * the static archive made its internals local, the link failed with
 * "multiple definition of `li_lock'".
 *
 * The runtime takes its internal mutex (its li_lock) on every slow path
 * and dump, and runs its li_init from a constructor: had either call
 * reached the program's function, the counters below would show it.
 */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[2] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 3, "clash.c", "work", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 42, 3, "clash.c", "work",
                        "&mu", "mu", ""),
};
#line 1 "tests/runtime/clash.c"
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "lockinstr.h"

/* The program's own, with the runtime's internal names. */
int li_config = 42;
unsigned int li_lock_calls, li_init_calls;
void li_lock(void);
void li_init(void);

void li_lock(void) {
  li_lock_calls++;
}
void li_init(void) {
  li_init_calls++;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void own_names_are_the_programs(void **state) {
  json_t *p;
  int i;
  (void)state;
  li_init();
  li_lock();
  for (i = 0; i < 1000; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &mu);
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &mu);
  }
  p = t_dump(); /* the runtime's li_lock, li_config and li_init at work */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "acquisitions"),
                   1000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 42, "releases"), 1000);
  assert_int_equal(t_u64(p, "sample_rate"), 100);
  json_decref(p);
  assert_int_equal(li_init_calls, 1);
  assert_int_equal(li_lock_calls, 1);
  assert_int_equal(li_config, 42);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(own_names_are_the_programs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
#include <lockinstr_pthread.h>
