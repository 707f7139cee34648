/*
 * wait.c — the published "waiting for" record of each thread (wait.h).
 */
#include "wait.h"

#include <errno.h>
#include <stddef.h>

#include "clock.h"
#include "thread.h"

/* Stores the fields of t's record inside a write section of its seq. */
static void publish(struct li_thread *t, unsigned int site, void *lock,
                    unsigned long long since) {
  struct li_wait *w = &t->ext->wait;
  unsigned int s = __atomic_load_n(&w->seq, __ATOMIC_RELAXED);
  __atomic_store_n(&w->seq, s + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  __atomic_store_n(&w->site, site, __ATOMIC_RELAXED);
  __atomic_store_n(&w->lock, lock, __ATOMIC_RELAXED);
  __atomic_store_n(&w->since, since, __ATOMIC_RELAXED);
  __atomic_store_n(&w->seq, s + 2, __ATOMIC_RELEASE);
}

unsigned long long li_wait_begin(struct lockinstr_site *site, void *lock) {
  int e = errno;
  unsigned long long t0;
  struct li_thread *t = li_thread_get();
  unsigned int id = site ? li_site_id(site) : 0;
  t0 = li_now();
  if (t && t->ext && id && !(id & LI_ID_EXCLUDED))
    publish(t, id, lock, t0);
  errno = e;
  return t0;
}

void li_wait_end(struct li_thread *t) {
  if (t && t->ext &&
      __atomic_load_n(&t->ext->wait.lock, __ATOMIC_RELAXED) != NULL)
    publish(t, 0, NULL, 0);
}

int li_wait_read(const struct li_wait *w, struct li_wait_now *out) {
  int tries;
  for (tries = 0; tries < 8; tries++) {
    unsigned int s1 = __atomic_load_n(&w->seq, __ATOMIC_ACQUIRE), s2;
    if (s1 & 1u)
      continue;
    out->site = __atomic_load_n(&w->site, __ATOMIC_RELAXED);
    out->lock = __atomic_load_n(&w->lock, __ATOMIC_RELAXED);
    out->since = __atomic_load_n(&w->since, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    s2 = __atomic_load_n(&w->seq, __ATOMIC_RELAXED);
    if (s1 == s2)
      return out->lock != NULL;
  }
  return 0;
}
