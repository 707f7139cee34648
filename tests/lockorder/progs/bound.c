/*
 * bound.c — more locks than the instance table holds (LI_LOCKIDS_MAX,
 * 16,384 by default): while holding g_outer, take each of NLOCKS heap
 * locks once through a helper (a weak site). g_outer and the first 16,383
 * locks get instances; the last NLOCKS - 16,383 acquisitions are recorded
 * by sites only and counted in lock_order.instances_dropped.
 */
#include <pthread.h>
#include <stdlib.h>

#define NLOCKS 16400

static pthread_mutex_t g_outer = PTHREAD_MUTEX_INITIALIZER;

static void take(pthread_mutex_t *m) {
  pthread_mutex_lock(m); /* @take */
  pthread_mutex_unlock(m);
}

int main(void) {
  pthread_mutex_t *locks = calloc(NLOCKS, sizeof *locks);
  int i;
  if (!locks)
    return 1;
  for (i = 0; i < NLOCKS; i++)
    pthread_mutex_init(&locks[i], NULL); /* unnamed: a weak class */
  pthread_mutex_lock(&g_outer);          /* @outer */
  for (i = 0; i < NLOCKS; i++)
    take(&locks[i]);
  pthread_mutex_unlock(&g_outer);
  free(locks);
  return 0;
}
