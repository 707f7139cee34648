/*
 * lockinstr_site.h — the call-site descriptor and the wrapper declarations
 * that an instrumented file's prologue needs.
 *
 * The rewriter turns `pthread_mutex_lock(&q->mu)` into
 * `lockinstr_pthread_mutex_lock(&LI_SITE[3], &q->mu)`, where LI_SITE is a
 * static array of struct lockinstr_site defined in the file's prologue. The
 * prologue must not include a libc header (the user's first include fixes
 * the feature-test macros such as _GNU_SOURCE), so this header includes
 * only lockinstr_api.h and declares the wrappers with void * lock
 * parameters. Their definitions, which need <pthread.h> or <threads.h>,
 * come from lockinstr_pthread.h / lockinstr_threads.h, included in the
 * epilogue after the file's last original line.
 *
 * Before including this header, the prologue defines LOCKINSTR_USES_PTHREAD
 * and/or LOCKINSTR_USES_THREADS for the API groups the file calls, so that
 * a file never sees a declaration from a group whose header it lacks (a
 * project may define its own mtx_lock and never include <threads.h>).
 */
#ifndef LOCKINSTR_SITE_H
#define LOCKINSTR_SITE_H

#include "lockinstr_api.h"

/* One per rewritten call, interned at build time. */
struct lockinstr_site {
  unsigned int id;       /* set by the runtime at first use; 0 = not yet */
  unsigned short api;    /* enum lockinstr_api_id */
  unsigned short flags;  /* LOCKINSTR_SITE_* */
  unsigned int line;     /* of the call; of the macro's use if in a macro */
  unsigned int column;   /* 1-based, in bytes, like a compiler's */
  const char *file;      /* the original path, as given to the tool */
  const char *function;  /* enclosing function; "" at file scope */
  const char *expr;      /* the lock argument exactly as written */
  const char *lock_class; /* e.g. "struct queue.mu", "g_lock", "locks[]" */
  const char *macro;     /* macro whose body holds the call, or "" */
};

/* flags: the low byte is the rewriter's; bits from 0x8000 down belong to
 * the runtime (0x8000: a hand-annotated site described as a trylock, which
 * never creates lock-order edges; see runtime/track.c). */
#define LOCKINSTR_SITE_IN_MACRO 0x1u /* the call is written in a macro body */
/* a configured lock wrapper's own lock call, rewritten to
 * lockinstr_inner_<name> (lockinstr_wrap.h): it counts nothing itself */
#define LOCKINSTR_SITE_INNER 0x2u

/* A site table fills whole cache lines of its own: LOCKINSTR_SITE_TABLE
 * aligns it to a line and LOCKINSTR_SITES(n) rounds its length up to whole
 * lines (the extra entries are never used). Every wrapper reads its site's
 * `id`; sharing a line with program data that other threads write would
 * make each of those reads a cache miss (docs/performance.md). The prologue
 * declares `static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(n)]
 * LOCKINSTR_SITE_TABLE = {...}`. */
/* Bytes per cache line: the one figure every line-aligned piece of
 * lockinstr (site tables, li_shared, li_tls, per-thread arrays) uses. */
#define LOCKINSTR_CACHE_LINE_ 64u
#define LOCKINSTR_SITE_LOWBIT_                                                \
  (sizeof(struct lockinstr_site) & (0u - sizeof(struct lockinstr_site)))
#define LOCKINSTR_SITES_PER_GROUP_                                            \
  (LOCKINSTR_SITE_LOWBIT_ < LOCKINSTR_CACHE_LINE_                             \
       ? LOCKINSTR_CACHE_LINE_ / LOCKINSTR_SITE_LOWBIT_                       \
       : 1u)
#define LOCKINSTR_SITES(n)                                                    \
  (((n) + LOCKINSTR_SITES_PER_GROUP_ - 1u) / LOCKINSTR_SITES_PER_GROUP_ *     \
   LOCKINSTR_SITES_PER_GROUP_)
#define LOCKINSTR_SITE_TABLE __attribute__((aligned(LOCKINSTR_CACHE_LINE_)))

/* Initialiser for one site, as the rewriter emits it. */
#define LOCKINSTR_SITE_INIT(api, flags, line, col, file, fn, expr, cls, mac) \
  { 0u, (unsigned short)LOCKINSTR_API_##api, (flags), (line), (col), (file),  \
    (fn), (expr), (cls), (mac) }

struct timespec;

/* The inline keyword of every wrapper and helper lockinstr puts into a
 * program: instrumented files keep their -std, and C89 (-std=c89, -ansi)
 * has no `inline`. GCC and clang accept __inline__ in every mode, also
 * with -pedantic; a compiler that knows neither gets a plain static
 * function. With GCC and clang the wrappers are always inlined, whatever
 * the optimiser's size heuristics say about a large caller (gcc -O2 once
 * left `call lockinstr_pthread_mutex_lock.isra.0` in a big file): the
 * uncontended path's cost depends on it (docs/performance.md). */
