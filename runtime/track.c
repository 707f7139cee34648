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
 * Inside and outside the critical section: an acquisition slow path runs
 * after the lock was taken, i.e. inside the caller's critical section,
 * where every nanosecond lengthens the section for every thread waiting
 * on the lock (and, with a short section, turns into more contention). So
 * it does only what must happen there: the exact counters, lock-order
 * edges, the sampling decision, the push on the held stack, and the wait
 * of a contended acquisition appended to the thread's buffer (a few
 * stores, never a flush: when the buffer is nearly full the entry carries
 * the wait instead, LI_HELD_PENDING), where every dump sees it. A flagged
 * entry sends the release to its slow path, which runs after the
 * real unlock: it buffers the deferred wait and the sampled hold (which ended
 * at the clock the wrapper read just before the real unlock: the hold interval
 * is the time the lock was actually held), and, if the thread then holds no
 * lock, flushes the buffer when due (a flush takes li_lock, which all threads
 * share). Condition waits do the same with the re-acquired mutex's entry.
 *
 * The sampled path: li_acquired and li_released begin with a leaf case
 * (no call, no stack frame) for what dominates when every acquisition is
 * sampled: at rate 1, an uncontended acquisition with nothing held, and
 * the release of a sampled hold from the top of the stack while the event
 * buffer is neither empty nor full (an empty one arms the flush timer).
 * At other rates a sampled acquisition with nothing held tail-calls
 * sampled_push (count, draw, push). Everything else tail-calls
 * acquired_more / released_more: the lean paths below, then the general
 * one (docs/runtime.md, "The sampled path").
 *
 * Lock order (issue #8): a successful blocking acquisition (a table API of
 * kind ACQUIRE or TIMED, the re-acquisition at the end of a condition
 * wait, a track_acquire on a site not described as a trylock) made while
 * the thread holds other locks records an edge from every held lock's site
 * to the acquiring site (order.h). The inline fast path sends exactly that
 * case here; a trylock never records an edge, since it cannot block.
 */
#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "lockinstr.h"
#include "lifecycle.h"
#include "lockid.h"
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

/* The thread's state, synced with li_shared.control; NULL out of memory. */
static struct li_thread *thread(void) {
  struct li_thread *t = li_thread_get();
  if (t)
    li_thread_sync(t);
  return t;
}

/* Records a successful acquisition: count, contention, the sampling
 * decision, the push on the held stack; a contended one's wait (`wait`
 * ticks, or ns when is_ns) is deferred to the held entry, for its release
 * to buffer. t1: the clock (ticks) when the lock was taken, 0 if unknown.
 * Runs inside the caller's critical section: buffers nothing, flushes
 * nothing. */
static void acquired(struct li_thread *t, struct lockinstr_site *site,
                     void *lock, int contended, unsigned long long wait,
                     int is_ns, unsigned long long t1) {
  unsigned int id = li_site_id(site), w, fl = 0;
  if (id & LI_ID_EXCLUDED) {
    li_held_push(t, lock, 0, 0, 0, 0); /* so its release finds it */
    return;
  }
  bump(t, id, LI_C_acq);
  if (contended) {
    bump(t, id, LI_C_cont);
    fl =
        li_event_inside(t, id | LI_EV_WAIT | (is_ns ? LI_EV_NS : 0u), wait, t1);
  }
  if (blocking(site))
    order_edges(t, lock, id);
  w = li_thread_sample(t);
  if (w && !t1)
    t1 = li_now();
  if (li_held_push(t, lock, id | fl, w, t1, wait) != 0 && fl)
    li_event_add(t, id | LI_EV_WAIT | (is_ns ? LI_EV_NS : 0u), wait, 0,
                 t1); /* no entry */
}

/* Ends the hold interval of held entry *hp at clock tick t1 (0: now,
 * read before any bookkeeping) and removes it: buffers the event deferred
 * to it and, if sampled, its hold. Returns the end of the hold (ticks), or
 * the entry's t0 when it is not sampled (0 = unknown). */
