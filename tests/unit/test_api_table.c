/*
 * test_api_table.c — consistency of the lock-API table
 * (include/lockinstr_api.h) and of everything generated from it: the
 * rewriter's lookup (tool/common/apis.c), the wrapper declarations
 * (lockinstr_site.h) and definitions (lockinstr_pthread.h,
 * lockinstr_threads.h).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#define LOCKINSTR_USES_THREADS 1
#include "lockinstr_site.h"
#include "apis.h"

#include "lockinstr_pthread.h"
#include "lockinstr_threads.h"

/* Every row has a wrapper of exactly the table's signature. This check is
 * made by the compiler, not at run time: the file does not compile (and the
 * test is not built) unless lockinstr_<name> exists with ret (site, params). */
#define CHECK_WRAPPER_(name, kind, mode, arg, succ, hdr, try_fn, ret, params,  \
                       args)                                                   \
  ret (*const wrap_##name)(struct lockinstr_site *,                            \
                           LOCKINSTR_PARAMS_ params) = lockinstr_##name;
LOCKINSTR_LOCK_APIS(CHECK_WRAPPER_)

static void lookup_finds_every_row(void **state) {
  (void)state;
  for (int i = 0; i < LOCKINSTR_API_COUNT; i++) {
    const char *n = li_apis[i].name;
    assert_int_equal(li_api_find(n, strlen(n)), i);
  }
  assert_int_equal(li_api_find("pthread_mutex_lockx", 19), -1);
  assert_int_equal(li_api_find("pthread_mutex_lock", 17), -1); /* prefix */
  assert_int_equal(li_api_find("pthread_mutex_lock", 18),
                   LOCKINSTR_API_pthread_mutex_lock);
}

static void names_are_unique(void **state) {
  (void)state;
  for (int i = 0; i < LOCKINSTR_API_COUNT; i++)
    for (int j = i + 1; j < LOCKINSTR_API_COUNT; j++)
      assert_string_not_equal(li_apis[i].name, li_apis[j].name);
}

static void lock_arg_is_a_void_pointer_param(void **state) {
  (void)state;
  for (int i = 0; i < LOCKINSTR_API_COUNT; i++) {
    const struct li_api *a = &li_apis[i];
    assert_in_range(a->lock_arg, 0, a->nargs - 1);
    /* the lock parameter is `void *l` (or `volatile void *l`) */
    const char *p = a->params;
    for (int k = 0; k < a->lock_arg; k++)
      p = strchr(p, ',') + 1;
    while (*p == ' ' || *p == '(')
      p++;
    if (strncmp(p, "volatile ", 9) == 0) /* pthread_spinlock_t is volatile */
      p += 9;
    assert_true(strncmp(p, "void *l", 7) == 0);
    /* condition waits take the condition first and the mutex second */
    if (a->kind == LOCKINSTR_KIND_CONDWAIT ||
        a->kind == LOCKINSTR_KIND_CONDTIMEDWAIT)
      assert_int_equal(a->lock_arg, 1);
  }
}

static void try_fn_is_a_try_row_of_the_same_mode(void **state) {
  (void)state;
  for (int i = 0; i < LOCKINSTR_API_COUNT; i++) {
    const struct li_api *a = &li_apis[i];
    int sem = a->kind == LOCKINSTR_KIND_SEMWAIT; /* probed by a SEMTRY */
    if (a->kind == LOCKINSTR_KIND_ACQUIRE || a->kind == LOCKINSTR_KIND_TIMED ||
        sem) {
      int t = li_api_find(a->try_fn, strlen(a->try_fn));
      assert_int_not_equal(t, -1);
      assert_int_equal(li_apis[t].kind,
                       sem ? LOCKINSTR_KIND_SEMTRY : LOCKINSTR_KIND_TRY);
      assert_int_equal(li_apis[t].mode, a->mode);
      assert_int_equal(li_apis[t].header, a->header);
    } else {
      assert_string_equal(a->try_fn, a->name);
    }
  }
}

static void success_matches_header(void **state) {
  (void)state;
  for (int i = 0; i < LOCKINSTR_API_COUNT; i++) {
    const struct li_api *a = &li_apis[i];
    if (a->success == LOCKINSTR_SUCCESS_NONE)
      assert_string_equal(a->ret, "void");
    else if (strncmp(a->name, "sem_", 4) == 0) /* -1 and errno */
      assert_int_equal(a->success, LOCKINSTR_SUCCESS_ERRNO);
    else if (a->header == LOCKINSTR_HEADER_PTHREAD)
      assert_int_equal(a->success, LOCKINSTR_SUCCESS_ZERO);
    else
      assert_int_equal(a->success, LOCKINSTR_SUCCESS_THRD);
    /* the group is named by the function's prefix (POSIX semaphores go
     * with <pthread.h>'s group: the same library) */
    int pthread = strncmp(a->name, "pthread_", 8) == 0 ||
                  strncmp(a->name, "sem_", 4) == 0;
    assert_int_equal(pthread, a->header == LOCKINSTR_HEADER_PTHREAD);
  }
}

static void design_coverage_is_in_the_table(void **state) {
  (void)state;
  static const char *const must[] = {"pthread_mutex_lock",
                                     "pthread_mutex_trylock",
                                     "pthread_mutex_timedlock",
                                     "pthread_mutex_clocklock",
                                     "pthread_mutex_unlock",
                                     "pthread_rwlock_rdlock",
                                     "pthread_rwlock_wrlock",
                                     "pthread_rwlock_tryrdlock",
                                     "pthread_rwlock_trywrlock",
                                     "pthread_rwlock_timedrdlock",
                                     "pthread_rwlock_timedwrlock",
                                     "pthread_rwlock_unlock",
                                     "pthread_spin_lock",
                                     "pthread_spin_trylock",
                                     "pthread_spin_unlock",
                                     "mtx_lock",
                                     "mtx_trylock",
                                     "mtx_timedlock",
                                     "mtx_unlock",
                                     "pthread_cond_wait",
                                     "pthread_cond_timedwait",
                                     "cnd_wait",
                                     "cnd_timedwait"};
  for (size_t i = 0; i < sizeof must / sizeof *must; i++)
    assert_int_not_equal(li_api_find(must[i], strlen(must[i])), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lookup_finds_every_row),
      cmocka_unit_test(names_are_unique),
      cmocka_unit_test(lock_arg_is_a_void_pointer_param),
      cmocka_unit_test(try_fn_is_a_try_row_of_the_same_mode),
      cmocka_unit_test(success_matches_header),
      cmocka_unit_test(design_coverage_is_in_the_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
