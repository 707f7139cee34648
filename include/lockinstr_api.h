/*
 * lockinstr_api.h — the one table of lock APIs lockinstr knows.
 *
 * Every lock call the rewriter matches, every wrapper the runtime defines,
 * the list of supported calls in docs/ and the table tests are generated
 * from LOCKINSTR_LOCK_APIS below. Add an API here and everything follows.
 *
 * This header includes nothing and declares no libc type, so it can be
 * included from the prologue of an instrumented file (which must not pull in
 * a libc header before the user's own feature-test macros take effect).
 *
 * Columns of X(name, kind, mode, lock_arg, success, header, try_fn, ret,
 *              params, args):
 *   name      the libc function, also the suffix of the wrapper name
 *             (lockinstr_<name>) and of the enum (LOCKINSTR_API_<name>)
 *   kind      LOCKINSTR_KIND_<kind>: what the call does to the lock
 *   mode      LOCKINSTR_MODE_<mode>: EXCL, READ, WRITE, or ANY (an rwlock
 *             unlock, whose mode the runtime knows from its held-lock stack)
 *   lock_arg  0-based index of the lock argument among the call's arguments
 *   success   LOCKINSTR_SUCCESS_<success>: ZERO (pthread: 0 on success, an
 *             errno value otherwise, EBUSY = busy, ETIMEDOUT = timed out),
 *             THRD (C11: thrd_success / thrd_busy / thrd_timedout),
 *             NONE (returns void: always succeeds), ERRNO (POSIX
 *             semaphores: 0, or -1 with errno EAGAIN = busy, ETIMEDOUT =
 *             timed out)
 *   header    LOCKINSTR_HEADER_<header>: PTHREAD (<pthread.h>) or THREADS
 *             (<threads.h>)
 *   try_fn    for ACQUIRE and TIMED: the non-blocking call the runtime tries
 *             first to detect contention; otherwise the name itself
 *   ret       return type of the call (and of its wrapper)
 *   params    the wrapper's parameter list after the site; every lock,
 *             condition and attribute pointer is void * so that the prologue
 *             can declare the wrapper without <pthread.h> (volatile void *
 *             for spinlocks: glibc's pthread_spinlock_t is volatile int)
 *   args      the argument names of params, in order
 */
#ifndef LOCKINSTR_API_H
#define LOCKINSTR_API_H

/* What a call does to its lock: X(name, word), where word is how the
 * profile's "kind" and a .lockinstr [api]'s `kind` write it. */
#define LOCKINSTR_KINDS(X)                                                     \
  X(ACQUIRE, acquire)   /* blocks until held */                                \
  X(TRY, try)           /* takes the lock if free, else returns busy */        \
  X(TIMED, timed)       /* blocks until held or a deadline passes */           \
  X(RELEASE, release)   /* gives the lock up */                                \
  X(CONDWAIT, condwait) /* releases, waits on a condition, re-acquires */      \
  X(CONDTIMEDWAIT, condtimedwait) /* the same with a deadline */               \
  X(INIT, init)                   /* initialises the lock object */            \
  X(DESTROY, destroy)             /* ends the lock object's life */           \
  X(SEMWAIT, semwait) /* takes a semaphore's unit, blocking (or timed) */     \
  X(SEMTRY, semtry)   /* takes a unit if there is one, else returns busy */   \
  X(SEMPOST, sempost) /* gives a unit back (any thread may) */

/* The mode a call takes its lock in: X(name, word), word as the profile's
 * "mode" and a .lockinstr [api]'s `mode` write it (ANY, an rwlock unlock
 * whose mode the runtime finds on its held-lock stack, is not
 * configurable). */
#define LOCKINSTR_MODES(X)                                                     \
  X(EXCL, excl) X(READ, read) X(WRITE, write) X(ANY, any)
/* Used as LOCKINSTR_KINDS(LOCKINSTR_WORD) or LOCKINSTR_MODES(LOCKINSTR_WORD):
 * the words, as the initialiser of an array of strings indexed by
 * LOCKINSTR_KIND_* or LOCKINSTR_MODE_*. */
#define LOCKINSTR_WORD(name, word) #word,

#define LOCKINSTR_SUCCESSES(X) X(ZERO) X(THRD) X(NONE) X(ERRNO)
#define LOCKINSTR_HEADERS(X) X(PTHREAD) X(THREADS)

