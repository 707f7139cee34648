/*
 * ring3pair.c — a three-lock ring through one helper: lock_pair(a, b),
 * then lock_pair(b, c), then lock_pair(c, a), each in its own thread,
 * joined before the next starts. No pair is inverted, but the three
 * together could deadlock. The locks are statically initialised and
 * only ever taken through the helper's parameters, so nothing names them:
 * the report names each by the helper site that first took it and its
 * instance number.
 */
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_c = PTHREAD_MUTEX_INITIALIZER;

struct pair {
  pthread_mutex_t *x, *y;
};

static void *lock_pair(void *arg) {
  const struct pair *p = arg;
  pthread_mutex_t *x = p->x, *y = p->y;
  pthread_mutex_lock(x); /* @first */
  pthread_mutex_lock(y); /* @second */
  pthread_mutex_unlock(y);
  pthread_mutex_unlock(x);
  return NULL;
}

int main(void) {
  struct pair ring[3] = {{&g_a, &g_b}, {&g_b, &g_c}, {&g_c, &g_a}};
  pthread_t t;
  int i;
  for (i = 0; i < 3; i++)
    if (pthread_create(&t, NULL, lock_pair, &ring[i]) != 0 ||
        pthread_join(t, NULL) != 0)
      return 1;
  return 0;
}
