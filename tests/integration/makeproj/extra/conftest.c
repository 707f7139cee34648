/* conftest.c — named like autoconf's test programs: passed through. */
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int main(void) {
  return pthread_mutex_lock(&m);
}
