/* lockinstr: instrumented from macros.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(12)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 27, 3, "macros.c", "deposit", "&a->lock", "struct account.lock", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 32, 12, "macros.c", "lock_both", "&g", "g", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 33, 9, "macros.c", "lock_both", "&h", "h", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macros.c", "", "unattributed use of macro LOCK", "unattributed use of macro LOCK @ macros.c", "LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 27, 3, "macros.c", "deposit", "&a->lock", "struct account.lock", "UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 35, 9, "macros.c", "lock_both", "&h", "h", "UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 37, 3, "macros.c", "lock_both", "&g", "g", "UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macros.c", "", "unattributed use of macro UNLOCK", "unattributed use of macro UNLOCK @ macros.c", "UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 36, 9, "macros.c", "lock_both", "&g", "g", "LOCK_G"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macros.c", "", "unattributed use of macro LOCK_G", "unattributed use of macro LOCK_G @ macros.c", "LOCK_G"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 42, 12, "macros.c", "other_forms", "&(acct)->lock", "struct account.lock", "ACCOUNT_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "macros.c", "", "unattributed use of macro ACCOUNT_LOCK", "unattributed use of macro ACCOUNT_LOCK @ macros.c", "ACCOUNT_LOCK"),
};
#line 1 "macros.c"
/* Lock calls written in macros defined in this file: rewritten in the
 * macro body; each use gets its own site, chosen by __LINE__. */
#include <pthread.h>

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t h = PTHREAD_MUTEX_INITIALIZER;
struct account {
  pthread_mutex_t lock;
  long balance;
};

#define LOCK(m) lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 27 ? 0 : __LINE__ == 32 ? 1 : __LINE__ == 33 ? 2 : __LINE__ == 34 ? 2 : 3], m)
#define UNLOCK(m) lockinstr_pthread_mutex_unlock(&LI_SITE[__LINE__ == 27 ? 4 : __LINE__ == 35 ? 5 : __LINE__ == 37 ? 6 : 7], m)
#define LOCK_G() lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 36 ? 8 : 9], &g)
#define WITH_LOCK(m, stmt)                                                     \
  do {                                                                         \
    LOCK(m);                                                                   \
    stmt;                                                                      \
    UNLOCK(m);                                                                 \
  } while (0)
#define ACCOUNT_LOCK(a) lockinstr_pthread_mutex_lock(&LI_SITE[__LINE__ == 42 ? 10 : 11], &(a)->lock)
#define LOCK_FN pthread_mutex_lock
#define CALL(f, x) f(x)

long deposit(struct account *a, long n) {
  long b;
  WITH_LOCK(&a->lock, b = a->balance += n);
  return b;
}

int lock_both(void) {
  int rc = LOCK(&g);
  rc |= LOCK(
      &h);
  rc |= UNLOCK(&h);
  rc |= LOCK_G();
  UNLOCK(&g); UNLOCK(&g);
  return rc;
}

int other_forms(struct account *acct) {
  int rc = ACCOUNT_LOCK(acct);
  rc |= LOCK_FN(&g);
  rc |= CALL(pthread_mutex_unlock, &g);
  int (*fp)(pthread_mutex_t *) = pthread_mutex_unlock;
  rc |= fp(&acct->lock);
  return rc;
}
#include <lockinstr_pthread.h>
