/* Every pthread spin-lock API of the lock table, called once.
 * pthread_spinlock_t is `volatile int`: the wrappers must accept a pointer
 * to volatile. */
#include <pthread.h>

pthread_spinlock_t sp;

int all_spin(void) {
  int rc = pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
  rc |= pthread_spin_lock(&sp);
  rc |= pthread_spin_trylock(&sp);
  rc |= pthread_spin_unlock(&sp);
  rc |= pthread_spin_destroy(&sp);
  return rc;
}
