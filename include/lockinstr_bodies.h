/*
 * lockinstr_bodies.h — the wrapper bodies, one per kind of lock call
 * (try-first acquisition, try, release, condition wait, forget), for the
 * built-in wrappers and the configured ones.
 *
 * Not API: included by lockinstr.h, after the inline fast paths it uses
 * (li_fast_acquire_, li_fast_release_, li_now) and before the wrappers
 * are generated from LOCKINSTR_LOCK_APIS.
 */
#ifndef LOCKINSTR_BODIES_H
#define LOCKINSTR_BODIES_H

/* ---- The wrapper bodies, for the table and for configured APIs ---------
 * One definition of what a wrapper does, per kind, serves both the
 * built-in wrappers (generated from LOCKINSTR_LOCK_APIS below) and the
 * wrappers lockinstr writes for the lock APIs of a project's
 * configuration ([api] in .lockinstr, tool/rewrite/custom.c), whose text is one
 * expansion of LI_WRAPPER_ each. The configured wrappers are written into
 * the user's file, after the user's own macros: everything they pass is
 * an li_/LI_/LOCKINSTR_ name, never a bare word a program may #define. */

/* Where the real call and the site's description come from (`how`):
 *   LI_TABLE   a table API: the real call is li_real_NAME (bound by
 *              symbol name), the site's api number says the rest;
 *   LI_CONFIG  a configured API: the real call is NAME itself, and the
 *              wrapper describes the site on its first use (track_describe:
 *              the API's name and `desc`, its LOCKINSTR_KIND_/MODE_ pair). */
