/* The wrappers' own implementation: their pthread calls become the
 * lockinstr_inner_* wrappers, which tell the caller's wrapper about the
 * lock and a contention (tests/config/wrap). */
#include <stdlib.h>

#include "wrap.h"

#define LOCK_M(l) pthread_mutex_lock(&(l)->m)

pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t item_locks[4] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

void STATS_LOCK(void) { pthread_mutex_lock(&stats_lock); }
void STATS_UNLOCK(void) { pthread_mutex_unlock(&stats_lock); }
void possess(lock_t *l) { pthread_mutex_lock(&l->m); }
void release(lock_t *l) { pthread_mutex_unlock(&l->m); }
void grab(lock_t *l) { LOCK_M(l); }
void drop(lock_t *l) { pthread_mutex_unlock(&l->m); }

lock_t *new_lock(void) {
  lock_t *l = malloc(sizeof *l);
  if (l)
    pthread_mutex_init(&l->m, NULL);
  return l;
}

void item_lock(unsigned hv) { pthread_mutex_lock(&item_locks[hv & 3]); }
void item_unlock(unsigned hv) { pthread_mutex_unlock(&item_locks[hv & 3]); }
void *item_trylock(unsigned hv) {
  pthread_mutex_t *lock = &item_locks[hv & 3];
  return pthread_mutex_trylock(lock) == 0 ? lock : NULL;
}
void item_trylock_unlock(void *lock) { pthread_mutex_unlock(lock); }
