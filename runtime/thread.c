/*
 * thread.c — per-thread state and the live-thread registry.
 */
#include "thread.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "control.h"
#include "lifecycle.h"
#include "reserve.h"
#include "sample.h"
#include "site.h"

/* Aligned to a cache line, so the fast path's fields share one (lockinstr.h).
 */
__thread struct li_thread li_tls
    __attribute__((tls_model("initial-exec"), aligned(LOCKINSTR_CACHE_LINE_)));

/* The lock of held[-1]: matches no real lock. */
#define LI_SENTINEL ((void *)~(uintptr_t)0)

static pthread_key_t exit_key;
static struct li_thread_ext *live; /* list head; li_lock */
static unsigned long long seen;    /* threads registered; li_lock */

static void thread_exit(void *arg);

/* Zeroed memory for n objects of `size` bytes in whole cache lines of its
 * own: what a thread writes on its fast and sampled paths (held stack,
 * event buffer; the counters are page-aligned reservations) must not share a
 * line with heap data of other threads -- a program's objects, or another
 * thread's counters once threads share a malloc arena -- or each side's writes
 * would evict the other's line (docs/performance.md, "Sharing a cache line").
 * NULL out of memory or on overflow. */
static void *line_calloc(size_t n, size_t size) {
  size_t bytes;
  void *p;
  if (n && size > ((size_t)-1 - LOCKINSTR_CACHE_LINE_) / n)
    return NULL;
  bytes = (n * size + LOCKINSTR_CACHE_LINE_ - 1) / LOCKINSTR_CACHE_LINE_ *
          LOCKINSTR_CACHE_LINE_;
  p = aligned_alloc(LOCKINSTR_CACHE_LINE_,
                    bytes ? bytes : LOCKINSTR_CACHE_LINE_);
  if (p)
    memset(p, 0, bytes);
  return p;
}

void li_threads_init(void) {
  pthread_key_create(&exit_key, thread_exit);
}

/* Draws the next countdown at the thread's rate, capped. */
static void redraw(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  int d = li_sample_draw_log(&ext->rng, ext->draw_rate, ext->draw_log);
  ext->skip = d > LI_COUNTDOWN_MAX;
  t->countdown = (ext->skip ? LI_COUNTDOWN_MAX : d) - 1;
}

/* (Re)allocates the held stack with room for cap entries plus the
 * sentinel, keeping its contents. Returns 0, or -1 out of memory. */
static int held_alloc(struct li_thread *t, unsigned int cap) {
  struct li_thread_ext *ext = t->ext;
  size_t depth = ext->held_base ? (size_t)(t->top - t->held) : 0;
  struct li_held *b = line_calloc(cap + 1, sizeof *b);
  if (!b)
    return -1;
  if (ext->held_base)
    memcpy(b + 1, t->held, depth * sizeof *b);
  free(ext->held_base);
  b[0].lock = LI_SENTINEL;
  b[0].site = 0;
  ext->held_base = b;
  t->held = b + 1;
  t->top = t->held + depth;
  t->end = t->held + cap;
  return 0;
}

/* Allocates and links the calling thread's cold state. */
static struct li_thread_ext *register_thread(struct li_thread *t) {
  struct li_thread_ext *ext = line_calloc(1, sizeof *ext);
  if (!ext)
    return NULL;
  t->ext = ext;
  if (held_alloc(t, LI_HELD_INITIAL) != 0) {
    free(ext);
    t->ext = NULL;
    return NULL;
  }
  ext->rng = li_rng_seed((unsigned long long)(uintptr_t)t);
  ext->tid = (long)syscall(SYS_gettid);
  ext->draw_rate = li_sample_rate();
  ext->draw_log = li_sample_log(ext->draw_rate);
  ext->reset_gen = li_reset_gen();
  redraw(t);
  t->seen = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);
  li_lock();
  ext->next = live;
  if (live)
    live->prev = ext;
  live = ext;
  seen++;
  li_unlock();
  pthread_setspecific(exit_key, ext);
  return ext;
}

struct li_thread *li_thread_get(void) {
  struct li_thread *t = &li_tls;
  if (__builtin_expect(t->ext != NULL, 1))
    return t;
  li_init();
  return register_thread(t) ? t : NULL;
}

