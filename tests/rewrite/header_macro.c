/* Calls from a header macro and a header inline function are reported as
 * not instrumented; the quoted include is re-pointed at the original
 * header from the output directory. */
#include "header_macro.h"

pthread_mutex_t hm = PTHREAD_MUTEX_INITIALIZER;

int use_header(void) {
  int rc = HDR_LOCK(&hm);
  rc |= hdr_unlock(&hm);
  rc |= pthread_mutex_lock(&hm);
  return rc | pthread_mutex_unlock(&hm);
}