/* clang-format off */
#define LOCKINSTR_LOCK_APIS(X) \
  X(pthread_mutex_lock,        ACQUIRE, EXCL,  0, ZERO, PTHREAD, pthread_mutex_trylock,    int, (void *l), (l)) \
  X(pthread_mutex_trylock,     TRY,     EXCL,  0, ZERO, PTHREAD, pthread_mutex_trylock,    int, (void *l), (l)) \
  X(pthread_mutex_timedlock,   TIMED,   EXCL,  0, ZERO, PTHREAD, pthread_mutex_trylock,    int, (void *l, const struct timespec *t), (l, t)) \
  X(pthread_mutex_clocklock,   TIMED,   EXCL,  0, ZERO, PTHREAD, pthread_mutex_trylock,    int, (void *l, int c, const struct timespec *t), (l, c, t)) \
  X(pthread_mutex_unlock,      RELEASE, EXCL,  0, ZERO, PTHREAD, pthread_mutex_unlock,     int, (void *l), (l)) \
  X(pthread_mutex_init,        INIT,    EXCL,  0, ZERO, PTHREAD, pthread_mutex_init,       int, (void *l, const void *a), (l, a)) \
  X(pthread_mutex_destroy,     DESTROY, EXCL,  0, ZERO, PTHREAD, pthread_mutex_destroy,    int, (void *l), (l)) \
  X(pthread_rwlock_rdlock,     ACQUIRE, READ,  0, ZERO, PTHREAD, pthread_rwlock_tryrdlock, int, (void *l), (l)) \
  X(pthread_rwlock_wrlock,     ACQUIRE, WRITE, 0, ZERO, PTHREAD, pthread_rwlock_trywrlock, int, (void *l), (l)) \
  X(pthread_rwlock_tryrdlock,  TRY,     READ,  0, ZERO, PTHREAD, pthread_rwlock_tryrdlock, int, (void *l), (l)) \
  X(pthread_rwlock_trywrlock,  TRY,     WRITE, 0, ZERO, PTHREAD, pthread_rwlock_trywrlock, int, (void *l), (l)) \
  X(pthread_rwlock_timedrdlock, TIMED,  READ,  0, ZERO, PTHREAD, pthread_rwlock_tryrdlock, int, (void *l, const struct timespec *t), (l, t)) \
  X(pthread_rwlock_timedwrlock, TIMED,  WRITE, 0, ZERO, PTHREAD, pthread_rwlock_trywrlock, int, (void *l, const struct timespec *t), (l, t)) \
  X(pthread_rwlock_clockrdlock, TIMED,  READ,  0, ZERO, PTHREAD, pthread_rwlock_tryrdlock, int, (void *l, int c, const struct timespec *t), (l, c, t)) \
  X(pthread_rwlock_clockwrlock, TIMED,  WRITE, 0, ZERO, PTHREAD, pthread_rwlock_trywrlock, int, (void *l, int c, const struct timespec *t), (l, c, t)) \
  X(pthread_rwlock_unlock,     RELEASE, ANY,   0, ZERO, PTHREAD, pthread_rwlock_unlock,    int, (void *l), (l)) \
  X(pthread_rwlock_init,       INIT,    ANY,   0, ZERO, PTHREAD, pthread_rwlock_init,      int, (void *l, const void *a), (l, a)) \
  X(pthread_rwlock_destroy,    DESTROY, ANY,   0, ZERO, PTHREAD, pthread_rwlock_destroy,   int, (void *l), (l)) \
  X(pthread_spin_lock,         ACQUIRE, EXCL,  0, ZERO, PTHREAD, pthread_spin_trylock,     int, (volatile void *l), (l)) \
  X(pthread_spin_trylock,      TRY,     EXCL,  0, ZERO, PTHREAD, pthread_spin_trylock,     int, (volatile void *l), (l)) \
  X(pthread_spin_unlock,       RELEASE, EXCL,  0, ZERO, PTHREAD, pthread_spin_unlock,      int, (volatile void *l), (l)) \
  X(pthread_spin_init,         INIT,    EXCL,  0, ZERO, PTHREAD, pthread_spin_init,        int, (volatile void *l, int p), (l, p)) \
  X(pthread_spin_destroy,      DESTROY, EXCL,  0, ZERO, PTHREAD, pthread_spin_destroy,     int, (volatile void *l), (l)) \
  X(pthread_cond_wait,         CONDWAIT, EXCL, 1, ZERO, PTHREAD, pthread_cond_wait,        int, (void *cv, void *l), (cv, l)) \
  X(pthread_cond_timedwait,    CONDTIMEDWAIT, EXCL, 1, ZERO, PTHREAD, pthread_cond_timedwait, int, (void *cv, void *l, const struct timespec *t), (cv, l, t)) \
  X(pthread_cond_clockwait,    CONDTIMEDWAIT, EXCL, 1, ZERO, PTHREAD, pthread_cond_clockwait, int, (void *cv, void *l, int c, const struct timespec *t), (cv, l, c, t)) \
  X(mtx_lock,                  ACQUIRE, EXCL,  0, THRD, THREADS, mtx_trylock,              int, (void *l), (l)) \
  X(mtx_trylock,               TRY,     EXCL,  0, THRD, THREADS, mtx_trylock,              int, (void *l), (l)) \
  X(mtx_timedlock,             TIMED,   EXCL,  0, THRD, THREADS, mtx_trylock,              int, (void *l, const struct timespec *t), (l, t)) \
  X(mtx_unlock,                RELEASE, EXCL,  0, THRD, THREADS, mtx_unlock,               int, (void *l), (l)) \
  X(mtx_init,                  INIT,    EXCL,  0, THRD, THREADS, mtx_init,                 int, (void *l, int type), (l, type)) \
  X(mtx_destroy,               DESTROY, EXCL,  0, NONE, THREADS, mtx_destroy,              void, (void *l), (l)) \
  X(cnd_wait,                  CONDWAIT, EXCL, 1, THRD, THREADS, cnd_wait,                 int, (void *cv, void *l), (cv, l)) \
  X(cnd_timedwait,             CONDTIMEDWAIT, EXCL, 1, THRD, THREADS, cnd_timedwait,       int, (void *cv, void *l, const struct timespec *t), (cv, l, t)) \
  X(sem_wait,                  SEMWAIT, EXCL,  0, ERRNO, PTHREAD, sem_trywait,             int, (void *l), (l)) \
  X(sem_timedwait,             SEMWAIT, EXCL,  0, ERRNO, PTHREAD, sem_trywait,             int, (void *l, const struct timespec *t), (l, t)) \
  X(sem_trywait,               SEMTRY,  EXCL,  0, ERRNO, PTHREAD, sem_trywait,             int, (void *l), (l)) \
  X(sem_post,                  SEMPOST, EXCL,  0, ERRNO, PTHREAD, sem_post,                int, (void *l), (l))
