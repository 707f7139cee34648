/* lockinstr: instrumented from local_include.c; do not edit */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] LOCKINSTR_SITE_TABLE = {
  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 7, 3, "local_include.c", "box_get", "&b->mu", "struct box.mu", ""),
  LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 9, 3, "local_include.c", "box_get", "&b->mu", "struct box.mu", ""),
};
#line 1 "local_include.c"
/* A quoted include of a header next to this file: re-pointed so that the
 * output compiles from the output directory with no extra -I. */
#include "local_include.h"
# include "local_include.h" /* twice, spaced: both re-pointed */

int box_get(struct box *b) {
  lockinstr_pthread_mutex_lock(&LI_SITE[0], &b->mu);
  int v = b->v;
  lockinstr_pthread_mutex_unlock(&LI_SITE[1], &b->mu);
  return v;
}
#include <lockinstr_pthread.h>
