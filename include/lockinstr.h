/*
 * lockinstr.h — the public API of liblockinstr, the lockinstr runtime.
 *
 * Programs rewritten by the lockinstr tool never need to include this file
 * themselves: the wrappers in lockinstr_pthread.h / lockinstr_threads.h do.
 * Include it to control the profiler (sample rate, dumps, reset, on/off)
 * or to annotate a lock type lockinstr does not know (track_*()).
 *
 * The second half of this file holds the few internals the inline wrappers
 * need on their hot path (the per-thread state, the control word, the
 * clock). They are not API: names there start with li_ and may change in
 * any release. See docs/runtime.md for how the hot path works.
 */
#ifndef LOCKINSTR_H
#define LOCKINSTR_H

#include "lockinstr_counters.h"
#include "lockinstr_site.h"

#define LOCKINSTR_VERSION "0.1.0"
#define LOCKINSTR_VERSION_MAJOR 0
#define LOCKINSTR_VERSION_MINOR 1
#define LOCKINSTR_VERSION_PATCH 0

#if defined(LOCKINSTR_DISABLE) /* the API as no-ops, no liblockinstr needed */
#include "lockinstr_off.h"     /* (also defines LOCKINSTR_EXPORT, empty) */
#elif defined(__GNUC__)
#define LOCKINSTR_EXPORT __attribute__((visibility("default")))
#else
#define LOCKINSTR_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif
#if defined(__GNUC__) /* the inline code's names may shadow the user's;        \
                       * a volatile lock is handed on as void * */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wredundant-decls" /* see lockinstr_off.h */
#endif

/* ------------------------------------------------------------------------
 * Control calls. All are thread-safe and may be called at any time, also
 * before main() and from several threads at once. None is
 * async-signal-safe.
 * ------------------------------------------------------------------------ */

/* Sets hold-time sampling to 1 in n acquisitions (0 = off, 1 = every
 * acquisition) for every thread and returns the previous rate. A call
 * overrides LOCKINSTR_SAMPLE_RATE, also when made before the runtime's
 * initialisation (e.g. from a constructor): initialisation then keeps it. The
 * calling thread uses the new rate from its next acquisition, every other
 * thread within LI_COUNTDOWN_MAX (65536) of its own acquisitions. Counts and
 * contention wait times are exact whatever the rate. Values above
 * LOCKINSTR_MAX_SAMPLE_RATE are clamped to it. */
LOCKINSTR_EXPORT unsigned long lockinstr_set_sample_rate(unsigned long n);
/* Returns the current sample rate. */
LOCKINSTR_EXPORT unsigned long lockinstr_get_sample_rate(void);
#define LOCKINSTR_MAX_SAMPLE_RATE 1000000000ul

/* Writes a profile now (reason "request"), atomically, to `path`, or to the
 * configured output (LOCKINSTR_OUTPUT) when path is NULL; %p (pid), %e
 * (program name) and %% are expanded in either. Counts are exact at the
 * moment of the call; timed events still in other running threads'
 * buffers appear in a later profile (see docs/runtime.md). Returns 0, or a
 * negative errno value (lockinstr_strerror describes it); prints nothing. */
LOCKINSTR_EXPORT int lockinstr_dump(const char *path);

/* Starts a fresh profile: zeroes every counter, histogram and dropped
 * counter, and restarts the profile's clock (start_unix_ns, duration_ns).
 * Sites stay registered; locks held at the time stay on their threads'
 * held-lock stacks. */
LOCKINSTR_EXPORT void lockinstr_reset(void);

/* Turns recording on (on != 0) or off for the whole process. While off,
 * an acquisition wrapper is the plain call after one load of a global
 * flag; a release is the plain call, the failed inline release check and
 * that load (out of line only while the thread still holds locks it took
 * while on). A lock taken while off and released while on is counted in
 * dropped.unlock_not_held. LOCKINSTR_DISABLE=1 starts the process off. */
