/*
 * lockinstr_sem.h — the wrapper bodies of semaphores (kinds SEMWAIT,
 * SEMTRY, SEMPOST of LOCKINSTR_KINDS), for sem_* of the table and for
 * configured ones (uv_sem_*).
 *
 * Not API: included by lockinstr.h, after the lock bodies. A semaphore
 * has no owner: a wait takes a unit that any thread may post back. So a
 * semaphore call never touches the held-lock stack: its site counts
 * acquisitions (units taken), contentions and their waits (a wait whose
 * try found no unit, timed like a contended lock), try failures, timeouts
 * and errors, and a post counts a release; there is no hold time, no
 * lock-order edge, and a post is never an unlock_not_held. The counting
 * is out of line (runtime/sem.c, li_sem_done / li_sem_posted): one call
 * per semaphore operation.
 */
#ifndef LOCKINSTR_SEM_H
#define LOCKINSTR_SEM_H

/* After a wait or try at site that came to `outcome`; busy: a wait whose
 * try found no unit, blocked from clock tick t0 to t1 (a contention when
 * it then succeeded). Leaves errno alone. */
__extension__ LOCKINSTR_EXPORT void li_sem_done(struct lockinstr_site *site,
                                                int outcome, int busy,
                                                unsigned long long t0,
                                                unsigned long long t1);
/* After a post at site (ok: it succeeded, else an error). Leaves errno
 * alone. */
LOCKINSTR_EXPORT void li_sem_posted(struct lockinstr_site *site, int ok);

/* POSIX semaphores' convention (see LI_S_ZERO in lockinstr.h): 0, or -1
 * with errno EAGAIN (no unit) or ETIMEDOUT. */
/* clang-format off */
#define LI_S_ERRNO_OK(rc) ((rc) == 0)
#define LI_S_ERRNO_OWNERDEAD(rc) 0
#define LI_S_ERRNO_DEAD LI_V_NO_DEAD
#define LI_S_ERRNO_BUSY(t) (errno == EAGAIN)
#define LI_S_ERRNO_OUTCOME(rc, fail)                                           \
  ((rc) == 0 ? LI_OUT_OK : errno == ETIMEDOUT ? LI_OUT_TIMEDOUT                \
   : errno == EAGAIN ? LI_OUT_BUSY : LI_OUT_ERROR)
#define LI_S_ERRNO_OKV 0
#define LI_S_ERRNO_RC LI_V_RC
#define LI_S_ERRNO_SET LI_V_SET
#define LI_S_ERRNO_RET LI_V_RET
#define LI_S_ERRNO_PLAIN LI_V_PLAIN

/* SEMWAIT with a try: try first; only a wait that found no unit is timed
 * (a contention if it then got one). */
#define LI_BODY_SEMWAIT_(how, name, desc, succ, fail, ret, args, lk,           \
                         try_succ, try_call)                                   \
  LI_TRY_FIRST_(li_sem_done(site, LI_OUT_OK, 0, 0, 0),                         \
                li_sem_done(site, succ##_OUTCOME(li_rc, fail), li_busy, li_t0, \
                            li_now()),                                         \
                how, name, desc, succ, ret, args, lk, try_succ, try_call)

/* SEMTRY, and a configured SEMWAIT without a try (unprobed 1: its
 * contention is unknown): the real call, then what it came to. */
#define LI_SEM_TAKE_(unprobed, how, name, desc, succ, fail, ret, args)         \
  unsigned long li_c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);  \
  int li_out;                                                                  \
  succ##_RC(ret)                                                               \
  how##_DESCRIBE(name, desc)                                                   \
  succ##_SET how##_REAL(name) args;                                            \
  if (__builtin_expect(li_c & LI_CTL_OFF, 0))                                  \
    succ##_RET(li_rc)                                                          \
  li_out = succ##_OUTCOME(li_rc, fail);                                        \
  if (unprobed)                                                                \
    li_unprobed_(site);                                                        \
  li_sem_done(site, li_out, 0, 0, 0);                                          \
  succ##_RET(li_rc)
#define LI_BODY_SEMTRY_(how, name, desc, succ, fail, ret, args, lk, try_succ,  \
                        try_call)                                              \
  LI_SEM_TAKE_(0, how, name, desc, succ, fail, ret, args)
#define LI_BODY_SEMTAKE_(how, name, desc, succ, fail, ret, args, lk, try_succ, \
                         try_call)                                             \
  LI_SEM_TAKE_(1, how, name, desc, succ, fail, ret, args)

/* SEMPOST: the real call, then a release (or an error). */
#define LI_BODY_SEMPOST_(how, name, desc, succ, fail, ret, args, lk, try_succ, \
                         try_call)                                             \
  LI_THEN_(li_sem_posted(site, succ##_OK(li_rc)), how, name, desc, succ, ret,  \
           args)
/* clang-format on */

/* The bodies of the table's semaphore rows (LI_DEFINE_ROW_). */
#define LI_TABLE_SEMWAIT_ LI_BODY_SEMWAIT_
#define LI_TABLE_SEMTRY_ LI_BODY_SEMTRY_
#define LI_TABLE_SEMPOST_ LI_BODY_SEMPOST_

#endif /* LOCKINSTR_SEM_H */