void li_thread_sync(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  unsigned long c = __atomic_load_n(&li_shared.control, __ATOMIC_RELAXED);
  unsigned int rate;
  unsigned long gen;
  if (c == t->seen)
    return;
  rate = li_sample_rate();
  if (rate != ext->draw_rate) {
    ext->draw_rate = rate;
    ext->draw_log = li_sample_log(rate);
    redraw(t);
  }
  gen = li_reset_gen();
  if (gen != ext->reset_gen) {
    struct li_held *h;
    li_lock(); /* a dump may be reading the buffer */
    __atomic_store_n(&ext->nevents, 0, __ATOMIC_RELEASE); /* before reset */
    for (h = t->held; h < t->top; h++)
      li_held_clear(h, LI_HELD_PENDING | LI_HELD_PEND_COND | LI_HELD_PEND_NS);
    __atomic_store_n(&ext->deferred, 0, __ATOMIC_RELAXED);
    ext->reset_gen = li_reset_gen();
    li_unlock();
  }
  t->seen = c;
}

/* The per-thread arrays are handled by name below (grow_counts, free_ext,
 * li_threads_fork_child): acq and rel, the HOT counters, and cold, which
 * holds the COLD ones whatever they are. A new HOT counter needs its array
 * in each of those places. */
#define LI_HOT_ONE_HOT_ 1
#define LI_HOT_ONE_COLD_ 0
#define LI_X_(name, field, where, merge, doc) +LI_HOT_ONE_##where##_
enum { LI_NHOT = 0 LOCKINSTR_SITE_COUNTERS(LI_X_) };
#undef LI_X_
_Static_assert(LI_NHOT == 2, "thread.c handles two HOT counter arrays, acq and "
                             "rel: add the new one to grow_counts, free_ext "
                             "and li_threads_fork_child");

#ifndef LI_COUNTS_MIN
#define LI_COUNTS_MIN 1024 /* ids a thread's first arrays cover at least */
#endif

/* The number of ids (ncounts) that arrays made room for `id` now should
 * cover: a power of two minus one (the arrays have ncounts + 1 entries,
 * [0] unused), at least every registered site, so that a thread seldom
 * grows them again. Virtual memory only (reserve.h). li_lock held. */
static unsigned int counts_cap(unsigned int id, unsigned int old) {
  unsigned int want = id, n = LI_COUNTS_MIN;
  if (want < li_site_count())
    want = li_site_count();
  if (want <= old)
    want = old + 1;
  while (n - 1 < want)
    n *= 2;
  return n - 1;
}

/* Counter array p of `size`-byte entries, covering ids up to `old` (0: no
 * array yet), made to cover ids up to n (0: freed). Returns the array, or
 * NULL with p unchanged. */
static void *resize_one(void *p, size_t size, unsigned int old,
                        unsigned int n) {
  size_t from = ((size_t)old + 1) * size, to = ((size_t)n + 1) * size;
  if (!n) {
    li_reserve_free(p, from);
    return NULL;
  }
  return old ? li_reserve_resize(p, from, to) : li_reserve(to);
}

/* Grows the counter arrays to cover `id`. They are reservations
 * (reserve.h): a thread's resident memory grows by a page per page of ids
 * it counts in, not with the number of sites the process registered, and
 * growing copies nothing. The arrays may move, so the swap happens under
 * the runtime lock, which dumps read them under. Returns 0, or -1 out of
 * memory (the arrays as they were). */
static int grow_counts(struct li_thread *t, unsigned int id) {
  static const size_t size[] = {sizeof *li_tls.acq, sizeof *li_tls.rel,
                                sizeof *li_tls.cold};
  void *p[] = {t->acq, t->rel, t->cold};
  unsigned int old = t->ncounts, n, i;
  li_lock();
  n = counts_cap(id, old);
  for (i = 0; i < 3; i++) {
    void *q = resize_one(p[i], size[i], old, n);
    if (!q)
      break;
    p[i] = q;
  }
  if (i < 3) /* out of memory: back to the old size (shrinking never moves) */
    while (i-- > 0)
      p[i] = resize_one(p[i], size[i], n, old);
  else
    t->ncounts = t->ext->ncounts = n;
  t->acq = t->ext->acq = p[0];
  t->rel = t->ext->rel = p[1];
  t->cold = t->ext->cold = p[2];
  li_unlock();
  return t->ncounts == n ? 0 : -1;
}

