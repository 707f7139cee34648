/* lockinstr: instrumented from custom.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#include <lockinstr.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(17)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 21, 3, "custom.c", "holder", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 26, 3, "custom.c", "holder", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 33, 5, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 34, 5, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 37, 9, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 37, 33, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 39, 3, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 41, 14, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 42, 3, "custom.c", "counted", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 50, 3, "custom.c", "reinit_while_held", "&g_uvx", "g_uvx (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 51, 3, "custom.c", "reinit_while_held", "&g_uvx", "g_uvx (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 52, 3, "custom.c", "reinit_while_held", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 53, 3, "custom.c", "reinit_while_held", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 60, 5, "custom.c", "main", "&g_uvx", "g_uvx (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 60, 29, "custom.c", "main", "&g_uvx", "g_uvx (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 65, 3, "custom.c", "main", "&g_spin", "g_spin (custom.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 66, 3, "custom.c", "main", "&g_spin", "g_spin (custom.c)", ""),
};
#line 1 "custom.c"
/* Custom lock APIs from .lockinstr, called in every context the built-in
 * rewrite handles; main() says what it did, run.sh checks the profile. */
#include <pthread.h>
#include <stdio.h>

#include "spin.h"
#include "uvx.h"

unsigned long spin_attempts;
static spinlock_t g_spin;
static uvx_mutex_t g_uvx = {PTHREAD_MUTEX_INITIALIZER};
static volatile int holding;

bool my_trylock(spinlock_t *l) { return spin_trylock(l); }

/* Takes the spinlock and keeps it until the main thread is spinning on it:
 * then the main thread's try has failed (exactly one contention). */
static LOCKINSTR_INLINE_ void lockinstr_custom_spin_lock(struct lockinstr_site *site, spinlock_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_spin_unlock(struct lockinstr_site *site, spinlock_t *a1); static void *holder(void *arg) {
  unsigned long before;
  (void)arg;
  lockinstr_custom_spin_lock(&LI_SITE[0], &g_spin);
  before = __atomic_load_n(&spin_attempts, __ATOMIC_SEQ_CST);
  __atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&spin_attempts, __ATOMIC_SEQ_CST) < before + 2)
    ;
  lockinstr_custom_spin_unlock(&LI_SITE[1], &g_spin);
  return NULL;
}

static LOCKINSTR_INLINE_ _Bool lockinstr_custom_my_trylock(struct lockinstr_site *site, spinlock_t *a1); static int counted(int n) {
  int taken = 0;
  for (int i = 0; i < n; i++) {
    lockinstr_custom_spin_lock(&LI_SITE[2], &g_spin);
    lockinstr_custom_spin_unlock(&LI_SITE[3], &g_spin);
  }
  for (int i = 0; i < n; i++)
    if (lockinstr_custom_my_trylock(&LI_SITE[4], &g_spin) && (lockinstr_custom_spin_unlock(&LI_SITE[5], &g_spin), 1))
      taken++;
  lockinstr_custom_spin_lock(&LI_SITE[6], &g_spin);
  for (int i = 0; i < 3; i++)
    taken += lockinstr_custom_my_trylock(&LI_SITE[7], &g_spin) ? 1 : 0; /* busy: never taken */
  lockinstr_custom_spin_unlock(&LI_SITE[8], &g_spin);
  return taken;
}

/* Initialises g_uvx again while it is held: its memory now holds a fresh,
 * unlocked mutex, so the runtime forgets the held one, and the spinlock
 * taken next is nested in nothing (no lock-order edge). */
static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_init(struct lockinstr_site *site, uvx_mutex_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_lock(struct lockinstr_site *site, uvx_mutex_t *a1); static void reinit_while_held(void) {
  lockinstr_custom_uvx_mutex_lock(&LI_SITE[9], &g_uvx);
  lockinstr_custom_uvx_mutex_init(&LI_SITE[10], &g_uvx);
  lockinstr_custom_spin_lock(&LI_SITE[11], &g_spin); /* no edge from g_uvx */
  lockinstr_custom_spin_unlock(&LI_SITE[12], &g_spin); /* after the re-init */
}

static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_unlock(struct lockinstr_site *site, uvx_mutex_t *a1); int main(void) {
  pthread_t t;
  int taken = counted(1000);
  for (int i = 0; i < 5; i++)
    lockinstr_custom_uvx_mutex_lock(&LI_SITE[13], &g_uvx), lockinstr_custom_uvx_mutex_unlock(&LI_SITE[14], &g_uvx);
  reinit_while_held();
  pthread_create(&t, NULL, holder, NULL);
  while (!__atomic_load_n(&holding, __ATOMIC_SEQ_CST))
    ;
  lockinstr_custom_spin_lock(&LI_SITE[15], &g_spin);
  lockinstr_custom_spin_unlock(&LI_SITE[16], &g_spin);
  pthread_join(t, NULL);
  printf("stats: trylock_taken=%d\n", taken);
  return 0;
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
#ifndef LOCKINSTR_CUSTOM_my_trylock_DEFINED
#define LOCKINSTR_CUSTOM_my_trylock_DEFINED 1
static LOCKINSTR_INLINE_ _Bool lockinstr_custom_my_trylock(struct lockinstr_site *site, spinlock_t *a1) {
  LI_WRAPPER_(LI_BODY_WRAPTRY_, LI_CONFIG, my_trylock, (LOCKINSTR_KIND_TRY, LOCKINSTR_MODE_EXCL), LI_S_CFG_NONZERO, LI_OUT_BUSY, _Bool, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_uvx_mutex_init_DEFINED
#define LOCKINSTR_CUSTOM_uvx_mutex_init_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_init(struct lockinstr_site *site, uvx_mutex_t *a1) {
  LI_WRAPPER_(LI_BODY_FORGET_, LI_CONFIG, uvx_mutex_init, (LOCKINSTR_KIND_INIT, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_uvx_mutex_lock_DEFINED
#define LOCKINSTR_CUSTOM_uvx_mutex_lock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_lock(struct lockinstr_site *site, uvx_mutex_t *a1) {
  LI_WRAPPER_(LI_BODY_WRAP_, LI_CONFIG, uvx_mutex_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_uvx_mutex_unlock_DEFINED
#define LOCKINSTR_CUSTOM_uvx_mutex_unlock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_uvx_mutex_unlock(struct lockinstr_site *site, uvx_mutex_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, uvx_mutex_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#if !defined(LOCKINSTR_CONFIG_DEFAULTS_DEFINED) && !defined(LOCKINSTR_DISABLE)
#define LOCKINSTR_CONFIG_DEFAULTS_DEFINED 1
#include <stdlib.h>
#include <lockinstr.h>
/* [runtime] of the configuration: the environment still wins */
__attribute__((constructor)) static void lockinstr_config_defaults(void) {
  if (!getenv("LOCKINSTR_SAMPLE_RATE"))
    lockinstr_set_sample_rate(1ul);
}
#endif
