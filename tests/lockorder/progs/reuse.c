/*
 * reuse.c — one address, two lives: two heap locks n[0], n[1] are
 * initialised, taken ten times as lock_pair(n[0], n[1]) and destroyed;
 * then the same memory is initialised again as two new locks, taken ten
 * times as lock_pair(n[1], n[0]) and destroyed. Each life keeps one
 * order, so nothing can deadlock: no cycle. Were the instance not renewed
 * at destroy and init, the two lives would join into a false ABBA.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

struct node {
  pthread_mutex_t mu;
};

static void lock_pair(pthread_mutex_t *first, pthread_mutex_t *second) {
  pthread_mutex_lock(first);  /* @first */
  pthread_mutex_lock(second); /* @second */
  pthread_mutex_unlock(second);
  pthread_mutex_unlock(first);
}

int main(void) {
  struct node *n = calloc(2, sizeof *n);
  int life, i;
  if (!n)
    return 1;
  for (life = 0; life < 2; life++) {
    for (i = 0; i < 2; i++)
      if (pthread_mutex_init(&n[i].mu, NULL) != 0) /* @init */
        return 1;
    for (i = 0; i < 10; i++) /* life 0: n[0] -> n[1]; life 1: n[1] -> n[0] */
      lock_pair(&n[life].mu, &n[1 - life].mu);
    for (i = 0; i < 2; i++)
      pthread_mutex_destroy(&n[i].mu);
  }
  free(n);
  return 0;
}
