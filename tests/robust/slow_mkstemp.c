/*
 * slow_mkstemp.c — an LD_PRELOAD shim that makes the tool's signal tests
 * deterministic: it acts right after mkstemp has created a file, that is
 * while a worker holds a temporary file that is not yet (or just)
 * registered for removal (tool/common/output.c).
 *
 *   LI_SLOW_MKSTEMP_MS=N      sleep N milliseconds before returning
 *                             (robust.interrupted_in_mkstemp: a signal sent
 *                             from outside lands meanwhile)
 *   LI_MKSTEMP_SIGNAL_AT=K    on the K-th call, send SIGINT to the process
 *                             (robust.interrupted_while_writing: the run is
 *                             always stopped mid-batch, never after it)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int mkstemp(char *tmpl) {
  static int calls; /* atomically counted: -j runs it on several threads */
  int (*real)(char *) = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
  const char *ms = getenv("LI_SLOW_MKSTEMP_MS");
  const char *at = getenv("LI_MKSTEMP_SIGNAL_AT");
  int fd = real ? real(tmpl) : -1;
  if (fd >= 0 && ms) {
    long n = atol(ms);
    struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  if (fd >= 0 && at &&
      __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST) == atoi(at))
    kill(getpid(), SIGINT);
  return fd;
}
