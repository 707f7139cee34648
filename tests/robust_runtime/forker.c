/*
 * forker.c — fork() while other threads hold locks (issue #7, runtime).
 * WORKERS threads lock `shared` in a loop, counting their acquisitions;
 * the main thread forks FORKS times, each time holding `gate` (and with
 * workers likely inside `shared`). Child number f unlocks `gate` (its own
 * thread took it before the fork), locks `own` CHILD_ITERS * (f + 1)
 * times, and exits with status f + 1: its exit profile must hold only
 * that. The parent checks each child's status, stops the workers and
 * prints the counts its own profile must show.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[6] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 5, "forker.c", "worker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 5, "forker.c", "worker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 20, 5, "forker.c", "main",
                        "&gate", "gate", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 21, 5, "forker.c", "main",
                        "&gate", "gate", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 30, 5, "forker.c", "child",
                        "&own", "own", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 31, 5, "forker.c", "child",
                        "&own", "own", ""),
};
#include <pthread.h>
#include <sys/wait.h>

#include "rr.h"

#define WORKERS 4
#define FORKS 10
#define CHILD_ITERS 1000

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t own = PTHREAD_MUTEX_INITIALIZER;
static int stop;            /* atomic */
static unsigned long began; /* workers that have locked once; atomic */

static void *worker(void *arg) {
  unsigned long *n = arg;
  while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
    lockinstr_pthread_mutex_lock(&S[0], &shared);
    if (++*n == 1)
      __atomic_fetch_add(&began, 1, __ATOMIC_RELEASE);
    lockinstr_pthread_mutex_unlock(&S[1], &shared);
  }
  return NULL;
}

/* The child's life: it must be able to lock and profile on its own. */
static void child(int f) {
  unsigned long r = 0;
  int i;
  lockinstr_pthread_mutex_unlock(&S[3], &gate);
  for (i = 0; i < CHILD_ITERS * (f + 1); i++) {
    lockinstr_pthread_mutex_lock(&S[4], &own);
    r++;
    lockinstr_pthread_mutex_unlock(&S[5], &own);
  }
  printf("child %ld %d %lu\n", (long)getpid(), f, r);
  exit(f + 1);
}

int main(void) {
  pthread_t th[WORKERS];
  unsigned long n[WORKERS] = {0}, sum = 0;
  int i, st;
  pid_t pid;
  for (i = 0; i < WORKERS; i++)
    RR_CHECK(pthread_create(&th[i], NULL, worker, &n[i]) == 0);
  rr_wait_at_least(&began, WORKERS);
  for (i = 0; i < FORKS; i++) {
    lockinstr_pthread_mutex_lock(&S[2], &gate);
    fflush(stdout);
    pid = fork();
    RR_CHECK(pid >= 0);
    if (pid == 0)
      child(i);
    lockinstr_pthread_mutex_unlock(&S[3], &gate);
    RR_CHECK(waitpid(pid, &st, 0) == pid);
    RR_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == i + 1);
  }
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  for (i = 0; i < WORKERS; i++) {
    pthread_join(th[i], NULL);
    sum += n[i];
  }
  printf("parent %ld workers=%lu forks=%d\n", (long)getpid(), sum, FORKS);
  return 0;
}
#include <lockinstr_pthread.h>
