/*
 * lockinstr_wrap.h — configured lock wrappers that cannot probe their lock,
 * and the built-in lock calls of those wrappers' own bodies.
 *
 * Not API: included by lockinstr.h, after the wrapper bodies, and, like
 * them, may change in any release (docs/configuration.md, "Wrappers").
 *
 * A project's wrapper such as `void possess(lock *l)` or `void
 * STATS_LOCK(void)` (an [api] of kind acquire without `try`) locks a
 * built-in lock in its own body. The configured wrapper at the caller
 * cannot try the lock first, so the caller's contention would be lost.
 * lockinstr therefore rewrites the built-in calls of such a body into
 * `lockinstr_inner_<name>` wrappers, which count nothing: they try the
 * lock first, as any wrapper, and leave in the thread's li_inner record
 * the lock they took or released and, when the try found it busy, the
 * blocking call's start and end. The configured wrapper clears the
 * record before its real call and reads it after: a wait there is a
 * contention of the caller's site, with its wait time; the lock there is
 * the lock of a wrapper that has no lock argument (`lock = none`). An
 * acquisition whose body left no record (the body was not instrumented:
 * another library, a macro) has a contention nobody could see: the site
 * is marked LI_SITE_UNPROBED, and the profile says "unknown", never 0.
 *
 * Cost: two thread-local stores before the real call and one or two
 * loads after, only in configured wrappers without `try`.
 */
#ifndef LOCKINSTR_WRAP_H
#define LOCKINSTR_WRAP_H

/* What the built-in call of a wrapper's body left (see above). Only the
 * owning thread touches it. */
__extension__ struct li_inner {
  void *lock;            /* the lock taken or released; NULL: none seen */
  int busy;              /* the try found it busy: a wait t0 .. t1 */
  unsigned long long t0; /* clock ticks when the blocking call began */
  unsigned long long t1; /* ... and when it returned */
};
LOCKINSTR_EXPORT extern __thread struct li_inner li_inner
    __attribute__((tls_model("initial-exec")));

/* The lock of every `lock = none` wrapper whose body left no record: one
 * process-wide key (docs/configuration.md says to name such locks with
 * `lock = global NAME`). */
LOCKINSTR_EXPORT extern char li_anon_lock;

/* site->flags bit (the runtime's own): an acquisition at this site could
 * not see its contention (runtime/profile.c writes "contentions_known"). */
#define LI_SITE_UNPROBED 0x4000u

/* Marks site, and its record in the profile, as having an acquisition
 * whose contention is unknown (runtime/inner.c); out of line once. */
LOCKINSTR_EXPORT void li_unprobed(struct lockinstr_site *site);
static LOCKINSTR_INLINE_ void li_unprobed_(struct lockinstr_site *site) {
  if (!(__atomic_load_n(&site->flags, __ATOMIC_RELAXED) & LI_SITE_UNPROBED))
    li_unprobed(site);
}

/* The key of a `lock = none` wrapper: the body's lock, else the shared
 * one. */
#define LI_INNER_KEY_ (li_inner.lock ? li_inner.lock : (void *)&li_anon_lock)

/* clang-format off */

/* A configured acquisition without a try function (blocking 1) or a
 * configured try (blocking 0): clear li_inner, the real call, then an
 * acquisition if it succeeded (contended when the body's lock was busy),
 * else a failure. lk is evaluated after the call: it may be the returned
 * pointer (li_rc) or LI_INNER_KEY_. */
#define LI_WRAP_(blocking, how, name, desc, succ, fail, ret, args, lk)         \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  void *li_k;                                                                  \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  if (__builtin_expect(li_c & LI_CTL_OFF, 0))                                  \
    succ##_PLAIN(how##_REAL(name), args)                                       \
  li_inner.lock = 0;                                                           \
  li_inner.busy = 0;                                                           \
  succ##_SET how##_REAL(name) args;                                            \
  li_k = lk;                                                                   \
  if (__builtin_expect(succ##_OK(li_rc), 1)) {                                 \
    if (li_inner.busy) {                                                       \
      li_waited(site, li_k, LI_OUT_OK, 1, li_inner.t0, li_inner.t1);           \
    } else {                                                                   \
      if (blocking && !li_inner.lock)                                          \
        li_unprobed_(site);                                                    \
      if (!li_fast_acquire_(site, li_k, blocking))                             \
        li_acquired(site, li_k, 0, 0);                                         \
    }                                                                          \
  } else {                                                                     \
    li_failed(site, succ##_OUTCOME(li_rc, fail));                              \
  }                                                                            \
  succ##_RET(li_rc)
#define LI_BODY_WRAP_(how, name, desc, succ, fail, ret, args, lk, try_succ,    \
                      try_call)                                                \
  LI_WRAP_(1, how, name, desc, succ, fail, ret, args, lk)
#define LI_BODY_WRAPTRY_(how, name, desc, succ, fail, ret, args, lk,           \
                         try_succ, try_call)                                   \
  LI_WRAP_(0, how, name, desc, succ, fail, ret, args, lk)

