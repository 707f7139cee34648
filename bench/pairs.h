/*
 * pairs.h — the three variants of the loops in pairs.c: plain_ (as
 * written), inst_ (rewritten by lockinstr) and off_ (rewritten, compiled
 * with -DLOCKINSTR_DISABLE); and the plain try-first loops of tryfirst.c.
 */
#ifndef BENCH_PAIRS_H
#define BENCH_PAIRS_H

#include <pthread.h>
#include <threads.h>

#define BENCH_DECLARE(v)                                                       \
  void v##mutex_pairs(pthread_mutex_t *m, long n);                             \
  void v##rdlock_pairs(pthread_rwlock_t *l, long n);                           \
  void v##wrlock_pairs(pthread_rwlock_t *l, long n);                           \
  void v##spin_pairs(pthread_spinlock_t *l, long n);                           \
  void v##mtx_pairs(mtx_t *m, long n);                                         \
  void v##spread_pairs(pthread_mutex_t *locks, long nlocks, long n);           \
  void v##contended_pairs(pthread_mutex_t *locks, long nlocks, long start,     \
                          long n);                                             \
  extern volatile long v##neighbour;                                           \
  extern const void *const v##site_table;                                      \
  extern const unsigned long v##site_table_size;

BENCH_DECLARE(plain_)
BENCH_DECLARE(inst_)
BENCH_DECLARE(off_)

/* tryfirst.c: the plain uncontended loops, trying the lock first. */
void try_mutex_pairs(pthread_mutex_t *m, long n);
void try_rdlock_pairs(pthread_rwlock_t *l, long n);
void try_wrlock_pairs(pthread_rwlock_t *l, long n);
void try_spin_pairs(pthread_spinlock_t *l, long n);
void try_mtx_pairs(mtx_t *m, long n);
void try_contended_pairs(pthread_mutex_t *locks, long nlocks, long start,
                         long n);

/* One variant's loops, so the driver can run any of them by pointer. */
struct bench_variant {
  const char *name;
  void (*mutex_pairs)(pthread_mutex_t *, long);
  void (*rdlock_pairs)(pthread_rwlock_t *, long);
  void (*wrlock_pairs)(pthread_rwlock_t *, long);
  void (*spin_pairs)(pthread_spinlock_t *, long);
  void (*mtx_pairs)(mtx_t *, long);
  void (*spread_pairs)(pthread_mutex_t *, long, long);
  void (*contended_pairs)(pthread_mutex_t *, long, long, long);
};

#define BENCH_VARIANT_INIT(v)                                                  \
  {                                                                            \
#v, v##mutex_pairs, v##rdlock_pairs, v##wrlock_pairs, v##spin_pairs,       \
        v##mtx_pairs, v##spread_pairs, v##contended_pairs                      \
  }

#endif
