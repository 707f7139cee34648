/*
 * thread.h — per-thread state: registration, exact counters, the held-lock
 * stack, the event buffer, and the registry of live threads.
 *
 * The hot part of a thread's state is li_tls (lockinstr.h), an initial-exec
 * TLS block; the cold part, struct li_thread_ext, is allocated on the
 * thread's first slow path and linked into a list (under li_lock) so a dump
 * can sum the counters of every live thread. A pthread key destructor folds
 * a thread's counters into the global aggregate and flushes its events when
 * it exits, so thread exit loses nothing.
 *
 * Events are buffered, never flushed, inside a critical section (unless
 * the buffer is full): a flush takes li_lock and touches shared
 * aggregates, so it waits for a safe point, a release slow path that
 * leaves the thread holding no lock (li_thread_flush_due).
 *
 * Ownership: only the owning thread writes its counters (relaxed load +
 * store) and its held stack and events; dumps read counters with relaxed
 * loads under li_lock. A dump also reads every live thread's buffered
 * events: the owner writes an event, then publishes the new count with a
 * release store of nevents; it sets nevents back to 0 only under li_lock
 * (a flush, a reset), so a dump holding li_lock may read the prefix
 * [0, nevents) it loads with acquire while the owner appends beyond it. The
 * counter arrays are flat, indexed by site id (the inline wrappers' one bounds
 * check), in reservations (reserve.h) that cost resident memory only for
 * the pages of ids the thread counts in; they move only under li_lock when
 * they grow, so a dump never reads unmapped memory.
 */
#ifndef LI_THREAD_H
#define LI_THREAD_H

#include <stddef.h>

#include "lockinstr.h"
#include "order.h"
#include "site.h"
#include "wait.h"

#ifndef LI_EVENT_BUF
#define LI_EVENT_BUF 256 /* events a thread can buffer */
#endif
/* A thread flushes at a safe point (holding no lock) once it has this
 * many events buffered, so that it seldom has to flush with a full buffer
 * inside a critical section. */
#define LI_EVENT_HIGH (LI_EVENT_BUF - LI_EVENT_BUF / 8)
#ifndef LI_HELD_INITIAL
#define LI_HELD_INITIAL 16 /* initial held-lock stack capacity */
#endif
/* The bound of a thread's held-lock stack (a power-of-two multiple of
 * LI_HELD_INITIAL): at it, a push first clears dead entries, then drops
 * the oldest entry (dropped.held_overflow). Real code holds a handful of
 * locks at once (lockdep stops at 48). */
#ifndef LI_HELD_MAX
#define LI_HELD_MAX 64
#endif
/* li_held.weight of a dead entry (site 0): held.c. */
#define LI_HELD_DEAD 0xffffffffu

/* A buffered event: 16 bytes, so that the sampled release stores two
 * words. `key` is the site id (below LI_HELD_SITE) or'ed with the event's
 * type and unit bits, which are the held entry's flag bits: a sampled
 * entry's `site` (id | LI_HELD_SAMPLED) is its hold event's key, and a
 * deferred wait's key is its entry's `site` masked (LI_HELD_PEND_COND,
 * LI_HELD_PEND_NS kept). */
#define LI_EV_WAIT 0u                /* a contended acquisition's wait */
#define LI_EV_COND LI_HELD_PEND_COND /* a condition wait */
#define LI_EV_HOLD LI_HELD_SAMPLED   /* a sampled hold */
#define LI_EV_TYPE (LI_EV_COND | LI_EV_HOLD)
#define LI_EV_NS LI_HELD_PEND_NS /* value in ns (track_*), else ticks */

struct li_event {
  unsigned int key;         /* site id | LI_EV_* type | LI_EV_NS */
  unsigned int weight;      /* LI_EV_HOLD: the sample's weight */
  unsigned long long value; /* duration */
};
_Static_assert(((LI_EV_TYPE | LI_EV_NS) & LI_HELD_SITE) == 0 &&
                   LI_EV_HOLD != LI_EV_COND && LI_EV_WAIT == 0,
               "event bits must not overlap site ids or each other");