LOCKINSTR_EXPORT void lockinstr_enable(int on);
/* Returns 1 when recording is on, else 0. */
LOCKINSTR_EXPORT int lockinstr_enabled(void);

/* Sets the DEFAULT output pattern of the automatic profiles (exit,
 * LOCKINSTR_INTERVAL, LOCKINSTR_SIGNAL) and of lockinstr_dump(NULL):
 * %p, %e and %% are expanded as in LOCKINSTR_OUTPUT. The environment wins:
 * while LOCKINSTR_OUTPUT holds a valid value this default is unused (except
 * in a setuid or setgid process, which ignores LOCKINSTR_* and writes its
 * exit profile only when this was called). It replaces the built-in
 * "lockinstr.%p.json" otherwise. The pattern is
 * copied. May be called at any time, also from a constructor that runs
 * before the runtime's own initialisation; it takes effect from the next
 * profile (the exit profile included). Returns 0, -EINVAL for NULL or "",
 * -ENAMETOOLONG for a pattern of 4096 bytes or more, -ENOMEM; on error the
 * previous default stays. lockinstr's generated code calls it for
 * `[runtime] output` of the configuration file. */
LOCKINSTR_EXPORT int lockinstr_set_default_output(const char *pattern);

/* Sets the DEFAULT of the exit summary switch: quiet != 0 prints no
 * summary on stderr at exit, 0 prints it. The environment wins (outside
 * setuid and setgid processes, which ignore LOCKINSTR_*): while
 * LOCKINSTR_QUIET holds a valid value this default is unused. May be
 * called at any time, also before the runtime's initialisation; the last
 * call before exit counts. lockinstr's generated code calls it for
 * `[runtime] quiet` of the configuration file. */
LOCKINSTR_EXPORT void lockinstr_set_default_quiet(int quiet);

/* Describes a negative error code returned by this API ("" never: unknown
 * codes get "unknown error"). The string is static. */
LOCKINSTR_EXPORT const char *lockinstr_strerror(int err);

/* CLOCK_MONOTONIC in nanoseconds; for measuring wait_ns of track_acquire. */
__extension__ LOCKINSTR_EXPORT unsigned long long lockinstr_now_ns(void);

/* ------------------------------------------------------------------------
 * Hand annotation of lock types lockinstr does not know (a project's own
 * spinlock, uv_mutex_t, sqlite3_mutex...). Give each call site its own
 * static site, e.g.
 *
 *   static struct lockinstr_site s_lock =
 *       LOCKINSTR_SITE_CUSTOM("queue_push", "&q->lock", "struct queue.lock");
 *   static struct lockinstr_site s_unlock =
 *       LOCKINSTR_SITE_CUSTOM("queue_push", "&q->lock", "struct queue.lock");
 *   unsigned long long w = 0;
 *   int contended = !my_trylock(&q->lock);
 *   if (contended) {
 *     unsigned long long t0 = lockinstr_now_ns();
 *     my_lock(&q->lock);
 *     w = lockinstr_now_ns() - t0;
 *   }
 *   track_acquire(&s_lock, &q->lock, LOCKINSTR_MODE_EXCL, contended, w);
 *   ...
 *   track_release(&s_unlock, &q->lock);
 *   my_unlock(&q->lock);
 *
 * A site made with LOCKINSTR_SITE_INIT (a table API) works too. Custom sites
 * appear in the profile with api "custom".
 * ------------------------------------------------------------------------ */

/* The api number of a hand-annotated site. */
#define LOCKINSTR_API_CUSTOM 0xffffu

/* A site for hand annotation at the current file and line. `function`,
 * `expr` and `cls` are string literals (function may be ""). */
#define LOCKINSTR_SITE_CUSTOM(function, expr, cls)                             \
  {                                                                            \
    0u, LOCKINSTR_API_CUSTOM, 0u, __LINE__, 0u, __FILE__, (function), (expr),  \
        (cls), ""                                                              \
  }

