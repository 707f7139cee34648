/*
 * order.c — per-thread edge tables and the global edge aggregate.
 *
 * Both are open-addressing hash tables with linear probing, keyed by
 * (from << 32 | to, from instance << 32 | to instance), kept at most half
 * full, never shrinking until cleared.
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

#include "lockid.h"
#include "site.h"
#include "thread.h"

/* li_edge_ent.mode of a site-level entry, decided when it is made. */
#define LI_EDGE_DECIDED 0x1u   /* the mode is set */
#define LI_EDGE_INST 0x2u      /* key the pair's edges by instance */
#define LI_EDGE_NAME_FROM 0x4u /* the from site's class names its lock */
#define LI_EDGE_NAME_TO 0x8u   /* the to site's class names its lock */

/* One slot of the global table. */
struct li_gedge {
  unsigned long long key;   /* from << 32 | to; 0 = empty */
  unsigned long long inst;  /* from instance << 32 | to instance */
  unsigned long long count; /* folded from exited threads */
  long thread;              /* the first thread folded in */
};

static struct li_gedge *gtab; /* gmask + 1 slots, or NULL; li_lock */
static unsigned int gmask, gn;

static unsigned long long edge_key(unsigned int from, unsigned int to) {
  return (unsigned long long)from << 32 | to;
}

/* The first slot to probe for (key, inst) in a table of mask + 1 slots. */
static unsigned int slot0(unsigned long long key, unsigned long long inst,
                          unsigned int mask) {
  return (unsigned int)(((key ^ inst * 0xff51afd7ed558ccdull) *
                         0x9e3779b97f4a7c15ull) >>
                        32) &
         mask;
}

/* The slot of (key, inst) in the thread table, or the empty slot where it
 * goes. */
static struct li_edge_ent *probe(const struct li_order *o,
                                 unsigned long long key,
                                 unsigned long long inst) {
  unsigned int i = slot0(key, inst, o->mask);
  while ((o->tab[i].key != key || o->tab[i].inst != inst) && o->tab[i].key != 0)
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
  struct li_order next = {tab, slots - 1, o->n, o->serial, NULL};
  errno = err;
  if (!tab)
    return -1;
  li_lock();
  for (i = 0; old && i <= o->mask; i++)
    if (old[i].key)
      *probe(&next, old[i].key, old[i].inst) = old[i];
  __atomic_store_n(&o->tab, tab, __ATOMIC_RELEASE);
  o->mask = next.mask;
  o->last = NULL;
  li_unlock();
  free(old);
  return 0;
}

/* Whether a site pair is keyed by instance, and which of its sites name
 * their locks (see order.h). Takes li_lock: once per pair and thread. */
static unsigned int decide(unsigned int from, unsigned int to) {
  int wf, wt;
  li_lock();
  wf = li_class_weak(li_site_agg(from)->desc.lock_class);
  wt = li_class_weak(li_site_agg(to)->desc.lock_class);
  li_unlock();
  return LI_EDGE_DECIDED | (wf || wt ? LI_EDGE_INST : 0u) |
         (wf ? 0u : LI_EDGE_NAME_FROM) | (wt ? 0u : LI_EDGE_NAME_TO);
}

/* The slot of a new edge (key, inst), inserted; NULL when the table is
 * full (LI_EDGES_MAX) or cannot grow. A site-level entry (inst 0) gets its
 * mode. Out of line: the loop of li_order_note stays small for the common
 * case, an edge the thread has seen. */
__attribute__((noinline)) static struct li_edge_ent *
add(struct li_order *o, unsigned long long key, unsigned long long inst) {
  struct li_edge_ent *e;
  unsigned int mode =
      inst ? 0 : decide((unsigned int)(key >> 32), (unsigned int)key);
  if (o->n >= LI_EDGES_MAX)
    return NULL;
  if ((!o->tab || 2 * (o->n + 1) > o->mask + 1) && grow(o) != 0)
    return NULL;
  e = probe(o, key, inst);
  o->n++;
  e->inst = inst;
  e->mode = mode;
  __atomic_store_n(&e->key, key, __ATOMIC_RELEASE); /* count, folded: 0 */
  return e;
}

/* The entry of (key, inst), made if new; NULL when there is no room. */
static struct li_edge_ent *entry(struct li_order *o, unsigned long long key,
                                 unsigned long long inst) {
  struct li_edge_ent *e = o->tab ? probe(o, key, inst) : NULL;
  return e && e->key != 0 ? e : add(o, key, inst);
}

/* The instance-level entry for held lock h (site from) -> lock (site to)
 * of site-level entry pair (mode LI_EDGE_INST); *to_inst caches the
 * acquired lock's instance over one note (~0u: not looked up yet). Falls
 * back to pair itself when an instance or a slot cannot be had. */
static struct li_edge_ent *
by_instance(struct li_order *o, struct li_edge_ent *pair,
            const struct li_held *h, const void *lock, unsigned int *to_inst) {
  unsigned int from = (unsigned int)(pair->key >> 32),
               to = (unsigned int)pair->key;
  unsigned int fi, m = pair->mode;
  struct li_edge_ent *e = NULL;
  fi = li_lockid_get(li_held_lock(h), from, m & LI_EDGE_NAME_FROM ? from : 0);
  if (*to_inst == ~0u)
    *to_inst = li_lockid_get(lock, to, m & LI_EDGE_NAME_TO ? to : 0);
  if (fi && *to_inst)
    e = entry(o, pair->key, (unsigned long long)fi << 32 | *to_inst);
  if (e)
    return e;
  li_lockid_drop();
  return pair;
}