/* Which counter of a site: LI_C_<field> of LOCKINSTR_SITE_COUNTERS. */
enum li_counter {
#define LI_X_(name, field, where, merge, doc) LI_C_##field,
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
      LI_C_COUNT
};

struct li_thread_ext {
  struct li_thread_ext *next, *prev; /* the live-thread list, li_lock */
  unsigned long long *acq, *rel;     /* = li_tls's, for dumps; li_lock */
  struct li_cold *cold;              /* = li_tls.cold; li_lock */
  unsigned int ncounts;              /* = li_tls.ncounts; li_lock */
  struct li_held *held_base;         /* allocation of the held stack */
  unsigned long long held_since;     /* marks applied by the last check
                                        (held.c) */
  unsigned long long held_gen;       /* li_held_done when nothing is left
                                        to check (no dead entry, no mark
                                        in flight), else ~0: check again */
  unsigned int draw_rate;            /* rate the countdown was drawn with */
  double draw_log;                   /* li_sample_log(draw_rate) */
  int skip;                          /* the countdown was capped: no sample */
  unsigned long long rng;            /* sampling generator state */
  unsigned long reset_gen;           /* li_reset_gen() last seen */
  unsigned int nevents;              /* buffered events: the owner stores
                                        (release); set to 0 under li_lock */
  unsigned int deferred;             /* events deferred to held entries
                                        (LI_HELD_PENDING): owner, atomic */
  unsigned long long due_tick;       /* the buffer is due for a flush
                                        after this tick (oldest event +
                                        li_clock_flush_ticks()) */
  long tid;                          /* Linux thread id */
  struct li_order order;             /* lock-order edges this thread took */
  struct li_wait wait;               /* what it waits for now (wait.h) */
  struct li_event events[LI_EVENT_BUF];
};

/* Creates the thread-exit key. Once, from li_init. */
void li_threads_init(void);

/* The calling thread's state, registered on first call (initialising the
 * runtime if needed). NULL when out of memory: the caller records nothing.
 */
struct li_thread *li_thread_get(void);

/* Catches up with a changed li_shared.control (rate, reset). */
void li_thread_sync(struct li_thread *t);

/* Adds one to counter `which` (a SUM counter) of site `id` for the calling
 * thread, growing its arrays if needed (or, out of memory, adding to the
 * global record). */
void li_thread_count(struct li_thread *t, unsigned int id,
                     enum li_counter which);

/* Decides whether the acquisition being recorded is sampled: returns its
 * weight (the rate its countdown was drawn with), or 0. */
unsigned int li_thread_sample(struct li_thread *t);
/* The same, with the common cases inline: no sample due, or rate 1, where
 * every acquisition is sampled with weight 1 and the draw is always 1
 * (li_thread_sample would redraw the countdown to 0 and clear `skip`,
 * which a draw at rate 1 always leaves clear). */
static inline unsigned int li_thread_sample_inline(struct li_thread *t) {
  if (t->countdown > 0) {
    t->countdown--;
    return 0;
  }
  if (t->ext->draw_rate == 1) {
    t->countdown = 0;
    return 1;
  }
  return li_thread_sample(t);
}

/* Fills entry h's lock and site (id | LI_HELD_* flags), flipping the
 * address's top bit when a flag is set (see LI_HELD_TAG). */
static inline void li_held_set(struct li_held *h, const void *lock,
                               unsigned int site) {
  __UINTPTR_TYPE__ a = (__UINTPTR_TYPE__)lock;
  h->lock = (void *)(site & LI_HELD_FLAGS ? a ^ LI_HELD_TAG : a);
  h->site = site;
}
/* Clears flags `fl` of entry h (its address stays the same lock). */
static inline void li_held_clear(struct li_held *h, unsigned int fl) {
  li_held_set(h, li_held_lock(h), h->site & ~fl);
}

