/* lockinstr: instrumented from body_include.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(1)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 10, "body_include.c", "body_user", "&bi_m", "bi_m", ""),
};
#line 1 "body_include.c"
/* A project header included inside a function body: never a prologue
 * there, its copy is the header itself and its calls are noted (issue
 * 20, item 3). The file's own calls are still instrumented. */
#include <pthread.h>

pthread_mutex_t bi_m = PTHREAD_MUTEX_INITIALIZER;

int body_user(void);
int body_user(void) {
#include "body_include.h"
  BODY_LOCK(&bi_m);
  return lockinstr_pthread_mutex_unlock(&LI_SITE[0], &bi_m);
}
#include <lockinstr_pthread.h>