/* Records that the calling thread has just acquired `lock` at `site` in
 * `mode` (LOCKINSTR_MODE_EXCL, READ or WRITE). When `contended` is non-zero
 * the caller found the lock busy and waited `wait_ns` nanoseconds for it
 * (counted as a contention and added to the site's wait histogram).
 * Counts an acquisition, pushes the lock on the thread's held-lock stack
 * and samples its hold time. Thread-safe; allocation-free after the site's
 * and the thread's first use. */
__extension__ LOCKINSTR_EXPORT void track_acquire(struct lockinstr_site *site,
                                                  void *lock, int mode,
                                                  int contended,
                                                  unsigned long long wait_ns);

/* Records that the calling thread is releasing `lock` at `site`: counts a
 * release, ends the hold interval opened by the matching track_acquire (the
 * most recent one for this lock). A lock this thread does not hold is
 * counted in dropped.unlock_not_held and otherwise ignored. */
LOCKINSTR_EXPORT void track_release(struct lockinstr_site *site, void *lock);

/* What a call that did not acquire came to, for track_failed and
 * track_cond_leave. */
#define LOCKINSTR_OUTCOME_OK 0       /* acquired (or re-acquired) */
#define LOCKINSTR_OUTCOME_BUSY 1     /* a try found the lock taken */
#define LOCKINSTR_OUTCOME_TIMEDOUT 2 /* a timed call timed out */
#define LOCKINSTR_OUTCOME_ERROR 3    /* any other failure */

/* Records a lock call at `site` that did not acquire: a try that found the
 * lock busy (try_failures), a timed call that timed out (timeouts), or an
 * error (errors). LOCKINSTR_OUTCOME_OK records nothing. */
LOCKINSTR_EXPORT void track_failed(struct lockinstr_site *site, int outcome);

/* A condition wait on `lock`, annotated by hand: call track_cond_enter just
 * before the wait (the hold of lock ends there) and pass what it returned
 * to track_cond_leave just after, with the wait's outcome (OK, TIMEDOUT,
 * or ERROR when the call failed without waiting) and its duration. The
 * wait goes to the site's cond histogram; the re-acquisition counts as an
 * acquisition at the site, whose hold then starts. */
LOCKINSTR_EXPORT int track_cond_enter(struct lockinstr_site *site, void *lock);
__extension__ LOCKINSTR_EXPORT void
track_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                 int outcome, unsigned long long wait_ns);

/* Describes a hand-annotated site for the profile: the name of the API it
 * calls (`api`, copied: it may live in a library unloaded later), its kind
 * (LOCKINSTR_KIND_*) and mode (LOCKINSTR_MODE_*). Without it such a site shows
 * api "custom", a kind guessed from its counts, and the mode given to
 * track_acquire. Call it once per site (from a constructor, say); a later call
 * replaces the description. */
LOCKINSTR_EXPORT void track_describe(struct lockinstr_site *site,
                                     const char *api, int kind, int mode);

/* ------------------------------------------------------------------------
 * Internals for the inline wrappers. NOT API: may change in any release.
 * ------------------------------------------------------------------------ */

/* Per-thread, per-site counters: the COLD rows of LOCKINSTR_SITE_COUNTERS
 * (the HOT ones, acquisitions and releases, have arrays of their own, see
 * struct li_thread). Only the owning thread writes them (relaxed load +
 * store, no locked instruction); a dump reads them with relaxed loads. */
__extension__ struct li_cold {
#define LI_COLD_HOT_(field)
#define LI_COLD_COLD_(field) unsigned long long field;
#define LI_X_(name, field, where, merge, doc) LI_COLD_##where##_(field)
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
#undef LI_COLD_COLD_
#undef LI_COLD_HOT_
};

/* One lock held by a thread, an entry of its held-lock stack. The fast
 * path writes lock and site only; the other fields mean something only
 * when site has one of the LI_HELD_* flags:
 *   LI_HELD_SAMPLED: a sampled hold, of weight `weight`, began at t0;
 *   LI_HELD_PENDING: a timed event not yet buffered — the wait of a
 *     contended acquisition (or, with LI_HELD_PEND_COND, the condition
 *     wait before a re-acquisition) lasting `pend` ticks (ns with
 *     LI_HELD_PEND_NS), which ended at t0 (0 = unknown). The acquisition
 *     records it here, inside the caller's critical section, in place of
 *     buffering it; the release, after the real unlock, buffers it.
 * Any flag makes the release miss its inline fast path. */
