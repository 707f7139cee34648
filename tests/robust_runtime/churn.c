/*
 * churn.c — 1,000 threads created and exiting while other threads lock
 * (issue #7, runtime). LOCKERS long-lived threads lock `shared` until the
 * churn is over, counting their own acquisitions; meanwhile WAVES waves of
 * WAVE short threads (half joined, half detached) each lock `shared`
 * PER_THREAD times and a private mutex once, then exit; the main thread
 * writes a profile after every wave (dumps racing thread exits). It prints
 * the counts the profile must show and the heap growth between the end of
 * the first wave and the end (the runtime frees an exited thread's state,
 * so this stays near zero however many threads came and went).
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[8] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 5, "churn.c", "locker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 5, "churn.c", "locker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 5, "churn.c", "short_lived",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 21, 5, "churn.c",
                        "short_lived", "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 30, 5, "churn.c", "short_lived",
                        "&own", "own", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 31, 5, "churn.c",
                        "short_lived", "&own", "own", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 5, "churn.c", "main",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 41, 5, "churn.c", "main",
                        "&shared", "shared", ""),
};
#include <pthread.h>
#include <string.h>

#include "lockinstr.h"
#include "rr.h"

#define LOCKERS 4
#define WAVES 20
#define WAVE 50 /* WAVES * WAVE = 1000 short threads */
#define PER_THREAD 100

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total;         /* under shared */
static int stop;                    /* atomic */
static unsigned long detached_done; /* atomic */

static void *locker(void *arg) {
  unsigned long *n = arg;
  while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
    lockinstr_pthread_mutex_lock(&S[0], &shared);
    total++;
    lockinstr_pthread_mutex_unlock(&S[1], &shared);
    ++*n;
  }
  return NULL;
}

static void *short_lived(void *arg) {
  pthread_mutex_t own = PTHREAD_MUTEX_INITIALIZER;
  int i;
  for (i = 0; i < PER_THREAD; i++) {
    lockinstr_pthread_mutex_lock(&S[2], &shared);
    total++;
    lockinstr_pthread_mutex_unlock(&S[3], &shared);
  }
  lockinstr_pthread_mutex_lock(&S[4], &own);
  lockinstr_pthread_mutex_unlock(&S[5], &own);
  if (arg)
    __atomic_fetch_add(&detached_done, 1, __ATOMIC_RELEASE);
  return NULL;
}

/* One wave: WAVE threads, the odd ones detached; waits for all of them. */
static void wave(unsigned long *detached_want) {
  pthread_t th[WAVE];
  pthread_attr_t det;
  int i;
  pthread_attr_init(&det);
  pthread_attr_setdetachstate(&det, PTHREAD_CREATE_DETACHED);
  for (i = 0; i < WAVE; i++)
    RR_CHECK(pthread_create(&th[i], i % 2 ? &det : NULL, short_lived,
                            i % 2 ? (void *)1 : NULL) == 0);
  for (i = 0; i < WAVE; i += 2)
    pthread_join(th[i], NULL);
  *detached_want += WAVE / 2;
  rr_wait_at_least(&detached_done, *detached_want);
  pthread_attr_destroy(&det);
}

int main(int argc, char **argv) {
  pthread_t lk[LOCKERS];
  unsigned long n[LOCKERS] = {0}, lockers = 0, detached_want = 0;
  size_t heap0 = 0;
  int i, w;
  RR_CHECK(argc == 2); /* a dump path for the per-wave profiles */
  lockinstr_pthread_mutex_lock(&S[6], &shared);
  lockinstr_pthread_mutex_unlock(&S[7], &shared);
  for (i = 0; i < LOCKERS; i++)
    RR_CHECK(pthread_create(&lk[i], NULL, locker, &n[i]) == 0);
  for (w = 0; w < WAVES; w++) {
    wave(&detached_want);
    RR_CHECK(lockinstr_dump(argv[1]) == 0);
    if (w == 0)
      heap0 = rr_heap();
  }
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  for (i = 0; i < LOCKERS; i++) {
    pthread_join(lk[i], NULL);
    lockers += n[i];
  }
  RR_CHECK(total == lockers + (unsigned long)WAVES * WAVE * PER_THREAD);
  printf("lockers=%lu short=%d per_thread=%d total=%lu heap_growth=%ld\n",
         lockers, WAVES * WAVE, PER_THREAD, total,
         (long)rr_heap() - (long)heap0);
  return 0;
}
#include <lockinstr_pthread.h>
