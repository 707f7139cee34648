/* lockinstr: instrumented from a.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#include <lockinstr.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 9, 3, "a.c", "a_run", "&(&g_queue)->lock", "struct queue.lock", "QUEUE_LOCK"),
  LOCKINSTR_SITE_INIT(CUSTOM, LOCKINSTR_SITE_IN_MACRO, 11, 3, "a.c", "a_run", "&(&g_queue)->lock", "struct queue.lock", "QUEUE_UNLOCK"),
};
#define LI_FN_queue_h_344(f) lockinstr_custom_##f
#define LI_ARG_queue_h_344 &LI_SITE[0],
#define LI_FN_queue_h_390(f) lockinstr_custom_##f
#define LI_ARG_queue_h_390 &LI_SITE[1],
#line 1 "a.c"
/* Uses queue.h's helper and its macros (tests/config/hdr). */
#include "queue.h"

struct queue g_queue;

static inline void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1); static inline void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1); void a_run(int k) {
  for (int i = 0; i < k; i++)
    queue_push(&g_queue);
  QUEUE_LOCK(&g_queue);
  g_queue.n--;
  QUEUE_UNLOCK(&g_queue);
}
#ifndef LOCKINSTR_CUSTOM_spin_lock_DEFINED
#define LOCKINSTR_CUSTOM_spin_lock_DEFINED 1
static inline void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  spin_lock(a1);
#else
  unsigned long long li_t0;
  if (!li_recording_()) {
    spin_lock(a1);
    return;
  }
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "spin_lock", LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL);
  if (spin_trylock(a1) != 0) {
    li_custom_acquired_(site, (void *)a1, 1);
    return;
  }
  li_t0 = lockinstr_now_ns();
  spin_lock(a1);
  track_acquire(site, (void *)a1, LOCKINSTR_MODE_EXCL, 1, lockinstr_now_ns() - li_t0);
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_spin_unlock_DEFINED
#define LOCKINSTR_CUSTOM_spin_unlock_DEFINED 1
static inline void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  spin_unlock(a1);
#else
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "spin_unlock", LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL);
  spin_unlock(a1);
  li_custom_released_(site, (void *)a1);
#endif
}
#endif
