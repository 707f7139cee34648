/*
 * order.c — per-thread edge tables and the global edge aggregate.
 *
 * Both are open-addressing hash tables with linear probing, keyed by
 * from << 32 | to, kept at most half full, never shrinking until cleared.
 * Concurrency: a thread's table is written only by its owner (keys are
 * published with a release store after the slot is ready, counts with
 * relaxed stores); a dump reads it under li_lock with acquire/relaxed
 * loads. The table pointer and `folded` change only under li_lock.
 */
#include "order.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

/* One slot of the global table. */
struct li_gedge {
  unsigned long long key;   /* from << 32 | to; 0 = empty */
  unsigned long long count; /* folded from exited threads */
  long thread;              /* the first thread folded in */
};

static struct li_gedge *gtab; /* gmask + 1 slots, or NULL; li_lock */
static unsigned int gmask, gn;

static unsigned long long edge_key(unsigned int from, unsigned int to) {
  return (unsigned long long)from << 32 | to;
}

/* The first slot to probe for key in a table of mask + 1 slots. */
static unsigned int slot0(unsigned long long key, unsigned int mask) {
  return (unsigned int)((key * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* The slot of key in the thread table, or the empty slot where it goes. */
static struct li_edge_ent *probe(const struct li_order *o,
                                 unsigned long long key) {
  unsigned int i = slot0(key, o->mask);
  while (o->tab[i].key != key && o->tab[i].key != 0)
    i = (i + 1) & o->mask;
  return &o->tab[i];
}

/* Doubles the thread table (or makes the first one), under li_lock since
 * dumps read it and resets write `folded`. Returns 0, or -1 out of
 * memory. Leaves errno as it was. */
static int grow(struct li_order *o) {
  unsigned int slots = o->tab ? 2 * (o->mask + 1) : LI_EDGES_INITIAL, i;
  int err = errno;
  struct li_edge_ent *old = o->tab, *tab = calloc(slots, sizeof *tab);
  struct li_order next = {tab, slots - 1, o->n, o->serial};
  errno = err;
  if (!tab)
    return -1;
  li_lock();
  for (i = 0; old && i <= o->mask; i++)
    if (old[i].key)
      *probe(&next, old[i].key) = old[i];
  __atomic_store_n(&o->tab, tab, __ATOMIC_RELEASE);
  o->mask = next.mask;
  li_unlock();
  free(old);
  return 0;
}

/* The slot of a new edge key, inserted; NULL when the table is full
 * (LI_EDGES_MAX) or cannot grow. Out of line: the loop of li_order_note
 * stays small for the common case, an edge the thread has seen. */
__attribute__((noinline)) static struct li_edge_ent *
add(struct li_order *o, unsigned long long key) {
  struct li_edge_ent *e;
  if (o->n >= LI_EDGES_MAX)
    return NULL;
  if ((!o->tab || 2 * (o->n + 1) > o->mask + 1) && grow(o) != 0)
    return NULL;
  e = probe(o, key);
  o->n++;
  __atomic_store_n(&e->key, key, __ATOMIC_RELEASE); /* count, folded: 0 */
  return e;
}

void li_order_note(struct li_thread *t, struct li_order *o, const void *lock,
                   unsigned int to) {
  const struct li_held *h;
  struct li_edge_ent *e;
  unsigned int from;
  assert(to >= 1 && !(to & LI_ID_EXCLUDED));
  o->serial++;
  for (h = t->held; h < t->top; h++) {
    from = h->site & LI_HELD_SITE;
    if (from == 0 || li_held_lock(h) == lock)
      continue; /* an excluded site; a recursive re-lock */
    e = o->tab ? probe(o, edge_key(from, to)) : NULL;
    if (!e || e->key == 0)
      e = add(o, edge_key(from, to));
    if (!e) {
      LI_DROP(edges);
    } else if (e->stamp != o->serial) {
      e->stamp = o->serial;
      li_count_inc_(&e->count);
    }
  }
}

/* The global slot of key, or the empty slot where it goes. */
static struct li_gedge *gprobe(struct li_gedge *tab, unsigned int mask,
                               unsigned long long key) {
  unsigned int i = slot0(key, mask);
  while (tab[i].key != key && tab[i].key != 0)
    i = (i + 1) & mask;
  return &tab[i];
}

/* Doubles the global table; li_lock held. Returns 0, or -1. */
static int ggrow(void) {
  unsigned int slots = gtab ? 2 * (gmask + 1) : LI_EDGES_INITIAL, i;
  struct li_gedge *tab = calloc(slots, sizeof *tab);
  if (!tab)
    return -1;
  for (i = 0; gtab && i <= gmask; i++)
    if (gtab[i].key)
      *gprobe(tab, slots - 1, gtab[i].key) = gtab[i];
  free(gtab);
  gtab = tab;
  gmask = slots - 1;
  return 0;
}

/* Adds n acquisitions of edge key by thread tid to the global table;
 * li_lock held. */
static void gadd(unsigned long long key, unsigned long long n, long tid) {
  struct li_gedge *g = gtab ? gprobe(gtab, gmask, key) : NULL;
  if (g && g->key == key) {
    g->count += n;
    return;
  }
  if (gn >= LI_EDGES_MAX ||
      ((!gtab || 2 * (gn + 1) > gmask + 1) && ggrow() != 0)) {
    __atomic_fetch_add(&li_dropped.edges, n, __ATOMIC_RELAXED);
    return;
  }
  g = gprobe(gtab, gmask, key);
  g->key = key;
  g->count = n;
  g->thread = tid;
  gn++;
}

/* What entry e counted that is not reported yet (relaxed: the owner may be
 * counting). */
static unsigned long long unreported(const struct li_edge_ent *e) {
  unsigned long long c = __atomic_load_n(&e->count, __ATOMIC_RELAXED);
  return c > e->folded ? c - e->folded : 0;
}

void li_order_fold(struct li_order *o, long tid) {
  unsigned int i;
  unsigned long long n;
  for (i = 0; o->tab && i <= o->mask; i++) {
    n = o->tab[i].key ? unreported(&o->tab[i]) : 0;
    if (n)
      gadd(o->tab[i].key, n, tid);
    o->tab[i].folded += n;
  }
}

void li_order_forget(struct li_order *o) {
  const struct li_edge_ent *tab = __atomic_load_n(&o->tab, __ATOMIC_ACQUIRE);
  unsigned int i;
  for (i = 0; tab && i <= o->mask; i++)
    if (__atomic_load_n(&tab[i].key, __ATOMIC_ACQUIRE))
      o->tab[i].folded += unreported(&tab[i]);
}

void li_order_clear(struct li_order *o) {
  if (o->tab)
    memset(o->tab, 0, (o->mask + 1) * sizeof *o->tab);
  o->n = 0;
}

void li_order_free(struct li_order *o) {
  free(o->tab);
  memset(o, 0, sizeof *o);
}

void li_order_global_clear(void) {
  free(gtab);
  gtab = NULL;
  gmask = gn = 0;
}

/* Appends one edge to l (l->oom when it cannot). */
static void append(struct li_edge_list *l, unsigned long long key,
                   unsigned long long count, long tid) {
  struct li_snap_edge *v;
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 64;
    v = realloc(l->v, cap * sizeof *v);
    if (!v) {
      l->oom = 1;
      return;
    }
    l->v = v;
    l->cap = cap;
  }
  v = &l->v[l->n++];
  v->from = (unsigned int)(key >> 32);
  v->to = (unsigned int)key;
  v->count = count;
  v->thread = tid;
}

void li_order_collect_global(struct li_edge_list *l) {
  unsigned int i;
  for (i = 0; gtab && i <= gmask; i++)
    if (gtab[i].key && gtab[i].count)
      append(l, gtab[i].key, gtab[i].count, gtab[i].thread);
}

void li_order_collect_thread(struct li_edge_list *l, const struct li_order *o,
                             long tid) {
  const struct li_edge_ent *tab = __atomic_load_n(&o->tab, __ATOMIC_ACQUIRE);
  unsigned long long key, n;
  unsigned int i;
  for (i = 0; tab && i <= o->mask; i++) {
    key = __atomic_load_n(&tab[i].key, __ATOMIC_ACQUIRE);
    n = key ? unreported(&tab[i]) : 0;
    if (n)
      append(l, key, n, tid);
  }
}

/* By edge, then the biggest contribution first, then the smaller tid. */
static int cmp_edge(const void *pa, const void *pb) {
  const struct li_snap_edge *a = pa, *b = pb;
  if (a->from != b->from)
    return a->from < b->from ? -1 : 1;
  if (a->to != b->to)
    return a->to < b->to ? -1 : 1;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return (a->thread > b->thread) - (a->thread < b->thread);
}

void li_order_merge(struct li_edge_list *l) {
  size_t i, o = 0;
  if (l->n == 0)
    return;
  qsort(l->v, l->n, sizeof *l->v, cmp_edge);
  for (i = 1; i < l->n; i++) {
    if (l->v[i].from == l->v[o].from && l->v[i].to == l->v[o].to)
      l->v[o].count += l->v[i].count;
    else
      l->v[++o] = l->v[i];
  }
  l->n = o + 1;
}
