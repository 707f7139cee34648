/*
 * ring3.c — three threads, one after the other (each joined before the
 * next starts, so the run never deadlocks): g_a then g_b, g_b then g_c,
 * g_c then g_a. No two threads invert a pair, but run together they could
 * deadlock in a ring: a cycle of three classes.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_c = PTHREAD_MUTEX_INITIALIZER;

static void *ab(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_a); /* @ab_first */
  pthread_mutex_lock(&g_b); /* @ab_second */
  pthread_mutex_unlock(&g_b);
  pthread_mutex_unlock(&g_a);
  return NULL;
}

static void *bc(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_b); /* @bc_first */
  pthread_mutex_lock(&g_c); /* @bc_second */
  pthread_mutex_unlock(&g_c);
  pthread_mutex_unlock(&g_b);
  return NULL;
}

static void *ca(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_c); /* @ca_first */
  pthread_mutex_lock(&g_a); /* @ca_second */
  pthread_mutex_unlock(&g_a);
  pthread_mutex_unlock(&g_c);
  return NULL;
}

int main(void) {
  void *(*fns[3])(void *) = {ab, bc, ca};
  pthread_t t;
  int i;
  for (i = 0; i < 3; i++)
    if (pthread_create(&t, NULL, fns[i], NULL) != 0 ||
        pthread_join(t, NULL) != 0)
      return 1;
  return 0;
}
