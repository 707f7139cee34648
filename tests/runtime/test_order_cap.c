/*
 * test_order_cap.c — memory for lock-order edges is bounded: built against
 * a runtime compiled with LI_EDGES_MAX=8, a thread that takes 20 distinct
 * edges keeps 8 and counts 12 in dropped.edges, and a second thread's 8
 * new edges, folded at its exit into a global table already full, are
 * counted there too.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#if !defined(LI_EDGES_MAX)
#error "build with -DLI_EDGES_MAX=8 (tests/runtime/CMakeLists.txt)"
#endif

static struct lockinstr_site outer = LOCKINSTR_SITE_INIT(
    pthread_mutex_lock, 0, 10, 3, "cap.c", "f", "&a", "a", "");
static struct lockinstr_site unlock = LOCKINSTR_SITE_INIT(
    pthread_mutex_unlock, 0, 11, 3, "cap.c", "f", "&a", "a", "");
static struct lockinstr_site inner[20];
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, ls[20];

/* Holding a, takes ls[from .. to-1], each at its own site. */
static void *edges(void *arg) {
  const int *r = arg;
  int k;
  lockinstr_pthread_mutex_lock(&outer, &a);
  for (k = r[0]; k < r[1]; k++) {
    lockinstr_pthread_mutex_lock(&inner[k], &ls[k]);
    lockinstr_pthread_mutex_unlock(&unlock, &ls[k]);
  }
  lockinstr_pthread_mutex_unlock(&unlock, &a);
  return NULL;
}

static void edges_are_capped(void **state) {
  int first[2] = {0, 20}, second[2] = {12, 20};
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  assert_int_equal(pthread_create(&th, NULL, edges, first), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  p = t_dump();
  assert_int_equal(json_array_size(json_object_get(
                       json_object_get(p, "lock_order"), "edges")),
                   8);
  assert_int_equal(t_u64(p, "dropped.edges"), 12);
  json_decref(p);
  assert_int_equal(pthread_create(&th, NULL, edges, second), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  p = t_dump(); /* 8 new edges, no room left globally */
  assert_int_equal(json_array_size(json_object_get(
                       json_object_get(p, "lock_order"), "edges")),
                   8);
  assert_int_equal(t_u64(p, "dropped.edges"), 20);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(edges_are_capped),
  };
  int k;
  for (k = 0; k < 20; k++) {
    struct lockinstr_site s = LOCKINSTR_SITE_INIT(
        pthread_mutex_lock, 0, 100, 3, "cap.c", "f", "&ls[k]", "ls[]", "");
    s.line = 100u + (unsigned int)k;
    inner[k] = s;
    pthread_mutex_init(&ls[k], NULL);
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
