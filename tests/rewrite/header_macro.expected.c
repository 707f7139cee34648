/* lockinstr 0.1.0: instrumented from header_macro.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[2] = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 11, 9, "header_macro.c", "use_header", "&hm", "hm", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 15, "header_macro.c", "use_header", "&hm", "hm", ""),
};
#line 1 "header_macro.c"
/* Calls from a header macro and a header inline function are reported as
 * not instrumented; the quoted include is re-pointed at the original
 * header from the output directory. */
#include "../header_macro.h"

pthread_mutex_t hm = PTHREAD_MUTEX_INITIALIZER;

int use_header(void) {
  int rc = HDR_LOCK(&hm);
  rc |= hdr_unlock(&hm);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[0], &hm);
  return rc | lockinstr_pthread_mutex_unlock(&LI_SITE[1], &hm);
}
#include <lockinstr_pthread.h>
