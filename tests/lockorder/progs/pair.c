/*
 * pair.c — a helper that takes two locks through pointer parameters,
 * called as lock_pair(&g_left, &g_right) by one thread and, after it was
 * joined (so the run never deadlocks), as lock_pair(&g_right, &g_left) by
 * another: an ABBA deadlock that the helper's sites alone
 * (lock_pair:first -> lock_pair:second) cannot show. The locks are
 * initialised by name, which names them in the report.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_left, g_right;

static void lock_pair(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_lock(first);  /* @first */
  pthread_mutex_lock(second); /* @second */
}

static void unlock_pair(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

static void *left_right(void *arg) {
  (void)arg;
  lock_pair(&g_left, &g_right);
  unlock_pair(&g_left, &g_right);
  return NULL;
}

static void *right_left(void *arg) {
  (void)arg;
  lock_pair(&g_right, &g_left);
  unlock_pair(&g_right, &g_left);
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_mutex_init(&g_left, NULL) != 0 ||
      pthread_mutex_init(&g_right, NULL) != 0)
    return 1;
  if (pthread_create(&t, NULL, left_right, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  if (pthread_create(&t, NULL, right_left, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  return 0;
}
