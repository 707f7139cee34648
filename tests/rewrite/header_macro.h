/* A project header (under the root, not an input): its macro and its
 * inline function are instrumented in its copy. */
#ifndef HEADER_MACRO_H
#define HEADER_MACRO_H
#include <pthread.h>

#define HDR_LOCK(m) pthread_mutex_lock(m)

static inline int hdr_unlock(pthread_mutex_t *m) {
  return pthread_mutex_unlock(m);
}

#endif
