/*
 * track.c — the slow paths behind the inline wrappers, and the hand
 * annotation calls track_acquire / track_release.
 *
 * A wrapper falls back to these when its fast path cannot finish: first
 * use of a site or of a thread, an array to grow, a sampled acquisition, a
 * contended one, a failure, a condition wait, a changed control word. They
 * may take li_lock and allocate; they never call an instrumented lock.
 * Each preserves errno, so a wrapper leaves errno as the real call did.
 */
#include <errno.h>
#include <stddef.h>

#include "lockinstr.h"
#include "site.h"
#include "thread.h"

#define CNT(field) offsetof(struct li_counts, field)

/* Adds one to a counter of site id for the calling thread; falls back to
 * the global record (under li_lock) if the thread's array cannot grow. */
static void bump(struct li_thread *t, unsigned int id, size_t off) {
  struct li_counts *c = li_thread_counts(t, id);
  if (c) {
    li_count_inc_((unsigned long long *)((char *)c + off));
    return;
  }
  li_lock();
  ++*(unsigned long long *)((char *)&li_site_agg(id)->folded + off);
  li_unlock();
}

/* The thread's state, synced with li_control; NULL out of memory. */
static struct li_thread *thread(void) {
  struct li_thread *t = li_thread_get();
  if (t)
    li_thread_sync(t);
  return t;
}

/* Records a successful acquisition: count, contention and its wait, the
 * sampling decision, the push on the held stack. */
static void acquired(struct li_thread *t, struct lockinstr_site *site,
                     void *lock, int contended, unsigned long long wait,
                     int is_ns) {
  unsigned int id = li_site_id(site), w;
  if (id & LI_ID_EXCLUDED) {
    li_held_push(t, lock, 0, 0, 0); /* so its release finds it */
    return;
  }
  bump(t, id, CNT(acq));
  if (contended) {
    bump(t, id, CNT(cont));
    li_event_push(t, id, LI_EV_WAIT, wait, is_ns, 0, 0);
  }
  /* Issue #8 hook: a blocking acquisition with t->nheld > 0 adds the
   * lock-order edges from the held classes here. */
  w = li_thread_sample(t);
  li_held_push(t, lock, id, w, w ? li_now() : 0);
}

/* Ends the hold interval of held entry i and removes it. */
static void end_hold(struct li_thread *t, long i) {
  struct li_held h = t->held[i];
  li_held_remove(t, i);
  if (h.weight && h.site) {
    unsigned long long now = li_now();
    li_event_push(t, h.site, LI_EV_HOLD, now > h.t0 ? now - h.t0 : 0, 0,
                  h.weight, now);
  }
}

static void released(struct li_thread *t, struct lockinstr_site *site,
                     void *lock) {
  unsigned int id = li_site_id(site);
  long i = li_held_find(t, lock);
  if (i < 0)
    LI_DROP(unlock_not_held);
  else
    end_hold(t, i);
  if (!(id & LI_ID_EXCLUDED))
    bump(t, id, CNT(rel));
}

/* Counts a failed call of the given outcome at site. */
static void failed(struct li_thread *t, struct lockinstr_site *site,
                   int outcome) {
  unsigned int id = li_site_id(site);
  if (id & LI_ID_EXCLUDED)
    return;
  if (outcome == LI_OUT_BUSY)
    bump(t, id, CNT(tryfail));
  else if (outcome == LI_OUT_TIMEDOUT)
    bump(t, id, CNT(timeout));
  else
    bump(t, id, CNT(err));
}

void li_acquired(struct lockinstr_site *site, void *lock, int contended,
                 unsigned long long ticks) {
  int e = errno;
  struct li_thread *t = thread();
  if (t)
    acquired(t, site, lock, contended, ticks, 0);
  errno = e;
}

void li_released(struct lockinstr_site *site, void *lock) {
  int e = errno;
  struct li_thread *t = thread();
  if (t)
    released(t, site, lock);
  errno = e;
}

void li_blocked(struct lockinstr_site *site, void *lock, int outcome,
                int busy, unsigned long long ticks) {
  int e = errno;
  struct li_thread *t = thread();
  if (t && outcome == LI_OUT_OK)
    acquired(t, site, lock, busy, ticks, 0);
  else if (t)
    failed(t, site, outcome == LI_OUT_BUSY ? LI_OUT_ERROR : outcome);
  errno = e;
}

void li_failed(struct lockinstr_site *site, int outcome) {
  int e = errno;
  struct li_thread *t = thread();
  if (t)
    failed(t, site, outcome);
  errno = e;
}

int li_cond_enter(struct lockinstr_site *site, void *lock) {
  int e = errno, entered = 0;
  struct li_thread *t = thread();
  long i;
  (void)site;
  if (t) {
    i = li_held_find(t, lock);
    if (i >= 0) {
      end_hold(t, i);
      entered = 1;
    }
  }
  errno = e;
  return entered;
}

/* After a condition wait: the wait goes to the site's cond histogram, the
 * re-acquisition counts as an acquisition at the wait's site, and the lock
 * goes back on the held stack (if it was there) with a new hold interval. */
void li_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                   int outcome, unsigned long long ticks) {
  int e = errno;
  struct li_thread *t = thread();
  unsigned int id, w = 0;
  if (!t)
    goto out;
  id = li_site_id(site);
  if (!(id & LI_ID_EXCLUDED) && outcome != LI_OUT_ERROR) {
    li_event_push(t, id, LI_EV_COND, ticks, 0, 0, 0);
    bump(t, id, CNT(acq));
    if (outcome == LI_OUT_TIMEDOUT)
      bump(t, id, CNT(timeout));
    w = li_thread_sample(t);
  } else if (!(id & LI_ID_EXCLUDED)) {
    bump(t, id, CNT(err));
  }
  if (entered)
    li_held_push(t, lock, id & LI_ID_EXCLUDED ? 0 : id, w, w ? li_now() : 0);
out:
  errno = e;
}

void li_forget(struct lockinstr_site *site, void *lock, int ok) {
  int e = errno;
  struct li_thread *t = thread();
  unsigned int id;
  long i;
  if (!t)
    goto out;
  id = li_site_id(site);
  if (!ok && !(id & LI_ID_EXCLUDED))
    bump(t, id, CNT(err));
  while (ok && (i = li_held_find(t, lock)) >= 0)
    li_held_remove(t, i);
out:
  errno = e;
}

void track_acquire(struct lockinstr_site *site, void *lock, int mode,
                   int contended, unsigned long long wait_ns) {
  int e = errno;
  struct li_thread *t;
  unsigned int id;
  if (!lockinstr_enabled())
    return;
  t = thread();
  if (!t)
    goto out;
  acquired(t, site, lock, contended, wait_ns, 1);
  id = li_site_id(site);
  /* The mode of a custom site, noted on each thread's first use of it. */
  if (site->api == LOCKINSTR_API_CUSTOM && !(id & LI_ID_EXCLUDED) &&
      id - 1u < t->ncounts && t->counts[id - 1].acq == 1) {
    li_lock();
    __atomic_store_n(&li_site_agg(id)->custom_mode, mode, __ATOMIC_RELAXED);
    li_unlock();
  }
out:
  errno = e;
}

void track_release(struct lockinstr_site *site, void *lock) {
  int e = errno;
  struct li_thread *t;
  if (!lockinstr_enabled())
    return;
  t = thread();
  if (t)
    released(t, site, lock);
  errno = e;
}
