/* main.c — starts APP_WORKERS workers and checks the totals. */
#include <stdio.h>
#include "config.h"
#include "worker.h"

#ifndef APP_FORCED
#error "-include forced.h (a SHELL: compile option) must reach the rewriter"
#endif
#ifndef APP_MAIN
#error "APP_MAIN must come from the source's COMPILE_DEFINITIONS"
#endif
#if __STDC_VERSION__ != 201112L
#error "C_STANDARD 11 must reach the rewriter"
#endif

static struct counter g_counter = {PTHREAD_MUTEX_INITIALIZER, 0};

int main(void) {
  pthread_t t[APP_WORKERS];
  for (int i = 0; i < APP_WORKERS; i++)
    pthread_create(&t[i], NULL, worker, &g_counter);
  for (int i = 0; i < APP_WORKERS; i++)
    pthread_join(t[i], NULL);
  unprofiled_touch();
  pthread_mutex_lock(&g_counter.mu);
  long v = g_counter.value;
  pthread_mutex_unlock(&g_counter.mu);
  printf("app: counter %ld vendored %ld\n", v, vendored_total());
  return v == (long)APP_WORKERS * APP_ROUNDS &&
                 vendored_total() == (long)APP_WORKERS * APP_ROUNDS
             ? 0
             : 1;
}
