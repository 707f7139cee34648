/*
 * lockorder.h — the merged lock-order graph and its potential deadlocks.
 *
 * The store: every profile's lock_order.edges (docs/profile-format.md) is
 * folded into one set of edges keyed by (from class, to class, from site,
 * to site), where a site is the merged site (profile.h), so the same pair of
 * call sites in two runs is one edge whatever ids the runs gave them; counts
 * add up and the example thread is the first one seen. Memory is one entry
 * per distinct edge.
 *
 * The analysis (li_rep_lo_analyze): nodes are lock classes, one class edge
 * per ordered pair of classes carries every site edge between them. Edges
 * from a class to itself (two locks of one class held together) are set
 * apart as "same-class nesting". On the rest, Tarjan's algorithm finds the
 * strongly connected components (an edge is on some cycle exactly when both
 * ends are in one component), and Johnson's algorithm enumerates the
 * elementary cycles of each component, up to max_cycles cycles, a fixed
 * amount of work (LI_LO_WORK_MAX steps) and a fixed number of class edges
 * kept over all cycles (LI_LO_STORE_MAX), so a hostile graph with
 * exponentially many (or very long) cycles can neither stall the report
 * nor fill memory. Cycles are ranked by
 * their least-taken class edge (a cycle is as likely as its rarest edge),
 * then by the sum of their edges' counts, then fewer classes first, then by
 * class names. Both algorithms are iterative: no recursion depth grows with
 * the input.
 */
#ifndef LI_REPORT_LOCKORDER_H
#define LI_REPORT_LOCKORDER_H

#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

struct li_site;

#ifndef LI_LO_WORK_MAX
#define LI_LO_WORK_MAX ((uint64_t)200 * 1000 * 1000) /* search steps */
#endif
#ifndef LI_LO_STORE_MAX
#define LI_LO_STORE_MAX ((size_t)4 << 20) /* class edges kept in all cycles */
#endif
#ifndef LI_LO_MAX_CYCLES
#define LI_LO_MAX_CYCLES 1000 /* default of --max-cycles */
#endif

/* A lock class seen in an edge (a node of the graph). */
struct li_lclass {
  char *name;
  size_t idx; /* order of first appearance, from 0 */
  UT_hash_handle hh;
};

/* The identity of a merged edge: class indices and merged site ids. */
struct li_edge_key {
  uint64_t from, to, from_site, to_site;
};

/* One merged site edge: a thread took to_site's lock while holding the
 * lock that from_site took. */
struct li_edge {
  struct li_edge_key key;
  const struct li_lclass *from, *to;
  const struct li_site *from_site, *to_site;
  uint64_t count;  /* acquisitions that created the edge, summed */
  uint64_t thread; /* an example thread (of the first profile seen) */
  UT_hash_handle hh;
};

struct li_lorder {
  struct li_lclass *classes; /* uthash by name, in order of appearance */
  size_t nclasses;
  struct li_edge *edges; /* uthash by key, in order of appearance */
  size_t nedges;
};

/*
 * Adds an edge (count and thread from one profile) to lo, merging it with
 * the same edge of an earlier profile. The class names are copied; the sites
 * must outlive lo. Returns 0, or -1 out of memory (lo stays valid).
 */
int li_rep_lo_add(struct li_lorder *lo, const char *from, const char *to,
                  const struct li_site *from_site,
                  const struct li_site *to_site, uint64_t count,
                  uint64_t thread);

/* Frees everything lo owns and empties it. */
void li_rep_lo_free(struct li_lorder *lo);

/* All site edges between two classes. */
struct li_cedge {
  size_t from, to;              /* node indices (li_lo_graph.names) */
  uint64_t count;               /* sum of the site edges' counts (saturating) */
  const struct li_edge **pairs; /* count desc, then site ids */
  size_t npairs;
  int on_cycle; /* from != to and both in one strongly connected component */
};

/* An elementary cycle: n class edges, each ending where the next starts,
 * starting at the class whose name sorts first. */
struct li_cycle {
  size_t n;
  size_t *ce;   /* indices into li_lo_graph.ce */
  uint64_t min; /* count of the least-taken class edge */
  uint64_t sum; /* sum of the class edges' counts (saturating) */
};

struct li_lo_graph {
  const char **names; /* class names, sorted (strcmp); not owned */
  size_t nnodes;
  struct li_cedge *ce; /* sorted by (from, to) */
  size_t nce;
  size_t *out;             /* ce[out[u]] .. ce[out[u + 1] - 1] leave node u */
  struct li_cycle *cycles; /* ranked, at most max_cycles */
  size_t ncycles;
  int truncated; /* the search stopped at max_cycles or LI_LO_WORK_MAX */
  size_t *nest;  /* indices of self class edges, count desc */
  size_t nnest;
  size_t nedges;                  /* site edges in the graph */
  const struct li_edge **pairbuf; /* owns the ce[].pairs slices */
};

/*
 * Builds the class graph of lo, its strongly connected components, its
 * ranked cycles (at most max_cycles, >= 1) and its same-class nestings into
 * g. Returns 0, or -1 out of memory (g then holds nothing). Free with
 * li_rep_lo_graph_free. Not thread-safe (qsort context).
 */
int li_rep_lo_analyze(const struct li_lorder *lo, size_t max_cycles,
                      struct li_lo_graph *g);

void li_rep_lo_graph_free(struct li_lo_graph *g);

/* Internal to lockorder.c/cycles.c: marks the class edges on a cycle and
 * fills g->cycles, ranked. g->ce, g->out and g->nnodes must be built.
 * Returns 0, or -1 out of memory. */
int li_rep_lo_cycles(struct li_lo_graph *g, size_t max_cycles);

#endif /* LI_REPORT_LOCKORDER_H */
