/* lockinstr: instrumented from spliced_name.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 8, 12, "spliced_name.c", "spliced", "&sn", "sn", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 10, 15, "spliced_name.c", "spliced", "&sn", "sn", ""),
};
#line 1 "spliced_name.c"
/* A callee name cut by line splices (backslash-newline): still the call,
 * rewritten where its name starts (issue 20, item 7). */
#include <pthread.h>

pthread_mutex_t sn = PTHREAD_MUTEX_INITIALIZER;

int spliced(void) {
  int rc = lockinstr_pthread_mutex_\
lock(&LI_SITE[0], &sn);
  return rc | lockinstr_pthread_mutex_un\
lo\
ck\
(&LI_SITE[1], &sn);
}
#include <lockinstr_pthread.h>