static unsigned long long end_hold(struct li_thread *t, struct li_held *hp,
                                   unsigned long long t1) {
  struct li_held h = *hp;
  unsigned int site = h.site & LI_HELD_SITE;
  unsigned long long now = h.t0;
  if ((h.site & LI_HELD_SAMPLED) && site)
    now = t1 ? t1 : li_now();
  li_held_deliver(t, &h);
  li_held_remove(t, hp);
  if ((h.site & LI_HELD_SAMPLED) && site)
    li_event_add(t, site | LI_EV_HOLD, now > h.t0 ? now - h.t0 : 0, h.weight,
                 now);
  return now;
}

/* When the entry of registered site `held` was taken at a configured or
 * hand-annotated API, counts a key mismatch at release site id and
 * returns 1; else 0. Takes li_lock. */
static int key_mismatch(unsigned int id, unsigned int held) {
  int custom;
  li_lock();
  custom = li_site_agg(held)->desc.api == LOCKINSTR_API_CUSTOM;
  if (custom)
    __atomic_fetch_add(&li_site_agg(id)->key_mismatches, 1, __ATOMIC_RELAXED);
  li_unlock();
  return custom;
}

/* The entry a release of `lock` at site (registered as id) ends when the
 * thread's record has no entry for lock; NULL when it ends none.
 *   A configured (or hand-annotated) API's release while the thread's
 *   most recent entry is one too: the unlock names the lock differently
 *   from the lock call (`item_trylock(hash)`, `item_trylock_unlock(ptr)`),
 *   so it ends that entry, and the site counts a key mismatch (the
 *   profile's key_mismatches, which the report warns about).
 *   Otherwise the lock is another thread's (a hand-off, a mutex used as a
 *   binary semaphore) or not held at all (a double unlock): counted in
 *   dropped.unlock_not_held and marked, so that the holder's entry dies
 *   (held.c). */
static struct li_held *unmatched(struct li_thread *t,
                                 const struct lockinstr_site *site,
                                 unsigned int id, void *lock) {
  struct li_held *top = t->top - 1;
  unsigned int s = top >= t->held ? top->site & LI_HELD_SITE : 0;
  if (site->api == LOCKINSTR_API_CUSTOM && !(id & LI_ID_EXCLUDED) && s &&
      key_mismatch(id, s))
    return top;
  LI_DROP(unlock_not_held);
  li_held_mark(lock);
  return NULL;
}

/* Records a successful release whose hold ended at tick t1 (0: now): ends
 * the hold of the topmost entry for lock (or, with none, see unmatched)
 * and counts a release at the releasing site. Then, if the thread holds
 * no other lock, flushes its events when due (the callers run after the
 * real unlock, or, for track_release, just before the user's own). */
static void released(struct li_thread *t, struct lockinstr_site *site,
                     void *lock, unsigned long long t1) {
  unsigned int id = li_site_id(site);
  struct li_held *h = li_held_find(t, lock);
  unsigned long long now = 0;
  if (!h)
    h = unmatched(t, site, id, lock);
  if (h)
    now = end_hold(t, h, t1);
  if (!(id & LI_ID_EXCLUDED))
    bump(t, id, LI_C_rel);
  li_thread_flush_due(t, now);
}

/* Counts a failed call of the given outcome at site. */
static void failed(struct li_thread *t, struct lockinstr_site *site,
                   int outcome) {
  unsigned int id = li_site_id(site);
  if (id & LI_ID_EXCLUDED)
    return;
  if (outcome == LI_OUT_BUSY)
    bump(t, id, LI_C_tryfail);
  else if (outcome == LI_OUT_TIMEDOUT)
    bump(t, id, LI_C_timeout);
  else
    bump(t, id, LI_C_err);
}

/* 1 when the thread is registered, in sync with li_shared.control, and site id
 * is covered by its counters: the state in which a sampled acquisition or
 * release needs none of the general slow path. (ncounts > 0 implies a
 * registered thread: counters are allocated only after ext, and thread
 * exit zeroes both.) */