void li_order_note(struct li_thread *t, struct li_order *o, const void *lock,
                   unsigned int to) {
  const struct li_held *h;
  struct li_edge_ent *e;
  unsigned int from, to_inst = ~0u;
  assert(to >= 1 && !(to & LI_ID_EXCLUDED));
  li_held_check(t); /* no edge from an entry that is no longer true */
  o->serial++;
  for (h = t->held; h < t->top; h++) {
    from = h->site & LI_HELD_SITE;
    if (from == 0 || li_held_lock(h) == lock)
      continue; /* an excluded site; a recursive re-lock */
    e = o->last;
    if (!e || e->key != edge_key(from, to))
      e = o->last = entry(o, edge_key(from, to), 0);
    if (e && (e->mode & LI_EDGE_INST))
      e = by_instance(o, e, h, lock, &to_inst);
    if (!e) {
      LI_DROP(edges);
    } else if (e->stamp != o->serial) {
      e->stamp = o->serial;
      li_count_inc_(&e->count);
    }
  }
}

/* The global slot of (key, inst), or the empty slot where it goes. */
static struct li_gedge *gprobe(struct li_gedge *tab, unsigned int mask,
                               unsigned long long key,
                               unsigned long long inst) {
  unsigned int i = slot0(key, inst, mask);
  while ((tab[i].key != key || tab[i].inst != inst) && tab[i].key != 0)
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
      *gprobe(tab, slots - 1, gtab[i].key, gtab[i].inst) = gtab[i];
  free(gtab);
  gtab = tab;
  gmask = slots - 1;
  return 0;
}

/* Adds n acquisitions of edge (key, inst) by thread tid to the global
 * table; li_lock held. */
static void gadd(unsigned long long key, unsigned long long inst,
                 unsigned long long n, long tid) {
  struct li_gedge *g = gtab ? gprobe(gtab, gmask, key, inst) : NULL;
  if (g && g->key == key) {
    g->count += n;
    return;
  }
  if (gn >= LI_EDGES_MAX ||
      ((!gtab || 2 * (gn + 1) > gmask + 1) && ggrow() != 0)) {
    __atomic_fetch_add(&li_dropped.edges, n, __ATOMIC_RELAXED);
    return;
  }
  g = gprobe(gtab, gmask, key, inst);
  g->key = key;
  g->inst = inst;
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
      gadd(o->tab[i].key, o->tab[i].inst, n, tid);
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
  o->last = NULL;
}

void li_order_free(struct li_order *o) {
  free(o->tab);
  memset(o, 0, sizeof *o);
}

void li_order_global_clear(void) {
  li_lockid_zero();
  free(gtab);
  gtab = NULL;
  gmask = gn = 0;
}

/* The class string of registered site id; li_lock held. */
static const char *class_of(unsigned int id) {
  const char *c = li_site_agg(id)->desc.lock_class;
  return c ? c : "";
}

/* Names the end (*site, *inst) of an edge: its instance's strong name, or
 * the site that first took an unnamed instance (whose number stays). */
static void name_end(unsigned int site, unsigned int inst, unsigned int *name,
                     unsigned int *out_inst) {
  unsigned int strong, first;
  *name = site;
  *out_inst = 0;
  if (!inst)
    return;
  li_lockid_names(inst, &strong, &first);
  *name = strong ? strong : first;
  *out_inst = strong ? 0 : inst;
}

/* Names both ends of v from its raw instances fi, ti (see order.h): the
 * instance numbers stay where the names alone would merge two locks.
 * li_lock held. */
static void name_edge(struct li_snap_edge *v, unsigned int fi,
                      unsigned int ti) {
  name_end(v->from, fi, &v->from_name, &v->from_inst);
  name_end(v->to, ti, &v->to_name, &v->to_inst);
  if ((fi || ti) && strcmp(class_of(v->from_name), class_of(v->to_name)) == 0) {
    v->from_inst = fi;
    v->to_inst = ti;
  }
}

/* Appends one edge to l (l->oom when it cannot), its ends named; li_lock
 * held. */
static void append(struct li_edge_list *l, unsigned long long key,
                   unsigned long long inst, unsigned long long count,
                   long tid) {
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
  name_edge(v, (unsigned int)(inst >> 32), (unsigned int)inst);
  v->count = count;
  v->thread = tid;
}

void li_order_collect_global(struct li_edge_list *l) {
  unsigned int i;
  l->instances_dropped = li_lockid_dropped();
  for (i = 0; gtab && i <= gmask; i++)
    if (gtab[i].key && gtab[i].count)
      append(l, gtab[i].key, gtab[i].inst, gtab[i].count, gtab[i].thread);
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
      append(l, key, tab[i].inst, n, tid);
  }
}

/* Compares the identity of two edges: sites, names, instances. */
static int cmp_ident(const struct li_snap_edge *a,
                     const struct li_snap_edge *b) {
  const unsigned int ka[] = {a->from,    a->to,        a->from_name,
                             a->to_name, a->from_inst, a->to_inst};
  const unsigned int kb[] = {b->from,    b->to,        b->from_name,
                             b->to_name, b->from_inst, b->to_inst};
  size_t i;
  for (i = 0; i < sizeof ka / sizeof *ka; i++)
    if (ka[i] != kb[i])
      return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/* By edge, then the biggest contribution first, then the smaller tid. */
static int cmp_edge(const void *pa, const void *pb) {
  const struct li_snap_edge *a = pa, *b = pb;
  int c = cmp_ident(a, b);
  if (c)
    return c;
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
    if (cmp_ident(&l->v[i], &l->v[o]) == 0)
      l->v[o].count += l->v[i].count;
    else
      l->v[++o] = l->v[i];
  }
  l->n = o + 1;
}
