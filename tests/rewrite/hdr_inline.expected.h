/* lockinstr: instrumented from hdr_inline.h; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static LOCKINSTR_INLINE_ int lockinstr_pthread_rwlock_rdlock(struct lockinstr_site *site, void *l);
static LOCKINSTR_INLINE_ int lockinstr_pthread_rwlock_wrlock(struct lockinstr_site *site, void *l);
static LOCKINSTR_INLINE_ int lockinstr_pthread_rwlock_unlock(struct lockinstr_site *site, void *l);
#ifndef LI_SITE_hdr_inline_h_027c44e0_DEFINED
#define LI_SITE_hdr_inline_h_027c44e0_DEFINED 1
__attribute__((weak)) struct lockinstr_site LI_SITE_hdr_inline_h_027c44e0[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_rwlock_rdlock, 0, 13, 3, "hdr_inline.h", "table_get", "&t->lock", "struct table.lock", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_unlock, 0, 15, 3, "hdr_inline.h", "table_get", "&t->lock", "struct table.lock", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_wrlock, 0, 20, 7, "hdr_inline.h", "table_put", "&t->lock", "struct table.lock", ""),
  LOCKINSTR_SITE_INIT(pthread_rwlock_unlock, 0, 22, 5, "hdr_inline.h", "table_put", "&t->lock", "struct table.lock", ""),
};
#endif
#line 1 "hdr_inline.h"
/* A static inline lock helper in a project header: one site per call
 * written here, shared by every file that includes the header. */
#ifndef HDR_INLINE_H
#define HDR_INLINE_H
#include <pthread.h>

struct table {
  pthread_rwlock_t lock;
  int slots[16];
};

static inline int table_get(struct table *t, int i) {
  lockinstr_pthread_rwlock_rdlock(&LI_SITE_hdr_inline_h_027c44e0[0], &t->lock);
  int v = t->slots[i & 15];
  lockinstr_pthread_rwlock_unlock(&LI_SITE_hdr_inline_h_027c44e0[1], &t->lock);
  return v;
}

static inline void table_put(struct table *t, int i, int v) {
  if (lockinstr_pthread_rwlock_wrlock(&LI_SITE_hdr_inline_h_027c44e0[2], &t->lock) == 0) {
    t->slots[i & 15] = v;
    lockinstr_pthread_rwlock_unlock(&LI_SITE_hdr_inline_h_027c44e0[3], &t->lock);
  }
}

#endif
#include <lockinstr_pthread.h>
