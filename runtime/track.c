/*
 * track.c — the slow paths behind the inline wrappers, and the hand
 * annotation calls track_acquire / track_release.
 *
 * A wrapper falls back to these when its fast path cannot finish: first
 * use of a site or of a thread, an array to grow, a sampled acquisition, a
 * contended one, a failure, a condition wait, a changed control word. They
 * may take li_lock and allocate; they never call an instrumented lock.
 * Each preserves errno, so a wrapper leaves errno as the real call did.
 *
 * Lock order (issue #8): a successful blocking acquisition (a table API of
 * kind ACQUIRE or TIMED, the re-acquisition at the end of a condition
 * wait, a track_acquire on a site not described as a trylock) made while
 * the thread holds other locks records an edge from every held lock's site
 * to the acquiring site (order.h). The inline fast path sends exactly that
 * case here; a trylock never records an edge, since it cannot block.
 */
#include <errno.h>

#include "lockinstr.h"
#include "order.h"
#include "site.h"
#include "thread.h"

#define bump li_thread_count

/* site->flags bit (the runtime's own, above the rewriter's flags): a
 * hand-annotated site that track_describe() called a trylock, whose
 * track_acquire records no lock-order edge. */
#define LI_SITE_NO_ORDER 0x8000u

#define LI_KIND_(name, kind, mode, arg, succ, hdr, try_fn, ret, params, args)  \
  LOCKINSTR_KIND_##kind,
static const unsigned char api_kinds[] = {LOCKINSTR_LOCK_APIS(LI_KIND_)};

/* 1 when a successful acquisition at site could have blocked, so that it
 * records lock-order edges: table APIs of kind ACQUIRE or TIMED, and
 * hand-annotated sites unless described as TRY. */
static int blocking(const struct lockinstr_site *site) {
  unsigned int api = site->api, k;
  if (api < LOCKINSTR_API_COUNT) {
    k = api_kinds[api];
    return k == LOCKINSTR_KIND_ACQUIRE || k == LOCKINSTR_KIND_TIMED;
  }
  return !(__atomic_load_n(&site->flags, __ATOMIC_RELAXED) & LI_SITE_NO_ORDER);
}

/* Records the lock-order edges of an acquisition of lock at site id
 * (registered, not excluded), before the lock is pushed: from every held
 * lock, if any. */
static void order_edges(struct li_thread *t, void *lock, unsigned int id) {
  if (t->top > t->held)
    li_order_note(t, &t->ext->order, lock, id);
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
  bump(t, id, LI_C_ACQ);
  if (contended) {
    bump(t, id, LI_C_CONT);
    li_event_push(t, id, LI_EV_WAIT, wait, is_ns, 0, 0);
  }
  if (blocking(site))
    order_edges(t, lock, id);
  w = li_thread_sample(t);
  li_held_push(t, lock, id, w, w ? li_now() : 0);
}

/* Ends the hold interval of held entry *hp and removes it. */
static void end_hold(struct li_thread *t, struct li_held *hp) {
  struct li_held h = *hp;
  unsigned int site = h.site & ~LI_HELD_SAMPLED;
  li_held_remove(t, hp);
  if ((h.site & LI_HELD_SAMPLED) && site) {
    unsigned long long now = li_now();
    li_event_push(t, site, LI_EV_HOLD, now > h.t0 ? now - h.t0 : 0, 0, h.weight,
                  now);
  }
}

/* Records a successful release: ends the hold of the topmost entry for
 * lock (or counts an unlock of a lock not held) and counts a release at
 * the releasing site. */
static void released(struct li_thread *t, struct lockinstr_site *site,
                     void *lock) {
  unsigned int id = li_site_id(site);
  struct li_held *h = li_held_find(t, lock);
  if (!h)
    LI_DROP(unlock_not_held);
  else
    end_hold(t, h);
  if (!(id & LI_ID_EXCLUDED))
    bump(t, id, LI_C_REL);
}

/* Counts a failed call of the given outcome at site. */
static void failed(struct li_thread *t, struct lockinstr_site *site,
                   int outcome) {
  unsigned int id = li_site_id(site);
  if (id & LI_ID_EXCLUDED)
    return;
  if (outcome == LI_OUT_BUSY)
    bump(t, id, LI_C_TRYFAIL);
  else if (outcome == LI_OUT_TIMEDOUT)
    bump(t, id, LI_C_TIMEOUT);
  else
    bump(t, id, LI_C_ERR);
}

/* 1 when the thread is registered, in sync with li_control, and site id
 * is covered by its counters: the state in which a sampled acquisition or
 * release needs none of the general slow path. */
static int ready(const struct li_thread *t, unsigned int id) {
  return t->ext && id - 1u < t->ncounts &&
         t->seen == __atomic_load_n(&li_control, __ATOMIC_RELAXED);
}

/* The common slow cases of an uncontended acquisition: the sampling
 * countdown ran out, or a blocking acquisition with locks already held
 * (lock-order edges). Returns 0 when the general path must run. Leaves
 * errno alone (li_order_note saves it around its allocation). */
static int lean_acquire(struct lockinstr_site *site, void *lock) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED), w;
  struct li_held *top = t->top;
  if (!ready(t, id) || top == t->end)
    return 0;
  li_count_inc_(&t->acq[id]);
  if (top != t->held && blocking(site))
    li_order_note(t, &t->ext->order, lock, id);
  w = li_thread_sample(t);
  top->lock = lock;
  top->site = id | (w ? LI_HELD_SAMPLED : 0u);
  top->weight = w;
  top->t0 = w ? li_now() : 0;
  t->top = top + 1;
  return 1;
}

