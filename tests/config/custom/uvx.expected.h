#line 1 "uvx.h"
/* A libuv-like mutex API: void lock and unlock (tests/config). */
#ifndef UVX_H
#define UVX_H
#include <pthread.h>

typedef struct {
  pthread_mutex_t m;
} uvx_mutex_t;

void uvx_mutex_init(uvx_mutex_t *mu);
void uvx_mutex_lock(uvx_mutex_t *mu);
void uvx_mutex_unlock(uvx_mutex_t *mu);
#endif
