/* locks.h — hdrproj's lock helpers, in a header outside src/: a lock macro
 * used on several lines of two files, and a static inline helper that
 * locks (one site for its line, summed over every caller). */
#ifndef LOCKS_H
#define LOCKS_H
#include <pthread.h>

#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)

static inline void locked_add(pthread_mutex_t *m, long *v, long d) {
  pthread_mutex_lock(m);
  *v += d;
  pthread_mutex_unlock(m);
}
#endif
