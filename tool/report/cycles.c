/*
 * cycles.c — potential deadlocks: the cycles of the lock-class graph.
 *
 * Tarjan's strongly connected components, then Johnson's elementary-cycle
 * enumeration (D. B. Johnson, "Finding all the elementary circuits of a
 * directed graph", 1975) in the form networkx uses: take a component, find
 * every cycle through its first node s with the blocked-set search, remove
 * s, split the rest into components again, repeat. Both are written with
 * explicit stacks, so a graph of a million classes cannot overflow the C
 * stack. Self edges (same-class nesting) are ignored here. Every step
 * (an edge looked at) counts against LI_LO_WORK_MAX, and the search stops
 * at max_cycles or when the cycles kept would hold more than
 * LI_LO_STORE_MAX class edges in all; each sets g->truncated.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lockorder.h"
#include "units.h"

#define NONE ((size_t)-1)

/* A set of nodes blocked on w (Johnson's B(w)), as a small array. */
struct bset {
  size_t *v, n, cap;
};

/* Working memory for one analysis, every array indexed by node. */
struct search {
  struct li_lo_graph *g;
  size_t max_cycles, cap_cycles;
  size_t stored; /* class edges kept in g->cycles so far */
  uint64_t work;
  int stop, oom;
  size_t *mark, tok; /* node is in the current subgraph: mark == tok */
  size_t *index, *low, *stack, sp, counter; /* Tarjan */
  char *onstack;
  size_t *fv, *fe; /* Tarjan / Johnson frames: node, next edge */
  size_t *comp;    /* component of each node (Tarjan's output) */
  size_t *pedge;   /* Johnson: edge that reached each path entry */
  char *blocked, *closed;
  struct bset *b;
  size_t *ustack; /* unblock stack */
};

static int step(struct search *s) {
  if (++s->work > LI_LO_WORK_MAX) {
    s->g->truncated = 1;
    s->stop = 1;
  }
  return !s->stop;
}

/* Whether edge e leads to another node of the current subgraph. */
static int inside(const struct search *s, const struct li_cedge *e) {
  return e->from != e->to && s->mark[e->to] == s->tok;
}

/* Pops one finished component ending at root v off Tarjan's stack. */
static void tarjan_pop(struct search *s, size_t v, size_t *ncomp) {
  size_t w;
  do {
    w = s->stack[--s->sp];
    s->onstack[w] = 0;
    s->comp[w] = *ncomp;
  } while (w != v);
  (*ncomp)++;
}

/* Tarjan from root r over the current subgraph; numbers components. */
static void tarjan_from(struct search *s, size_t r, size_t *ncomp) {
  const struct li_lo_graph *g = s->g;
  size_t depth = 0;
  s->fv[depth] = r;
  s->fe[depth++] = g->out[r];
  s->index[r] = s->low[r] = s->counter++;
  s->stack[s->sp++] = r;
  s->onstack[r] = 1;
  while (depth > 0 && step(s)) {
    size_t v = s->fv[depth - 1];
    if (s->fe[depth - 1] < g->out[v + 1]) {
      const struct li_cedge *e = &g->ce[s->fe[depth - 1]++];
      size_t w = e->to;
      if (!inside(s, e))
        continue;
      if (s->index[w] == NONE) {
        s->index[w] = s->low[w] = s->counter++;
        s->stack[s->sp++] = w;
        s->onstack[w] = 1;
        s->fv[depth] = w;
        s->fe[depth++] = g->out[w];
      } else if (s->onstack[w] && s->index[w] < s->low[v]) {
        s->low[v] = s->index[w];
      }
      continue;
    }
    depth--;
    if (depth > 0 && s->low[v] < s->low[s->fv[depth - 1]])
      s->low[s->fv[depth - 1]] = s->low[v];
    if (s->low[v] == s->index[v])
      tarjan_pop(s, v, ncomp);
  }
}

/* Components of the subgraph nodes[0..k) (marked with a fresh token) into
 * s->comp; returns their number. */
static size_t scc(struct search *s, const size_t *nodes, size_t k) {
  size_t ncomp = 0;
  s->tok++;
  for (size_t i = 0; i < k; i++) {
    s->mark[nodes[i]] = s->tok;
    s->index[nodes[i]] = NONE;
  }
  s->sp = 0;
  s->counter = 0;
  for (size_t i = 0; i < k && !s->stop; i++)
    if (s->index[nodes[i]] == NONE)
      tarjan_from(s, nodes[i], &ncomp);
  return ncomp;
}

