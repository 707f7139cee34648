/* The site table fills whole cache lines of its own (lockinstr_site.h,
 * LOCKINSTR_SITES / LOCKINSTR_SITE_TABLE): the compile tests of this
 * golden fail if the instrumented table is not aligned to 64 bytes or
 * does not end on a line boundary. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int three_sites(void) {
  int rc = pthread_mutex_lock(&m);
  rc |= pthread_mutex_trylock(&m) == 0;
  return rc | pthread_mutex_unlock(&m);
}

#ifdef LOCKINSTR_INSTRUMENTED
_Static_assert(__alignof__(LI_SITE) == 64, "site table not line-aligned");
_Static_assert(sizeof(LI_SITE) % 64 == 0, "site table not whole lines");
_Static_assert(sizeof(LI_SITE) / sizeof(LI_SITE[0]) >= 3, "sites lost");
#endif
