#line 1 "spin.h"
/* A project's own spinlock, with a bool trylock (tests/config). */
#ifndef SPIN_H
#define SPIN_H
#include <stdbool.h>

typedef struct {
  volatile int v;
} spinlock_t;

extern unsigned long spin_attempts; /* every spin_trylock call */

static inline bool spin_trylock(spinlock_t *l) {
  __atomic_fetch_add(&spin_attempts, 1, __ATOMIC_SEQ_CST);
  return __atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *l) {
  while (!spin_trylock(l))
    ;
}

static inline void spin_unlock(spinlock_t *l) {
  __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

bool my_trylock(spinlock_t *l);
#endif