static int ready(const struct li_thread *t, unsigned int id) {
  return id - 1u < t->ncounts &&
         t->seen == __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);
}

/* The entry a lean acquisition at site (its id into *id) takes on t's
 * held-lock stack, with the acquisition counted; NULL, with nothing
 * counted, when the general path must run (the thread's arrays are not
 * ready for id, or the stack is full). */
static inline struct li_held *lean_entry(struct li_thread *t,
                                         const struct lockinstr_site *site,
                                         unsigned int *id) {
  struct li_held *top = t->top;
  *id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  if (!ready(t, *id) || top == t->end)
    return NULL;
  li_count_inc_(&t->acq[*id]);
  return top;
}

/* The common slow cases of an uncontended acquisition that the leaf
 * path below leaves: the sampling countdown ran out at a rate other than
 * 1, or a blocking acquisition with locks already held (lock-order
 * edges). Returns 0 when the general path must run. Leaves errno alone
 * (li_order_note saves it around its allocation). */
static int lean_acquire(struct lockinstr_site *site, void *lock) {
  struct li_thread *t = &li_tls;
  unsigned int id, w;
  struct li_held *top = lean_entry(t, site, &id);
  if (top == NULL)
    return 0;
  if (top != t->held && blocking(site)) {
    li_order_note(t, &t->ext->order, lock, id);
    top = t->top; /* the note may have cleared dead entries */
  }
  w = li_thread_sample_inline(t);
  li_held_set(top, lock, id | (w ? LI_HELD_SAMPLED : 0u));
  top->weight = w;
  top->t0 = w ? li_now() : 0;
  t->top = top + 1;
  return 1;
}

/* The common slow case of a contended acquisition (the try found the
 * lock busy, the blocking call, from clock tick t0 to t1, took it):
 * count it, note its lock-order edges, decide on sampling, buffer the
 * wait (li_event_inside: a few stores; deferred to the entry when the
 * buffer is nearly full) and push an entry. Runs inside the caller's
 * critical section, so it does no more than that: no lock, no allocation
 * (unless an edge is new to the thread), no clock read, no flush. Returns
 * 0 when the general path must run. Leaves errno alone. */
static int lean_waited(struct lockinstr_site *site, void *lock,
                       unsigned long long t0, unsigned long long t1) {
  struct li_thread *t = &li_tls;
  unsigned int id, w, fl;
  struct li_held *top = lean_entry(t, site, &id);
  if (top == NULL)
    return 0;
  li_count_inc_(&t->cold[id].cont);
  if (top != t->held) { /* li_waited serves blocking APIs only */
    li_order_note(t, &t->ext->order, lock, id);
    top = t->top; /* the note may have cleared dead entries */
  }
  w = li_thread_sample_inline(t);
  fl = li_event_inside(t, id | LI_EV_WAIT, t1 > t0 ? t1 - t0 : 0, t1);
  if (fl)
    li_deferred_add(t, 1);
  li_held_set(top, lock, id | fl | (w ? LI_HELD_SAMPLED : 0u));
  top->weight = w;
  top->t0 = t1;
  top->pend = t1 > t0 ? t1 - t0 : 0;
  t->top = top + 1;
  return 1;
}

/* Flushes the thread's events at a safe point, keeping errno. */
__attribute__((noinline)) static void flush_keep_errno(struct li_thread *t) {
  int e = errno;
  li_thread_flush(t);
  errno = e;
}

/* The common slow case of a release, after the real unlock: the lock is
 * on top of the stack and its entry is sampled (its hold ended at tick
 * t1, 0: now) or carries a deferred event. Buffers them, then flushes if
 * due and no lock is held. Returns 0 when the general path must run.
 * Leaves errno alone (saving it only around a flush). */
