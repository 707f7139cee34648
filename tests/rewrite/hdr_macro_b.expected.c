/* lockinstr: instrumented from hdr_macro_b.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 9, 3, "hdr_macro_b.c", "hl_third", "&hl_b.mu", "struct hl_stat.mu", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_macro_b.c", "", "unattributed use of macro HL_LOCK", "unattributed use of macro HL_LOCK @ hdr_macro_b.c", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 11, 3, "hdr_macro_b.c", "hl_third", "&hl_b.mu", "struct hl_stat.mu", "HL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_macro_b.c", "", "unattributed use of macro HL_UNLOCK", "unattributed use of macro HL_UNLOCK @ hdr_macro_b.c", "HL_UNLOCK"),
};
#define LI_FN_hdr_lock_h_363(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_363 &LI_SITE[__LINE__ == 9 ? 0 : 1],
#define LI_FN_hdr_lock_h_406(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_406 &LI_SITE[__LINE__ == 11 ? 2 : 3],
#line 1 "hdr_macro_b.c"
/* The same header's macros from a second file: its own sites, its own
 * selection of them; the header copy is byte for byte the one
 * hdr_macro_a.c gets. */
#include "hdr_lock.h"

static struct hl_stat hl_b = {PTHREAD_MUTEX_INITIALIZER, 0};

long hl_third(void) {
  HL_LOCK(&hl_b.mu);
  long n = hl_b.n;
  HL_UNLOCK(&hl_b.mu);
  hl_bump(&hl_b);
  return n;
}
#include <lockinstr_pthread.h>
