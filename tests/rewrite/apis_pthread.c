/* Every <pthread.h> mutex, rwlock and condition API of the lock table,
 * called once (spin locks: apis_spin.c). */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

int all_pthread(const struct timespec *ts) {
  int rc = 0;
  rc |= pthread_mutex_init(&m, NULL);
  rc |= pthread_mutex_lock(&m);
  rc |= pthread_mutex_trylock(&m);
  rc |= pthread_mutex_timedlock(&m, ts);
  rc |= pthread_mutex_clocklock(&m, CLOCK_MONOTONIC, ts);
  rc |= pthread_cond_wait(&cv, &m);
  rc |= pthread_cond_timedwait(&cv, &m, ts);
  rc |= pthread_cond_clockwait(&cv, &m, CLOCK_MONOTONIC, ts);
  rc |= pthread_mutex_unlock(&m);
  rc |= pthread_mutex_destroy(&m);
  rc |= pthread_rwlock_init(&rw, NULL);
  rc |= pthread_rwlock_rdlock(&rw);
  rc |= pthread_rwlock_wrlock(&rw);
  rc |= pthread_rwlock_tryrdlock(&rw);
  rc |= pthread_rwlock_trywrlock(&rw);
  rc |= pthread_rwlock_timedrdlock(&rw, ts);
  rc |= pthread_rwlock_timedwrlock(&rw, ts);
  rc |= pthread_rwlock_clockrdlock(&rw, CLOCK_MONOTONIC, ts);
  rc |= pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, ts);
  rc |= pthread_rwlock_unlock(&rw);
  rc |= pthread_rwlock_destroy(&rw);
  return rc;
}
