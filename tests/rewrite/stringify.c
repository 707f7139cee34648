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
    TRACE(ID(pthread_mutex_lock(&a)));
    if (TRACE(pthread_mutex_trylock(&b) == 0 &&
              pthread_mutex_unlock(&b) == 0))
      TRACE(pthread_mutex_unlock(&a)
            + __LINE__);
  }
  assert(pthread_mutex_lock(&a) == 0);
  TRACE(__LINE__);
  assert(pthread_mutex_trylock(&a) == 0 || !fail);
  return pthread_mutex_unlock(&a);
}