/* Records the cycle path (depth entries, closed by edge e). */
static void record(struct search *s, size_t depth, size_t e) {
  struct li_lo_graph *g = s->g;
  if (g->ncycles == s->max_cycles || depth > LI_LO_STORE_MAX - s->stored) {
    g->truncated = 1;
    s->stop = 1;
    return;
  }
  s->stored += depth;
  if (g->ncycles == s->cap_cycles) {
    size_t cap = s->cap_cycles ? 2 * s->cap_cycles : 16;
    struct li_cycle *grown = realloc(g->cycles, cap * sizeof *grown);
    if (grown == NULL) {
      s->oom = s->stop = 1;
      return;
    }
    g->cycles = grown;
    s->cap_cycles = cap;
  }
  struct li_cycle *c = &g->cycles[g->ncycles];
  c->ce = malloc(depth * sizeof *c->ce);
  if (c->ce == NULL) {
    s->oom = s->stop = 1;
    return;
  }
  c->n = depth;
  memcpy(c->ce, s->pedge + 1, (depth - 1) * sizeof *c->ce);
  c->ce[depth - 1] = e;
  c->min = UINT64_MAX;
  c->sum = 0;
  for (size_t i = 0; i < depth; i++) {
    uint64_t n = g->ce[c->ce[i]].count;
    c->min = n < c->min ? n : c->min;
    c->sum = li_rep_add_sat(c->sum, n);
  }
  g->ncycles++;
}

/* Johnson's unblock(v), with an explicit stack: a node is pushed only
 * when it turns from blocked to unblocked, so the stack holds at most one
 * entry per node. */
static void unblock(struct search *s, size_t v) {
  size_t sp = 0;
  s->blocked[v] = 0;
  s->ustack[sp++] = v;
  while (sp > 0) {
    size_t u = s->ustack[--sp];
    for (size_t i = 0; i < s->b[u].n; i++) {
      size_t x = s->b[u].v[i];
      if (s->blocked[x]) {
        s->blocked[x] = 0;
        s->ustack[sp++] = x;
      }
    }
    s->b[u].n = 0;
  }
}

/* Adds v to B(w) unless it is there. */
static void bset_add(struct search *s, size_t w, size_t v) {
  struct bset *b = &s->b[w];
  for (size_t i = 0; i < b->n; i++)
    if (b->v[i] == v || !step(s))
      return;
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 4;
    size_t *grown = realloc(b->v, cap * sizeof *grown);
    if (grown == NULL) {
      s->oom = s->stop = 1;
      return;
    }
    b->v = grown;
    b->cap = cap;
  }
  b->v[b->n++] = v;
}

/* A path entry is finished: unblock it, or make it wait on its targets. */
static void retreat(struct search *s, size_t depth, size_t v) {
  const struct li_lo_graph *g = s->g;
  if (s->closed[depth]) {
    if (depth > 0)
      s->closed[depth - 1] = 1;
    unblock(s, v);
    return;
  }
  for (size_t e = g->out[v]; e < g->out[v + 1] && !s->stop; e++)
    if (inside(s, &g->ce[e]))
      bset_add(s, g->ce[e].to, v);
}

/* Every elementary cycle through r in the current (marked) subgraph. The
 * path lives in fv (nodes), fe (next edge) and pedge. */
static void circuits(struct search *s, const size_t *nodes, size_t k,
                     size_t r) {
  const struct li_lo_graph *g = s->g;
  for (size_t i = 0; i < k; i++) {
    s->blocked[nodes[i]] = 0;
    s->b[nodes[i]].n = 0;
  }
  size_t depth = 1;
  s->fv[0] = r;
  s->fe[0] = g->out[r];
  s->closed[0] = 0;
  s->blocked[r] = 1;
  while (depth > 0 && step(s)) {
    size_t v = s->fv[depth - 1];
    if (s->fe[depth - 1] == g->out[v + 1]) {
      retreat(s, --depth, v);
      continue;
    }
    size_t e = s->fe[depth - 1]++;
    size_t w = g->ce[e].to;
    if (!inside(s, &g->ce[e]))
      continue;
    if (w == r) {
      record(s, depth, e);
      s->closed[depth - 1] = 1;
    } else if (!s->blocked[w]) {
      s->fv[depth] = w;
      s->fe[depth] = g->out[w];
      s->pedge[depth] = e;
      s->closed[depth++] = 0;
      s->blocked[w] = 1;
    }
  }
}

/* Splits nodes[0..k) by s->comp into new arrays pushed on the work list
 * (components of one node have no cycle and are dropped). */
static void push_components(struct search *s, const size_t *nodes, size_t k,
                            size_t ncomp, size_t ***list, size_t **lens,
                            size_t *nlist) {
  size_t *count = calloc(ncomp + 1, sizeof *count);
  if (count == NULL) {
    s->oom = s->stop = 1;
    return;
  }
  for (size_t i = 0; i < k; i++)
    count[s->comp[nodes[i]]]++;
  for (size_t c = 0; c < ncomp && !s->stop; c++) {
    if (count[c] < 2)
      continue;
    size_t *part = malloc(count[c] * sizeof *part), n = 0;
    if (part == NULL) {
      s->oom = s->stop = 1;
      break;
    }
    for (size_t i = 0; i < k; i++)
      if (s->comp[nodes[i]] == c)
        part[n++] = nodes[i];
    assert(n == count[c]);
    (*list)[*nlist] = part;
    (*lens)[(*nlist)++] = n;
  }
  free(count);
}