/* Where counter `which` of site id is, in a thread's arrays (o: its
 * li_thread or li_thread_ext, which both point at them). */
#define LI_SLOT_HOT_(o, id, field) (&(o)->field[id])
#define LI_SLOT_COLD_(o, id, field) (&(o)->cold[id].field)

/* The counter `which` of c. */
static unsigned long long *counts_field(struct li_counts *c,
                                        enum li_counter which) {
  static const size_t off[LI_C_COUNT] = {
#define LI_X_(name, field, where, merge, doc) offsetof(struct li_counts, field),
      LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  };
  assert(which < LI_C_COUNT);
  return (unsigned long long *)((char *)c + off[which]);
}

/* The counter `which` of site id in thread t's arrays (id <= t->ncounts). */
static unsigned long long *thread_field(struct li_thread *t, unsigned int id,
                                        enum li_counter which) {
  switch (which) {
#define LI_X_(name, field, where, merge, doc)                                  \
  case LI_C_##field:                                                           \
    return LI_SLOT_##where##_(t, id, field);
    LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  case LI_C_COUNT:
    break;
  }
  assert(!"no such counter");
  return NULL;
}

/* The global fallback when the thread's arrays cannot grow. */
static void count_global(unsigned int id, enum li_counter which) {
  li_lock();
  (*counts_field(&li_site_agg(id)->folded, which))++;
  li_unlock();
}

void li_thread_count(struct li_thread *t, unsigned int id,
                     enum li_counter which) {
  assert(id >= 1 && !(id & 0x80000000u));
  if (id - 1u >= t->ncounts && grow_counts(t, id) != 0) {
    count_global(id, which);
    return;
  }
  li_count_inc_(thread_field(t, id, which));
}

unsigned int li_thread_sample(struct li_thread *t) {
  unsigned int w;
  if (t->countdown > 0) {
    t->countdown--;
    return 0;
  }
  /* This acquisition is the sampled one: the countdown is 0, or -1 when
   * the fast path already decremented it. */
  w = t->ext->skip ? 0 : t->ext->draw_rate;
  redraw(t);
  return w;
}

/* Makes room for one more entry on a full stack: grows it below the
 * bound; at the bound clears dead entries, else drops the oldest entry
 * (its deferred wait buffered, its hold forgotten). Returns 0, or -1 out
 * of memory. */
static int held_room(struct li_thread *t) {
  unsigned int cap = (unsigned int)(t->end - t->held);
  if (cap < LI_HELD_MAX)
    return held_alloc(t, cap ? 2 * cap : LI_HELD_INITIAL);
  li_held_check(t);
  if (t->top == t->end) {
    LI_DROP(held_overflow);
    li_held_deliver(t, t->held);
    li_held_remove(t, t->held);
  }
  return 0;
}

int li_held_push(struct li_thread *t, void *lock, unsigned int site,
                 unsigned int weight, unsigned long long t0,
                 unsigned long long pend) {
  struct li_held *h;
  if (t->top == t->held)
    li_held_check(t); /* nothing held: catch up with the marks for free */
  if (t->top == t->end && held_room(t) != 0) {
    LI_DROP(held_overflow);
    return -1;
  }
  h = t->top++;
  if (site & LI_HELD_PENDING)
    li_deferred_add(t, 1);
  li_held_set(h, lock, site | (weight ? LI_HELD_SAMPLED : 0u));
  h->weight = weight;
  h->t0 = t0;
  h->pend = pend;
  return 0;
}

struct li_held *li_held_find(const struct li_thread *t, const void *lock) {
  struct li_held *h;
  for (h = t->top; h > t->held; h--)
    if (li_held_lock(&h[-1]) == lock)
      return h - 1;
  return NULL;
}

void li_held_remove(struct li_thread *t, struct li_held *h) {
  assert(h >= t->held && h < t->top);
  if (h != t->top - 1) /* out of order: close the gap */
    memmove(h, h + 1, (size_t)(t->top - h - 1) * sizeof *h);
  t->top--;
}

