/*
 * consistent.c — three threads, all taking g_alpha before g_beta (each
 * a few times, concurrently): one lock-order edge, no cycle.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_alpha = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_beta = PTHREAD_MUTEX_INITIALIZER;
static long g_total;

static void *worker(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 1000; i++) {
    pthread_mutex_lock(&g_alpha); /* @outer */
    pthread_mutex_lock(&g_beta);  /* @inner */
    g_total++;
    pthread_mutex_unlock(&g_beta);
    pthread_mutex_unlock(&g_alpha);
  }
  return NULL;
}

int main(void) {
  pthread_t t[3];
  int i;
  for (i = 0; i < 3; i++)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0)
      return 1;
  for (i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  return g_total == 3000 ? 0 : 1;
}
