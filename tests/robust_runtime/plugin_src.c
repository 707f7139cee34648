/*
 * plugin_src.c — the dlopen/dlclose plugin as a user writes it (issue #7,
 * runtime): rr.py instruments it with the real lockinstr at test time and
 * builds it as a shared object linked with liblockinstr.so.
 * plugin_work(n): two threads each lock plug_mu n times, plug_inner
 * inside it every 10th round; returns the total they computed.
 */
#include <pthread.h>

static pthread_mutex_t plug_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t plug_inner = PTHREAD_MUTEX_INITIALIZER;
static unsigned long total;

static void *plug_loop(void *arg) {
  long n = (long)arg, i;
  for (i = 0; i < n; i++) {
    pthread_mutex_lock(&plug_mu); /* @outer */
    total += 1;
    if (i % 10 == 0) {
      pthread_mutex_lock(&plug_inner); /* @inner */
      total += 1000000;
      pthread_mutex_unlock(&plug_inner);
    }
    pthread_mutex_unlock(&plug_mu);
  }
  return NULL;
}

__attribute__((visibility("default"))) unsigned long plugin_work(long n) {
  pthread_t th[2];
  int i;
  total = 0;
  for (i = 0; i < 2; i++)
    if (pthread_create(&th[i], NULL, plug_loop, (void *)n) != 0)
      return 0;
  for (i = 0; i < 2; i++)
    pthread_join(th[i], NULL);
  return total;
}
