/*
 * held.c — keeping the held-lock record true (issue #14, part 3).
 *
 * A thread's held-lock stack (thread.h) is written by its owner alone,
 * mostly by the inline fast path, which stores a lock and a site and
 * nothing else. Two things make an entry untrue behind the owner's back:
 * another thread releases the lock (a hand-off: a mutex used as a binary
 * semaphore). The releasing thread cannot touch the owner's stack, so it
 * leaves a *mark* (track.c, on a release that finds no entry) and the
 * owner checks its entries against the marks on its next nested
 * acquisition, before any entry becomes the source of a lock-order edge.
 * (A lock destroyed or re-initialised while another thread's record still
 * holds it was released elsewhere first, which marked it; init and
 * destroy remove the calling thread's own entries, track.c.)
 *
 * Marks: a table of LI_HELD_MARKS words indexed by a hash of the lock
 * address, each the generation of the slot's last mark and a 16-bit tag
 * of its address (from another hash), and two counters, `started` and
 * `li_held_done`. A mark takes the next generation from `started`, stores
 * it with the tag in its address's slot, then bumps `li_held_done`; it
 * needs no lock. A thread remembers the generation its last check applied
 * (held_since): a slot with its lock's tag and a newer generation was
 * marked since. When `li_held_done` equals `started`, every mark up to it
 * is visible, and the thread moves held_since there; otherwise it keeps
 * the old one and checks again next time. Two addresses with one slot and
 * one tag (1 in 2^28) strike each other's entries, which can only cost
 * edges; a mark overwritten by another address's before the holder
 * checked is missed. The inline test (li_held_check) is one compare of
 * li_held_done with held_gen, which a check sets to ~0 while it leaves
 * dead entries or a mark in flight, so that the next one runs.
 *
 * What a check does with an entry whose slot is newer than held_gen:
 *   - a live entry (site id != 0) becomes *dead*: its deferred wait is
 *     buffered, its sampled hold forgotten, its site cleared (a dead entry,
 *     like an excluded site's, is the source of no edge) and its weight set
 *     to LI_HELD_DEAD. It stays on the stack for one more check, so that if
 *     the owner still held the lock after all (the mark came from a release
 *     of someone else's hold of that lock, just before the owner took it),
 *     the owner's own release still finds it. Counted in dropped.stale_held.
 *   - an excluded site's entry is removed (it counts for nothing).
 * And every entry that was already dead at the start of the check is
 * removed: a hand-off's entry is gone by the second nested acquisition
 * after it, so the stack stays as deep as the locks really held.
 *
 * Cost: a nested acquisition pays one relaxed load and two compares while
 * nothing was marked; the check itself is one slot load per held entry.
 * The fast path is untouched.
 */
#include <stdint.h>

#include "site.h"
#include "thread.h"

/* One slot per 2^LI_HELD_MARK_BITS: 32 KiB of zeroed bss, touched as used. */
#define LI_HELD_MARK_BITS 12
#define LI_HELD_MARKS (1u << LI_HELD_MARK_BITS)

#define LI_HELD_TAG_BITS 16

static unsigned long long marks[LI_HELD_MARKS]; /* generation << 16 | tag */
static unsigned long long started;              /* marks begun */
unsigned long long li_held_done;                /* marks finished */

/* The slot of a lock address. */
static unsigned long long *mark_slot(const void *lock) {
  unsigned long long a = (unsigned long long)(uintptr_t)lock;
  return &marks[(a * 0x9e3779b97f4a7c15ull) >> (64 - LI_HELD_MARK_BITS)];
}

/* The tag of a lock address. */
static unsigned long long mark_tag(const void *lock) {
  unsigned long long a = (unsigned long long)(uintptr_t)lock;
  return (a * 0xff51afd7ed558ccdull) >> (64 - LI_HELD_TAG_BITS);
}

/* The generation of lock's last mark, or 0. */
static unsigned long long mark_gen(const void *lock) {
  unsigned long long v = __atomic_load_n(mark_slot(lock), __ATOMIC_RELAXED);
  return (v & ((1u << LI_HELD_TAG_BITS) - 1)) == mark_tag(lock)
             ? v >> LI_HELD_TAG_BITS
             : 0;
}

void li_held_mark(const void *lock) {
  unsigned long long g = __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
  __atomic_store_n(mark_slot(lock), g << LI_HELD_TAG_BITS | mark_tag(lock),
                   __ATOMIC_RELAXED);
  __atomic_add_fetch(&li_held_done, 1, __ATOMIC_RELEASE);
}

/* Turns live entry *h dead (see the top of this file). */
static void kill(struct li_thread *t, struct li_held *h) {
  li_held_deliver(t, h); /* the wait it deferred did happen */
  li_held_set(h, li_held_lock(h), 0);
  h->weight = LI_HELD_DEAD;
  LI_DROP(stale_held);
}

/* 1 when entry h is dead (made so by kill). */
static int dead(const struct li_held *h) {
  return h->site == 0 && h->weight == LI_HELD_DEAD;
}

void li_held_recheck(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  unsigned long long d = __atomic_load_n(&li_held_done, __ATOMIC_ACQUIRE);
  unsigned long long s = __atomic_load_n(&started, __ATOMIC_RELAXED);
  unsigned long long since = ext->held_since, m;
  struct li_held *h, *out = t->held;
  unsigned int ndead = 0;
  for (h = t->held; h < t->top; h++) {
    if (dead(h))
      continue; /* dead since the last check: gone now */
    m = mark_gen(li_held_lock(h));
    if (m > since && !(h->site & LI_HELD_SITE))
      continue; /* an excluded site's entry, struck */
    if (m > since) {
      kill(t, h);
      ndead++;
    }
    *out++ = *h;
  }
  t->top = out;
  if (s == d) /* no mark in flight: all up to d are visible */
    ext->held_since = d;
  ext->held_gen = s == d && !ndead ? d : ~0ull;
}
