/* a.c — one use of LOCK in a loop, one call of the header's helper. */
#include "locks.h"

pthread_mutex_t a_mu = PTHREAD_MUTEX_INITIALIZER;
long a_n;

void a_work(int n) {
  for (int i = 0; i < n; i++) {
    LOCK(&a_mu);
    a_n++;
    UNLOCK(&a_mu);
  }
  locked_add(&a_mu, &a_n, 1);
}
