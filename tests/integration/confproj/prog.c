/* prog.c — uses what configure found. */
#include <stdio.h>
#include "config.h"
#ifndef HAVE_PTHREAD_MUTEX_LOCK
#error "configure did not find pthread_mutex_lock"
#endif
#include <pthread.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_count;

static void *work(void *arg) {
  (void)arg;
  for (int i = 0; i < 500; i++) {
    pthread_mutex_lock(&g_lock);
    g_count++;
    pthread_mutex_unlock(&g_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  printf("prog: %ld\n", g_count);
  return g_count == 1000 ? 0 : 1;
}
