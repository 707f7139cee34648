/* A lock macro defined in two #if branches, the active one first: the
 * definition the preprocessor reads is rewritten, the other is left
 * alone (it was read from the last #define: 0 sites). RD_LOCK has a lock
 * call in both branches: only the active one's is rewritten. */
#include <pthread.h>

#if !defined(NO_THREADS)
#define MY_LOCK(m) pthread_mutex_lock((m))
#define MY_UNLOCK(m) pthread_mutex_unlock((m))
#else
#define MY_LOCK(m) ((void)(m))
#define MY_UNLOCK(m) ((void)(m))
#endif

#ifndef USE_RWLOCK
#define RD_LOCK(l) pthread_mutex_lock(&(l)->mu)
#else
#define RD_LOCK(l) pthread_rwlock_rdlock(&(l)->rw)
#endif

struct cm_lock {
  pthread_mutex_t mu;
  pthread_rwlock_t rw;
};

pthread_mutex_t cm_a = PTHREAD_MUTEX_INITIALIZER;
struct cm_lock cm_l = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_RWLOCK_INITIALIZER};

void cm_first(void) {
  MY_LOCK(&cm_a);
  MY_UNLOCK(&cm_a);
  RD_LOCK(&cm_l);
  MY_UNLOCK(&cm_l.mu);
}
