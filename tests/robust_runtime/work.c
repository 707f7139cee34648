/*
 * work.c — an ordinary multi-threaded program for the output and
 * environment cases (issue #7, runtime): THREADS threads add to a shared
 * total under one mutex ITERS times each; it prints the total it computed
 * ("result=N") and exits 0, whatever the runtime's own troubles.
 *
 *   work THREADS ITERS [ACTION]
 *
 * ACTION, done after the work, before exit (the exit profile follows):
 *   fsize  — RLIMIT_FSIZE of 256 bytes, SIGXFSZ left at its default
 *            (which would kill the process): the profile cannot be written
 *   plant  — plants symbolic links to $RR_VICTIM at the names of the
 *            runtime's first five temporary files, as an attacker would
 *   dump   — lockinstr_dump($RR_DUMP): a profile the program asks for
 *   default — lockinstr_set_default_output($RR_DUMP): the program's own
 *            output for its exit profile
 */
#define _GNU_SOURCE
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr.h>
static struct lockinstr_site S[2] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 5, "work.c", "worker", "&mu",
                        "mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 42, 5, "work.c", "worker",
                        "&mu", "mu", ""),
};
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>

#include "rr.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total;
static long iters;

static void *worker(void *arg) {
  long i;
  (void)arg;
  for (i = 0; i < iters; i++) {
    lockinstr_pthread_mutex_lock(&S[0], &mu);
    total += 1;
    lockinstr_pthread_mutex_unlock(&S[1], &mu);
  }
  return NULL;
}

/* Symbolic links at .<base>.<pid>.<n>.tmp, n = 0..4, next to the output
 * ($LOCKINSTR_OUTPUT, a plain path), all pointing to $RR_VICTIM. */
static void plant(void) {
  const char *out = getenv("LOCKINSTR_OUTPUT"), *victim = getenv("RR_VICTIM");
  const char *slash;
  char path[4200];
  int n;
  RR_CHECK(out && victim);
  slash = strrchr(out, '/');
  for (n = 0; n < 5; n++) {
    snprintf(path, sizeof path, "%.*s.%s.%ld.%d.tmp",
             slash ? (int)(slash - out + 1) : 0, out, slash ? slash + 1 : out,
             (long)getpid(), n);
    RR_CHECK(symlink(victim, path) == 0);
  }
}

int main(int argc, char **argv) {
  long nthreads, t;
  pthread_t th[64];
  if (argc < 3)
    rr_fail("usage: work THREADS ITERS [fsize|plant|dump|default]");
  nthreads = atol(argv[1]);
  iters = atol(argv[2]);
  RR_CHECK(nthreads >= 1 && nthreads <= 64);
  for (t = 0; t < nthreads; t++)
    RR_CHECK(pthread_create(&th[t], NULL, worker, NULL) == 0);
  for (t = 0; t < nthreads; t++)
    pthread_join(th[t], NULL);
  printf("result=%lu\n", total);
  fflush(stdout);
  if (argc > 3 && strcmp(argv[3], "fsize") == 0) {
    struct rlimit rl = {256, 256};
    RR_CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
  } else if (argc > 3 && strcmp(argv[3], "plant") == 0) {
    plant();
  } else if (argc > 3 && strcmp(argv[3], "dump") == 0) {
    RR_CHECK(getenv("RR_DUMP") && lockinstr_dump(getenv("RR_DUMP")) == 0);
  } else if (argc > 3 && strcmp(argv[3], "default") == 0) {
    RR_CHECK(getenv("RR_DUMP") &&
             lockinstr_set_default_output(getenv("RR_DUMP")) == 0);
  }
  return total == (unsigned long)(nthreads * iters) ? 0 : 1;
}
#include <lockinstr_pthread.h>
