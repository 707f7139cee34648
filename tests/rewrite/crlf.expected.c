/* lockinstr: instrumented from crlf.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 7, 3, "crlf.c", "crlf", "&crlf_lock", "crlf_lock", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 8, 10, "crlf.c", "crlf", "&crlf_lock", "crlf_lock", ""),
};
#line 1 "crlf.c"
/* CRLF line endings are kept, and the prologue uses them too. */
#include <pthread.h>

pthread_mutex_t crlf_lock = PTHREAD_MUTEX_INITIALIZER;

int crlf(void) {
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &crlf_lock);
  return lockinstr_pthread_mutex_unlock(&LI_SITE[1], &crlf_lock);
}
#include <lockinstr_pthread.h>
