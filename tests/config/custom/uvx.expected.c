#line 1 "uvx.c"
/* The libuv-like API's implementation: its own pthread calls are the
 * lock's implementation, so lockinstr leaves them alone (tests/config). */
#include "uvx.h"

#include <stdlib.h>

void uvx_mutex_init(uvx_mutex_t *mu) {
  if (pthread_mutex_init(&mu->m, NULL))
    abort();
}

void uvx_mutex_lock(uvx_mutex_t *mu) {
  if (pthread_mutex_lock(&mu->m))
    abort();
}

void uvx_mutex_unlock(uvx_mutex_t *mu) {
  if (pthread_mutex_unlock(&mu->m))
    abort();
}
