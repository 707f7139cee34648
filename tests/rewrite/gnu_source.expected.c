/* lockinstr: instrumented from gnu_source.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(3)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_init, 0, 13, 12, "gnu_source.c", "gnu", "&gnu_lock", "gnu_lock", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 14, 9, "gnu_source.c", "gnu", "&gnu_lock", "gnu_lock", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 16, 15, "gnu_source.c", "gnu", "&gnu_lock", "gnu_lock", ""),
};
#line 1 "gnu_source.c"
/* _GNU_SOURCE before the first include must still take effect: the
 * prologue includes no libc header. */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

pthread_mutex_t gnu_lock = PTHREAD_MUTEX_INITIALIZER;

int gnu(void) {
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ADAPTIVE_NP); /* GNU only */
  int rc = lockinstr_pthread_mutex_init(&LI_SITE[0], &gnu_lock, &at);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[1], &gnu_lock);
  rc |= (int)strlen(strchrnul("ab", 'b')); /* GNU only */
  return rc | lockinstr_pthread_mutex_unlock(&LI_SITE[2], &gnu_lock);
}
#include <lockinstr_pthread.h>
