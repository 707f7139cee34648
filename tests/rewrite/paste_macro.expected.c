/* lockinstr: instrumented from paste_macro.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(1)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 11, 10, "paste_macro.c", "pm_use", "&pm_m", "pm_m", ""),
};
#line 1 "paste_macro.c"
/* A callee name made by token pasting in a macro of this file: noted as
 * such, never as "defined in another file". */
#include <pthread.h>

#define MUTEX_OP(op, m) pthread_mutex_##op(m)

pthread_mutex_t pm_m = PTHREAD_MUTEX_INITIALIZER;

int pm_use(void) {
  MUTEX_OP(lock, &pm_m);
  return lockinstr_pthread_mutex_unlock(&LI_SITE[0], &pm_m);
}
#include <lockinstr_pthread.h>
