/* syntax.c — does not compile: the launcher must fail like the compiler. */
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int f(void) {
  pthread_mutex_lock(&m)
  return 0;
}
