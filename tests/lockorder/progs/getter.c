/*
 * getter.c — locks reached through a getter, get_lock(i) = &g_locks[i],
 * taken as get_lock(0) then get_lock(1) by one thread and get_lock(1) then
 * get_lock(0) by another (joined in between: the run never deadlocks).
 * Each call is its own site with its own expression class
 * (`get_lock(0) @ getter.c:N`); only the lock instances show the ABBA.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_locks[2];

static pthread_mutex_t *get_lock(int i) {
  return &g_locks[i];
}

static void *zero_one(void *arg) {
  (void)arg;
  pthread_mutex_lock(get_lock(0)); /* @zo_first */
  pthread_mutex_lock(get_lock(1)); /* @zo_second */
  pthread_mutex_unlock(get_lock(1));
  pthread_mutex_unlock(get_lock(0));
  return NULL;
}

static void *one_zero(void *arg) {
  (void)arg;
  pthread_mutex_lock(get_lock(1)); /* @oz_first */
  pthread_mutex_lock(get_lock(0)); /* @oz_second */
  pthread_mutex_unlock(get_lock(0));
  pthread_mutex_unlock(get_lock(1));
  return NULL;
}

int main(void) {
  pthread_t t;
  int i;
  for (i = 0; i < 2; i++)
    if (pthread_mutex_init(&g_locks[i], NULL) != 0) /* @init */
      return 1;
  if (pthread_create(&t, NULL, zero_one, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  if (pthread_create(&t, NULL, one_zero, NULL) != 0 ||
      pthread_join(t, NULL) != 0)
    return 1;
  return 0;
}