/* The held-lock stack. push grows it (up to LI_HELD_MAX entries; at the
 * bound it clears dead entries, then drops the oldest one, counting
 * LI_DROP(held_overflow)) and stores an entry (site: id | LI_HELD_*
 * flags; LI_HELD_SAMPLED is set when weight is non-zero); returns 0, or -1
 * when the stack cannot grow (LI_DROP(held_overflow)). find returns the
 * topmost entry for lock, or NULL; remove takes an entry out, keeping the
 * order of the others. All cost at most LI_HELD_MAX steps. */
int li_held_push(struct li_thread *t, void *lock, unsigned int site,
                 unsigned int weight, unsigned long long t0,
                 unsigned long long pend);
struct li_held *li_held_find(const struct li_thread *t, const void *lock);
void li_held_remove(struct li_thread *t, struct li_held *h);

/* Leaves a mark for `lock`, released by a thread whose record does not
 * hold it: every other thread's entry for it becomes dead at its next
 * check (held.c). Lock-free; any thread. */
void li_held_mark(const void *lock);
/* Marks finished so far (held.c; read with an acquire load). */
extern unsigned long long li_held_done;
/* Checks the calling thread's entries against the marks and clears dead
 * ones (held.c). */
void li_held_recheck(struct li_thread *t);
/* li_held_recheck when it has work: a mark since the thread's last check,
 * or dead entries left from it. A nested acquisition calls it before its
 * entries become lock-order edges. */
static inline void li_held_check(struct li_thread *t) {
  const struct li_thread_ext *ext = t->ext;
  if (__atomic_load_n(&li_held_done, __ATOMIC_ACQUIRE) != ext->held_gen)
    li_held_recheck(t);
}

/* Buffers the event deferred to held entry *h, if it carries one
 * (LI_HELD_PENDING), and clears the flag. Returns what li_event_add
 * returned (0 if nothing was deferred). */
int li_held_deliver(struct li_thread *t, struct li_held *h);

/* Buffers every event deferred to the thread's held entries. */
void li_held_deliver_all(struct li_thread *t);

/* Buffers an event (`key`: site id | LI_EV_* bits). Never flushes,
 * except when the buffer is full: then, as a last resort, it flushes
 * first (taking li_lock), even if the caller is inside a critical
 * section. `now` (ticks, 0 = unknown: read the clock) dates the event for
 * the flush timer. Returns 1 when the buffer is due for a flush at the
 * next safe point (LI_EVENT_HIGH events, or the oldest older than
 * li_clock_flush_ticks() as of `now`), else 0. */
int li_event_add(struct li_thread *t, unsigned int key,
                 unsigned long long value, unsigned int weight,
                 unsigned long long now);

/* li_event_add with the common case inline: the buffer neither empty
 * (the first event arms the flush timer) nor full. */
static inline int li_event_put(struct li_thread *t, unsigned int key,
                               unsigned long long value, unsigned int weight,
                               unsigned long long now) {
  struct li_thread_ext *ext = t->ext;
  unsigned int n = ext->nevents;
  struct li_event *e;
  if (__builtin_expect(n - 1u >= LI_EVENT_BUF - 1u, 0)) /* 0 or full */
    return li_event_add(t, key, value, weight, now);
  e = &ext->events[n];
  e->key = key;
  e->weight = weight;
  e->value = value;
  __atomic_store_n(&ext->nevents, ++n, __ATOMIC_RELEASE); /* for dumps */
  return n >= LI_EVENT_HIGH || now > ext->due_tick;
}

