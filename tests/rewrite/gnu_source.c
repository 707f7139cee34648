/* _GNU_SOURCE before the first include must still take effect: the
 * prologue includes no libc header. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

pthread_mutex_t gnu_lock = PTHREAD_MUTEX_INITIALIZER;

int gnu(void) {
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ADAPTIVE_NP); /* GNU only */
  int rc = pthread_mutex_init(&gnu_lock, &at);
  rc |= pthread_mutex_lock(&gnu_lock);
  rc |= (int)strlen(strchrnul("ab", 'b')); /* GNU only */
  return rc | pthread_mutex_unlock(&gnu_lock);
}
