/* lockinstr: instrumented from apis_spin.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(5)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_spin_init, 0, 9, 12, "apis_spin.c", "all_spin", "&sp", "sp", ""),
  LOCKINSTR_SITE_INIT(pthread_spin_lock, 0, 10, 9, "apis_spin.c", "all_spin", "&sp", "sp", ""),
  LOCKINSTR_SITE_INIT(pthread_spin_trylock, 0, 11, 9, "apis_spin.c", "all_spin", "&sp", "sp", ""),
  LOCKINSTR_SITE_INIT(pthread_spin_unlock, 0, 12, 9, "apis_spin.c", "all_spin", "&sp", "sp", ""),
  LOCKINSTR_SITE_INIT(pthread_spin_destroy, 0, 13, 9, "apis_spin.c", "all_spin", "&sp", "sp", ""),
};
#line 1 "apis_spin.c"
/* Every pthread spin-lock API of the lock table, called once.
 * pthread_spinlock_t is `volatile int`: the wrappers must accept a pointer
 * to volatile. */
#include <pthread.h>

pthread_spinlock_t sp;

int all_spin(void) {
  int rc = lockinstr_pthread_spin_init(&LI_SITE[0], &sp, PTHREAD_PROCESS_PRIVATE);
  rc |= lockinstr_pthread_spin_lock(&LI_SITE[1], &sp);
  rc |= lockinstr_pthread_spin_trylock(&LI_SITE[2], &sp);
  rc |= lockinstr_pthread_spin_unlock(&LI_SITE[3], &sp);
  rc |= lockinstr_pthread_spin_destroy(&LI_SITE[4], &sp);
  return rc;
}
#include <lockinstr_pthread.h>
