/* A lock macro defined in two #if branches, the active one last (see
 * cond_macro_a.c): the same sites. */
#include <pthread.h>

#if defined(NO_THREADS)
#define MY_LOCK(m) ((void)(m))
#define MY_UNLOCK(m) ((void)(m))
#else
#define MY_LOCK(m) pthread_mutex_lock((m))
#define MY_UNLOCK(m) pthread_mutex_unlock((m))
#endif

#ifdef USE_RWLOCK
#define RD_LOCK(l) pthread_rwlock_rdlock(&(l)->rw)
#else
#define RD_LOCK(l) pthread_mutex_lock(&(l)->mu)
#endif

struct cm_lock {
  pthread_mutex_t mu;
  pthread_rwlock_t rw;
};

pthread_mutex_t cm_b = PTHREAD_MUTEX_INITIALIZER;
struct cm_lock cm_l = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_RWLOCK_INITIALIZER};

void cm_second(void) {
  MY_LOCK(&cm_b);
  MY_UNLOCK(&cm_b);
  RD_LOCK(&cm_l);
  MY_UNLOCK(&cm_l.mu);
}
