/*
 * inner.c — what the configured wrappers of lockinstr_wrap.h need from
 * the runtime: the thread's record of the built-in lock call made by a
 * wrapper's own body (li_inner), the shared key of `lock = none` wrappers
 * whose body left none, and the marking of sites whose contention nobody
 * could see (the profile writes "contentions_known": false for them).
 */
#include <errno.h>

#include "lockinstr.h"
#include "site.h"

__thread struct li_inner li_inner __attribute__((tls_model("initial-exec")));
char li_anon_lock;

/* Marks site, and its record in the profile, as having had an acquisition
 * whose contention is unknown. Thread-safe; takes li_lock once per site
 * (the inline caller tests the site's flag first); leaves errno alone. */
void li_unprobed(struct lockinstr_site *site) {
  int e = errno;
  unsigned int id = li_site_id(site);
  __atomic_fetch_or(&site->flags, (unsigned short)LI_SITE_UNPROBED,
                    __ATOMIC_RELAXED);
  if (!(id & LI_ID_EXCLUDED)) {
    li_lock();
    __atomic_fetch_or(&li_site_agg(id)->desc.flags,
                      (unsigned short)LI_SITE_UNPROBED, __ATOMIC_RELAXED);
    li_unlock();
  }
  errno = e;
}
