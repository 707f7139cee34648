/* lockinstr: instrumented from apis_pthread.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(21)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_init, 0, 13, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 14, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 15, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_timedlock, 0, 16, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_clocklock, 0, 17, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_cond_wait, 0, 18, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_cond_timedwait, 0, 19, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_cond_clockwait, 0, 20, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 21, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_destroy, 0, 22, 9, "apis_pthread.c", "all_pthread", "&m", "m", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_init, 0, 23, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_rdlock, 0, 24, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_wrlock, 0, 25, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_tryrdlock, 0, 26, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_trywrlock, 0, 27, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_timedrdlock, 0, 28, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_timedwrlock, 0, 29, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_clockrdlock, 0, 30, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_clockwrlock, 0, 31, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_unlock, 0, 32, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_destroy, 0, 33, 9, "apis_pthread.c", "all_pthread", "&rw", "rw", ""),
};
#line 1 "apis_pthread.c"
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
  rc |= lockinstr_pthread_mutex_init(&LI_SITE[0], &m, NULL);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[1], &m);
  rc |= lockinstr_pthread_mutex_trylock(&LI_SITE[2], &m);
  rc |= lockinstr_pthread_mutex_timedlock(&LI_SITE[3], &m, ts);
  rc |= lockinstr_pthread_mutex_clocklock(&LI_SITE[4], &m, CLOCK_MONOTONIC, ts);
  rc |= lockinstr_pthread_cond_wait(&LI_SITE[5], &cv, &m);
  rc |= lockinstr_pthread_cond_timedwait(&LI_SITE[6], &cv, &m, ts);
  rc |= lockinstr_pthread_cond_clockwait(&LI_SITE[7], &cv, &m, CLOCK_MONOTONIC, ts);
  rc |= lockinstr_pthread_mutex_unlock(&LI_SITE[8], &m);
  rc |= lockinstr_pthread_mutex_destroy(&LI_SITE[9], &m);
  rc |= lockinstr_pthread_rwlock_init(&LI_SITE[10], &rw, NULL);
  rc |= lockinstr_pthread_rwlock_rdlock(&LI_SITE[11], &rw);
  rc |= lockinstr_pthread_rwlock_wrlock(&LI_SITE[12], &rw);
  rc |= lockinstr_pthread_rwlock_tryrdlock(&LI_SITE[13], &rw);
  rc |= lockinstr_pthread_rwlock_trywrlock(&LI_SITE[14], &rw);
  rc |= lockinstr_pthread_rwlock_timedrdlock(&LI_SITE[15], &rw, ts);
  rc |= lockinstr_pthread_rwlock_timedwrlock(&LI_SITE[16], &rw, ts);
  rc |= lockinstr_pthread_rwlock_clockrdlock(&LI_SITE[17], &rw, CLOCK_MONOTONIC, ts);
  rc |= lockinstr_pthread_rwlock_clockwrlock(&LI_SITE[18], &rw, CLOCK_MONOTONIC, ts);
  rc |= lockinstr_pthread_rwlock_unlock(&LI_SITE[19], &rw);
  rc |= lockinstr_pthread_rwlock_destroy(&LI_SITE[20], &rw);
  return rc;
}
#include <lockinstr_pthread.h>
