/*
 * lockorder.c — the merged lock-order edges and the class graph built from
 * them (see lockorder.h; the cycle search is in cycles.c).
 *
 * Class names are interned once (uthash by name); an edge's key holds the
 * two class indices and the two merged site ids, so merging is one hash
 * lookup per edge. The graph is built at render time: nodes sorted by name
 * (so every output is deterministic), site edges sorted by class pair and
 * grouped into class edges, and a CSR index of each node's outgoing edges.
 */
#include "lockorder.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

/* Returns the class called name, adding it if new; NULL out of memory. */
static struct li_lclass *intern(struct li_lorder *lo, const char *name) {
  struct li_lclass *c = NULL;
  HASH_FIND_STR(lo->classes, name, c);
  if (c != NULL)
    return c;
  c = calloc(1, sizeof *c);
  if (c == NULL)
    return NULL;
  c->name = strdup(name);
  if (c->name == NULL) {
    free(c);
    return NULL;
  }
  c->idx = lo->nclasses++;
  HASH_ADD_KEYPTR(hh, lo->classes, c->name, strlen(c->name), c);
  return c;
}

int li_rep_lo_add(struct li_lorder *lo, const char *from, const char *to,
                  const struct li_site *from_site,
                  const struct li_site *to_site, uint64_t count,
                  uint64_t thread) {
  struct li_lclass *f = intern(lo, from), *t = intern(lo, to);
  if (f == NULL || t == NULL)
    return -1;
  struct li_edge_key key = {f->idx, t->idx, from_site->id, to_site->id};
  struct li_edge *e = NULL;
  /* uthash hashes the key bytes:
   * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
  HASH_FIND(hh, lo->edges, &key, sizeof key, e);
  if (e != NULL) {
    e->count = li_rep_add_sat(e->count, count);
    return 0;
  }
  e = calloc(1, sizeof *e);
  if (e == NULL)
    return -1;
  *e = (struct li_edge){key, f, t, from_site, to_site, count, thread, {0}};
  HASH_ADD(hh, lo->edges, key, sizeof e->key, e);
  lo->nedges++;
  return 0;
}

void li_rep_lo_free(struct li_lorder *lo) {
  struct li_edge *e, *etmp;
  struct li_lclass *c, *ctmp;
  HASH_ITER(hh, lo->edges, e, etmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(lo->edges, e);
    free(e);
  }
  HASH_ITER(hh, lo->classes, c, ctmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(lo->classes, c);
    free(c->name);
    free(c);
  }
  memset(lo, 0, sizeof *lo);
}

/* qsort context (the report is single-threaded): class index -> node. */
static const size_t *sort_rank;

static int cmp_u64(uint64_t a, uint64_t b) {
  return a < b ? -1 : a > b;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Site edges by (from node, to node), then count desc, then site ids. */
static int cmp_pairs(const void *pa, const void *pb) {
  const struct li_edge *a = *(const struct li_edge *const *)pa;
  const struct li_edge *b = *(const struct li_edge *const *)pb;
  int c = cmp_u64(sort_rank[a->from->idx], sort_rank[b->from->idx]);
  c = c ? c : cmp_u64(sort_rank[a->to->idx], sort_rank[b->to->idx]);
  c = c ? c : cmp_u64(b->count, a->count);
  c = c ? c : cmp_u64(a->key.from_site, b->key.from_site);
  return c ? c : cmp_u64(a->key.to_site, b->key.to_site);
}

/* Sorts the class names into g->names; fills rank[class idx] = node. */
static int build_nodes(const struct li_lorder *lo, struct li_lo_graph *g,
                       size_t *rank) {
  g->names = calloc(lo->nclasses + 1, sizeof *g->names);
  if (g->names == NULL)
    return -1;
  for (const struct li_lclass *c = lo->classes; c; c = c->hh.next)
    g->names[g->nnodes++] = c->name;
  qsort(g->names, g->nnodes, sizeof *g->names, cmp_names);
  for (size_t i = 0; i < g->nnodes; i++) {
    const struct li_lclass *c = NULL;
    HASH_FIND_STR(lo->classes, g->names[i], c);
    assert(c != NULL);
    /* every name was interned:
     * NOLINTNEXTLINE(clang-analyzer-core.NullDereference) */
    rank[c->idx] = i;
  }
  return 0;
}

/* Groups the sorted site edges into class edges and indexes them. */
static int build_cedges(struct li_lo_graph *g, const size_t *rank) {
  g->ce = calloc(g->nedges + 1, sizeof *g->ce);
  g->out = calloc(g->nnodes + 1, sizeof *g->out);
  if (g->ce == NULL || g->out == NULL)
    return -1;
  for (size_t i = 0; i < g->nedges; i++) {
    const struct li_edge *e = g->pairbuf[i];
    size_t u = rank[e->from->idx], v = rank[e->to->idx];
    struct li_cedge *last = g->nce ? &g->ce[g->nce - 1] : NULL;
    if (last == NULL || last->from != u || last->to != v) {
      last = &g->ce[g->nce++];
      *last = (struct li_cedge){u, v, 0, &g->pairbuf[i], 0, 0};
      g->out[u + 1]++;
    }
    last->count = li_rep_add_sat(last->count, e->count);
    last->npairs++;
  }
  for (size_t u = 0; u < g->nnodes; u++)
    g->out[u + 1] += g->out[u];
  assert(g->out[g->nnodes] == g->nce);
  return 0;
}

static const struct li_lo_graph *sort_graph;

/* Same-class nestings: most taken first, then by class name. */
static int cmp_nest(const void *pa, const void *pb) {
  const struct li_cedge *a = &sort_graph->ce[*(const size_t *)pa];
  const struct li_cedge *b = &sort_graph->ce[*(const size_t *)pb];
  int c = cmp_u64(b->count, a->count);
  return c ? c : cmp_u64(a->from, b->from);
}

static int build_nest(struct li_lo_graph *g) {
  g->nest = calloc(g->nce + 1, sizeof *g->nest);
  if (g->nest == NULL)
    return -1;
  for (size_t i = 0; i < g->nce; i++)
    if (g->ce[i].from == g->ce[i].to)
      g->nest[g->nnest++] = i;
  sort_graph = g;
  qsort(g->nest, g->nnest, sizeof *g->nest, cmp_nest);
  return 0;
}

int li_rep_lo_analyze(const struct li_lorder *lo, size_t max_cycles,
                      struct li_lo_graph *g) {
  assert(max_cycles >= 1);
  memset(g, 0, sizeof *g);
  size_t *rank = calloc(lo->nclasses + 1, sizeof *rank);
  g->pairbuf = calloc(lo->nedges + 1, sizeof *g->pairbuf);
  int rc = rank && g->pairbuf ? build_nodes(lo, g, rank) : -1;
  if (rc == 0) {
    for (const struct li_edge *e = lo->edges; e; e = e->hh.next)
      g->pairbuf[g->nedges++] = e;
    sort_rank = rank;
    qsort(g->pairbuf, g->nedges, sizeof *g->pairbuf, cmp_pairs);
    rc = build_cedges(g, rank);
  }
  rc = rc ? rc : build_nest(g);
  rc = rc ? rc : li_rep_lo_cycles(g, max_cycles);
  free(rank);
  if (rc != 0)
    li_rep_lo_graph_free(g);
  return rc;
}

void li_rep_lo_graph_free(struct li_lo_graph *g) {
  for (size_t i = 0; g->cycles && i < g->ncycles; i++)
    free(g->cycles[i].ce);
  free(g->cycles);
  free(g->names);
  free(g->ce);
  free(g->out);
  free(g->nest);
  free(g->pairbuf);
  memset(g, 0, sizeof *g);
}
