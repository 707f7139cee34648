/* lockinstr: instrumented from contexts.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(23)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 11, 13, "contexts.c", "in_if", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 13, 7, "contexts.c", "in_if", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 20, 10, "contexts.c", "in_loops", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 23, 5, "contexts.c", "in_loops", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 23, 29, "contexts.c", "in_loops", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 25, 9, "contexts.c", "in_loops", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 25, 38, "contexts.c", "in_loops", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 27, 5, "contexts.c", "in_loops", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 33, 14, "contexts.c", "in_return", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 33, 39, "contexts.c", "in_return", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 37, 12, "contexts.c", "in_expressions", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 37, 37, "contexts.c", "in_expressions", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 38, 9, "contexts.c", "in_expressions", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 38, 33, "contexts.c", "in_expressions", "&b", "b", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 39, 9, "contexts.c", "in_expressions", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 39, 39, "contexts.c", "in_expressions", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 42, 21, "contexts.c", "in_expressions", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 45, 27, "contexts.c", "two_on_a_line", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 45, 58, "contexts.c", "two_on_a_line", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 48, 10, "contexts.c", "multi_line_call", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 50, 7, "contexts.c", "multi_line_call", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 54, 12, "contexts.c", "in_a_system_macro_argument", "&a", "a", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 55, 21, "contexts.c", "in_a_system_macro_argument", "&a", "a", ""),
};
#pragma push_macro("pthread_mutex_unlock")
#define pthread_mutex_unlock(a0) lockinstr_pthread_mutex_unlock(&LI_SITE[22], a0)
#pragma push_macro("pthread_mutex_unlock")
#undef pthread_mutex_unlock
#line 1 "contexts.c"
/* Lock calls in every expression context; the rewrite is correct in each
 * and never adds a statement. */
#include <assert.h>
#include <pthread.h>

pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int in_if(void) {
  int rc;
  if ((rc = lockinstr_pthread_mutex_trylock(&LI_SITE[0], &a)))
    return rc;
  if (lockinstr_pthread_mutex_unlock(&LI_SITE[1], &a) != 0)
    return -1;
  return 0;
}

int in_loops(int n) {
  int i;
  while (lockinstr_pthread_mutex_trylock(&LI_SITE[2], &a) != 0)
    ;
  for (i = 0; i < n; i++)
    lockinstr_pthread_mutex_lock(&LI_SITE[3], &b), lockinstr_pthread_mutex_unlock(&LI_SITE[4], &b);
  for (i = 0; i < n; i++)
    if (lockinstr_pthread_mutex_lock(&LI_SITE[5], &b) == 0) lockinstr_pthread_mutex_unlock(&LI_SITE[6], &b); else break;
  do
    lockinstr_pthread_mutex_unlock(&LI_SITE[7], &a);
  while (0);
  return i;
}

int in_return(int x) {
  return x ? lockinstr_pthread_mutex_lock(&LI_SITE[8], &a) : lockinstr_pthread_mutex_lock(&LI_SITE[9], &b);
}

int in_expressions(void) {
  int rc = lockinstr_pthread_mutex_lock(&LI_SITE[10], &a) + lockinstr_pthread_mutex_unlock(&LI_SITE[11], &a);
  rc = (lockinstr_pthread_mutex_lock(&LI_SITE[12], &b), lockinstr_pthread_mutex_unlock(&LI_SITE[13], &b));
  rc += lockinstr_pthread_mutex_lock(&LI_SITE[14], &a) == 0 ? lockinstr_pthread_mutex_unlock(&LI_SITE[15], &a) : -1;
  int (*check)(int) = 0;
  (void)check;
  return rc ? rc : (lockinstr_pthread_mutex_lock)(&LI_SITE[16], &a);
}

int two_on_a_line(void) { lockinstr_pthread_mutex_lock(&LI_SITE[17], &a); return lockinstr_pthread_mutex_unlock(&LI_SITE[18], &a); }

int multi_line_call(void) {
  return lockinstr_pthread_mutex_lock(&LI_SITE[19], 
      &a
  ) | lockinstr_pthread_mutex_unlock /* why */ (&LI_SITE[20], &a);
}

void in_a_system_macro_argument(void) {
  int rc = lockinstr_pthread_mutex_lock(&LI_SITE[21], &a);
  _Pragma("pop_macro(\"pthread_mutex_unlock\")") assert(rc == 0 && pthread_mutex_unlock(&a) == 0) _Pragma("pop_macro(\"pthread_mutex_unlock\")");
  (void)rc;
}
#include <lockinstr_pthread.h>
