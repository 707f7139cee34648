/* lockinstr: instrumented from hdr_lock.h; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
#ifndef LI_SITE_hdr_lock_h_b3bae21d_DEFINED
#define LI_SITE_hdr_lock_h_b3bae21d_DEFINED 1
__attribute__((weak)) struct lockinstr_site LI_SITE_hdr_lock_h_b3bae21d[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 25, 3, "hdr_lock.h", "hl_bump", "&s->mu", "struct hl_stat.mu", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_lock.h", "", "unattributed use of macro HL_LOCK", "unattributed use of macro HL_LOCK @ hdr_lock.h", "HL_LOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 27, 3, "hdr_lock.h", "hl_bump", "&s->mu", "struct hl_stat.mu", "HL_UNLOCK"),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_IN_MACRO, 0, 0, "hdr_lock.h", "", "unattributed use of macro HL_UNLOCK", "unattributed use of macro HL_UNLOCK @ hdr_lock.h", "HL_UNLOCK"),
};
#endif
#pragma push_macro("LI_FN_hdr_lock_h_363")
#pragma push_macro("LI_ARG_hdr_lock_h_363")
#undef LI_FN_hdr_lock_h_363
#undef LI_ARG_hdr_lock_h_363
#define LI_FN_hdr_lock_h_363(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_363 &LI_SITE_hdr_lock_h_b3bae21d[__LINE__ == 25 ? 0 : 1],
#pragma push_macro("LI_FN_hdr_lock_h_406")
#pragma push_macro("LI_ARG_hdr_lock_h_406")
#undef LI_FN_hdr_lock_h_406
#undef LI_ARG_hdr_lock_h_406
#define LI_FN_hdr_lock_h_406(f) lockinstr_##f
#define LI_ARG_hdr_lock_h_406 &LI_SITE_hdr_lock_h_b3bae21d[__LINE__ == 27 ? 2 : 3],
#ifndef LI_FN_hdr_lock_h_363
#define LI_FN_hdr_lock_h_363(f) f
#define LI_ARG_hdr_lock_h_363
#endif
#ifndef LI_FN_hdr_lock_h_406
#define LI_FN_hdr_lock_h_406(f) f
#define LI_ARG_hdr_lock_h_406
#endif
#line 1 "hdr_lock.h"
/* A project header whose lock macros are used from two .c files
 * (hdr_macro_a.c, hdr_macro_b.c): its copy is the same for both, each use
 * gets a site of the file and line where it is written, and the helper
 * that uses the macros has its own sites, shared by every includer. */
#ifndef HDR_LOCK_H
#define HDR_LOCK_H
#include <pthread.h>

#define HL_LOCK(m) LI_FN_hdr_lock_h_363(pthread_mutex_lock)(LI_ARG_hdr_lock_h_363 m)
#define HL_UNLOCK(m) LI_FN_hdr_lock_h_406(pthread_mutex_unlock)(LI_ARG_hdr_lock_h_406 m)
#define HL_STAT_INC(s)                                                         \
  do {                                                                         \
    HL_LOCK(&(s)->mu);                                                         \
    (s)->n++;                                                                  \
    HL_UNLOCK(&(s)->mu);                                                       \
  } while (0)
#define HL_MSG "pthread_mutex_lock(not a call)"

struct hl_stat {
  pthread_mutex_t mu;
  long n;
};

static inline void hl_bump(struct hl_stat *s) {
  HL_LOCK(&s->mu);
  s->n++;
  HL_UNLOCK(&s->mu);
}

#endif
#pragma pop_macro("LI_FN_hdr_lock_h_363")
#pragma pop_macro("LI_ARG_hdr_lock_h_363")
#ifndef LI_FN_hdr_lock_h_363
#define LI_FN_hdr_lock_h_363(f) f
#define LI_ARG_hdr_lock_h_363
#endif
#pragma pop_macro("LI_FN_hdr_lock_h_406")
#pragma pop_macro("LI_ARG_hdr_lock_h_406")
#ifndef LI_FN_hdr_lock_h_406
#define LI_FN_hdr_lock_h_406(f) f
#define LI_ARG_hdr_lock_h_406
#endif
#include <lockinstr_pthread.h>
