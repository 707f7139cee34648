/*
 * sem.c — counting semaphore operations (lockinstr_sem.h).
 *
 * A semaphore has no owner, so nothing here touches the held-lock stack:
 * a wait or try counts at its site what it came to (an acquisition, with
 * a contention and its wait when its try found no unit; a try failure; a
 * timeout; an error), a post counts a release. The wait goes to the
 * thread's event buffer like a contended lock's, and the buffer is
 * flushed when due and the thread holds no lock, as after a release.
 */
#include <errno.h>

#include "lockinstr.h"
#include "site.h"
#include "thread.h"

/* The calling thread's state, synchronised with the control word, and
 * site's id; NULL when recording is off, the thread has no state, or the
 * site is excluded. */
static struct li_thread *counting(struct lockinstr_site *site,
                                  unsigned int *id) {
  struct li_thread *t;
  if (!lockinstr_enabled())
    return NULL;
  t = li_thread_get();
  if (!t)
    return NULL;
  li_thread_sync(t);
  *id = li_site_id(site);
  return *id & LI_ID_EXCLUDED ? NULL : t;
}

void li_sem_done(struct lockinstr_site *site, int outcome, int busy,
                 unsigned long long t0, unsigned long long t1) {
  int e = errno;
  unsigned int id;
  struct li_thread *t = counting(site, &id);
  if (t && outcome == LI_OUT_OK) {
    li_thread_count(t, id, LI_C_acq);
    if (busy) {
      li_thread_count(t, id, LI_C_cont);
      li_event_add(t, id | LI_EV_WAIT, t1 > t0 ? t1 - t0 : 0, 0, t1);
      li_thread_flush_due(t, t1);
    }
  } else if (t) {
    li_thread_count(t, id,
                    outcome == LI_OUT_BUSY       ? LI_C_tryfail
                    : outcome == LI_OUT_TIMEDOUT ? LI_C_timeout
                                                 : LI_C_err);
  }
  errno = e;
}

void li_sem_posted(struct lockinstr_site *site, int ok) {
  int e = errno;
  unsigned int id;
  struct li_thread *t = counting(site, &id);
  if (t)
    li_thread_count(t, id, ok ? LI_C_rel : LI_C_err);
  errno = e;
}