#define LI_TABLE_REAL(name) li_real_##name
#define LI_TABLE_DESCRIBE(name, desc)
#define LI_CONFIG_REAL(name) name
#define LI_CONFIG_DESCRIBE(name, desc)                                         \
  if (!__atomic_load_n(&site->id, __ATOMIC_RELAXED))                           \
    track_describe(site, #name, LI_PAIR_ desc);
#define LI_PAIR_(kind, mode) kind, mode

/* Success conventions (`succ`, `try_succ`), one tag each, with
 *   _OK(rc)         1 when rc means the call did what it was asked;
 *   _OWNERDEAD(rc)  1 when a failed-looking rc still acquired the lock: a
 *                   robust mutex whose owner died (EOWNERDEAD) counts as an
 *                   acquisition, and a wrapper must never go on to block on
 *                   a lock its try already took;
 *   _DEAD(t, lk)    for a try result t: that case, handled and returned;
 *   _BUSY(t)        1 when a failed try found the lock busy (a contention);
 *   _OUTCOME(rc, fail)  the LI_OUT_* of rc; `fail` is a failure's outcome
 *                   where rc cannot say (the configured conventions);
 *   _RC(ret), _SET, _RET(v), _PLAIN(real, args)  the variable li_rc, its
 *                   assignment, a return, and the plain call (nothing of
 *                   these for a void call);
 *   _OKV            the value a wrapper returns when its try took the lock.
 * The tags: LI_S_ZERO (pthread: 0, or an errno value that says which
 * failure), LI_S_THRD (C11: thrd_success / thrd_busy / thrd_timedout),
 * LI_S_NONE (returns void: always succeeds), and for configured APIs
 * LI_S_CFG_ZERO / LI_S_CFG_NONZERO (0 / non-zero on success; a failure
 * code means nothing to lockinstr, so its outcome is `fail`, from the kind).
 * LI_S_CFG_NONZERO has no _OKV: a configured acquire with a try function
 * may not use it (docs/configuration.md). */
#define LI_V_RC(ret) ret li_rc;
#define LI_V_SET li_rc =
#define LI_V_RET(v) return v;
#define LI_V_PLAIN(real, args) return real args;
#define LI_V_NO_DEAD(t, lk)
#define LI_BY_CODE_(s, rc)                                                     \
  (s##_OK(rc) || s##_OWNERDEAD(rc) ? LI_OUT_OK                                 \
   : (rc) == s##_BUSYV             ? LI_OUT_BUSY                               \
   : (rc) == s##_TIMEDOUTV         ? LI_OUT_TIMEDOUT                           \
                                   : LI_OUT_ERROR)
/* clang-format off */
#define LI_S_ZERO_OK(rc) ((rc) == 0)
#define LI_S_ZERO_OWNERDEAD(rc) ((rc) == EOWNERDEAD)
#define LI_S_ZERO_DEAD(t, lk) if ((t) == EOWNERDEAD) { li_acquired(site, lk, 0, 0); return t; }
#define LI_S_ZERO_BUSY(t) ((t) == EBUSY)
#define LI_S_ZERO_BUSYV EBUSY
#define LI_S_ZERO_TIMEDOUTV ETIMEDOUT
#define LI_S_ZERO_OUTCOME(rc, fail) LI_BY_CODE_(LI_S_ZERO, rc)
#define LI_S_ZERO_OKV 0
#define LI_S_ZERO_RC LI_V_RC
#define LI_S_ZERO_SET LI_V_SET
#define LI_S_ZERO_RET LI_V_RET
#define LI_S_ZERO_PLAIN LI_V_PLAIN

#define LI_S_THRD_OK(rc) ((rc) == thrd_success)
#define LI_S_THRD_OWNERDEAD(rc) 0
#define LI_S_THRD_DEAD LI_V_NO_DEAD
#define LI_S_THRD_BUSY(t) ((t) == thrd_busy)
#define LI_S_THRD_BUSYV thrd_busy
#define LI_S_THRD_TIMEDOUTV thrd_timedout
#define LI_S_THRD_OUTCOME(rc, fail) LI_BY_CODE_(LI_S_THRD, rc)
#define LI_S_THRD_OKV thrd_success
#define LI_S_THRD_RC LI_V_RC
#define LI_S_THRD_SET LI_V_SET
#define LI_S_THRD_RET LI_V_RET
#define LI_S_THRD_PLAIN LI_V_PLAIN

#define LI_S_NONE_OK(rc) 1
#define LI_S_NONE_OWNERDEAD(rc) 0
#define LI_S_NONE_OUTCOME(rc, fail) LI_OUT_OK
#define LI_S_NONE_RC(ret)
#define LI_S_NONE_SET
#define LI_S_NONE_RET(v) return;
#define LI_S_NONE_PLAIN(real, args) { real args; return; }

#define LI_S_CFG_ZERO_OK(rc) ((rc) == 0)
#define LI_S_CFG_ZERO_OWNERDEAD(rc) 0
#define LI_S_CFG_ZERO_DEAD LI_V_NO_DEAD
#define LI_S_CFG_ZERO_BUSY(t) 1
#define LI_S_CFG_ZERO_OUTCOME(rc, fail) (LI_S_CFG_ZERO_OK(rc) ? LI_OUT_OK : (fail))
#define LI_S_CFG_ZERO_OKV 0
#define LI_S_CFG_ZERO_RC LI_V_RC
#define LI_S_CFG_ZERO_SET LI_V_SET
#define LI_S_CFG_ZERO_RET LI_V_RET
#define LI_S_CFG_ZERO_PLAIN LI_V_PLAIN

#define LI_S_CFG_NONZERO_OK(rc) ((rc) != 0)
#define LI_S_CFG_NONZERO_OWNERDEAD(rc) 0
#define LI_S_CFG_NONZERO_DEAD LI_V_NO_DEAD
#define LI_S_CFG_NONZERO_BUSY(t) 1
#define LI_S_CFG_NONZERO_OUTCOME(rc, fail) (LI_S_CFG_NONZERO_OK(rc) ? LI_OUT_OK : (fail))
#define LI_S_CFG_NONZERO_RC LI_V_RC
#define LI_S_CFG_NONZERO_SET LI_V_SET
#define LI_S_CFG_NONZERO_RET LI_V_RET
#define LI_S_CFG_NONZERO_PLAIN LI_V_PLAIN
/* clang-format on */

/* The body of a wrapper, in a function with parameters `site` and the
 * names in `args`:
 *   LI_WRAPPER_(body, how, name, desc, succ, fail, ret, args, lk,
 *               try_succ, try_call)
 *   body      LI_BODY_ACQUIRE_ (try first), LI_BODY_TRY_, LI_BODY_RELEASE_,
 *             LI_BODY_CONDWAIT_, LI_BODY_FORGET_ (init, destroy), those of
 *             lockinstr_sem.h, and for configured APIs lockinstr_wrap.h's
 *   how       LI_TABLE or LI_CONFIG; name: the API; desc: (LOCKINSTR_KIND_k,
 *             LOCKINSTR_MODE_m)
 *   succ      the call's success convention tag; ret: its return type
 *   fail      the LI_OUT_* of a failure its convention cannot classify
 *   args      the argument names in parentheses; lk: the lock as void *
 *   try_succ, try_call  for LI_BODY_ACQUIRE_: the non-blocking probe's
 *             convention and call (ignored by the other bodies)
 * Under -DLOCKINSTR_DISABLE every wrapper is the plain call. */
#if defined(LOCKINSTR_DISABLE)
#define LI_WRAPPER_(body, how, name, desc, succ, fail, ret, args, lk,          \
                    try_succ, try_call)                                        \
  (void)site;                                                                  \
  succ##_PLAIN(how##_REAL(name), args)