/* A configured release whose lock is known only after the call (`lock =
 * none`: the body's): the real call, then the release. The hold ends
 * after the real unlock here. */
#define LI_BODY_UNWRAP_(how, name, desc, succ, fail, ret, args, lk, try_succ,  \
                        try_call)                                              \
  void *li_k;                                                                  \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  li_inner.lock = 0;                                                           \
  succ##_SET how##_REAL(name) args;                                            \
  li_k = lk;                                                                   \
  if (__builtin_expect(succ##_OK(li_rc), 1)) {                                 \
    if (!li_fast_release_(site, li_k) && li_release_slow_())                   \
      li_released_at(site, li_k, 0);                                           \
  } else {                                                                     \
    li_failed(site, LI_OUT_ERROR);                                             \
  }                                                                            \
  succ##_RET(li_rc)

/* The inner wrappers of a table API, by kind: ACQUIRE and TIMED try
 * first and time a busy lock's blocking call; TRY notes the lock it took,
 * RELEASE the lock it releases. None counts anything. */
#define LI_INNER_ACQUIRE_(succ, real, real_try, args, lk)                      \
  int li_rc = real_try(lk);                                                    \
  (void)site;                                                                  \
  li_inner.lock = lk;                                                          \
  if (succ##_OK(li_rc) || succ##_OWNERDEAD(li_rc))                             \
    return li_rc;                                                              \
  li_inner.busy = succ##_BUSY(li_rc);                                          \
  li_inner.t0 = li_now();                                                      \
  li_rc = real args;                                                           \
  li_inner.t1 = li_now();                                                      \
  return li_rc;
#define LI_INNER_TIMED_ LI_INNER_ACQUIRE_
#define LI_INNER_TRY_(succ, real, real_try, args, lk)                          \
  int li_rc = real args;                                                       \
  (void)site;                                                                  \
  if (succ##_OK(li_rc))                                                        \
    li_inner.lock = lk;                                                        \
  return li_rc;
#define LI_INNER_RELEASE_(succ, real, real_try, args, lk)                      \
  (void)site;                                                                  \
  li_inner.lock = lk;                                                          \
  return real args;
/* clang-format on */

#if defined(LOCKINSTR_DISABLE)
#define LI_INNER_BODY_(body, succ, real, real_try, args, lk)                   \
  (void)site;                                                                  \
  return real args;
#else
#define LI_INNER_BODY_(body, succ, real, real_try, args, lk)                   \
  body(succ, real, real_try, args, lk)
#endif

/* lockinstr_inner_<name> of a table row, from LI_DEFINE_ROW_'s words
 * (LOCKINSTR_IF_INNER_<kind>_ keeps the four kinds that have one). */
#define LI_DEFINE_INNER_(name, body, arg, succ, real_try, ret, params, args)   \
  static LOCKINSTR_INLINE_ ret lockinstr_inner_##name(                         \
      struct lockinstr_site *site, LOCKINSTR_PARAMS_ params) {                 \
    LI_INNER_BODY_(body, succ, li_real_##name, real_try, args,                 \
                   (void *)LI_LOCK_(arg, args))                                \
  }
#define LI_INNER_ROW_(name, kind, mode, arg, succ, hdr, try_fn, ret, params,   \
                      args)                                                    \
  LI_WANT_##hdr##_(LOCKINSTR_IF_INNER_##kind##_(                               \
      LI_DEFINE_INNER_(name, LI_INNER_##kind##_, arg, LI_S_##succ,             \
                       li_real_##try_fn, ret, params, args)))

#endif /* LOCKINSTR_WRAP_H */