int li_held_deliver(struct li_thread *t, struct li_held *h) {
  unsigned int s = h->site;
  if (!(s & LI_HELD_PENDING))
    return 0;
  li_held_clear(h, LI_HELD_PENDING | LI_HELD_PEND_COND | LI_HELD_PEND_NS);
  li_deferred_add(t, -1);
  if (!(s & LI_HELD_SITE))
    return 0;
  return li_event_put(t, s & (LI_HELD_SITE | LI_EV_COND | LI_EV_NS), h->pend, 0,
                      h->t0);
}

void li_held_deliver_all(struct li_thread *t) {
  struct li_held *h;
  for (h = t->held; h && h < t->top; h++)
    li_held_deliver(t, h);
}

int li_event_add(struct li_thread *t, unsigned int key,
                 unsigned long long value, unsigned int weight,
                 unsigned long long now) {
  struct li_thread_ext *ext = t->ext;
  struct li_event *e;
  assert((key & LI_HELD_SITE) >= 1);
  if (ext->nevents == LI_EVENT_BUF) {
    int err = errno;
    li_thread_flush(t); /* the last resort: no safe point came in time */
    errno = err;
  }
  if (ext->nevents == 0)
    ext->due_tick = (now ? now : li_now()) + li_clock_flush_ticks();
  e = &ext->events[ext->nevents];
  e->key = key;
  e->weight = weight;
  e->value = value;
  __atomic_store_n(&ext->nevents, ext->nevents + 1, __ATOMIC_RELEASE);
  return ext->nevents >= LI_EVENT_HIGH || now > ext->due_tick;
}

/* Adds one event (not a hold in ticks) to the records r. */
static void apply_other(const struct li_ev_sink *r, const struct li_event *e,
                        struct li_tick_conv c) {
  unsigned long long ns =
      e->key & LI_EV_NS ? e->value : li_ticks_conv(e->value, c);
  switch (e->key & LI_EV_TYPE) {
  case LI_EV_HOLD:
    li_hold_add(r->hold, ns, e->weight);
    break;
  case LI_EV_WAIT:
    li_hist_add(r->wait, ns);
    break;
  default:
    li_hist_add(r->cond, ns);
    break;
  }
}

/* The global aggregate's records of site id: the sink of a flush. */
static int agg_sink(void *arg, unsigned int id, struct li_ev_sink *out) {
  struct li_site_agg *a = li_site_agg(id);
  (void)arg;
  out->wait = &a->wait;
  out->cond = &a->cond;
  out->hold = &a->hold;
  return 0;
}

/* Adds events ev[0 .. n-1] to the records `sink` gives for their sites,
 * converting ticks to ns with c; li_lock held. Returns the number of
 * events whose site has no record there. A run of holds in ticks of one
 * site (the usual content of a buffer) goes through a tight loop that
 * compares whole keys only; a site's records are looked up once per run
 * (records never move). */
static unsigned int apply_events(const struct li_event *ev, unsigned int n,
                                 struct li_tick_conv c, li_ev_sink_fn *sink,
                                 void *arg) {
  const struct li_event *e = ev, *end = ev + n;
  struct li_ev_sink r = {NULL, NULL, NULL};
  unsigned int key, last = 0, lost = 0;
  int ok = 0;
  while (e < end) {
    key = e->key;
    if (!r.hold || ((key ^ last) & LI_HELD_SITE))
      ok = sink(arg, key & LI_HELD_SITE, &r) == 0;
    last = key;
    if (!ok) {
      lost++, e++;
      continue;
    }
    if ((key & ~LI_HELD_SITE) != LI_EV_HOLD) {
      apply_other(&r, e++, c);
      continue;
    }
    do {
      li_hold_add(r.hold, li_ticks_conv(e->value, c), e->weight);
    } while (++e < end && e->key == key);
  }
  return lost;
}

void li_thread_flush(struct li_thread *t) {
  struct li_thread_ext *ext = t->ext;
  if (!ext || ext->nevents == 0)
    return;
  li_lock();
  if (ext->reset_gen == li_reset_gen())
    apply_events(ext->events, ext->nevents, li_clock_conv(), agg_sink, NULL);
  __atomic_store_n(&ext->nevents, 0, __ATOMIC_RELEASE); /* under li_lock */
  li_unlock();
}

