/*
 * out_dot.c — `--format dot`: the lock-order graph for Graphviz.
 *
 * Nodes are lock classes, one edge per ordered pair of classes, labelled
 * with how often it was taken and the site pairs that created it (the
 * first LI_LO_PAIRS_SHOWN, then "+N more"). Edges on a cycle (both ends in
 * one strongly connected component) and the classes they join are drawn in
 * red and bold; same-class nesting is an orange dashed self-loop. Every
 * edge and node carries an id (cycle_eN, nest_eN, eN; nN), which Graphviz
 * copies into SVG output, so a test or a script can find them. The whole
 * graph is written, whatever --top says. Names are sanitized and then
 * escaped for a DOT string (backslash and double quote), so no name can
 * end a string or become an escape such as \N.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "outputs.h"

/* The output stream and whether an allocation failed. */
struct dot {
  FILE *f;
  int oom;
};

/* Writes s (already sanitized) escaped for the inside of a DOT string. */
static void put_escaped(struct dot *d, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      fputc('\\', d->f);
    fputc(*s, d->f);
  }
}

/* Writes s escaped and frees it; NULL (a failed allocation) marks d out of
 * memory. */
static void put_owned(struct dot *d, char *s) {
  if (s == NULL) {
    d->oom = 1;
    return;
  }
  put_escaped(d, s);
  free(s);
}

/* Writes a profile name, sanitized and escaped. */
static void put_name(struct dot *d, const char *raw) {
  put_owned(d, li_rep_sanitize(raw));
}

static void put_location(struct dot *d, const struct li_site *s) {
  put_owned(d, li_rep_site_location(s));
}

/* The classes, those on a cycle in red. */
static void nodes(struct dot *d, const struct li_lo_graph *g) {
  char *on = calloc(g->nnodes + 1, 1);
  if (on == NULL) {
    d->oom = 1;
    return;
  }
  for (size_t i = 0; i < g->nce; i++)
    if (g->ce[i].on_cycle)
      on[g->ce[i].from] = on[g->ce[i].to] = 1;
  for (size_t u = 0; u < g->nnodes; u++) {
    fprintf(d->f, "  n%zu [id=\"n%zu\", label=\"", u, u);
    put_name(d, g->names[u]);
    fputs(on[u] ? "\", color=\"#c0392b\", penwidth=2];\n" : "\"];\n", d->f);
  }
  free(on);
}

/* One class edge with its label. */
static void edge(struct dot *d, const struct li_lo_graph *g, size_t i) {
  const struct li_cedge *e = &g->ce[i];
  int nest = e->from == e->to;
  const char *id = nest ? "nest_e" : e->on_cycle ? "cycle_e" : "e";
  fprintf(d->f, "  n%zu -> n%zu [id=\"%s%zu\", label=\"%s%llu times", e->from,
          e->to, id, i, nest ? "same class, " : "",
          (unsigned long long)e->count);
  for (size_t k = 0; k < e->npairs && k < LI_LO_PAIRS_SHOWN; k++) {
    fputs("\\n", d->f);
    put_location(d, e->pairs[k]->from_site);
    fputs(" -> ", d->f);
    put_location(d, e->pairs[k]->to_site);
    fprintf(d->f, " (%llu)", (unsigned long long)e->pairs[k]->count);
  }
  if (e->npairs > LI_LO_PAIRS_SHOWN)
    fprintf(d->f, "\\n+%zu more site pairs", e->npairs - LI_LO_PAIRS_SHOWN);
  if (nest)
    fputs("\", color=\"#e67e22\", fontcolor=\"#e67e22\", style=dashed];\n",
          d->f);
  else if (e->on_cycle)
    fputs("\", color=\"#c0392b\", fontcolor=\"#c0392b\", penwidth=2.5];\n",
          d->f);
  else
    fputs("\", color=\"#555555\"];\n", d->f);
}

int li_rep_write_dot(FILE *f, const struct li_report *r, struct li_err *err) {
  struct dot d = {f, 0};
  struct li_lo_graph g;
  if (li_rep_lo_analyze(&r->p->lo, r->max_cycles, &g) != 0) {
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
    return -1;
  }
  char *line = li_rep_summary_line(r->p);
  fputs("digraph lockorder {\n  label=\"lock order: ", f);
  if (line != NULL)
    put_escaped(&d, line);
  d.oom |= line == NULL;
  free(line);
  fprintf(f,
          "\\nclasses: %zu, edges: %zu, cycles: %zu%s, same-class "
          "nestings: %zu\";\n  labelloc=t;\n  fontname=\"Helvetica\";\n"
          "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
          "  edge [fontname=\"Helvetica\", fontsize=10];\n",
          g.nnodes, g.nedges, g.ncycles, g.truncated ? "+" : "", g.nnest);
  nodes(&d, &g);
  for (size_t i = 0; i < g.nce; i++)
    edge(&d, &g, i);
  fputs("}\n", f);
  li_rep_lo_graph_free(&g);
  if (d.oom)
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
  return d.oom ? -1 : 0;
}