static int lean_release(struct lockinstr_site *site, void *lock,
                        unsigned long long t1) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED), s;
  struct li_held *h;
  int due = 0;
  if (!ready(t, id))
    return 0;
  h = t->top - 1;
  if (li_held_lock(h) != lock || !(h->site & LI_HELD_FLAGS))
    return 0;
  t->top = h; /* the entry stays readable: nothing pushes until we return */
  li_count_inc_(&t->rel[id]);
  s = h->site & LI_HELD_SITE;
  if (s && (h->site & LI_HELD_SAMPLED)) {
    unsigned long long now = t1 ? t1 : li_now();
    due = li_event_put(t, s | LI_EV_HOLD, now > h->t0 ? now - h->t0 : 0,
                       h->weight, now);
  }
  if (h->site & LI_HELD_PENDING)
    due |= li_held_deliver(t, h);
  if (due && t->top == t->held) /* a safe point: no lock held */
    flush_keep_errno(t);
  return 1;
}

/* Every acquisition slow case but the leaf one: lean_acquire, else the
 * general path. */
__attribute__((noinline)) static void acquired_more(struct lockinstr_site *site,
                                                    void *lock, int contended,
                                                    unsigned long long ticks) {
  int e;
  struct li_thread *t;
  if (!contended && lean_acquire(site, lock))
    return;
  e = errno;
  t = thread();
  if (t)
    acquired(t, site, lock, contended, ticks, 0, 0);
  errno = e;
}

/* A sampled (countdown ran out) uncontended acquisition with nothing held
 * at a rate other than 1 (or without the TSC): count, draw the next countdown,
 * push the entry (sampled unless the countdown was a capped one). The thread is
 * ready (see ready) and its stack empty. */
__attribute__((noinline)) static void
sampled_push(struct li_thread *t, void *lock, unsigned int id) {
  struct li_held *top = t->top;
  unsigned int w = li_thread_sample(t);
  li_count_inc_(&t->acq[id]);
  li_held_set(top, lock, id | (w ? LI_HELD_SAMPLED : 0u));
  top->weight = w;
  top->t0 = w ? li_now() : 0;
  t->top = top + 1;
}

/* The slow path of an acquisition. Its most frequent case when every
 * acquisition is sampled (rate 1), an uncontended sampled acquisition
 * with nothing held, is a leaf with no stack frame: count, read the
 * clock, push a sampled entry. At other rates the same case is a tail
 * call of sampled_push (the draw needs a call). Every other case (a
 * nested acquisition too: its lock-order edges) goes to acquired_more.
 *
 * At rate 1 the countdown is always 0, or -1 after the fast path's
 * decrement: every draw at rate 1 is 1, and a thread redraws whenever its
 * rate changes (li_thread_sync). */
void li_acquired(struct lockinstr_site *site, void *lock, int contended,
                 unsigned long long ticks) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED);
  struct li_held *top = t->top;
  unsigned long long now;
  /* an empty stack has room (see li_fast_acquire_) */
  if (!contended && ready(t, id) && top == t->held) {
    if (t->ext->draw_rate == 1 && li_tsc_now_(&now)) {
      assert(t->countdown <= 0);
      t->countdown = 0; /* what li_thread_sample's draw at rate 1 gives */
      li_count_inc_(&t->acq[id]);
      li_held_set(top, lock, id | LI_HELD_SAMPLED);
      top->weight = 1;
      top->t0 = now;
      t->top = top + 1;
      return;
    }
    if (t->countdown <= 0) {
      sampled_push(t, lock, id);
      return;
    }
  }
  acquired_more(site, lock, contended, ticks);
}

/* Every release slow case but the leaf one: lean_release, else the
 * general path. */
__attribute__((noinline)) static void
released_more(struct lockinstr_site *site, void *lock, unsigned long long t1) {
  int e;
  struct li_thread *t;
  struct li_held *h;
  if (lean_release(site, lock, t1))
    return;
  e = errno;
  t = thread();
  if (t && lockinstr_enabled()) {
    released(t, site, lock, t1);
  } else if (t) { /* off: forget the lock quietly (what it waited counts) */
    h = li_held_find(t, lock);
    if (h) {
      li_held_deliver(t, h);
      li_held_remove(t, h);
    }
    li_thread_flush_due(t, 0);
  }
  errno = e;
}