__extension__ struct li_held {
  void *lock;              /* the lock's address (LI_HELD_TAG: flagged) */
  unsigned int site;       /* acquiring site id (0 = excluded) | flags */
  unsigned int weight;     /* sample weight (the rate it was drawn at) */
  unsigned long long t0;   /* clock ticks at acquisition */
  unsigned long long pend; /* LI_HELD_PENDING: the deferred duration */
};
#define LI_HELD_SAMPLED 0x80000000u
#define LI_HELD_PENDING 0x40000000u
#define LI_HELD_PEND_COND 0x20000000u
#define LI_HELD_PEND_NS 0x10000000u
#define LI_HELD_FLAGS 0xf0000000u
#define LI_HELD_SITE 0x0fffffffu /* site ids stay below this */

/* An entry with any LI_HELD_* flag stores its lock address with the top
 * bit flipped (LI_HELD_TAG), so the stored value never equals the address
 * the inline release compares it with: that one comparison also sends
 * every flagged entry to the slow path. li_held_lock gives the address
 * back; the runtime compares entries by it. */
#define LI_HELD_TAG ((__UINTPTR_TYPE__)1 << (8 * __SIZEOF_POINTER__ - 1))
static LOCKINSTR_INLINE_ void *li_held_lock(const struct li_held *h) {
  __UINTPTR_TYPE__ a = (__UINTPTR_TYPE__)h->lock;
  return (void *)(h->site & LI_HELD_FLAGS ? a ^ LI_HELD_TAG : a);
}

struct li_thread_ext;

/* The per-thread state, one initial-exec TLS block. The fields the
 * uncontended, unsampled path touches come first, in one cache line (the
 * variable is aligned to one: where it straddled two, at the TLS offset
 * the linker happened to give it, a spinlock pair cost 0.6 ns more;
 * docs/performance.md); the cold rest lives in *ext, allocated on the
 * thread's first slow path.
 * The held-lock stack is held[0 .. top-held-1]; held[-1] is a sentinel
 * whose lock matches nothing, so a release needs no emptiness test. */
__extension__ struct li_thread {
  struct li_held *top;     /* next free entry of the held-lock stack */
  struct li_held *end;     /* one past the last entry allocated */
  unsigned long long *acq; /* [id]: successful acquisitions at site id */
  unsigned long long *rel; /* [id]: successful releases at site id */
  unsigned int ncounts;    /* acq, rel and cold cover ids 1 .. ncounts */
  int countdown;           /* unsampled acquisitions before the next
                              sampled one (the fast path runs it to -1) */
  struct li_held *held;    /* bottom of the held-lock stack */
  struct li_cold *cold;    /* [id]: the other counters */
  unsigned long seen;      /* li_shared.control as of this thread's last sync */
  struct li_thread_ext *ext;
};

LOCKINSTR_EXPORT extern __thread struct li_thread li_tls
    __attribute__((tls_model("initial-exec"), aligned(LOCKINSTR_CACHE_LINE_)));

/* What every wrapper reads and the runtime rarely writes, alone on one
 * cache line: if data that other threads write shared the line, each read
 * would miss (measured: +5 ns on a 7 ns spinlock pair; docs/performance.md).
 *   control: LI_CTL_OFF when recording is off; the rest is an epoch bumped
 *     on every change of rate, reset or on/off. Wrappers test only
 *     LI_CTL_OFF; threads catch up with the rest on their next slow path
 *     (which comes at least every LI_COUNTDOWN_MAX acquisitions).
 *   clock_tsc: 1 when li_now() reads the TSC, 0 when CLOCK_MONOTONIC. */
