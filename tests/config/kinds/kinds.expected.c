/* lockinstr: instrumented from kinds.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#include <lockinstr.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(11)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 8, 3, "kinds.c", "use", "n", "use:n", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 8, 15, "kinds.c", "use", "n", "use:n", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 9, 7, "kinds.c", "use", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 9, 29, "kinds.c", "use", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 10, 10, "kinds.c", "use", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 11, 3, "kinds.c", "use", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 12, 3, "kinds.c", "use", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 13, 10, "kinds.c", "use", "&m", "m (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 13, 41, "kinds.c", "use", "&m", "m (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 15, 19, "kinds.c", "more", "&l", "l (kinds.c)", ""),
  LOCKINSTR_SITE_INIT(CUSTOM, 0, 15, 59, "kinds.c", "more", "&l", "l (kinds.c)", ""),
};
#line 1 "kinds.c"
/* Calls of every custom API kind, in several expression contexts. */
#include "kinds.h"
static lk_t l;
static mtx_t m;
static int cond;
static void cb(void) {}
static inline void lockinstr_custom_id_lock(struct lockinstr_site *site, int a1); static inline void lockinstr_custom_id_unlock(struct lockinstr_site *site, int a1); static inline int lockinstr_custom_cb_lock(struct lockinstr_site *site, lk_t *a1, __typeof__(void (*)(void)) a2); static inline int lockinstr_custom_cb_unlock(struct lockinstr_site *site, lk_t *a1, cb_t a2); static inline int lockinstr_custom_ow_lock(struct lockinstr_site *site, lk_t *a1, const char *a2, long a3); static inline int lockinstr_custom_ow_unlock(struct lockinstr_site *site, lk_t *a1); static inline void lockinstr_custom_wait_on(struct lockinstr_site *site, int *a1, lk_t *a2); static inline int lockinstr_custom_c11_lock(struct lockinstr_site *site, mtx_t *a1); static inline int lockinstr_custom_c11_unlock(struct lockinstr_site *site, mtx_t *a1); int use(int n) {
  lockinstr_custom_id_lock(&LI_SITE[0], n); lockinstr_custom_id_unlock(&LI_SITE[1], n);
  if (lockinstr_custom_cb_lock(&LI_SITE[2], &l, cb) == 0) lockinstr_custom_cb_unlock(&LI_SITE[3], &l, cb);
  while (lockinstr_custom_ow_lock(&LI_SITE[4], &l, "me", 10)) ;
  lockinstr_custom_ow_unlock(&LI_SITE[5], &l);
  lockinstr_custom_wait_on(&LI_SITE[6], &cond, &l);
  return lockinstr_custom_c11_lock(&LI_SITE[7], &m) == thrd_success ? lockinstr_custom_c11_unlock(&LI_SITE[8], &m) : -1;
}
static inline void lockinstr_custom_rd_lock(struct lockinstr_site *site, const lk_t *a1); static inline void lockinstr_custom_init_it(struct lockinstr_site *site, lk_t *a1); void more(void) { lockinstr_custom_rd_lock(&LI_SITE[9], &l); kr_lock(); va_lock(&l, 1); lockinstr_custom_init_it(&LI_SITE[10], &l); }
#include <threads.h>
#ifndef LOCKINSTR_CUSTOM_id_lock_DEFINED
#define LOCKINSTR_CUSTOM_id_lock_DEFINED 1
static inline void lockinstr_custom_id_lock(struct lockinstr_site *site, int a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  id_lock(a1);
#else
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "id_lock", LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL);
  id_lock(a1);
  li_custom_acquired_(site, (void *)((__UINTPTR_TYPE__)a1 << 1), 1);
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_id_unlock_DEFINED
#define LOCKINSTR_CUSTOM_id_unlock_DEFINED 1
static inline void lockinstr_custom_id_unlock(struct lockinstr_site *site, int a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  id_unlock(a1);
#else
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "id_unlock", LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL);
  id_unlock(a1);
  li_custom_released_(site, (void *)((__UINTPTR_TYPE__)a1 << 1));
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_cb_lock_DEFINED
#define LOCKINSTR_CUSTOM_cb_lock_DEFINED 1
static inline int lockinstr_custom_cb_lock(struct lockinstr_site *site, lk_t *a1, __typeof__(void (*)(void)) a2) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return cb_lock(a1, a2);
#else
  int li_rc;
  unsigned long long li_t0;
  if (!li_recording_()) {
    li_rc = cb_lock(a1, a2);
    return li_rc;
  }
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "cb_lock", LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL);
  if (cb_trylock(a1) == 0) {
    li_custom_acquired_(site, (void *)a1, 1);
    return 0;
  }
  li_t0 = lockinstr_now_ns();
  li_rc = cb_lock(a1, a2);
  if (li_rc == 0)
    track_acquire(site, (void *)a1, LOCKINSTR_MODE_EXCL, 1, lockinstr_now_ns() - li_t0);
  else
    track_failed(site, LOCKINSTR_OUTCOME_ERROR);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_cb_unlock_DEFINED
#define LOCKINSTR_CUSTOM_cb_unlock_DEFINED 1
static inline int lockinstr_custom_cb_unlock(struct lockinstr_site *site, lk_t *a1, cb_t a2) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return cb_unlock(a1, a2);
#else
  int li_rc;
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "cb_unlock", LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL);
  li_rc = cb_unlock(a1, a2);
  if (li_rc == 0)
    li_custom_released_(site, (void *)a1);
  else
    track_failed(site, LOCKINSTR_OUTCOME_ERROR);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_ow_lock_DEFINED
