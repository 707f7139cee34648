/*
 * sig.c — dumps requested from signal handlers (issue #7, runtime), with
 * WORKERS threads locking `shared` all along.
 *
 *   sig signal PATH   LOCKINSTR_SIGNAL is set (and LOCKINSTR_OUTPUT=PATH):
 *                     sends itself that signal ROUNDS times, waits for each
 *                     profile and moves it to PATH.<k>; then exits.
 *   sig handler PATH  its own SIGUSR1 handler calls lockinstr_dump(PATH)
 *                     while the main thread waits in sigsuspend.
 *   sig reenter PATH  the handler runs inside lockinstr_dump on the same
 *                     thread (raised from the runtime's own rename(), which
 *                     this program interposes): the inner dump must return
 *                     -EDEADLK at once instead of deadlocking, the outer
 *                     one succeed.
 *
 * Prints what it saw; the exit profile's counts are checked by rr.py.
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site S[2] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 10, 5, "sig.c", "worker",
                        "&shared", "shared", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 5, "sig.c", "worker",
                        "&shared", "shared", ""),
};
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lockinstr.h"
#include "rr.h"

#define WORKERS 4
#define ROUNDS 5

static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER;
static int stop;            /* atomic */
static unsigned long began; /* atomic */
static const char *path;
static volatile sig_atomic_t handler_rc = 1, handled;
static int armed; /* the next rename() raises SIGUSR1 first */

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

/* The program's own handler: asks for a profile (documented as not
 * async-signal-safe; see docs/errors.md for when it works). */
static void on_usr1(int signo) {
  char p[4200];
  int e = errno;
  (void)signo;
  snprintf(p, sizeof p, "%s.inner", path);
  handler_rc = lockinstr_dump(p);
  handled = 1;
  errno = e;
}

/* Interposes the C library's rename(), which the runtime calls to put a
 * profile in place: when armed, the signal arrives in the middle of the
 * runtime's dump. */
int rename(const char *from, const char *to) {
  static void *real_sym; /* atomic: the runtime's threads call it too */
  int (*real)(const char *, const char *);
  void *sym = __atomic_load_n(&real_sym, __ATOMIC_ACQUIRE);
  if (!sym) {
    sym = dlsym(RTLD_NEXT, "rename");
    __atomic_store_n(&real_sym, sym, __ATOMIC_RELEASE);
  }
  *(void **)&real = sym;
  if (__atomic_exchange_n(&armed, 0, __ATOMIC_RELAXED))
    raise(SIGUSR1);
  return real(from, to);
}

/* Waits (at most a minute) for the runtime's signal thread to write path. */
static void wait_for(const char *p) {
  struct timespec ms = {0, 1000000};
  struct stat st;
  int i;
  for (i = 0; i < 60000 && stat(p, &st) != 0; i++)
    nanosleep(&ms, NULL);
  RR_CHECK(stat(p, &st) == 0);
}

static void by_signal(void) {
  char moved[4200];
  int k;
  for (k = 0; k < ROUNDS; k++) {
    unlink(path);
    RR_CHECK(raise(SIGUSR2) == 0);
    wait_for(path);
    snprintf(moved, sizeof moved, "%s.%d", path, k);
    RR_CHECK(rename(path, moved) == 0);
  }
  printf("signal dumps=%d\n", ROUNDS);
}

static void by_handler(void) {
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, &old);
  RR_CHECK(kill(getpid(), SIGUSR1) == 0);
  sigdelset(&old, SIGUSR1);
  while (!handled)
    sigsuspend(&old);
  printf("handler rc=%d\n", (int)handler_rc);
}

static void reenter(void) {
  int rc;
  __atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
  rc = lockinstr_dump(path);
  printf("outer rc=%d inner rc=%d edeadlk=%d handled=%d\n", rc, (int)handler_rc,
         -EDEADLK, (int)handled);
}

int main(int argc, char **argv) {
  pthread_t th[WORKERS];
  unsigned long n[WORKERS] = {0}, sum = 0;
  sigset_t usr1;
  int i;
  RR_CHECK(argc == 3);
  path = argv[2];
  signal(SIGUSR1, on_usr1);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1); /* workers never take SIGUSR1 */
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  for (i = 0; i < WORKERS; i++)
    RR_CHECK(pthread_create(&th[i], NULL, worker, &n[i]) == 0);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  rr_wait_at_least(&began, WORKERS);
  if (strcmp(argv[1], "signal") == 0)
    by_signal();
  else if (strcmp(argv[1], "handler") == 0)
    by_handler();
  else if (strcmp(argv[1], "reenter") == 0)
    reenter();
  else
    rr_fail("unknown mode %s", argv[1]);
  __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
  for (i = 0; i < WORKERS; i++) {
    pthread_join(th[i], NULL);
    sum += n[i];
  }
  printf("workers=%lu\n", sum);
  return 0;
}
#include <lockinstr_pthread.h>
