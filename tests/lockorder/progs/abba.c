/*
 * abba.c — one thread takes g_alpha then g_beta; a later thread (started
 * after the first was joined, so the run never deadlocks) takes g_beta
 * then g_alpha. Two concurrent runs of these threads could deadlock: the
 * report must show the cycle with all four sites. Lines marked @NAME are
 * found by the test driver.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_alpha = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_beta = PTHREAD_MUTEX_INITIALIZER;

static void *ab_worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_alpha); /* @ab_first */
  pthread_mutex_lock(&g_beta);  /* @ab_second */
  pthread_mutex_unlock(&g_beta);
  pthread_mutex_unlock(&g_alpha);
  return NULL;
}

static void *ba_worker(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_beta);  /* @ba_first */
  pthread_mutex_lock(&g_alpha); /* @ba_second */
  pthread_mutex_unlock(&g_alpha);
  pthread_mutex_unlock(&g_beta);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, ab_worker, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  if (pthread_create(&t, NULL, ba_worker, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  return 0;
}