/* The layouts li_released_at's 8-byte copy relies on. */
_Static_assert(offsetof(struct li_held, weight) ==
                       offsetof(struct li_held, site) + 4 &&
                   offsetof(struct li_event, weight) ==
                       offsetof(struct li_event, key) + 4 &&
                   sizeof(unsigned int) == 4,
               "li_held.site/weight and li_event.key/weight must be pairs");

/* The slow path of a release, after the real unlock; its hold ended at
 * tick t1, read just before the unlock (0: read it now). Its most
 * frequent case, the release of a sampled hold on top of the stack with
 * nothing else deferred to it, is a leaf with no stack frame while the
 * event buffer is neither empty nor full: count, pop, buffer the hold; a
 * flush when due (no lock held) is a tail call. Every other case goes to
 * released_more. */
void li_released_at(struct lockinstr_site *site, void *lock,
                    unsigned long long t1) {
  struct li_thread *t = &li_tls;
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_RELAXED), s, n;
  struct li_held *h;
  struct li_thread_ext *ext;
  struct li_event *e;
  long long d;
  if (!ready(t, id) || !t1)
    goto more;
  h = t->top - 1; /* held[-1] is a sentinel, never flagged */
  s = h->site;
  /* sampled, nothing deferred; the address is tagged */
  if ((s & LI_HELD_FLAGS) != LI_HELD_SAMPLED ||
      h->lock != (void *)((__UINTPTR_TYPE__)lock ^ LI_HELD_TAG))
    goto more;
  assert(s & LI_HELD_SITE); /* an excluded site's entry is never sampled */
  ext = t->ext;
  n = ext->nevents;
  if (n - 1u >= LI_EVENT_BUF - 1u)
    goto more; /* the buffer empty (arm the timer) or full */
  t->top = h;
  li_count_inc_(&t->rel[id]);
  e = &ext->events[n];
  /* key = s (id | LI_EV_HOLD) and the weight, as one 8-byte copy */
  memcpy(&e->key, &h->site, sizeof e->key + sizeof e->weight);
  d = (long long)(t1 - h->t0); /* a clock that stepped back: 0 */
  e->value = d > 0 ? (unsigned long long)d : 0;
  __atomic_store_n(&ext->nevents, ++n, __ATOMIC_RELEASE); /* for dumps */
  if ((n >= LI_EVENT_HIGH || t1 > ext->due_tick) && h == t->held)
    flush_keep_errno(t); /* a safe point: no lock held */
  return;
more:
  released_more(site, lock, t1);
}

void li_waited(struct lockinstr_site *site, void *lock, int outcome, int busy,
               unsigned long long t0, unsigned long long t1) {
  int e;
  struct li_thread *t;
  li_wait_end(&li_tls);
  if (outcome == LI_OUT_OK && busy && lean_waited(site, lock, t0, t1))
    return;
  e = errno;
  t = thread();
  if (t && outcome == LI_OUT_OK)
    acquired(t, site, lock, busy, t1 > t0 ? t1 - t0 : 0, 0, t1);
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
      end_hold(t, h, 0);
      entered = 1;
    }
  }
  errno = e;
  return entered;
}

/* After a condition wait: the wait goes to the site's cond histogram, the
 * re-acquisition counts as an acquisition at the wait's site, and the lock
 * goes back on the held stack (if it was there) with a new hold interval.
 * `wait` is in ticks, or in ns when is_ns. The mutex is held again, so,
 * as for a contended acquisition, the wait is deferred to the entry and
 * buffered by the release. */