/* The Johnson loop over the work list of components (each sorted by node,
 * so part[0] is the component's first class). */
static void johnson(struct search *s, size_t **list, size_t *lens,
                    size_t nlist) {
  while (nlist > 0) {
    size_t *part = list[--nlist], k = lens[nlist];
    if (!s->stop) {
      s->tok++;
      for (size_t i = 0; i < k; i++)
        s->mark[part[i]] = s->tok;
      circuits(s, part, k, part[0]);
    }
    size_t ncomp = s->stop ? 0 : scc(s, part + 1, k - 1);
    if (!s->stop) /* else the components are incomplete */
      push_components(s, part + 1, k - 1, ncomp, &list, &lens, &nlist);
    free(part);
  }
}

/* Marks the class edges inside a component of the whole graph and queues
 * those components for Johnson. */
static void whole_graph(struct search *s, size_t **list, size_t *lens,
                        size_t *nlist) {
  struct li_lo_graph *g = s->g;
  size_t *all = malloc((g->nnodes + 1) * sizeof *all);
  if (all == NULL) {
    s->oom = s->stop = 1;
    return;
  }
  for (size_t i = 0; i < g->nnodes; i++)
    all[i] = i;
  size_t ncomp = scc(s, all, g->nnodes);
  for (size_t i = 0; i < g->nce && !s->stop; i++)
    g->ce[i].on_cycle = g->ce[i].from != g->ce[i].to &&
                        s->comp[g->ce[i].from] == s->comp[g->ce[i].to];
  if (!s->stop)
    push_components(s, all, g->nnodes, ncomp, &list, &lens, nlist);
  free(all);
}

static const struct li_lo_graph *rank_graph;

/* Least-taken edge desc, sum desc, fewer classes, then class sequence. */
static int cmp_cycles(const void *pa, const void *pb) {
  const struct li_cycle *a = pa, *b = pb;
  if (a->min != b->min)
    return a->min > b->min ? -1 : 1;
  if (a->sum != b->sum)
    return a->sum > b->sum ? -1 : 1;
  if (a->n != b->n)
    return a->n < b->n ? -1 : 1;
  for (size_t i = 0; i < a->n; i++) {
    size_t x = rank_graph->ce[a->ce[i]].from, y = rank_graph->ce[b->ce[i]].from;
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

static int alloc_search(struct search *s, size_t n) {
  s->mark = calloc(n, sizeof *s->mark);
  s->index = calloc(n, sizeof *s->index);
  s->low = calloc(n, sizeof *s->low);
  s->stack = calloc(n, sizeof *s->stack);
  s->onstack = calloc(n, 1);
  s->fv = calloc(n, sizeof *s->fv);
  s->fe = calloc(n, sizeof *s->fe);
  s->comp = calloc(n, sizeof *s->comp);
  s->pedge = calloc(n, sizeof *s->pedge);
  s->blocked = calloc(n, 1);
  s->closed = calloc(n, 1);
  s->b = calloc(n, sizeof *s->b);
  s->ustack = calloc(n, sizeof *s->ustack);
  return s->mark && s->index && s->low && s->stack && s->onstack && s->fv &&
                 s->fe && s->comp && s->pedge && s->blocked && s->closed &&
                 s->b && s->ustack
             ? 0
             : -1;
}

static void free_search(struct search *s, size_t n) {
  for (size_t i = 0; s->b && i < n; i++)
    free(s->b[i].v);
  free(s->mark);
  free(s->index);
  free(s->low);
  free(s->stack);
  free(s->onstack);
  free(s->fv);
  free(s->fe);
  free(s->comp);
  free(s->pedge);
  free(s->blocked);
  free(s->closed);
  free(s->b);
  free(s->ustack);
}

int li_rep_lo_cycles(struct li_lo_graph *g, size_t max_cycles) {
  struct search s;
  size_t n = g->nnodes + 1, nlist = 0;
  memset(&s, 0, sizeof s);
  s.g = g;
  s.max_cycles = max_cycles;
  /* The work list holds disjoint components: at most n of them. */
  size_t **list = calloc(n, sizeof *list), *lens = calloc(n, sizeof *lens);
  if (list == NULL || lens == NULL || alloc_search(&s, n) != 0)
    s.oom = 1;
  if (!s.oom) {
    whole_graph(&s, list, lens, &nlist);
    johnson(&s, list, lens, nlist);
  }
  free_search(&s, n);
  free(list);
  free(lens);
  if (s.oom)
    return -1;
  rank_graph = g;
  if (g->ncycles > 1) /* qsort(NULL, 0, ...) is undefined */
    qsort(g->cycles, g->ncycles, sizeof *g->cycles, cmp_cycles);
  return 0;
}
