/* lockinstr: instrumented from apis_threads.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_THREADS 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(8)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(mtx_init, 0, 10, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(mtx_lock, 0, 11, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(mtx_trylock, 0, 12, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(mtx_timedlock, 0, 13, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(cnd_wait, 0, 14, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(cnd_timedwait, 0, 15, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(mtx_unlock, 0, 16, 9, "apis_threads.c", "all_threads", "&mx", "mx", ""),
  LOCKINSTR_SITE_INIT(mtx_destroy, 0, 17, 3, "apis_threads.c", "all_threads", "&mx", "mx", ""),
};
#line 1 "apis_threads.c"
/* Every C11 <threads.h> API of the lock table, called once. */
#include <threads.h>
#include <time.h>

mtx_t mx;
cnd_t cd;

int all_threads(const struct timespec *ts) {
  int rc = 0;
  rc |= lockinstr_mtx_init(&LI_SITE[0], &mx, mtx_timed);
  rc |= lockinstr_mtx_lock(&LI_SITE[1], &mx);
  rc |= lockinstr_mtx_trylock(&LI_SITE[2], &mx);
  rc |= lockinstr_mtx_timedlock(&LI_SITE[3], &mx, ts);
  rc |= lockinstr_cnd_wait(&LI_SITE[4], &cd, &mx);
  rc |= lockinstr_cnd_timedwait(&LI_SITE[5], &cd, &mx, ts);
  rc |= lockinstr_mtx_unlock(&LI_SITE[6], &mx);
  lockinstr_mtx_destroy(&LI_SITE[7], &mx);
  return rc;
}
#include <lockinstr_threads.h>
