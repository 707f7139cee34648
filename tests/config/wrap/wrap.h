/* Lock wrappers shaped like memcached's and pigz's (tests/config/wrap). */
#ifndef WRAP_H
#define WRAP_H
#include <pthread.h>

typedef struct {
  pthread_mutex_t m;
} lock_t;

extern pthread_mutex_t stats_lock;
void STATS_LOCK(void);
void STATS_UNLOCK(void);
void possess(lock_t *l);
void release(lock_t *l);
void grab(lock_t *l);
void drop(lock_t *l);
void CACHE_LOCK(void);
void CACHE_UNLOCK(void);
lock_t *new_lock(void);
void item_lock(unsigned hv);
void item_unlock(unsigned hv);
void *item_trylock(unsigned hv);
void item_trylock_unlock(void *lock);

/* A macro wrapper needs no [api]: its pthread call is a site where it is
 * used. */
#define LOCAL_LOCK() pthread_mutex_lock(&stats_lock)
#define LOCAL_UNLOCK() pthread_mutex_unlock(&stats_lock)

/* 1 once a thread blocks on m (glibc marks a mutex with waiters 2): the
 * holder may let go, the waiter's try has failed. */
#define HAS_WAITER(m) (__atomic_load_n(&(m)->__data.__lock, __ATOMIC_SEQ_CST) == 2)
#endif