/* The timed event (`key`: site id | LI_EV_WAIT or LI_EV_COND | LI_EV_NS)
 * of an acquisition that just succeeded, from inside the caller's
 * critical section: buffered at once while the buffer is below
 * LI_EVENT_HIGH (a few stores, no lock, no flush), where any dump sees
 * it, and 0 returned. Otherwise the event is not buffered, and the
 * LI_HELD_PENDING flags to defer it to the lock's held entry are returned:
 * its release buffers it after the unlock, so that a flush then happens at
 * a safe point. `now`: the clock (ticks) when the lock was taken, 0 if
 * unknown. */
static inline unsigned int li_event_inside(struct li_thread *t,
                                           unsigned int key,
                                           unsigned long long value,
                                           unsigned long long now) {
  if (t->ext->nevents < LI_EVENT_HIGH) {
    li_event_put(t, key, value, 0, now);
    return 0;
  }
  return LI_HELD_PENDING | (key & (LI_HELD_PEND_COND | LI_HELD_PEND_NS));
}

/* Counts a held entry that now carries a deferred event (d = 1) or no
 * longer does (d = -1), for dumps: what they cannot read
 * (li_threads_deferred). */
static inline void li_deferred_add(struct li_thread *t, int d) {
  struct li_thread_ext *ext = t->ext;
  __atomic_store_n(&ext->deferred, ext->deferred + (unsigned int)d,
                   __ATOMIC_RELAXED);
}

/* Moves the thread's buffered events into the global aggregate (takes
 * li_lock). */
void li_thread_flush(struct li_thread *t);

/* A safe point: the caller holds no lock. Flushes when LI_EVENT_HIGH
 * events are buffered or the oldest is older than li_clock_flush_ticks()
 * as of `now` (ticks; 0 = check the count only). Does nothing while the
 * thread's held stack is not empty. Inline: it runs on every release slow
 * path and usually finds nothing to do. */
static inline void li_thread_flush_due(struct li_thread *t,
                                       unsigned long long now) {
  const struct li_thread_ext *ext = t->ext;
  if (t->top == t->held && ext->nevents &&
      (ext->nevents >= LI_EVENT_HIGH || now > ext->due_tick))
    li_thread_flush(t);
}

/* Where a dump adds a site's timed events: its snapshot's records. */
struct li_ev_sink {
  struct li_hist *wait, *cond;
  struct li_hold *hold;
};
/* Fills *out with the records of site id; returns 0, or -1 when the dump
 * has no record for it. */
typedef int li_ev_sink_fn(void *arg, unsigned int id, struct li_ev_sink *out);

/* Adds the events every live thread has buffered and not yet flushed
 * (those buffered before the last reset excepted) to the records `sink`
 * gives, converting ticks with the clock (calibrated only if there is an
 * event in ticks); the global aggregate is left alone, so a later flush
 * counts them once. Returns the number of events not added: deferred to
 * held entries (li_deferred_add), or of a site `sink` has no record for.
 * li_lock held. */
unsigned long long li_threads_add_events(li_ev_sink_fn *sink, void *arg);

/* The bytes the calling thread's runtime state occupies: its cold state,
 * its held-lock stack, and the resident pages of its counter arrays (not
 * its lock-order edges). 0 before its first slow path. For tests and
 * benchmarks: a system call per array. */
size_t li_thread_footprint(void);

/* Adds every live thread's counters into sums[0 .. nsites-1] (site id - 1);
 * li_lock held. */
void li_threads_add_counts(struct li_counts *sums, unsigned int nsites);

/* Appends every live thread's unreported lock-order edges to l; li_lock
 * held. */
void li_threads_add_edges(struct li_edge_list *l);
/* At reset: every live thread's edges so far count as reported; li_lock
 * held. */
void li_threads_forget_edges(void);

/* Threads that registered since start (or reset); li_lock held. */
unsigned long long li_threads_seen(void);
/* After a reset: only live threads count; li_lock held. */
void li_threads_reset_seen(void);

/* In a fork child, with li_lock re-initialised: forgets every other thread
 * and zeroes the calling thread's counters and events. */
void li_threads_fork_child(void);

#endif
