/* main.c — bump() 3 times, STATS_LOCK() 2 times, then other_work(). */
#include <stdio.h>

#include "locks.h"

pthread_mutex_t stats_mu = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other_mu = PTHREAD_MUTEX_INITIALIZER;
long other_work(void);

int main(void) {
  long v = 0;
  for (int i = 0; i < 3; i++)
    bump(&v);
  for (int i = 0; i < 2; i++) {
    STATS_LOCK();
    v += 10;
    STATS_UNLOCK();
  }
  v += other_work();
  printf("%ld\n", v);
  return v == 3 + 20 + 4 ? 0 : 1;
}
