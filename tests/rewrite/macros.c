/* Lock calls written in macros defined in this file: rewritten in the
 * macro body; each use gets its own site, chosen by __LINE__. */
#include <pthread.h>

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t h = PTHREAD_MUTEX_INITIALIZER;
struct account {
  pthread_mutex_t lock;
  long balance;
};

#define LOCK(m) pthread_mutex_lock(m)
#define UNLOCK(m) pthread_mutex_unlock(m)
#define LOCK_G() pthread_mutex_lock(&g)
#define WITH_LOCK(m, stmt)                                                     \
  do {                                                                         \
    LOCK(m);                                                                   \
    stmt;                                                                      \
    UNLOCK(m);                                                                 \
  } while (0)
#define ACCOUNT_LOCK(a) pthread_mutex_lock(&(a)->lock)
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
