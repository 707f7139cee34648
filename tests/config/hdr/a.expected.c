/* lockinstr: instrumented from a.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#include <lockinstr.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(4)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 9, 3, "a.c", "a_run", "&(&g_queue)->lock", "struct queue.lock", "QUEUE_LOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 0, 0, "a.c", "", "unattributed use of macro QUEUE_LOCK", "unattributed use of macro QUEUE_LOCK @ a.c", "QUEUE_LOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 11, 3, "a.c", "a_run", "&(&g_queue)->lock", "struct queue.lock", "QUEUE_UNLOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 0, 0, "a.c", "", "unattributed use of macro QUEUE_UNLOCK", "unattributed use of macro QUEUE_UNLOCK @ a.c", "QUEUE_UNLOCK"),
};
#define LI_FN_queue_h_344(f) lockinstr_custom_##f
#define LI_ARG_queue_h_344 &LI_SITE[__LINE__ == 9 ? 0 : 1],
#define LI_FN_queue_h_390(f) lockinstr_custom_##f
#define LI_ARG_queue_h_390 &LI_SITE[__LINE__ == 11 ? 2 : 3],
#line 1 "a.c"
/* Uses queue.h's helper and its macros (tests/config/hdr). */
#include "queue.h"

struct queue g_queue;

static LOCKINSTR_INLINE_ void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1); void a_run(int k) {
  for (int i = 0; i < k; i++)
    queue_push(&g_queue);
  QUEUE_LOCK(&g_queue);
  g_queue.n--;
  QUEUE_UNLOCK(&g_queue);
}
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
