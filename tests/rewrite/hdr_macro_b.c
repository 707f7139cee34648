/* The same header's macros from a second file: its own sites, its own
 * selection of them; the header copy is byte for byte the one
 * hdr_macro_a.c gets. */
#include "hdr_lock.h"

static struct hl_stat hl_b = {PTHREAD_MUTEX_INITIALIZER, 0};

long hl_third(void) {
  HL_LOCK(&hl_b.mu);
  long n = hl_b.n;
  HL_UNLOCK(&hl_b.mu);
  hl_bump(&hl_b);
  return n;
}
