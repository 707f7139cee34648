/* lockinstr: instrumented from uvx.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, LOCKINSTR_SITE_INNER, 15, 7, "uvx.c", "uvx_mutex_lock", "&mu->m", "uvx_mutex_t.m", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, LOCKINSTR_SITE_INNER, 20, 7, "uvx.c", "uvx_mutex_unlock", "&mu->m", "uvx_mutex_t.m", ""),
};
#line 1 "uvx.c"
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
  if (lockinstr_inner_pthread_mutex_lock(&LI_SITE[0], &mu->m))
    abort();
}

void uvx_mutex_unlock(uvx_mutex_t *mu) {
  if (lockinstr_inner_pthread_mutex_unlock(&LI_SITE[1], &mu->m))
    abort();
}
#include <lockinstr_pthread.h>
#if !defined(LOCKINSTR_CONFIG_DEFAULTS_DEFINED) && !defined(LOCKINSTR_DISABLE)
#define LOCKINSTR_CONFIG_DEFAULTS_DEFINED 1
#include <stdlib.h>
#include <lockinstr.h>
/* [runtime] of the configuration: the environment still wins */
__attribute__((constructor)) static void lockinstr_config_defaults(void) {
  if (!getenv("LOCKINSTR_SAMPLE_RATE"))
    lockinstr_set_sample_rate(1ul);
}
#endif
