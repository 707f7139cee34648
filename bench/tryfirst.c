/*
 * tryfirst.c — the plain loops of pairs.c written the way an instrumented
 * wrapper calls the lock: try first, and only if the lock is busy make the
 * blocking call. No lockinstr in them.
 *
 * lockinstr detects contention by trying first (DESIGN.md), so an
 * instrumented acquisition always pays for the try call instead of the
 * lock call. With glibc these cost the same in a multi-threaded process,
 * but in a single-threaded one pthread_mutex_lock (and so mtx_lock) skips
 * the `lock` prefix of its compare-and-swap (__libc_single_threaded) while
 * pthread_mutex_trylock never does. These loops measure that part of the
 * overhead apart from lockinstr's own work.
 */
#define _XOPEN_SOURCE 700 /* rwlocks and spinlocks under -std=c11 */
#include "pairs.h"

#include <pthread.h>
#include <threads.h>

/* A store the compiler must keep, so the critical section is not empty. */
static volatile unsigned long sink;

void try_mutex_pairs(pthread_mutex_t *m, long n) {
  for (long i = 0; i < n; i++) {
    if (pthread_mutex_trylock(m) != 0)
      pthread_mutex_lock(m);
    sink++;
    pthread_mutex_unlock(m);
  }
}

void try_rdlock_pairs(pthread_rwlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    if (pthread_rwlock_tryrdlock(l) != 0)
      pthread_rwlock_rdlock(l);
    sink++;
    pthread_rwlock_unlock(l);
  }
}

void try_wrlock_pairs(pthread_rwlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    if (pthread_rwlock_trywrlock(l) != 0)
      pthread_rwlock_wrlock(l);
    sink++;
    pthread_rwlock_unlock(l);
  }
}

void try_spin_pairs(pthread_spinlock_t *l, long n) {
  for (long i = 0; i < n; i++) {
    if (pthread_spin_trylock(l) != 0)
      pthread_spin_lock(l);
    sink++;
    pthread_spin_unlock(l);
  }
}

void try_mtx_pairs(mtx_t *m, long n) {
  for (long i = 0; i < n; i++) {
    if (mtx_trylock(m) != thrd_success)
      mtx_lock(m);
    sink++;
    mtx_unlock(m);
  }
}

void try_contended_pairs(pthread_mutex_t *locks, long nlocks, long start,
                         long n) {
  long j = start % nlocks;
  for (long i = 0; i < n; i++) {
    if (pthread_mutex_trylock(&locks[j]) != 0)
      pthread_mutex_lock(&locks[j]);
    sink += (unsigned long)i;
    pthread_mutex_unlock(&locks[j]);
    if (++j == nlocks)
      j = 0;
  }
}