/* Whether any live thread has buffered an event in ticks that a dump
 * would add (the clock needs calibrating then); li_lock held. */
static int any_ticks(void) {
  const struct li_thread_ext *e;
  unsigned int i, n;
  for (e = live; e; e = e->next) {
    n = __atomic_load_n(&e->nevents, __ATOMIC_ACQUIRE);
    for (i = 0; e->reset_gen == li_reset_gen() && i < n; i++)
      if (!(e->events[i].key & LI_EV_NS))
        return 1;
  }
  return 0;
}

unsigned long long li_threads_add_events(li_ev_sink_fn *sink, void *arg) {
  const struct li_thread_ext *e;
  struct li_tick_conv c = {1.0, 1ull << 52};
  unsigned long long lost = 0;
  unsigned int n;
  if (any_ticks())
    c = li_clock_conv();
  for (e = live; e; e = e->next) {
    n = __atomic_load_n(&e->nevents, __ATOMIC_ACQUIRE);
    if (e->reset_gen != li_reset_gen())
      continue; /* all from before the reset */
    lost += apply_events(e->events, n, c, sink, arg);
    lost += __atomic_load_n(&e->deferred, __ATOMIC_RELAXED);
  }
  return lost;
}

/* Reads one thread's counters of site id into *c (relaxed loads). */
static void read_counts(const struct li_thread_ext *e, unsigned int id,
                        struct li_counts *c) {
#define LI_X_(name, field, where, merge, doc)                                  \
  c->field =                                                                   \
      __atomic_load_n(LI_SLOT_##where##_(e, id, field), __ATOMIC_RELAXED);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
}

/* Which ids of a thread may have counts: the residency of the pages of its
 * three arrays (reserve.h), so that a dump or the thread's exit reads the
 * pages it counted in, not every id the arrays cover (faulting in zero
 * pages, and holding li_lock, for each). A NULL vector: read every id. */
struct li_touched {
  unsigned char *v[3]; /* acq, rel, cold */
  unsigned int per[3]; /* ids per page of each */
  unsigned int block;  /* the smallest of per[] */
};

static void touched_get(struct li_touched *m, const struct li_thread_ext *e) {
  const size_t n = (size_t)e->ncounts + 1, page = li_reserve_page_size();
  const size_t size[3] = {sizeof *e->acq, sizeof *e->rel, sizeof *e->cold};
  const void *a[3] = {e->acq, e->rel, e->cold};
  unsigned int i;
  m->block = 0;
  for (i = 0; i < 3; i++) {
    m->v[i] = li_reserve_pages(a[i], n * size[i]);
    m->per[i] = (unsigned int)(page / size[i]);
    if (!m->block || m->per[i] < m->block)
      m->block = m->per[i];
  }
}

static void touched_free(struct li_touched *m) {
  free(m->v[0]);
  free(m->v[1]);
  free(m->v[2]);
}

/* The first id from `id` on (up to n) that may have counts, or n + 1. The
 * ids of a block (m->block of them, a power of two dividing per[]) share
 * one page of each array. */
static unsigned int next_counted(const struct li_touched *m, unsigned int id,
                                 unsigned int n) {
  unsigned int i;
  for (; id <= n; id = (id / m->block + 1) * m->block)
    for (i = 0; i < 3; i++)
      if (!m->v[i] || (m->v[i][id / m->per[i]] & 1))
        return id;
  return n + 1;
}

/* Adds the counters thread e has of sites 1 .. min(n, its arrays) to
 * dst[id - 1] (dst) or to the sites' folded records (NULL); li_lock held. */
static void add_thread_counts(const struct li_thread_ext *e, unsigned int n,
                              struct li_counts *dst) {
  struct li_touched m;
  struct li_counts c;
  unsigned int id;
  if (n > e->ncounts)
    n = e->ncounts;
  if (!n)
    return;
  touched_get(&m, e);
  for (id = next_counted(&m, 1, n); id <= n; id = next_counted(&m, id + 1, n)) {
    read_counts(e, id, &c);
    li_counts_add(dst ? &dst[id - 1] : &li_site_agg(id)->folded, &c);
  }
  touched_free(&m);
}

void li_threads_add_counts(struct li_counts *sums, unsigned int nsites) {
  struct li_thread_ext *e;
  for (e = live; e; e = e->next)
    add_thread_counts(e, nsites, sums);
}

size_t li_thread_footprint(void) {
  const struct li_thread *t = &li_tls;
  size_t n = (size_t)t->ncounts + 1, bytes;
  if (!t->ext)
    return 0;
  bytes = sizeof *t->ext + (size_t)(t->end - t->held + 1) * sizeof *t->held;
  if (t->ncounts)
    bytes += li_reserve_resident(t->acq, n * sizeof *t->acq) +
             li_reserve_resident(t->rel, n * sizeof *t->rel) +
             li_reserve_resident(t->cold, n * sizeof *t->cold);
  return bytes;
}

void li_threads_add_edges(struct li_edge_list *l) {
  const struct li_thread_ext *e;
  for (e = live; e; e = e->next)
    li_order_collect_thread(l, &e->order, e->tid);
}

void li_threads_forget_edges(void) {
  struct li_thread_ext *e;
  for (e = live; e; e = e->next)
    li_order_forget(&e->order);
}

unsigned long long li_threads_seen(void) {
  return seen;
}

void li_threads_reset_seen(void) {
  struct li_thread_ext *e;
  seen = 0;
  for (e = live; e; e = e->next)
    seen++;
}

/* Unlinks ext from the live list; li_lock held. */
static void unlink_ext(struct li_thread_ext *ext) {
  if (ext->prev)
    ext->prev->next = ext->next;
  else
    live = ext->next;
  if (ext->next)
    ext->next->prev = ext->prev;
  ext->next = ext->prev = NULL;
}

/* Frees what ext owns (counters, held stack) and ext itself. */
static void free_ext(struct li_thread_ext *ext) {
  resize_one(ext->acq, sizeof *ext->acq, ext->ncounts, 0);
  resize_one(ext->rel, sizeof *ext->rel, ext->ncounts, 0);
  resize_one(ext->cold, sizeof *ext->cold, ext->ncounts, 0);
  free(ext->held_base);
  li_order_free(&ext->order);
  free(ext);
}

/* The key destructor: runs on the exiting thread. Flushes its events,
 * folds its counters into the aggregate, and frees its state. A lock taken
 * by a later destructor registers the thread again. */
static void thread_exit(void *arg) {
  struct li_thread *t = &li_tls;
  struct li_thread_ext *ext = arg;
  assert(t->ext == ext);
  li_held_deliver_all(t); /* waits of locks it exits holding */
  li_thread_flush(t);
  li_lock();
  add_thread_counts(ext, li_site_count(), NULL);
  li_order_fold(&ext->order, ext->tid);
  unlink_ext(ext);
  li_unlock();
  free_ext(ext);
  memset(t, 0, sizeof *t);
}

void li_threads_fork_child(void) {
  struct li_thread_ext *e, *next, *self = li_tls.ext;
  struct li_held *h;
  for (e = live; e; e = next) {
    next = e->next;
    if (e == self)
      continue;
    unlink_ext(e);
    free_ext(e); /* threads that do not exist in the child */
  }
  seen = 0;
  if (!self)
    return;
  seen = 1;
  if (li_tls.ncounts) { /* zeroes without touching every page */
    li_reserve_zero(li_tls.acq, (li_tls.ncounts + 1) * sizeof *li_tls.acq);
    li_reserve_zero(li_tls.rel, (li_tls.ncounts + 1) * sizeof *li_tls.rel);
    li_reserve_zero(li_tls.cold, (li_tls.ncounts + 1) * sizeof *li_tls.cold);
  }
  self->nevents = 0;
  self->deferred = 0;
  self->rng = li_rng_seed(self->rng);
  self->tid = (long)syscall(SYS_gettid);
  li_order_clear(&self->order); /* the parent's edges */
  for (h = li_tls.held; h < li_tls.top; h++)
    li_held_clear(h, LI_HELD_FLAGS); /* the parent's holds and waits */
}