struct li_shared {
  unsigned long control;
  int clock_tsc;
} __attribute__((aligned(LOCKINSTR_CACHE_LINE_)));
LOCKINSTR_EXPORT extern struct li_shared li_shared;
#define LI_CTL_OFF 1ul
#define LI_CTL_EPOCH 2ul

/* Outcome of a lock call, as the slow paths take it. */
enum li_outcome { LI_OUT_OK, LI_OUT_BUSY, LI_OUT_TIMEDOUT, LI_OUT_ERROR };

/* Slow paths (runtime/track.c). All thread-safe; none blocks on anything
 * but the runtime's own internal mutex; all leave errno unchanged. */
__extension__ LOCKINSTR_EXPORT void li_acquired(struct lockinstr_site *site,
                                                void *lock, int contended,
                                                unsigned long long ticks);
/* After a successful real unlock whose hold ended at clock tick t1 (read
 * just before the unlock; 0 = unknown, read it now). */
__extension__ LOCKINSTR_EXPORT void
li_released_at(struct lockinstr_site *site, void *lock, unsigned long long t1);
/* Before the blocking call of an ACQUIRE/TIMED wrapper whose try failed:
 * publishes that the calling thread waits for `lock` at `site`
 * (runtime/wait.h) and returns the clock tick the wait begins at. */
__extension__ LOCKINSTR_EXPORT unsigned long long
li_wait_begin(struct lockinstr_site *site, void *lock);
/* After the blocking call of an ACQUIRE/TIMED wrapper whose try failed:
 * the call began at clock tick t0 and returned at t1 with `outcome`; busy
 * when the try found the lock busy (a contention, if it then succeeded). */
__extension__ LOCKINSTR_EXPORT void li_waited(struct lockinstr_site *site,
                                              void *lock, int outcome, int busy,
                                              unsigned long long t0,
                                              unsigned long long t1);
LOCKINSTR_EXPORT void li_failed(struct lockinstr_site *site, int outcome);
LOCKINSTR_EXPORT int li_cond_enter(struct lockinstr_site *site, void *lock);
__extension__ LOCKINSTR_EXPORT void li_cond_leave(struct lockinstr_site *site,
                                                  void *lock, int entered,
                                                  int outcome,
                                                  unsigned long long ticks);
LOCKINSTR_EXPORT void li_forget(struct lockinstr_site *site, void *lock,
                                int ok);
__extension__ LOCKINSTR_EXPORT unsigned long long li_now_mono(void);

/* The TSC now in *now, and 1, when li_now() reads the TSC; 0 when it
 * would call clock_gettime instead (the runtime's leaf paths, which make
 * no call, take their general path then). */
__extension__ static LOCKINSTR_INLINE_ int
li_tsc_now_(unsigned long long *now) {
#if defined(__x86_64__) || defined(__i386__)
  if (__builtin_expect(__atomic_load_n(&li_shared.clock_tsc, __ATOMIC_RELAXED),
                       1)) {
    *now = __builtin_ia32_rdtsc();
    return 1;
  }
#endif
  (void)now;
  return 0;
}

/* Clock ticks: TSC cycles or CLOCK_MONOTONIC nanoseconds. */
__extension__ static LOCKINSTR_INLINE_ unsigned long long li_now(void) {
  unsigned long long now;
  return li_tsc_now_(&now) ? now : li_now_mono();
}

/* Increments a counter only its owner writes: a relaxed load + store, no
 * locked instruction. On x86-64 that is one unlocked `addq` to memory (an
 * aligned 8-byte store is single-copy atomic, so a concurrent relaxed load
 * sees the old or the new value); sanitizer builds keep the C atomics so
 * that ThreadSanitizer sees them. */
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__) &&                    \
    !defined(LI_NO_ASM_COUNTERS)
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LI_NO_ASM_COUNTERS 1
#endif
#endif
#endif
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__) &&                    \
    !defined(LI_NO_ASM_COUNTERS)
