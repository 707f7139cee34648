/* lockinstr: instrumented from hdr_macro_a.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(8)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 16, 3, "hdr_macro_a.c", "hl_first", "&hl_a.mu", "struct hl_stat.mu", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 22, 3, "hdr_macro_a.c", "hl_second", "m", "struct hl_stat.mu", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 27, 3, "hdr_macro_a.c", "hl_third_a", "m", "struct hl_stat.mu", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_macro_a.c", "", "unattributed use of macro HL_LOCK", "unattributed use of macro HL_LOCK @ hdr_macro_a.c", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 18, 3, "hdr_macro_a.c", "hl_first", "&hl_a.mu", "struct hl_stat.mu", "HL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 22, 3, "hdr_macro_a.c", "hl_second", "m", "struct hl_stat.mu", "HL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 27, 3, "hdr_macro_a.c", "hl_third_a", "m", "struct hl_stat.mu", "HL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_macro_a.c", "", "unattributed use of macro HL_UNLOCK", "unattributed use of macro HL_UNLOCK @ hdr_macro_a.c", "HL_UNLOCK"),
};
#define LI_FN_hdr_lock_h_363(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_363 &LI_SITE[__LINE__ == 16 ? 0 : __LINE__ == 22 ? 1 : __LINE__ == 27 ? 2 : 3],
#define LI_FN_hdr_lock_h_406(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_406 &LI_SITE[__LINE__ == 18 ? 4 : __LINE__ == 22 ? 5 : __LINE__ == 27 ? 6 : 7],
#line 1 "hdr_macro_a.c"
/* Uses of a project header's lock macros (see hdr_lock.h): each use is a
 * site of this file, at the line of the use, in the function using it;
 * also through a macro of this file. */
#include "hdr_lock.h"

#define A_LOCKED(stmt)                                                        \
  do {                                                                         \
    HL_LOCK(&hl_a.mu);                                                         \
    stmt;                                                                      \
    HL_UNLOCK(&hl_a.mu);                                                       \
  } while (0)

struct hl_stat hl_a = {PTHREAD_MUTEX_INITIALIZER, 0};

void hl_first(void) {
  HL_LOCK(&hl_a.mu);
  hl_a.n++;
  HL_UNLOCK(&hl_a.mu);
}

void hl_second(void) {
  HL_STAT_INC(&hl_a);
  hl_bump(&hl_a);
}

void hl_third_a(void) {
  A_LOCKED(hl_a.n += 2);
}
#include <lockinstr_pthread.h>
