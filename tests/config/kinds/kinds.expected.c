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
static LOCKINSTR_INLINE_ void lockinstr_custom_id_lock(struct lockinstr_site *site, int a1); static LOCKINSTR_INLINE_ void lockinstr_custom_id_unlock(struct lockinstr_site *site, int a1); static LOCKINSTR_INLINE_ int lockinstr_custom_cb_lock(struct lockinstr_site *site, lk_t *a1, __typeof__(void (*)(void)) a2); static LOCKINSTR_INLINE_ int lockinstr_custom_cb_unlock(struct lockinstr_site *site, lk_t *a1, cb_t a2); static LOCKINSTR_INLINE_ int lockinstr_custom_ow_lock(struct lockinstr_site *site, lk_t *a1, const char *a2, long a3); static LOCKINSTR_INLINE_ int lockinstr_custom_ow_unlock(struct lockinstr_site *site, lk_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_wait_on(struct lockinstr_site *site, int *a1, lk_t *a2); static LOCKINSTR_INLINE_ int lockinstr_custom_c11_lock(struct lockinstr_site *site, mtx_t *a1); static LOCKINSTR_INLINE_ int lockinstr_custom_c11_unlock(struct lockinstr_site *site, mtx_t *a1); int use(int n) {
  lockinstr_custom_id_lock(&LI_SITE[0], n); lockinstr_custom_id_unlock(&LI_SITE[1], n);
  if (lockinstr_custom_cb_lock(&LI_SITE[2], &l, cb) == 0) lockinstr_custom_cb_unlock(&LI_SITE[3], &l, cb);
  while (lockinstr_custom_ow_lock(&LI_SITE[4], &l, "me", 10)) ;
  lockinstr_custom_ow_unlock(&LI_SITE[5], &l);
  lockinstr_custom_wait_on(&LI_SITE[6], &cond, &l);
  return lockinstr_custom_c11_lock(&LI_SITE[7], &m) == thrd_success ? lockinstr_custom_c11_unlock(&LI_SITE[8], &m) : -1;
}
static LOCKINSTR_INLINE_ void lockinstr_custom_rd_lock(struct lockinstr_site *site, const lk_t *a1); static LOCKINSTR_INLINE_ void lockinstr_custom_init_it(struct lockinstr_site *site, lk_t *a1); void more(void) { lockinstr_custom_rd_lock(&LI_SITE[9], &l); kr_lock(); va_lock(&l, 1); lockinstr_custom_init_it(&LI_SITE[10], &l); }
/* A program's own macros named like the words of lockinstr's tables: the
 * wrappers of the epilogue, after this line, must not expand them. */
#define NONE not_a_word_of_lockinstr
#define ZERO not_a_word_of_lockinstr
#define THRD not_a_word_of_lockinstr
#define EXCL not_a_word_of_lockinstr
#define READ not_a_word_of_lockinstr
#define ACQUIRE not_a_word_of_lockinstr
#define TRY not_a_word_of_lockinstr
#define RELEASE not_a_word_of_lockinstr
#define INIT not_a_word_of_lockinstr
#define CONFIG not_a_word_of_lockinstr
#define TABLE not_a_word_of_lockinstr
#include <threads.h>
#ifndef LOCKINSTR_CUSTOM_id_lock_DEFINED
#define LOCKINSTR_CUSTOM_id_lock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_id_lock(struct lockinstr_site *site, int a1) {
  LI_WRAPPER_(LI_BODY_WRAP_, LI_CONFIG, id_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)((__UINTPTR_TYPE__)a1 << 1), LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_id_unlock_DEFINED
#define LOCKINSTR_CUSTOM_id_unlock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_id_unlock(struct lockinstr_site *site, int a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, id_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)((__UINTPTR_TYPE__)a1 << 1), LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_cb_lock_DEFINED
#define LOCKINSTR_CUSTOM_cb_lock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_cb_lock(struct lockinstr_site *site, lk_t *a1, __typeof__(void (*)(void)) a2) {
  LI_WRAPPER_(LI_BODY_ACQUIRE_, LI_CONFIG, cb_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO, LI_OUT_ERROR, int, (a1, a2), (void *)a1, LI_S_CFG_ZERO, cb_trylock(a1))
}
#endif
#ifndef LOCKINSTR_CUSTOM_cb_unlock_DEFINED
#define LOCKINSTR_CUSTOM_cb_unlock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_cb_unlock(struct lockinstr_site *site, lk_t *a1, cb_t a2) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, cb_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO, LI_OUT_ERROR, int, (a1, a2), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_ow_lock_DEFINED
#define LOCKINSTR_CUSTOM_ow_lock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_ow_lock(struct lockinstr_site *site, lk_t *a1, const char *a2, long a3) {
  LI_WRAPPER_(LI_BODY_ACQUIRE_, LI_CONFIG, ow_lock, (LOCKINSTR_KIND_TIMED, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO, LI_OUT_TIMEDOUT, int, (a1, a2, a3), (void *)a1, LI_S_CFG_ZERO, ow_trylock(a1, a2, a3))
}
#endif
#ifndef LOCKINSTR_CUSTOM_ow_unlock_DEFINED
#define LOCKINSTR_CUSTOM_ow_unlock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_ow_unlock(struct lockinstr_site *site, lk_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, ow_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_CFG_ZERO, LI_OUT_ERROR, int, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_wait_on_DEFINED
#define LOCKINSTR_CUSTOM_wait_on_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_wait_on(struct lockinstr_site *site, int *a1, lk_t *a2) {
  LI_WRAPPER_(LI_BODY_CONDWAIT_, LI_CONFIG, wait_on, (LOCKINSTR_KIND_CONDWAIT, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1, a2), (void *)a2, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_c11_lock_DEFINED
#define LOCKINSTR_CUSTOM_c11_lock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_c11_lock(struct lockinstr_site *site, mtx_t *a1) {
  LI_WRAPPER_(LI_BODY_ACQUIRE_, LI_CONFIG, c11_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_EXCL), LI_S_THRD, LI_OUT_ERROR, int, (a1), (void *)a1, LI_S_THRD, c11_trylock(a1))
}
#endif
#ifndef LOCKINSTR_CUSTOM_c11_unlock_DEFINED
#define LOCKINSTR_CUSTOM_c11_unlock_DEFINED 1
static LOCKINSTR_INLINE_ int lockinstr_custom_c11_unlock(struct lockinstr_site *site, mtx_t *a1) {
  LI_WRAPPER_(LI_BODY_RELEASE_, LI_CONFIG, c11_unlock, (LOCKINSTR_KIND_RELEASE, LOCKINSTR_MODE_EXCL), LI_S_THRD, LI_OUT_ERROR, int, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_rd_lock_DEFINED
#define LOCKINSTR_CUSTOM_rd_lock_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_rd_lock(struct lockinstr_site *site, const lk_t *a1) {
  LI_WRAPPER_(LI_BODY_WRAP_, LI_CONFIG, rd_lock, (LOCKINSTR_KIND_ACQUIRE, LOCKINSTR_MODE_READ), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
#ifndef LOCKINSTR_CUSTOM_init_it_DEFINED
#define LOCKINSTR_CUSTOM_init_it_DEFINED 1
static LOCKINSTR_INLINE_ void lockinstr_custom_init_it(struct lockinstr_site *site, lk_t *a1) {
  LI_WRAPPER_(LI_BODY_FORGET_, LI_CONFIG, init_it, (LOCKINSTR_KIND_INIT, LOCKINSTR_MODE_EXCL), LI_S_NONE, LI_OUT_ERROR, void, (a1), (void *)a1, LI_S_NONE, 0)
}
#endif