__extension__ static LOCKINSTR_INLINE_ void
li_count_inc_(unsigned long long *p) {
  __asm__("addq $1, %0" : "+m"(*p));
}
#else
__extension__ static LOCKINSTR_INLINE_ void
li_count_inc_(unsigned long long *p) {
  __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1,
                   __ATOMIC_RELAXED);
}
#endif

/* Locks the calling thread holds, as the runtime knows them. */
static LOCKINSTR_INLINE_ unsigned int li_held_depth(void) {
  return (unsigned int)(li_tls.top - li_tls.held);
}

/* The uncontended, unsampled acquisition: count it and push the lock.
 * Returns 0 when the slow path must run instead: site not registered yet
 * or excluded, counters or stack to grow, a sample due (the countdown
 * went below 0; the slow path knows it was decremented), or, for a blocking
 * acquisition (`blocking`, a constant in each wrapper), any lock already
 * held: that case records lock-order edges (issue #8) out of line. No
 * clock read, no shared write, no lock, no allocation.
 *
 * For a blocking acquisition "stack not empty" replaces "stack full" in
 * the same single compare: once a thread has counters (ncounts > 0) its
 * stack has room for at least LI_HELD_INITIAL entries, so an empty stack
 * is never full, and acquiring with nothing held costs nothing extra. */
static LOCKINSTR_INLINE_ int li_fast_acquire_(struct lockinstr_site *site,
                                              void *lock, int blocking) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  struct li_held *top = t->top;
  if (__builtin_expect(id - 1u >= t->ncounts ||
                           (blocking ? top != t->held : top == t->end),
                       0))
    return 0;
  if (__builtin_expect(--t->countdown < 0, 0)) /* subl $1, mem; js */
    return 0;
  li_count_inc_(&t->acq[id]);
  top->lock = lock;
  top->site = id;
  t->top = top + 1;
  return 1;
}

/* The release of an unsampled acquisition on top of the stack, with
 * nothing deferred to it. Returns 0 when the slow path must run instead
 * (which the wrapper calls after the real unlock, outside the critical
 * section). The wrapper calls it before the real unlock: the hold ends
 * there. */
static LOCKINSTR_INLINE_ int li_fast_release_(struct lockinstr_site *site,
                                              void *lock) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  struct li_held *h;
  if (__builtin_expect(id - 1u >= t->ncounts, 0))
    return 0; /* also when the thread has no stack yet */
  h = t->top - 1;
  if (__builtin_expect(h->lock != lock, 0)) /* also when flagged */
    return 0;
  li_count_inc_(&t->rel[id]);
  t->top = h;
  return 1;
}

/* Takes back what li_fast_release_ did when the real unlock it preceded
 * failed: the entry goes back on the stack (its slot is untouched: nothing
 * was pushed in between), the release is uncounted, and the failure is
 * counted as an error, as a failed release always is. */
__extension__ static LOCKINSTR_INLINE_ void
li_fast_unrelease_(struct lockinstr_site *site) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  unsigned long long *rel = &t->rel[id];
  __atomic_store_n(rel, __atomic_load_n(rel, __ATOMIC_RELAXED) - 1,
                   __ATOMIC_RELAXED);
  t->top = t->top + 1;
  li_failed(site, LI_OUT_ERROR);
}

/* 1 while recording is on. */
static LOCKINSTR_INLINE_ int li_recording_(void) {
  return !(__atomic_load_n(&li_shared.control, __ATOMIC_RELAXED) & LI_CTL_OFF);
}

/* After a failed fast release: 1 when the slow path must run, i.e. while
 * recording is on, or while off if the thread still holds locks it took
 * while on (their entries must go). Off with an empty stack: nothing to
 * do, so switching the runtime off costs about one load and a branch. */
static LOCKINSTR_INLINE_ int li_release_slow_(void) {
  return li_recording_() || li_tls.top != li_tls.held;
}

#include "lockinstr_bodies.h"

/* ---- Generating the wrappers from LOCKINSTR_LOCK_APIS ----------------- */

