/* lockinstr: instrumented from site_table.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(3)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 12, "site_table.c", "three_sites", "&m", "m (site_table.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_trylock, 0, 11, 9, "site_table.c", "three_sites", "&m", "m (site_table.c)", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 15, "site_table.c", "three_sites", "&m", "m (site_table.c)", ""),
};
#line 1 "site_table.c"
/* The site table fills whole cache lines of its own (lockinstr_site.h,
 * LOCKINSTR_SITES / LOCKINSTR_SITE_TABLE): the compile tests of this
 * golden fail if the instrumented table is not aligned to 64 bytes or
 * does not end on a line boundary. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int three_sites(void) {
  int rc = lockinstr_pthread_mutex_lock(&LI_SITE[0], &m);
  rc |= lockinstr_pthread_mutex_trylock(&LI_SITE[1], &m) == 0;
  return rc | lockinstr_pthread_mutex_unlock(&LI_SITE[2], &m);
}

#ifdef LOCKINSTR_INSTRUMENTED
_Static_assert(__alignof__(LI_SITE) == 64, "site table not line-aligned");
_Static_assert(sizeof(LI_SITE) % 64 == 0, "site table not whole lines");
_Static_assert(sizeof(LI_SITE) / sizeof(LI_SITE[0]) >= 3, "sites lost");
#endif
#include <lockinstr_pthread.h>
