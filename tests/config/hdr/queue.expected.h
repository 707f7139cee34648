/* lockinstr: instrumented from queue.h; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#include <lockinstr.h>
#ifndef LI_SITE_queue_h_98746a80_DEFINED
#define LI_SITE_queue_h_98746a80_DEFINED 1
__attribute__((weak)) struct lockinstr_site LI_SITE_queue_h_98746a80[LOCKINSTR_SITES(8)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 17, 3, "queue.h", "queue_push", "&q->lock", "struct queue.lock", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 19, 3, "queue.h", "queue_push", "&q->lock", "struct queue.lock", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 39, 3, "queue.h", "queue_clear", "&q->lock", "struct queue.lock", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 41, 3, "queue.h", "queue_clear", "&q->lock", "struct queue.lock", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 24, 3, "queue.h", "queue_len", "&(q)->lock", "struct queue.lock", "QUEUE_LOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 0, 0, "queue.h", "", "unattributed use of macro QUEUE_LOCK", "unattributed use of macro QUEUE_LOCK @ queue.h", "QUEUE_LOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 26, 3, "queue.h", "queue_len", "&(q)->lock", "struct queue.lock", "QUEUE_UNLOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 0, 0, "queue.h", "", "unattributed use of macro QUEUE_UNLOCK", "unattributed use of macro QUEUE_UNLOCK @ queue.h", "QUEUE_UNLOCK"),
};
#endif
#pragma push_macro("LI_FN_queue_h_344")
#pragma push_macro("LI_ARG_queue_h_344")
#undef LI_FN_queue_h_344
#undef LI_ARG_queue_h_344
#define LI_FN_queue_h_344(f) lockinstr_custom_##f
#define LI_ARG_queue_h_344 &LI_SITE_queue_h_98746a80[__LINE__ == 24 ? 4 : 5],
#pragma push_macro("LI_FN_queue_h_390")
#pragma push_macro("LI_ARG_queue_h_390")
#undef LI_FN_queue_h_390
#undef LI_ARG_queue_h_390
#define LI_FN_queue_h_390(f) lockinstr_custom_##f
#define LI_ARG_queue_h_390 &LI_SITE_queue_h_98746a80[__LINE__ == 26 ? 6 : 7],
#ifndef LI_FN_queue_h_344
#define LI_FN_queue_h_344(f) f
#define LI_ARG_queue_h_344
#endif
#ifndef LI_FN_queue_h_390
#define LI_FN_queue_h_390(f) f
#define LI_ARG_queue_h_390
#endif
#line 1 "queue.h"
/* A project header calling the configured spin_lock/spin_unlock, declared
 * in another header (spin.h): from static inline helpers, which a.c and
 * b.c both use, and from macros, used by a.c and by queue_len() itself. */
#ifndef QUEUE_H
#define QUEUE_H
#include "spin.h"

struct queue {
  spinlock_t lock;
  int n;
};

#define QUEUE_LOCK(q) LI_FN_queue_h_344(spin_lock)(LI_ARG_queue_h_344 &(q)->lock)
#define QUEUE_UNLOCK(q) LI_FN_queue_h_390(spin_unlock)(LI_ARG_queue_h_390 &(q)->lock)

static LOCKINSTR_INLINE_ void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1); static inline void queue_push(struct queue *q) {
  lockinstr_custom_spin_lock(&LI_SITE_queue_h_98746a80[0], &q->lock);
  q->n++;
  lockinstr_custom_spin_unlock(&LI_SITE_queue_h_98746a80[1], &q->lock);
}

static inline int queue_len(struct queue *q) {
  int n;
  QUEUE_LOCK(q);
  n = q->n;
  QUEUE_UNLOCK(q);
  return n;
}

#ifdef QUEUE_TRACE /* not defined: this helper's calls stay as written */
static inline void queue_trace(struct queue *q) {
  spin_lock(&q->lock);
  spin_unlock(&q->lock);
}
#endif

/* after a conditional directive: its copy declares the wrappers again */
static LOCKINSTR_INLINE_ void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1); static inline void queue_clear(struct queue *q) {
  lockinstr_custom_spin_lock(&LI_SITE_queue_h_98746a80[2], &q->lock);
  q->n = 0;
  lockinstr_custom_spin_unlock(&LI_SITE_queue_h_98746a80[3], &q->lock);
}
#endif
#pragma pop_macro("LI_FN_queue_h_344")
#pragma pop_macro("LI_ARG_queue_h_344")
#ifndef LI_FN_queue_h_344
#define LI_FN_queue_h_344(f) f
#define LI_ARG_queue_h_344
#endif
#pragma pop_macro("LI_FN_queue_h_390")
#pragma pop_macro("LI_ARG_queue_h_390")
#ifndef LI_FN_queue_h_390
#define LI_FN_queue_h_390(f) f
#define LI_ARG_queue_h_390
#endif
#ifndef LOCKINSTR_CUSTOM_spin_lock_DEFINED
#define LOCKINSTR_CUSTOM_spin_lock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1) {
  LI_WRAPPER_(LI_BODY_ACQUIRE_, LI_CONFIG, spin_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_CFG_NONZERO, spin_trylock(a1))
}
#endif
#ifndef LOCKINSTR_CUSTOM_spin_unlock_DEFINED
#define LOCKINSTR_CUSTOM_spin_unlock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, spin_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
