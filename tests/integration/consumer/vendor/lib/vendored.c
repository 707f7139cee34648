/* vendored.c — third-party code excluded with EXCLUDE vendor/*: it must
 * compile unchanged, and its lock must not appear in the profile. */
#include <pthread.h>

static pthread_mutex_t vendored_lock = PTHREAD_MUTEX_INITIALIZER;
static long vendored_count;

void vendored_add(long n) {
  pthread_mutex_lock(&vendored_lock);
  vendored_count += n;
  pthread_mutex_unlock(&vendored_lock);
}

long vendored_total(void) {
  pthread_mutex_lock(&vendored_lock);
  long n = vendored_count;
  pthread_mutex_unlock(&vendored_lock);
  return n;
}
