/* lockinstr: instrumented from bom.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(1)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 6, 24, "bom.c", "bom", "&bom_lock", "bom_lock", ""),
};
#line 1 "bom.c"
/* A UTF-8 BOM (dropped: the prologue goes first) and no final newline. */
#include <pthread.h>

pthread_mutex_t bom_lock = PTHREAD_MUTEX_INITIALIZER;

int bom(void) { return lockinstr_pthread_mutex_lock(&LI_SITE[0], &bom_lock); }
#include <lockinstr_pthread.h>
