/*
 * order.h — the lock-order graph (issue #8): edges "a lock taken at site F
 * was held when a blocking acquisition at site T succeeded".
 *
 * Each thread counts its edges in its own small open-addressing hash set
 * keyed by (from_site, to_site): an edge the thread has seen before costs
 * one probe and a counter increment per held lock, with no lock and no
 * shared write. A new edge takes a slot; growing the table (doubling, rare)
 * swaps it under li_lock so that a dump can read every live thread's table.
 * When a thread exits its counts are folded into the global table (under
 * li_lock). A profile's edges = global table + every live thread's counts
 * not yet folded, so counts are exact at the moment of writing, like the
 * per-site counters.
 *
 * Memory is bounded by distinct edges: LI_EDGES_MAX per thread and in the
 * global table; an acquisition whose edge finds no room is counted in
 * dropped.edges.
 *
 * Lock identity (issue #14): an edge is keyed by (from site, to site) and,
 * when either site's class is weak (lockid.h: a parameter, a local, a call
 * result), also by the two lock instances, so that `lock_pair(&a, &b)` and
 * `lock_pair(&b, &a)` are two edges, a -> b and b -> a, and not one
 * `lock_pair:first -> lock_pair:second`. Whether a site pair is keyed by
 * instance is decided once per thread, when the pair's site-level entry is
 * made; that entry then only remembers the decision (and counts what falls
 * back to it when no instance can be had: table full). When a profile is
 * written, each instance end is named by the best name its instance has
 * (li_order_merge): a strong name stands for the lock's class, so that
 * instance edges join the class graph (lockdep-style generalisation), and
 * the instance number is kept only where the name alone would merge two
 * locks (both ends of one name, or no strong name at all).
 */
#ifndef LI_ORDER_H
#define LI_ORDER_H

#include <stddef.h>

#include "lockinstr.h"

#ifndef LI_EDGES_MAX
#define LI_EDGES_MAX 65536u /* distinct edges per thread and globally */
#endif
#ifndef LI_EDGES_INITIAL
#define LI_EDGES_INITIAL 64u /* slots of a thread's table at its first edge */
#endif

/* One slot of a thread's table. */
struct li_edge_ent {
  unsigned long long key;    /* from << 32 | to; 0 = empty (ids are >= 1) */
  unsigned long long inst;   /* from instance << 32 | to instance; 0: the
                                site-level entry of the pair */
  unsigned long long count;  /* acquisitions that took it; owner writes */
  unsigned long long folded; /* part of count reported elsewhere; li_lock */
  unsigned long long stamp;  /* owner's serial of the last acquisition
                                that counted it (one count per acquisition
                                however many held locks share a site) */
  unsigned int mode;         /* site-level entry: LI_EDGE_* decision */
};

/* A thread's edge table (part of struct li_thread_ext). */
struct li_order {
  struct li_edge_ent *tab; /* mask + 1 slots, or NULL; replaced under li_lock */
  unsigned int mask;       /* slots - 1 (a power of two minus one) */
  unsigned int n;          /* slots in use */
  unsigned long long serial; /* acquisitions that noted edges so far */
  struct li_edge_ent *last;  /* the site-level entry li_order_note used
                                last (owner only; NULL when the table
                                moved), tried before the hash probe */
};

/* An edge as a profile carries it. */
struct li_snap_edge {
  unsigned int from, to;           /* site ids */
  unsigned int from_inst, to_inst; /* instances (lockid.h), 0: by class */
  unsigned int from_name, to_name; /* site ids whose classes name the ends */
  unsigned long long count;        /* acquisitions (exact) */
  long thread;                     /* an example thread (Linux tid) */
};

/* A growing list of edges collected for a snapshot. */
struct li_edge_list {
  struct li_snap_edge *v;
  size_t n, cap;
  int oom;                              /* an append failed */
  unsigned long long instances_dropped; /* li_lockid_dropped() */
};

/* Records the edges from every lock the calling thread holds (its held
 * stack, t->held .. t->top) to site `to`, which has just acquired `lock`
 * with a blocking call and is not yet pushed. Entries are first checked
 * against the marks of locks released elsewhere (li_held_check), which
 * may remove some; dead entries, entries of excluded sites and entries for
 * `lock` itself (a recursive re-lock) give no edge; an edge counts once
 * per acquisition, and an edge the thread has seen costs one hash probe
 * per held entry (no scan of the edges). May allocate and take li_lock (only
 * for a new edge that needs a bigger table). Leaves errno as it was. */
void li_order_note(struct li_thread *t, struct li_order *o, const void *lock,
                   unsigned int to);

/* At thread exit, li_lock held: adds the thread's unreported counts to the
 * global table (dropped.edges for those that find it full). */
void li_order_fold(struct li_order *o, long tid);

/* At reset, li_lock held: marks everything the thread counted so far as
 * reported, so the next profile starts from zero. */
void li_order_forget(struct li_order *o);

/* Empties a thread's table (fork child: the parent's edges are not the
 * child's) and frees one. */
void li_order_clear(struct li_order *o);
void li_order_free(struct li_order *o);

/* Empties the global table (reset, fork child); li_lock held. */
void li_order_global_clear(void);

/* Appends the global table / a live thread's unreported counts to l;
 * li_lock held. */
void li_order_collect_global(struct li_edge_list *l);
void li_order_collect_thread(struct li_edge_list *l, const struct li_order *o,
                             long tid);

/* Sorts l by (from, to, names, instances) and merges entries of one edge:
 * counts add up, the example thread is the one that contributed most. Any
 * thread. (The collect functions name the ends.) */
void li_order_merge(struct li_edge_list *l);

#endif