/* clang-format on */

enum lockinstr_kind {
#define LOCKINSTR_X_(k, word) LOCKINSTR_KIND_##k,
  LOCKINSTR_KINDS(LOCKINSTR_X_)
#undef LOCKINSTR_X_
      LOCKINSTR_KIND_COUNT
};

enum lockinstr_mode {
#define LOCKINSTR_X_(m, word) LOCKINSTR_MODE_##m,
  LOCKINSTR_MODES(LOCKINSTR_X_)
#undef LOCKINSTR_X_
      LOCKINSTR_MODE_COUNT
};

enum lockinstr_success {
#define LOCKINSTR_X_(s) LOCKINSTR_SUCCESS_##s,
  LOCKINSTR_SUCCESSES(LOCKINSTR_X_)
#undef LOCKINSTR_X_
      LOCKINSTR_SUCCESS_COUNT
};

enum lockinstr_header {
#define LOCKINSTR_X_(h) LOCKINSTR_HEADER_##h,
  LOCKINSTR_HEADERS(LOCKINSTR_X_)
#undef LOCKINSTR_X_
      LOCKINSTR_HEADER_COUNT
};

/* LOCKINSTR_API_<name>: the index of an API in the table. */
enum lockinstr_api_id {
#define LOCKINSTR_X_(name, kind, mode, arg, succ, hdr, try_fn, ret, params,   \
                     args)                                                     \
  LOCKINSTR_API_##name,
  LOCKINSTR_LOCK_APIS(LOCKINSTR_X_)
#undef LOCKINSTR_X_
      LOCKINSTR_API_COUNT
};

#endif /* LOCKINSTR_API_H */