/* The common slow case of a release: the lock is on top of the stack and
 * was sampled. Returns 0 when the general path must run. */
static int sampled_release(struct lockinstr_site *site, void *lock) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED), s, w;
  unsigned long long t0, now;
  struct li_held *h;
  if (!ready(t, id))
    return 0;
  h = t->top - 1;
  if (h->lock != lock || !(h->site & LI_HELD_SAMPLED))
    return 0;
  s = h->site & ~LI_HELD_SAMPLED;
  w = h->weight;
  t0 = h->t0;
  t->top = h;
  li_count_inc_(&t->rel[id]);
  if (s) {
    now = li_now();
    li_event_push(t, s, LI_EV_HOLD, now > t0 ? now - t0 : 0, 0, w, now);
  }
  return 1;
}

void li_acquired(struct lockinstr_site *site, void *lock, int contended,
                 unsigned long long ticks) {
  int e;
  struct li_thread *t;
  if (!contended && lean_acquire(site, lock))
    return;
  e = errno;
  t = thread();
  if (t)
    acquired(t, site, lock, contended, ticks, 0);
  errno = e;
}

void li_released(struct lockinstr_site *site, void *lock) {
  int e = errno;
  struct li_thread *t;
  struct li_held *h;
  if (sampled_release(site, lock)) {
    errno = e; /* a flush may have run */
    return;
  }
  t = thread();
  if (t && lockinstr_enabled()) {
    released(t, site, lock);
  } else if (t) { /* off: forget the lock quietly */
    h = li_held_find(t, lock);
    if (h)
      li_held_remove(t, h);
  }
  errno = e;
}

void li_blocked(struct lockinstr_site *site, void *lock, int outcome, int busy,
                unsigned long long ticks) {
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
  struct li_thread *t;
  if (!lockinstr_enabled()) /* a release wrapper does not check */
    return;
  t = thread();
  if (t)
    failed(t, site, outcome);
  errno = e;
}

int li_cond_enter(struct lockinstr_site *site, void *lock) {
  int e = errno, entered = 0;
  struct li_thread *t = thread();
  struct li_held *h;
  (void)site;
  if (t) {
    h = li_held_find(t, lock);
    if (h) {
      end_hold(t, h);
      entered = 1;
    }
  }
  errno = e;
  return entered;
}

/* After a condition wait: the wait goes to the site's cond histogram, the
 * re-acquisition counts as an acquisition at the wait's site, and the lock
 * goes back on the held stack (if it was there) with a new hold interval.
 * `wait` is in ticks, or in ns when is_ns. */
static void cond_leave(struct li_thread *t, struct lockinstr_site *site,
                       void *lock, int entered, int outcome,
                       unsigned long long wait, int is_ns) {
  unsigned int id = li_site_id(site), w = 0;
  if (!(id & LI_ID_EXCLUDED) && outcome != LI_OUT_ERROR) {
    li_event_push(t, id, LI_EV_COND, wait, is_ns, 0, 0);
    bump(t, id, LI_C_ACQ);
    order_edges(t, lock, id); /* the re-acquisition blocks like a lock */
    if (outcome == LI_OUT_TIMEDOUT)
      bump(t, id, LI_C_TIMEOUT);
    w = li_thread_sample(t);
  } else if (!(id & LI_ID_EXCLUDED)) {
    bump(t, id, LI_C_ERR);
  }
  if (entered)
    li_held_push(t, lock, id & LI_ID_EXCLUDED ? 0 : id, w, w ? li_now() : 0);
}

void li_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                   int outcome, unsigned long long ticks) {
  int e = errno;
  struct li_thread *t = thread();
  if (t)
    cond_leave(t, site, lock, entered, outcome, ticks, 0);
  errno = e;
}

void li_forget(struct lockinstr_site *site, void *lock, int ok) {
  int e = errno;
  struct li_thread *t = thread();
  unsigned int id;
  struct li_held *h;
  if (!t)
    goto out;
  id = li_site_id(site);
  if (!ok && !(id & LI_ID_EXCLUDED))
    bump(t, id, LI_C_ERR);
  while (ok && (h = li_held_find(t, lock)) != NULL)
    li_held_remove(t, h);
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
      id - 1u < t->ncounts && t->acq[id] == 1) {
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

void track_failed(struct lockinstr_site *site, int outcome) {
  if (outcome != LOCKINSTR_OUTCOME_OK)
    li_failed(site, outcome);
}

int track_cond_enter(struct lockinstr_site *site, void *lock) {
  if (!lockinstr_enabled())
    return 0;
  return li_cond_enter(site, lock);
}

void track_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                      int outcome, unsigned long long wait_ns) {
  int e = errno;
  struct li_thread *t;
  if (!lockinstr_enabled())
    return;
  t = thread();
  if (t)
    cond_leave(t, site, lock, entered, outcome, wait_ns, 1);
  errno = e;
}

void track_describe(struct lockinstr_site *site, const char *api, int kind,
                    int mode) {
  int e = errno;
  unsigned int id = li_site_id(site);
  struct li_site_agg *a;
  if (kind == LOCKINSTR_KIND_TRY)
    __atomic_fetch_or(&site->flags, LI_SITE_NO_ORDER, __ATOMIC_RELAXED);
  else
    __atomic_fetch_and(&site->flags, (unsigned short)~LI_SITE_NO_ORDER,
                       __ATOMIC_RELAXED);
  if (!(id & LI_ID_EXCLUDED)) {
    li_lock();
    a = li_site_agg(id);
    a->custom_api = api;
    a->custom_kind = kind;
    __atomic_store_n(&a->custom_mode, mode, __ATOMIC_RELAXED);
    li_unlock();
  }
  errno = e;
}
