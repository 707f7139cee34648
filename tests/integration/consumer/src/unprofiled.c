/* unprofiled.c — excluded by its own path (EXCLUDE src/unprofiled.c): it
 * compiles unchanged and its lock must not appear in the profile. */
#include "worker.h"

static pthread_mutex_t unprofiled_lock = PTHREAD_MUTEX_INITIALIZER;

void unprofiled_touch(void) {
  pthread_mutex_lock(&unprofiled_lock);
  pthread_mutex_unlock(&unprofiled_lock);
}
