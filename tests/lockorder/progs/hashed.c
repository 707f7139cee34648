/*
 * hashed.c — a lock array indexed by a hash, as memcached's item locks:
 * bucket(key) = &g_buckets[hash(key) % NBUCKETS]. One thread locks the
 * buckets of "apple" then "pear", another (after a join) "pear" then
 * "apple": an ABBA deadlock between two elements of one array, through
 * a getter whose call sites name no lock. A third thread then takes the
 * buckets of "fig" then "plum" over and over, always in that order: no
 * cycle from it.
 */
#include <pthread.h>
#include <stddef.h>

#define NBUCKETS 16

static pthread_mutex_t g_buckets[NBUCKETS];

static unsigned int hash(const char *key) {
  unsigned int h = 2166136261u;
  while (*key)
    h = (h ^ (unsigned char)*key++) * 16777619u;
  return h;
}

static pthread_mutex_t *bucket(const char *key) {
  return &g_buckets[hash(key) % NBUCKETS];
}

static void both(const char *k1, const char *k2) {
  pthread_mutex_lock(bucket(k1)); /* @outer */
  pthread_mutex_lock(bucket(k2)); /* @inner */
  pthread_mutex_unlock(bucket(k2));
  pthread_mutex_unlock(bucket(k1));
}

static void *apple_pear(void *arg) {
  (void)arg;
  both("apple", "pear");
  return NULL;
}

static void *pear_apple(void *arg) {
  (void)arg;
  both("pear", "apple");
  return NULL;
}

static void *fig_plum(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 100; i++)
    both("fig", "plum");
  return NULL;
}

int main(void) {
  void *(*order[])(void *) = {apple_pear, pear_apple, fig_plum};
  pthread_t t;
  int i;
  if (hash("apple") % NBUCKETS == hash("pear") % NBUCKETS)
    return 2; /* the test needs two buckets */
  for (i = 0; i < NBUCKETS; i++)
    if (pthread_mutex_init(&g_buckets[i], NULL) != 0)
      return 1;
  for (i = 0; i < 3; i++)
    if (pthread_create(&t, NULL, order[i], NULL) != 0 ||
        pthread_join(t, NULL) != 0)
      return 1;
  return 0;
}