#if defined(__GNUC__)
#define LOCKINSTR_INLINE_ __inline__ __attribute__((__always_inline__))
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define LOCKINSTR_INLINE_ inline
#else
#define LOCKINSTR_INLINE_
#endif

/* The few variadic macros lockinstr needs (to splice a parenthesised
 * parameter list) are a C99 feature that GCC and clang accept in C89 too:
 * LOCKINSTR_VARIADIC_BEGIN_ / _END_ silence -Wvariadic-macros (from
 * -pedantic in C89 mode) around their definitions only. */
#if defined(__GNUC__)
#define LOCKINSTR_VARIADIC_BEGIN_                                              \
  _Pragma("GCC diagnostic push")                                               \
      _Pragma("GCC diagnostic ignored \"-Wvariadic-macros\"")
#define LOCKINSTR_VARIADIC_END_ _Pragma("GCC diagnostic pop")
#else
#define LOCKINSTR_VARIADIC_BEGIN_
#define LOCKINSTR_VARIADIC_END_
#endif

LOCKINSTR_VARIADIC_BEGIN_
#define LOCKINSTR_PARAMS_(...) __VA_ARGS__
LOCKINSTR_VARIADIC_END_
#define LOCKINSTR_DECLARE_(name, ret, params)                                  \
  static LOCKINSTR_INLINE_ ret lockinstr_##name(struct lockinstr_site *site,   \
                                                LOCKINSTR_PARAMS_ params);
#define LOCKINSTR_DECLARE_INNER_(name, ret, params)                            \
  static LOCKINSTR_INLINE_ ret lockinstr_inner_##name(                         \
      struct lockinstr_site *site, LOCKINSTR_PARAMS_ params);
/* The kinds whose calls in a configured wrapper's own body are rewritten
 * to lockinstr_inner_<name> (lockinstr_wrap.h). */
#define LOCKINSTR_IF_INNER_ACQUIRE_(x) x
#define LOCKINSTR_IF_INNER_TIMED_(x) x
#define LOCKINSTR_IF_INNER_TRY_(x) x
#define LOCKINSTR_IF_INNER_RELEASE_(x) x
#define LOCKINSTR_IF_INNER_CONDWAIT_(x)
#define LOCKINSTR_IF_INNER_CONDTIMEDWAIT_(x)
#define LOCKINSTR_IF_INNER_INIT_(x)
#define LOCKINSTR_IF_INNER_DESTROY_(x)
#define LOCKINSTR_IF_INNER_SEMWAIT_(x)
#define LOCKINSTR_IF_INNER_SEMTRY_(x)
#define LOCKINSTR_IF_INNER_SEMPOST_(x)
/* Declares the wrappers of one header group (PTHREAD or THREADS), and
 * the inner ones of its kinds that have them. Only the row's name, ret
 * and params are handed on: a word handed on is macro-expanded first, and
 * a -D or -include may define EXCL or ZERO. */
#define LOCKINSTR_DECLARE_GROUP_(name, kind, mode, arg, succ, hdr, try_fn,     \
                                 ret, params, args)                            \
  LOCKINSTR_IF_##hdr##_(LOCKINSTR_DECLARE_(name, ret, params)                  \
                            LOCKINSTR_IF_INNER_##kind##_(                      \
                                LOCKINSTR_DECLARE_INNER_(name, ret, params)))

#endif /* LOCKINSTR_SITE_H */

/* The declarations of each group, once per translation unit: outside the
 * include guard, so that a later includer that uses another group (a
 * header copy) gets it, and guarded per group, so that nothing is
 * declared twice (-Wredundant-decls). */
#if defined(LOCKINSTR_USES_PTHREAD) && !defined(LOCKINSTR_PTHREAD_DECLARED_)
#define LOCKINSTR_PTHREAD_DECLARED_ 1
#undef LOCKINSTR_IF_PTHREAD_
#undef LOCKINSTR_IF_THREADS_
#define LOCKINSTR_IF_PTHREAD_(x) x
#define LOCKINSTR_IF_THREADS_(x)
LOCKINSTR_LOCK_APIS(LOCKINSTR_DECLARE_GROUP_)
#endif
#if defined(LOCKINSTR_USES_THREADS) && !defined(LOCKINSTR_THREADS_DECLARED_)
#define LOCKINSTR_THREADS_DECLARED_ 1
#undef LOCKINSTR_IF_PTHREAD_
#undef LOCKINSTR_IF_THREADS_
#define LOCKINSTR_IF_PTHREAD_(x)
#define LOCKINSTR_IF_THREADS_(x) x
LOCKINSTR_LOCK_APIS(LOCKINSTR_DECLARE_GROUP_)
#endif
