/* A header macro's use is a site of this file; the header inline
 * function's call is the header's; the quoted include finds the header's
 * copy next to the output. */
#include "header_macro.h"

pthread_mutex_t hm = PTHREAD_MUTEX_INITIALIZER;

int use_header(void) {
  int rc = HDR_LOCK(&hm);
  rc |= hdr_unlock(&hm);
  rc |= pthread_mutex_lock(&hm);
  return rc | pthread_mutex_unlock(&hm);
}
