/*
 * exit_thread.c — exit() called from a thread other than main while other
 * threads lock (issue #7, runtime). WORKERS threads lock `shared` in a loop
 * that never ends; once each has done WARM acquisitions, thread `quitter`
 * locks `mx` QUIT times, prints its result, locks `mx` once more and calls
 * exit(EXIT_CODE) holding it, while main waits in pthread_join. The exit
 * profile is written by the quitter, in the atexit handler, with the
 * workers still locking.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[4] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 5, "exit_thread.c", "worker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 5, "exit_thread.c",
                        "worker", "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 5, "exit_thread.c",
                        "quitter", "&mx", "mx", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 21, 5, "exit_thread.c",
                        "quitter", "&mx", "mx", ""),
};
#include <pthread.h>

#include "rr.h"

#define WORKERS 4
#define WARM 1000
#define QUIT 500
#define EXIT_CODE 42

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;
static unsigned long warm; /* workers past WARM acquisitions; atomic */

static void *worker(void *arg) {
  unsigned long n = 0;
  (void)arg;
  for (;;) {
    lockinstr_pthread_mutex_lock(&S[0], &shared);
    n++;
    lockinstr_pthread_mutex_unlock(&S[1], &shared);
    if (n == WARM)
      __atomic_fetch_add(&warm, 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static void *quitter(void *arg) {
  unsigned long r = 0;
  int i;
  (void)arg;
  rr_wait_at_least(&warm, WORKERS);
  for (i = 0; i < QUIT; i++) {
    lockinstr_pthread_mutex_lock(&S[2], &mx);
    r += (unsigned long)i;
    lockinstr_pthread_mutex_unlock(&S[3], &mx);
  }
  printf("quitter=%lu\n", r);
  lockinstr_pthread_mutex_lock(&S[2], &mx);
  exit(EXIT_CODE);
}

int main(void) {
  pthread_t th[WORKERS], q;
  int i;
  for (i = 0; i < WORKERS; i++)
    RR_CHECK(pthread_create(&th[i], NULL, worker, NULL) == 0);
  RR_CHECK(pthread_create(&q, NULL, quitter, NULL) == 0);
  pthread_join(q, NULL);
  rr_fail("main: the quitter returned");
  return 1;
}
#include <lockinstr_pthread.h>