#else
#define LI_WRAPPER_(body, how, name, desc, succ, fail, ret, args, lk,          \
                    try_succ, try_call)                                        \
  body(how, name, desc, succ, fail, ret, args, lk, try_succ, try_call)
#endif

/* The bodies, one statement a line (clang-format would join a statement
 * macro with the next). */
/* clang-format off */

/* ACQUIRE and TIMED with a try: try first; only a busy lock is timed
 * (two clock reads around the blocking call). What li_waited does after a
 * contended acquisition runs inside the caller's critical section, so it
 * does the minimum: exact counts, and the push of a held entry carrying
 * the wait (LI_HELD_PENDING); the release buffers the wait after the real
 * unlock (docs/runtime.md, "Inside and outside the critical section"). */
#define LI_BODY_ACQUIRE_(how, name, desc, succ, fail, ret, args, lk,           \
                         try_succ, try_call)                                   \
  LI_TRY_FIRST_(if (!li_fast_acquire_(site, lk, 1))                            \
                  li_acquired(site, lk, 0, 0),                                 \
                li_waited(site, lk, succ##_OUTCOME(li_rc, fail), li_busy,      \
                          li_t0, li_now()),                                    \
                how, name, desc, succ, ret, args, lk, try_succ, try_call)

/* Try first (try_call, try_succ): `free` when the try took it, else the
 * real call, timed from li_t0, then `waited` (li_rc: the call's result). */
