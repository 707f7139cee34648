/* Every C11 <threads.h> API of the lock table, called once. */
#include <threads.h>
#include <time.h>

mtx_t mx;
cnd_t cd;

int all_threads(const struct timespec *ts) {
  int rc = 0;
  rc |= mtx_init(&mx, mtx_timed);
  rc |= mtx_lock(&mx);
  rc |= mtx_trylock(&mx);
  rc |= mtx_timedlock(&mx, ts);
  rc |= cnd_wait(&cd, &mx);
  rc |= cnd_timedwait(&cd, &mx, ts);
  rc |= mtx_unlock(&mx);
  mtx_destroy(&mx);
  return rc;
}
