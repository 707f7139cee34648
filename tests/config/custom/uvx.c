/* The libuv-like API's implementation: its own pthread calls are the
 * lock's implementation, rewritten to lockinstr_inner_* wrappers that
 * count nothing but tell the caller's wrapper about a contention
 * (tests/config). */
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
