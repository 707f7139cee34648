/* lockinstr: instrumented from cond_header.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(7)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 9, 3, "cond_header.c", "ch_use", "(&ch_m)", "ch_m", "CL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_header.c", "", "unattributed use of macro CL_LOCK", "unattributed use of macro CL_LOCK @ cond_header.c", "CL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 10, 3, "cond_header.c", "ch_use", "(&ch_m)", "ch_m", "CL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 12, 10, "cond_header.c", "ch_use", "(&ch_m)", "ch_m", "CL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_header.c", "", "unattributed use of macro CL_UNLOCK", "unattributed use of macro CL_UNLOCK @ cond_header.c", "CL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 11, 3, "cond_header.c", "ch_use", "&ch_m", "ch_m", "CL_RD"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "cond_header.c", "", "unattributed use of macro CL_RD", "unattributed use of macro CL_RD @ cond_header.c", "CL_RD"),
};
#define LI_FN_cond_lock_h_225(f) lockinstr_##f
#define LI_ARG_cond_lock_h_225 &LI_SITE[__LINE__ == 9 ? 0 : 1],
#define LI_FN_cond_lock_h_270(f) lockinstr_##f
#define LI_ARG_cond_lock_h_270 &LI_SITE[__LINE__ == 10 ? 2 : __LINE__ == 12 ? 3 : 4],
#define LI_FN_cond_lock_h_409(f) lockinstr_##f
#define LI_ARG_cond_lock_h_409 &LI_SITE[__LINE__ == 11 ? 5 : 6],
#line 1 "cond_header.c"
/* Uses of a project header's lock macros defined in two #if branches (see
 * cond_lock.h): the active definitions give the sites; the calls of a
 * macro with two branches go to the active one. */
#include "cond_lock.h"

pthread_mutex_t ch_m = PTHREAD_MUTEX_INITIALIZER;

int ch_use(void) {
  CL_LOCK(&ch_m);
  CL_UNLOCK(&ch_m);
  CL_RD(&ch_m);
  return CL_UNLOCK(&ch_m);
}
#include <lockinstr_pthread.h>
