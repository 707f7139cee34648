/* lockinstr: instrumented from header_macro.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 11, 9, "header_macro.c", "use_header", "&hm", "hm", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 12, 15, "header_macro.c", "use_header", "&hm", "hm", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 9, 12, "header_macro.c", "use_header", "&hm", "hm", "HDR_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "header_macro.c", "", "unattributed use of macro HDR_LOCK", "unattributed use of macro HDR_LOCK @ header_macro.c", "HDR_LOCK"),
};
#define LI_FN_header_macro_h_210(f) lockinstr_##f
#define LI_ARG_header_macro_h_210 &LI_SITE[__LINE__ == 9 ? 2 : 3],
#line 1 "header_macro.c"
/* A header macro's use is a site of this file; the header inline
 * function's call is the header's; the quoted include finds the header's
 * copy next to the output. */
#include "header_macro.h"

pthread_mutex_t hm = PTHREAD_MUTEX_INITIALIZER;

int use_header(void) {
  int rc = HDR_LOCK(&hm);
  rc |= hdr_unlock(&hm);
  rc |= lockinstr_pthread_mutex_lock(&LI_SITE[0], &hm);
  return rc | lockinstr_pthread_mutex_unlock(&LI_SITE[1], &hm);
}
#include <lockinstr_pthread.h>
