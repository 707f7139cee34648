/* Uses of a project header's lock macros defined in two #if branches (see
 * cond_lock.h): the active definitions give the sites; the calls of a
 * macro with two branches go to the active one. */
#include "cond_lock.h"

pthread_mutex_t ch_m = PTHREAD_MUTEX_INITIALIZER;

int ch_use(void) {
  CL_LOCK(&ch_m);
  CL_UNLOCK(&ch_m);
  CL_RD(&ch_m);
  return CL_UNLOCK(&ch_m);
}
