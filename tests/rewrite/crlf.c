/* CRLF line endings are kept, and the prologue uses them too. */
#include <pthread.h>

pthread_mutex_t crlf_lock = PTHREAD_MUTEX_INITIALIZER;

int crlf(void) {
  pthread_mutex_lock(&crlf_lock);
  return pthread_mutex_unlock(&crlf_lock);
}
