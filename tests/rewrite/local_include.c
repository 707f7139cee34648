/* A quoted include of a header next to this file: re-pointed so that the
 * output compiles from the output directory with no extra -I. */
#include "local_include.h"
# include "local_include.h" /* twice, spaced: both re-pointed */

int box_get(struct box *b) {
  pthread_mutex_lock(&b->mu);
  int v = b->v;
  pthread_mutex_unlock(&b->mu);
  return v;
}
