/*
 * slow_mkstemp.c — an LD_PRELOAD shim for robust.interrupted_in_mkstemp.
 *
 * mkstemp creates the file, then sleeps LI_SLOW_MKSTEMP_MS milliseconds
 * before it returns, so that a signal sent to the tool meanwhile arrives
 * while a worker thread has created a temporary file and not yet
 * registered it (tool/output.c). The handler must still remove it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

int mkstemp(char *tmpl) {
  int (*real)(char *) = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
  const char *ms = getenv("LI_SLOW_MKSTEMP_MS");
  int fd = real ? real(tmpl) : -1;
  if (fd >= 0 && ms) {
    long n = atol(ms);
    struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  }
  return fd;
}
