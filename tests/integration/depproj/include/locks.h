/* locks.h — depproj's lock helpers: STATS_LOCK()/STATS_UNLOCK() take the
 * statistics lock; bump() adds one under it (dep_project.sh edits both). */
#ifndef LOCKS_H
#define LOCKS_H
#include <pthread.h>

extern pthread_mutex_t stats_mu, other_mu;

#define STATS_LOCK() pthread_mutex_lock(&stats_mu)
#define STATS_UNLOCK() pthread_mutex_unlock(&stats_mu)

static inline void bump(long *v) {
  pthread_mutex_lock(&stats_mu);
  *v += 1;
  pthread_mutex_unlock(&stats_mu);
}
#endif