#define LI_TRY_FIRST_(free, waited, how, name, desc, succ, ret, args, lk,      \
                      try_succ, try_call)                                      \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  __extension__ unsigned long long li_t0;                                      \
  __typeof__(try_call) li_try;                                                 \
  int li_busy;                                                                 \
  succ##_RC(ret)                                                               \
  if (__builtin_expect(li_c & LI_CTL_OFF, 0))                                  \
    succ##_PLAIN(how##_REAL(name), args)                                       \
  how##_DESCRIBE(name, desc)                                                   \
  li_try = try_call;                                                           \
  if (__builtin_expect(try_succ##_OK(li_try), 1)) {                            \
    free;                                                                      \
    succ##_RET(succ##_OKV)                                                     \
  }                                                                            \
  try_succ##_DEAD(li_try, lk)                                                  \
  li_busy = try_succ##_BUSY(li_try);                                           \
  li_t0 = li_wait_begin(site, lk);                                             \
  succ##_SET how##_REAL(name) args;                                            \
  waited;                                                                      \
  succ##_RET(li_rc)

/* TRY: the real call, then an acquisition (no order edge) or a failure. */
#define LI_BODY_TRY_(how, name, desc, succ, fail, ret, args, lk, try_succ,     \
                     try_call)                                                 \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  succ##_SET how##_REAL(name) args;                                            \
  if (__builtin_expect(li_c & LI_CTL_OFF, 0))                                  \
    succ##_RET(li_rc)                                                          \
  if (__builtin_expect(succ##_OK(li_rc), 1)) {                                 \
    if (!li_fast_acquire_(site, lk, 0))                                        \
      li_acquired(site, lk, 0, 0);                                             \
  } else if (succ##_OWNERDEAD(li_rc)) {                                        \
    li_acquired(site, lk, 0, 0);                                               \
  } else {                                                                     \
    li_failed(site, succ##_OUTCOME(li_rc, fail));                              \
  }                                                                            \
  succ##_RET(li_rc)

/* A release ends the hold just before the real unlock (docs/runtime.md,
 * "The hold interval"): the unsampled fast path pops the entry and counts
 * the release first, then unlocks, and takes both back if the unlock
 * fails (li_fast_unrelease_). Otherwise the clock is read before the
 * unlock and the slow path, after a successful unlock, records the hold
 * as ending then; a failed unlock records no release. The control word is
 * read only when the fast path fails, so the recording path pays nothing
 * for it: what the fast path pops was pushed while recording was on.
 * While off, a release goes out of line only when the thread still holds
 * locks taken while on (the slow path forgets them quietly); otherwise it
 * costs the failed fast path, one load and a branch. A failed release is
 * an error. */
#define LI_BODY_RELEASE_(how, name, desc, succ, fail, ret, args, lk,           \
                         try_succ, try_call)                                   \
  __extension__ unsigned long long li_t1 = 0;                                  \
  int li_slow;                                                                 \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  if (__builtin_expect(li_fast_release_(site, lk), 1)) {                       \
    succ##_SET how##_REAL(name) args;                                          \
    if (__builtin_expect(!succ##_OK(li_rc), 0))                                \
      li_fast_unrelease_(site);                                                \
    succ##_RET(li_rc)                                                          \
  }                                                                            \
  li_slow = li_release_slow_();                                                \
  if (li_slow)                                                                 \
    li_t1 = li_now();                                                          \
  succ##_SET how##_REAL(name) args;                                            \
  if (__builtin_expect(succ##_OK(li_rc), 1)) {                                 \
    if (li_slow)                                                               \
      li_released_at(site, lk, li_t1);                                         \
  } else {                                                                     \
    li_failed(site, LI_OUT_ERROR);                                             \
  }                                                                            \
  succ##_RET(li_rc)

/* Condition waits: the hold ends, the wait is timed, the hold restarts. */
#define LI_BODY_CONDWAIT_(how, name, desc, succ, fail, ret, args, lk,          \
                          try_succ, try_call)                                  \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  __extension__ unsigned long long li_t0;                                      \
  int li_in;                                                                   \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  if (__builtin_expect(li_c & LI_CTL_OFF, 0))                                  \
    succ##_PLAIN(how##_REAL(name), args)                                       \
  li_in = li_cond_enter(site, lk);                                             \
  li_t0 = li_now();                                                            \
  succ##_SET how##_REAL(name) args;                                            \
  li_cond_leave(site, lk, li_in, succ##_OUTCOME(li_rc, fail),                  \
                li_now() - li_t0);                                             \
  succ##_RET(li_rc)

/* The real call, then `after` (using li_rc) while recording. */
#define LI_THEN_(after, how, name, desc, succ, ret, args)                      \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  succ##_SET how##_REAL(name) args;                                            \
  if (!(li_c & LI_CTL_OFF))                                                    \
    after;                                                                     \
  succ##_RET(li_rc)

/* init and destroy: forget the address (memory may be reused); a failure
 * is an error. */
#define LI_BODY_FORGET_(how, name, desc, succ, fail, ret, args, lk, try_succ,  \
                        try_call)                                              \
  LI_THEN_(li_forget(site, lk, succ##_OK(li_rc)), how, name, desc, succ, ret,  \
           args)
/* clang-format on */

#endif /* LOCKINSTR_BODIES_H */
