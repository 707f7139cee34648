/* A project header (not an input): its macro and inline function cannot
 * be rewritten, and the tool says so. */
#ifndef HEADER_MACRO_H
#define HEADER_MACRO_H
#include <pthread.h>

#define HDR_LOCK(m) pthread_mutex_lock(m)

static inline int hdr_unlock(pthread_mutex_t *m) {
  return pthread_mutex_unlock(m);
}

#endif
