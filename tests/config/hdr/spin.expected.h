#line 1 "spin.h"
/* A kernel-style spinlock whose functions are static inline: their bodies
 * are the lock's implementation, left alone (tests/config/hdr). */
#ifndef SPIN_H
#define SPIN_H
#include <stdbool.h>

typedef struct {
  volatile int v;
} spinlock_t;

static inline bool spin_trylock(spinlock_t *l) {
  return __atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *l) {
  while (!spin_trylock(l))
    ;
}

static inline void spin_unlock(spinlock_t *l) {
  __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

void va_lock(spinlock_t *l, ...);
#endif
