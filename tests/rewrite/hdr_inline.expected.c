#line 1 "hdr_inline.c"
/* Calls a header's static inline lock helpers (hdr_inline.h): the sites
 * are the header's, in its copy; this file has none of its own. */
#include "hdr_inline.h"

static struct table tbl = {PTHREAD_RWLOCK_INITIALIZER, {0}};

int table_swap(int i, int v) {
  int old = table_get(&tbl, i);
  table_put(&tbl, i, v);
  return old;
}
