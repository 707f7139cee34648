/* A callee name made by token pasting in a macro of this file: noted as
 * such, never as "defined in another file". */
#include <pthread.h>

#define MUTEX_OP(op, m) pthread_mutex_##op(m)

pthread_mutex_t pm_m = PTHREAD_MUTEX_INITIALIZER;

int pm_use(void) {
  MUTEX_OP(lock, &pm_m);
  return pthread_mutex_unlock(&pm_m);
}
