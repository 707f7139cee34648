/* lockinstr: instrumented from cond_macro_b.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(7)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 28, 3, "cond_macro_b.c", "cm_second", "(&cm_b)", "cm_b", "MY_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_macro_b.c", "", "unattributed use of macro MY_LOCK", "unattributed use of macro MY_LOCK @ cond_macro_b.c", "MY_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 29, 3, "cond_macro_b.c", "cm_second", "(&cm_b)", "cm_b", "MY_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 31, 3, "cond_macro_b.c", "cm_second", "(&cm_l.mu)", "struct cm_lock.mu", "MY_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_macro_b.c", "", "unattributed use of macro MY_UNLOCK", "unattributed use of macro MY_UNLOCK @ cond_macro_b.c", "MY_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 30, 3, "cond_macro_b.c", "cm_second", "&(&cm_l)->mu", "struct cm_lock.mu", "RD_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_macro_b.c", "", "unattributed use of macro RD_LOCK", "unattributed use of macro RD_LOCK @ cond_macro_b.c", "RD_LOCK"),
};
#line 1 "cond_macro_b.c"
/* A lock macro defined in two #if branches, the active one last (see
 * cond_macro_a.c): the same sites. */
#include <pthread.h>

#if defined(NO_THREADS)
#define MY_LOCK(m) ((void)(m))
#define MY_UNLOCK(m) ((void)(m))
#else
#define MY_LOCK(m) lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 28 ? 0 : 1], (m))
#define MY_UNLOCK(m) lockinstr_pthread_mutex_unlock(&LI_SITE[__LINE__ == 29 ? 2 : __LINE__ == 31 ? 3 : 4], (m))
#endif

#ifdef USE_RWLOCK
#define RD_LOCK(l) pthread_rwlock_rdlock(&(l)->rw)
#else
#define RD_LOCK(l) lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 30 ? 5 : 6], &(l)->mu)
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
#include <lockinstr_pthread.h>
