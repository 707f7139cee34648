/* Calls every wrapper of wrap.h a known number of times; the "S name"
 * comments name the sites check.py looks for (tests/config/wrap). */
#include <stdlib.h>

#include "wrap.h"

static int holding;

static void wait_holding(void) {
  while (!__atomic_load_n(&holding, __ATOMIC_SEQ_CST))
    ;
  __atomic_store_n(&holding, 0, __ATOMIC_SEQ_CST);
}

/* Holds stats_lock until main blocks on it: one contention. */
static void *stats_holder(void *arg) {
  (void)arg;
  STATS_LOCK(); /* S holder_stats_lock */
  __atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
  while (!HAS_WAITER(&stats_lock))
    ;
  STATS_UNLOCK(); /* S holder_stats_unlock */
  return NULL;
}

static void *possess_holder(void *arg) {
  lock_t *l = arg;
  possess(l); /* S holder_possess */
  __atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
  while (!HAS_WAITER(&l->m))
    ;
  release(l); /* S holder_release */
  return NULL;
}

static int items(void) {
  void *p;
  int taken = 0;
  item_lock(5);                 /* S item_lock */
  taken += item_trylock(5) != NULL; /* S item_trylock_busy */
  item_unlock(5);               /* S item_unlock */
  for (unsigned hv = 0; hv < 4; hv++)
    if ((p = item_trylock(hv))) { /* S item_trylock */
      item_trylock_unlock(p);     /* S item_trylock_unlock */
      taken++;
    }
  return taken;
}

int main(void) {
  pthread_t t;
  lock_t *l = new_lock(); /* S new_lock */
  for (int i = 0; i < 10; i++) {
    STATS_LOCK();   /* S stats_lock */
    STATS_UNLOCK(); /* S stats_unlock */
  }
  pthread_create(&t, NULL, stats_holder, NULL);
  wait_holding();
  STATS_LOCK();   /* S stats_lock_contended */
  STATS_UNLOCK(); /* S stats_unlock_contended */
  pthread_join(t, NULL);
  pthread_create(&t, NULL, possess_holder, l);
  wait_holding();
  possess(l); /* S possess_contended */
  release(l); /* S release_contended */
  pthread_join(t, NULL);
  for (int i = 0; i < 3; i++) {
    possess(l); /* S possess */
    release(l); /* S release */
  }
  for (int i = 0; i < 2; i++) {
    grab(l);       /* S grab */
    drop(l);       /* S drop */
    CACHE_LOCK();   /* S cache_lock */
    CACHE_UNLOCK(); /* S cache_unlock */
  }
  for (int i = 0; i < 3; i++) {
    LOCAL_LOCK();   /* S local_lock */
    LOCAL_UNLOCK(); /* S local_unlock */
  }
  int rc = items() == 4 ? 0 : 1;
  free(l); /* new_lock's: LeakSanitizer checks the sanitizer builds */
  return rc;
}
