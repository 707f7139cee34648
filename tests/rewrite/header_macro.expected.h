/* lockinstr: instrumented from header_macro.h; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static LOCKINSTR_INLINE_ int lockinstr_pthread_mutex_unlock(struct lockinstr_site *site, void *l);
#ifndef LI_SITE_header_macro_h_5ee07343_DEFINED
#define LI_SITE_header_macro_h_5ee07343_DEFINED 1
__attribute__((weak)) struct lockinstr_site LI_SITE_header_macro_h_5ee07343[LOCKINSTR_SITES(1)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 10, 10, "header_macro.h", "hdr_unlock", "m", "hdr_unlock:m", ""),
};
#endif
#ifndef LI_FN_header_macro_h_210
#define LI_FN_header_macro_h_210(f) f
#define LI_ARG_header_macro_h_210
#endif
#line 1 "header_macro.h"
/* A project header (under the root, not an input): its macro and its
 * inline function are instrumented in its copy. */
#ifndef HEADER_MACRO_H
#define HEADER_MACRO_H
#include <pthread.h>

#define HDR_LOCK(m) LI_FN_header_macro_h_210(pthread_mutex_lock)(LI_ARG_header_macro_h_210 m)

static inline int hdr_unlock(pthread_mutex_t *m) {
  return lockinstr_pthread_mutex_unlock(&LI_SITE_header_macro_h_5ee07343[0], m);
}

#endif
#include <lockinstr_pthread.h>
