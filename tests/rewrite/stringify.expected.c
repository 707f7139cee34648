/* lockinstr: instrumented from stringify.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(7)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 21, 14, "stringify.c", "stringify_run", "&a", "a (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 22, 15, "stringify.c", "stringify_run", "&b", "b (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 23, 15, "stringify.c", "stringify_run", "&b", "b (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 24, 13, "stringify.c", "stringify_run", "&a", "a (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 27, 10, "stringify.c", "stringify_run", "&a", "a (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 29, 10, "stringify.c", "stringify_run", "&a", "a (stringify.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 30, 10, "stringify.c", "stringify_run", "&a", "a (stringify.c)", ""),
};
#pragma push_macro("pthread_mutex_trylock")
#define pthread_mutex_trylock(a0) lockinstr_pthread_mutex_trylock(&LI_SITE[5], a0)
#pragma push_macro("pthread_mutex_trylock")
#undef pthread_mutex_trylock
#pragma push_macro("pthread_mutex_lock")
#define pthread_mutex_lock(a0) lockinstr_pthread_mutex_lock(&LI_SITE[4], a0)
#pragma push_macro("pthread_mutex_lock")
#undef pthread_mutex_lock
#pragma push_macro("pthread_mutex_unlock")
#define pthread_mutex_unlock(a0) lockinstr_pthread_mutex_unlock(&LI_SITE[3], a0)
#pragma push_macro("pthread_mutex_unlock")
#undef pthread_mutex_unlock
#pragma push_macro("pthread_mutex_unlock")
#define pthread_mutex_unlock(a0) lockinstr_pthread_mutex_unlock(&LI_SITE[2], a0)
#pragma push_macro("pthread_mutex_unlock")
#undef pthread_mutex_unlock
#pragma push_macro("pthread_mutex_trylock")
#define pthread_mutex_trylock(a0) lockinstr_pthread_mutex_trylock(&LI_SITE[1], a0)
#pragma push_macro("pthread_mutex_trylock")
#undef pthread_mutex_trylock
#pragma push_macro("pthread_mutex_lock")
#define pthread_mutex_lock(a0) lockinstr_pthread_mutex_lock(&LI_SITE[0], a0)
#pragma push_macro("pthread_mutex_lock")
#undef pthread_mutex_lock
#line 1 "stringify.c"
/* Lock calls in arguments that a macro prints with #x (assert, TRACE,
 * over several lines, two APIs in one use, through a macro nested in the
 * argument): the calls go through the wrappers, and the program prints
 * what it prints uninstrumented (rewrite.stringify_run runs it). With
 * fail set, the last assert fails and prints the call as written. */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

#define TRACE(x) printf("%s = %d\n", #x, (x))
#define ID(x) x

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

int stringify_run(int fail);

int stringify_run(int fail) {
  int i;
  for (i = 0; i < 3; i++) {
    _Pragma("pop_macro(\"pthread_mutex_lock\")") TRACE(ID(pthread_mutex_lock(&a))) _Pragma("pop_macro(\"pthread_mutex_lock\")");
    if (_Pragma("pop_macro(\"pthread_mutex_trylock\")") _Pragma("pop_macro(\"pthread_mutex_unlock\")") TRACE(pthread_mutex_trylock(&b) == 0 &&
              pthread_mutex_unlock(&b) == 0) _Pragma("pop_macro(\"pthread_mutex_trylock\")") _Pragma("pop_macro(\"pthread_mutex_unlock\")"))
      _Pragma("pop_macro(\"pthread_mutex_unlock\")") TRACE(pthread_mutex_unlock(&a)
            + __LINE__) _Pragma("pop_macro(\"pthread_mutex_unlock\")");
  }
  _Pragma("pop_macro(\"pthread_mutex_lock\")") assert(pthread_mutex_lock(&a) == 0) _Pragma("pop_macro(\"pthread_mutex_lock\")");
  TRACE(__LINE__);
  _Pragma("pop_macro(\"pthread_mutex_trylock\")") assert(pthread_mutex_trylock(&a) == 0 || !fail) _Pragma("pop_macro(\"pthread_mutex_trylock\")");
  return lockinstr_pthread_mutex_unlock(&LI_SITE[6], &a);
}
#include <lockinstr_pthread.h>
