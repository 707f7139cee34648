/* main.c — LOCK used in two functions on two lines, the helper called in
 * a loop, and a_work() from a.c on another thread. Exits 0 if the total is
 * right. */
#include <stdio.h>
#include "locks.h"

extern pthread_mutex_t a_mu;
extern long a_n;
void a_work(int n);

static void b_twice(void) {
  LOCK(&a_mu);
  a_n += 10;
  UNLOCK(&a_mu);
}

static void *a_thread(void *arg) {
  (void)arg;
  a_work(3);
  return NULL;
}

int main(void) {
  pthread_t t;
  long n;
  if (pthread_create(&t, NULL, a_thread, NULL) != 0)
    return 2;
  pthread_join(t, NULL);
  for (int i = 0; i < 2; i++)
    b_twice();
  for (int i = 0; i < 4; i++)
    locked_add(&a_mu, &a_n, 1);
  LOCK(&a_mu);
  n = a_n;
  UNLOCK(&a_mu);
  printf("%ld\n", n);
  return n == 3 + 1 + 20 + 4 ? 0 : 1;
}