/* The real call, bound by symbol name so it works whatever feature-test
 * macros the instrumented file was compiled with (a file compiled with
 * -std=c11 sees no pthread_rwlock_* declaration, but may not call them
 * either; the wrapper definitions must still compile). */
#define LI_DECLARE_REAL_(name, ret, params)                                    \
  extern ret li_real_##name(LOCKINSTR_PARAMS_ params) __asm__(#name);

/* The lock argument: args is e.g. (cv, l); lock_arg picks one. It is
 * handed on as void * (a lock parameter may be volatile void *, as for
 * pthread_spinlock_t, which is a volatile int). */
LOCKINSTR_VARIADIC_BEGIN_
#define LI_ARG0_(a, ...) a
#define LI_ARG1_(a, b, ...) b
#define LI_PICK_(n, ...) LI_ARG##n##_(__VA_ARGS__, ~, ~)
LOCKINSTR_VARIADIC_END_
#define LI_LOCK_(n, args) ((void *)(LI_PICK_(n, LOCKINSTR_PARAMS_ args)))

/* The body per table kind. */
#define LI_TABLE_ACQUIRE_ LI_BODY_ACQUIRE_
#define LI_TABLE_TIMED_ LI_BODY_ACQUIRE_
#define LI_TABLE_TRY_ LI_BODY_TRY_
#define LI_TABLE_RELEASE_ LI_BODY_RELEASE_
#define LI_TABLE_CONDWAIT_ LI_BODY_CONDWAIT_
#define LI_TABLE_CONDTIMEDWAIT_ LI_BODY_CONDWAIT_
#define LI_TABLE_INIT_ LI_BODY_FORGET_
#define LI_TABLE_DESTROY_ LI_BODY_FORGET_

/* A table API's wrapper, from the row's words already made LI_/LOCKINSTR_
 * names by LI_DEFINE_ROW_: body (LI_TABLE_<kind>_), kind and mode
 * (LOCKINSTR_KIND_/MODE_ constants), succ (LI_S_<success>), real_try
 * (li_real_<try_fn>). A table convention classifies every failure itself
 * (fail unused). */
#define LI_DEFINE_(name, body, kind, mode, arg, succ, real_try, ret, params,   \
                   args)                                                       \
  static LOCKINSTR_INLINE_ ret lockinstr_##name(struct lockinstr_site *site,   \
                                                LOCKINSTR_PARAMS_ params) {    \
    LI_WRAPPER_(body, LI_TABLE, name, (kind, mode), succ, LI_OUT_ERROR, ret,   \
                args, (void *)LI_LOCK_(arg, args), succ,                       \
                real_try((void *)LI_LOCK_(arg, args)))                         \
  }

/* The X of LOCKINSTR_LOCK_APIS for the wrappers of one header group: the
 * including header defines LI_WANT_<header>_(x) as x for its group and as
 * nothing for the other. A row's bare words (ACQUIRE, EXCL, ZERO,
 * PTHREAD...) are pasted into LI_/LOCKINSTR_ names here, at the first
 * macro level that sees them: a word handed on unpasted is macro-expanded
 * first, and the wrappers are expanded after the program's own code,
 * which may #define any of those words. */
#define LI_DECLARE_ROW_(name, kind, mode, arg, succ, hdr, try_fn, ret, params, \
                        args)                                                  \
  LI_WANT_##hdr##_(LI_DECLARE_REAL_(name, ret, params))
#define LI_DEFINE_ROW_(name, kind, mode, arg, succ, hdr, try_fn, ret, params,  \
                       args)                                                   \
  LI_WANT_##hdr##_(LI_DEFINE_(name, LI_TABLE_##kind##_, LOCKINSTR_KIND_##kind, \
                              LOCKINSTR_MODE_##mode, arg, LI_S_##succ,         \
                              li_real_##try_fn, ret, params, args))

#include "lockinstr_sem.h"
#include "lockinstr_wrap.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#ifdef __cplusplus
}
#endif

#endif /* LOCKINSTR_H */