static void cond_leave(struct li_thread *t, struct lockinstr_site *site,
                       void *lock, int entered, int outcome,
                       unsigned long long wait, int is_ns) {
  unsigned int id = li_site_id(site), w = 0, fl = 0;
  unsigned long long t1 = 0;
  if (id & LI_ID_EXCLUDED) {
    id = 0;
  } else if (outcome != LI_OUT_ERROR) {
    bump(t, id, LI_C_acq);
    order_edges(t, lock, id); /* the re-acquisition blocks like a lock */
    if (outcome == LI_OUT_TIMEDOUT)
      bump(t, id, LI_C_timeout);
    w = li_thread_sample(t);
    fl = li_event_inside(t, id | LI_EV_COND | (is_ns ? LI_EV_NS : 0u), wait, 0);
  } else {
    bump(t, id, LI_C_err);
  }
  if (w)
    t1 = li_now();
  if (entered && li_held_push(t, lock, id | fl, w, t1, wait) == 0)
    return;
  if (fl) /* not on the stack (or no room): buffer it now */
    li_event_add(t, id | LI_EV_COND | (is_ns ? LI_EV_NS : 0u), wait, 0, t1);
}

void li_cond_leave(struct lockinstr_site *site, void *lock, int entered,
                   int outcome, unsigned long long ticks) {
  int e = errno;
  struct li_thread *t = thread();
  if (t)
    cond_leave(t, site, lock, entered, outcome, ticks, 0);
  errno = e;
}

/* A successful init or destroy at site (registered as id) of the lock at
 * `lock`: the lock begins or ends a life (lockid.h); an init at a site of
 * strong class names it. */
static void lock_life(const struct lockinstr_site *site, unsigned int id,
                      const void *lock) {
  int born = site->api < LOCKINSTR_API_COUNT &&
             api_kinds[site->api] == LOCKINSTR_KIND_INIT;
  int named =
      born && !(id & LI_ID_EXCLUDED) && !li_class_weak(site->lock_class);
  li_lockid_lifecycle(lock, named ? id : 0, born);
}

void li_forget(struct lockinstr_site *site, void *lock, int ok) {
  int e = errno;
  struct li_thread *t;
  unsigned int id;
  struct li_held *h;
  if (ok && !li_tls.ext) {
    /* A thread that never locked holds nothing to forget: it stays
     * unregistered (not one of the profile's `threads`); the site is
     * registered all the same, so the profile lists it. */
    li_init();
    lock_life(site, li_site_id(site), lock);
    goto out;
  }
  t = thread();
  if (!t)
    goto out;
  id = li_site_id(site);
  if (!ok && !(id & LI_ID_EXCLUDED))
    bump(t, id, LI_C_err);
  if (ok)
    lock_life(site, id, lock);
  while (ok && (h = li_held_find(t, lock)) != NULL) {
    li_held_deliver(t, h);
    li_held_remove(t, h);
  }
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
  acquired(t, site, lock, contended, wait_ns, 1, 0);
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

/* The calling thread's record for a track_* call: NULL while recording is
 * off or when the thread has none. May change errno (callers keep it). */
static struct li_thread *tracking_thread(void) {
  return lockinstr_enabled() ? thread() : NULL;
}

void track_release(struct lockinstr_site *site, void *lock) {
  int e = errno;
  struct li_thread *t = tracking_thread();
  if (t)
    released(t, site, lock, 0);
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
  struct li_thread *t = tracking_thread();
  if (t)
    cond_leave(t, site, lock, entered, outcome, wait_ns, 1);
  errno = e;
}

void track_describe(struct lockinstr_site *site, const char *api, int kind,
                    int mode) {
  int e = errno;
  unsigned int id = li_site_id_described(site, api, kind);
  struct li_site_agg *a;
  if (kind == LOCKINSTR_KIND_TRY)
    __atomic_fetch_or(&site->flags, LI_SITE_NO_ORDER, __ATOMIC_RELAXED);
  else
    __atomic_fetch_and(&site->flags, (unsigned short)~LI_SITE_NO_ORDER,
                       __ATOMIC_RELAXED);
  if (!(id & LI_ID_EXCLUDED)) {
    li_lock();
    a = li_site_agg(id);
    li_site_set_custom_api(a, api); /* copied: api may be in a dlclose'd .so */
    a->custom_kind = kind;
    __atomic_store_n(&a->custom_mode, mode, __ATOMIC_RELAXED);
    li_unlock();
  }
  errno = e;
}
