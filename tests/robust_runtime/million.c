/*
 * million.c — 1,000,000 distinct lock addresses (issue #7, runtime): an
 * array of N mutexes, initialised and destroyed through the wrappers, each
 * locked and unlocked once by one of two threads (each its half); every
 * STRIDE-th one with its neighbour locked inside it; then DEEP of them
 * held at once and released in reverse. The runtime keeps nothing per lock
 * address, so the heap grows by the held-lock stack only (DEEP entries),
 * not by N. Prints the counts the profile must show and the heap growth.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[8] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_init, 0, 10, 5, "million.c", "setup",
                        "&m[i]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 5, "million.c", "sweep",
                        "&m[i]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 21, 7, "million.c", "sweep",
                        "&m[i + 1]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 22, 7, "million.c", "sweep",
                        "&m[i + 1]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 23, 5, "million.c", "sweep",
                        "&m[i]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 30, 5, "million.c", "deep",
                        "&m[i]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 31, 5, "million.c", "deep",
                        "&m[i]", "m[]", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_destroy, 0, 40, 5, "million.c",
                        "teardown", "&m[i]", "m[]", ""),
};
#include <pthread.h>

#include "lockinstr.h"
#include "rr.h"

#define N 1000000L
#define STRIDE 1000L
#define DEEP 10000L

static pthread_mutex_t *m;
static unsigned long sum[2];

/* Locks and unlocks m[lo .. hi-1] once each (neighbours nested). */
static void *sweep(void *arg) {
  long half = (long)arg, lo = half * (N / 2), hi = lo + N / 2, i;
  for (i = lo; i < hi; i++) {
    lockinstr_pthread_mutex_lock(&S[1], &m[i]);
    sum[half] += (unsigned long)i;
    if (i % STRIDE == 0 && i + 1 < hi) {
      lockinstr_pthread_mutex_lock(&S[2], &m[i + 1]);
      sum[half] += 1;
      lockinstr_pthread_mutex_unlock(&S[3], &m[i + 1]);
    }
    lockinstr_pthread_mutex_unlock(&S[4], &m[i]);
  }
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t th[2];
  size_t heap0;
  long i;
  RR_CHECK(argc == 2); /* a dump path, to measure the heap after a dump */
  m = malloc(N * sizeof *m);
  RR_CHECK(m != NULL);
  for (i = 0; i < N; i++)
    RR_CHECK(lockinstr_pthread_mutex_init(&S[0], &m[i], NULL) == 0);
  RR_CHECK(lockinstr_dump(argv[1]) == 0);
  heap0 = rr_heap();
  for (i = 0; i < 2; i++)
    RR_CHECK(pthread_create(&th[i], NULL, sweep, (void *)i) == 0);
  for (i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  for (i = 0; i < DEEP; i++)
    lockinstr_pthread_mutex_lock(&S[5], &m[i * (N / DEEP)]);
  for (i = DEEP - 1; i >= 0; i--)
    lockinstr_pthread_mutex_unlock(&S[6], &m[i * (N / DEEP)]);
  RR_CHECK(lockinstr_dump(argv[1]) == 0);
  printf("sum=%lu heap_growth=%ld\n", sum[0] + sum[1],
         (long)rr_heap() - (long)heap0);
  for (i = 0; i < N; i++)
    RR_CHECK(lockinstr_pthread_mutex_destroy(&S[7], &m[i]) == 0);
  free(m);
  return 0;
}
#include <lockinstr_pthread.h>