#define LOCKINSTR_CUSTOM_ow_lock_DEFINED 1
static inline int lockinstr_custom_ow_lock(struct lockinstr_site *site, lk_t *a1, const char *a2, long a3) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return ow_lock(a1, a2, a3);
#else
  int li_rc;
  unsigned long long li_t0;
  if (!li_recording_()) {
    li_rc = ow_lock(a1, a2, a3);
    return li_rc;
  }
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "ow_lock", LOCKINSTR_KIND_TIMED, LOCKINSTR_MODE_EXCL);
  if (ow_trylock(a1, a2, a3) == 0) {
    li_custom_acquired_(site, (void *)a1, 1);
    return 0;
  }
  li_t0 = lockinstr_now_ns();
  li_rc = ow_lock(a1, a2, a3);
  if (li_rc == 0)
    track_acquire(site, (void *)a1, LOCKINSTR_MODE_EXCL, 1, lockinstr_now_ns() - li_t0);
  else
    track_failed(site, LOCKINSTR_OUTCOME_TIMEDOUT);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_ow_unlock_DEFINED
#define LOCKINSTR_CUSTOM_ow_unlock_DEFINED 1
static inline int lockinstr_custom_ow_unlock(struct lockinstr_site *site, lk_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return ow_unlock(a1);
#else
  int li_rc;
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "ow_unlock", LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL);
  li_rc = ow_unlock(a1);
  if (li_rc == 0)
    li_custom_released_(site, (void *)a1);
  else
    track_failed(site, LOCKINSTR_OUTCOME_ERROR);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_wait_on_DEFINED
#define LOCKINSTR_CUSTOM_wait_on_DEFINED 1
static inline void lockinstr_custom_wait_on(struct lockinstr_site *site, int *a1, lk_t *a2) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  wait_on(a1, a2);
#else
  int li_in;
  unsigned long long li_t0;
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "wait_on", LOCKINSTR_KIND_CONDWAIT, LOCKINSTR_MODE_EXCL);
  li_in = track_cond_enter(site, (void *)a2);
  li_t0 = lockinstr_now_ns();
  wait_on(a1, a2);
  track_cond_leave(site, (void *)a2, li_in, LOCKINSTR_OUTCOME_OK, lockinstr_now_ns() - li_t0);
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_c11_lock_DEFINED
#define LOCKINSTR_CUSTOM_c11_lock_DEFINED 1
static inline int lockinstr_custom_c11_lock(struct lockinstr_site *site, mtx_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return c11_lock(a1);
#else
  int li_rc;
  unsigned long long li_t0;
  if (!li_recording_()) {
    li_rc = c11_lock(a1);
    return li_rc;
  }
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "c11_lock", LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL);
  if (c11_trylock(a1) == thrd_success) {
    li_custom_acquired_(site, (void *)a1, 1);
    return thrd_success;
  }
  li_t0 = lockinstr_now_ns();
  li_rc = c11_lock(a1);
  if (li_rc == thrd_success)
    track_acquire(site, (void *)a1, LOCKINSTR_MODE_EXCL, 1, lockinstr_now_ns() - li_t0);
  else
    track_failed(site, li_rc == thrd_busy ? LOCKINSTR_OUTCOME_BUSY : li_rc == thrd_timedout ? LOCKINSTR_OUTCOME_TIMEDOUT : LOCKINSTR_OUTCOME_ERROR);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_c11_unlock_DEFINED
#define LOCKINSTR_CUSTOM_c11_unlock_DEFINED 1
static inline int lockinstr_custom_c11_unlock(struct lockinstr_site *site, mtx_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  return c11_unlock(a1);
#else
  int li_rc;
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "c11_unlock", LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL);
  li_rc = c11_unlock(a1);
  if (li_rc == thrd_success)
    li_custom_released_(site, (void *)a1);
  else
    track_failed(site, li_rc == thrd_busy ? LOCKINSTR_OUTCOME_BUSY : li_rc == thrd_timedout ? LOCKINSTR_OUTCOME_TIMEDOUT : LOCKINSTR_OUTCOME_ERROR);
  return li_rc;
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_rd_lock_DEFINED
#define LOCKINSTR_CUSTOM_rd_lock_DEFINED 1
static inline void lockinstr_custom_rd_lock(struct lockinstr_site *site, const lk_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  rd_lock(a1);
#else
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "rd_lock", LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_READ);
  rd_lock(a1);
  li_custom_acquired_(site, (void *)a1, 1);
#endif
}
#endif
#ifndef LOCKINSTR_CUSTOM_init_it_DEFINED
#define LOCKINSTR_CUSTOM_init_it_DEFINED 1
static inline void lockinstr_custom_init_it(struct lockinstr_site *site, lk_t *a1) {
#if defined(LOCKINSTR_DISABLE)
  (void)site;
  init_it(a1);
#else
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))
    track_describe(site, "init_it", LOCKINSTR_KIND_INIT, LOCKINSTR_MODE_EXCL);
  init_it(a1);
  if (li_recording_())
    li_forget(site, (void *)a1, 1);
#endif
}
#endif
