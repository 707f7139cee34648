/*
 * out_svg.c — inline SVG for the HTML report: histograms and the lock-order
 * graph (see out_svg.h).
 *
 * Nothing here needs a browser to compute anything: sizes and positions
 * are worked out in C from estimated text widths (LI_SVG_CHAR_PX per code
 * point), and the page scales a wide picture down (max-width:100% in its
 * CSS) rather than letting it overflow.
 *
 * Histogram: one bar per log2 bucket from the first to the last non-empty
 * one, a count axis (0, half, max) and a duration axis labelled at every
 * other bucket bound, always including the last, with margins wide enough
 * for half a label on each side, so no label is clipped.
 *
 * Graph: a deterministic circular layout. The classes (already sorted by
 * name in li_lo_graph) sit on an ellipse whose circumference grows with
 * the widths of their labels, starting at the left and going clockwise.
 * Each class edge is a quadratic curve bent to its left, so A -> B and
 * B -> A are two distinct arcs; it starts and ends on the boxes' borders
 * and carries its count at its middle. Same-class nesting is a loop above
 * the box.
 */
#include "out_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "outputs.h"

#ifndef LI_SVG_CHAR_PX
#define LI_SVG_CHAR_PX 7.0 /* estimated width of a 12px code point */
#endif
#define LABEL_MAX 32 /* code points of a class label; the tooltip has all */
#define NODE_H 24.0
#define MARGIN 56.0 /* room for self-loops and edge labels */
#define PI 3.14159265358979323846

/* Histogram geometry, in pixels. */
#define HB_W 26   /* per bucket */
#define HB_H 120  /* plot height */
#define HB_TOP 12 /* above the plot */
#define HB_BOT 44 /* below it: duration labels and axis title */
#define HB_RIGHT 34
#define HB_MIN 8 /* buckets shown at least */

/* The first and last non-empty buckets of h, widened with empty ones to
 * at least HB_MIN buckets (so the axis shows a scale), and the largest
 * count. */
static uint64_t hist_range(const struct li_hist *h, size_t *lo, size_t *hi) {
  uint64_t top = 0;
  *lo = LI_HIST_BUCKETS;
  *hi = 0;
  for (size_t i = 0; i < LI_HIST_BUCKETS; i++)
    if (h->b[i]) {
      *lo = i < *lo ? i : *lo;
      *hi = i;
      top = h->b[i] > top ? h->b[i] : top;
    }
  while (top && *hi - *lo + 1 < HB_MIN) {
    if (*lo > 0 && ((*hi - *lo) % 2 == 1 || *hi + 1 >= LI_HIST_BUCKETS))
      (*lo)--;
    else
      (*hi)++;
  }
  return top;
}

/* The lower bound of bucket i as a duration ("∞" past the last). */
static const char *bound(char *buf, size_t i) {
  if (i >= LI_HIST_BUCKETS)
    return "\xe2\x88\x9e";
  return li_rep_fmt_duration(buf, i ? (uint64_t)1 << i : 0);
}

/* The count axis: ticks and grid lines at 0, top / 2 and top. */
static void hist_y_axis(FILE *f, size_t left, size_t n, uint64_t top) {
  uint64_t ticks[3] = {0, top / 2, top};
  fprintf(f, "<line class=\"ax\" x1=\"%zu\" y1=\"%d\" x2=\"%zu\" y2=\"%d\"/>",
          left, HB_TOP, left, HB_TOP + HB_H);
  for (int k = 0; k < 3; k++) {
    if (k == 1 && (top < 2 || ticks[1] == 0))
      continue;
    double y = HB_TOP + HB_H * (1.0 - (double)ticks[k] / (double)top);
    fprintf(f,
            "<line class=\"grid\" x1=\"%zu\" y1=\"%.1f\" x2=\"%zu\" "
            "y2=\"%.1f\"/><text class=\"yl\" x=\"%zu\" y=\"%.1f\">%llu</text>",
            left - 3, y, left + n * HB_W, y, left - 5, y + 4,
            (unsigned long long)ticks[k]);
  }
  fprintf(f,
          "<text class=\"at\" transform=\"rotate(-90)\" x=\"%d\" y=\"12\">"
          "count</text>",
          -(HB_TOP + HB_H / 2));
}

/* The duration axis: bucket bounds, every other one labelled, the last
 * one always. */
static void hist_x_axis(FILE *f, size_t left, size_t lo, size_t n) {
  char b[LI_FMT_MAX];
  size_t y = HB_TOP + HB_H;
  fprintf(f, "<line class=\"ax\" x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\"/>",
          left, y, left + n * HB_W, y);
  for (size_t k = 0; k <= n; k++) {
    size_t x = left + k * HB_W;
    fprintf(f,
            "<line class=\"ax\" x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\"/>",
            x, y, x, y + 4);
    if ((n - k) % 2 == 0)
      fprintf(f, "<text class=\"xl\" x=\"%zu\" y=\"%zu\">%s</text>", x, y + 16,
              bound(b, lo + k));
  }
  fprintf(f,
          "<text class=\"at\" x=\"%zu\" y=\"%zu\">duration (log2 buckets)"
          "</text>",
          left + n * HB_W / 2, y + 36);
}

void li_rep_svg_hist(FILE *f, const struct li_hist *h, const char *cls,
                     const char *what) {
  size_t lo, hi;
  uint64_t top = hist_range(h, &lo, &hi);
  char b1[LI_FMT_MAX], b2[LI_FMT_MAX];
  if (top == 0) {
    fprintf(f, "<p class=\"hempty\">%s: nothing measured</p>", what);
    return;
  }
  snprintf(b1, sizeof b1, "%llu", (unsigned long long)top);
  size_t n = hi - lo + 1, left = 24 + 7 * strlen(b1);
  size_t w = left + n * HB_W + HB_RIGHT, ht = HB_TOP + HB_H + HB_BOT;
  fprintf(f,
          "<figure class=\"hist\"><figcaption>%s</figcaption><svg "
          "class=\"hg\" width=\"%zu\" height=\"%zu\" viewBox=\"0 0 %zu %zu\">",
          what, w, ht, w, ht);
  hist_y_axis(f, left, n, top);
  for (size_t i = lo; i <= hi; i++) {
    double bh = (double)HB_H * (double)h->b[i] / (double)top;
    fprintf(f,
            "<rect class=\"%s\" x=\"%zu\" y=\"%.1f\" width=\"%d\" "
            "height=\"%.1f\"><title>[%s, %s): %llu</title></rect>",
            cls, left + (i - lo) * HB_W + 1, HB_TOP + HB_H - bh, HB_W - 2, bh,
            bound(b1, i), bound(b2, i + 1), (unsigned long long)h->b[i]);
  }
  hist_x_axis(f, left, lo, n);
  fputs("</svg></figure>", f);
}

/* A class's box on the page. */
struct node {
  double x, y, w; /* centre and width */
  char *label;    /* shortened, HTML-escaped */
  char *full;     /* whole name, HTML-escaped (the tooltip) */
  int cyc;        /* on a cycle */
};

struct graph {
  FILE *f;
  const struct li_lo_graph *g;
  struct node *v;
  double width, height;
  int oom;
};

/* Makes the label and tooltip of node u. */
static void node_names(struct graph *d, size_t u) {
  char *clean = li_rep_sanitize(d->g->names[u]);
  char *label = li_rep_shorten(clean ? strdup(clean) : NULL, LABEL_MAX, 0);
  struct node *n = &d->v[u];
  n->full = clean ? li_rep_html_escape(clean) : NULL;
  n->label = label ? li_rep_html_escape(label) : NULL;
  n->w = 18.0 + LI_SVG_CHAR_PX * (double)(label ? li_rep_text_width(label) : 1);
  d->oom |= n->full == NULL || n->label == NULL;
  free(clean);
  free(label);
}

/* Places the nodes on an ellipse and sizes the picture. */
static void layout(struct graph *d) {
  const struct li_lo_graph *g = d->g;
  double sum = 0, maxw = 0;
  for (size_t u = 0; u < g->nnodes; u++) {
    node_names(d, u);
    sum += d->v[u].w + 30.0;
    maxw = d->v[u].w > maxw ? d->v[u].w : maxw;
  }
  for (size_t i = 0; i < g->nce; i++)
    if (g->ce[i].on_cycle)
      d->v[g->ce[i].from].cyc = d->v[g->ce[i].to].cyc = 1;
  double r = g->nnodes < 2 ? 0 : fmax(110.0, sum / (2 * PI));
  double rx = g->nnodes < 2 ? 0 : r + maxw / 2, ry = r;
  d->width = 2 * rx + maxw + 2 * MARGIN;
  d->height = 2 * ry + NODE_H + 2 * MARGIN;
  for (size_t u = 0; u < g->nnodes; u++) {
    double a = PI + 2 * PI * (double)u / (double)g->nnodes;
    d->v[u].x = d->width / 2 + rx * cos(a);
    d->v[u].y = d->height / 2 + ry * sin(a);
  }
}

/* Where the ray from node n's centre along (dx, dy) leaves its box (plus
 * a small gap). */
static void border(const struct node *n, double dx, double dy, double *x,
                   double *y) {
  double hw = n->w / 2 + 3, hh = NODE_H / 2 + 3, t = 1e9;
  if (fabs(dx) > 1e-9)
    t = fmin(t, hw / fabs(dx));
  if (fabs(dy) > 1e-9)
    t = fmin(t, hh / fabs(dy));
  *x = n->x + dx * t;
  *y = n->y + dy * t;
}

/* The tooltip of class edge e: classes, count, site pairs. */
static void edge_title(struct graph *d, const struct li_cedge *e) {
  FILE *f = d->f;
  fprintf(f, "<title>%s \xe2\x86\x92 %s: %llu times", d->v[e->from].full,
          d->v[e->to].full, (unsigned long long)e->count);
  for (size_t k = 0; k < e->npairs && k < LI_LO_PAIRS_SHOWN; k++) {
    const struct li_edge *x = e->pairs[k];
    char *a = li_rep_site_location(x->from_site);
    char *b = li_rep_site_location(x->to_site);
    char *ha = a ? li_rep_html_escape(a) : NULL;
    char *hb = b ? li_rep_html_escape(b) : NULL;
    d->oom |= ha == NULL || hb == NULL;
    fprintf(f, "&#10;%s \xe2\x86\x92 %s (%llu)", ha ? ha : "", hb ? hb : "",
            (unsigned long long)x->count);
    free(a);
    free(b);
    free(ha);
    free(hb);
  }
  if (e->npairs > LI_LO_PAIRS_SHOWN)
    fprintf(f, "&#10;+%zu more site pairs", e->npairs - LI_LO_PAIRS_SHOWN);
  fputs("</title>", f);
}

/* The curve of a class edge between two classes, and its label position. */
static void edge_curve(struct graph *d, const struct li_cedge *e, double *lx,
                       double *ly) {
  const struct node *a = &d->v[e->from], *b = &d->v[e->to];
  double dx = b->x - a->x, dy = b->y - a->y, len = hypot(dx, dy);
  double bend = 0.15 * len + 8, cx = (a->x + b->x) / 2, cy = (a->y + b->y) / 2;
  double sx, sy, ex, ey;
  if (len > 1e-9) {
    cx += -dy / len * bend;
    cy += dx / len * bend;
  }
  border(a, cx - a->x, cy - a->y, &sx, &sy);
  border(b, cx - b->x, cy - b->y, &ex, &ey);
  fprintf(d->f, "<path d=\"M%.1f %.1fQ%.1f %.1f %.1f %.1f\"/>", sx, sy, cx, cy,
          ex, ey);
  *lx = 0.25 * sx + 0.5 * cx + 0.25 * ex;
  *ly = 0.25 * sy + 0.5 * cy + 0.25 * ey;
}

/* One class edge: arrow, count and tooltip, in a <g> with dot's id. */
static void edge(struct graph *d, size_t i) {
  const struct li_cedge *e = &d->g->ce[i];
  int nest = e->from == e->to;
  double lx, ly;
  fprintf(d->f, "<g id=\"%s%zu\" class=\"edge%s\">",
          nest          ? "nest_e"
          : e->on_cycle ? "cycle_e"
                        : "e",
          i,
          nest          ? " nest"
          : e->on_cycle ? " cyc"
                        : "");
  edge_title(d, e);
  if (nest) {
    const struct node *n = &d->v[e->from];
    double top = n->y - NODE_H / 2;
    fprintf(d->f, "<path d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f\"/>",
            n->x - 10, top, n->x - 42, top - 46, n->x + 42, top - 46, n->x + 10,
            top - 2);
    lx = n->x;
    ly = top - 40;
  } else {
    edge_curve(d, e, &lx, &ly);
  }
  fprintf(d->f, "<text x=\"%.1f\" y=\"%.1f\">%s%llu</text></g>\n", lx, ly + 4,
          nest ? "same class \xc3\x97" : "", (unsigned long long)e->count);
}

static void node(struct graph *d, size_t u) {
  const struct node *n = &d->v[u];
  fprintf(d->f,
          "<g id=\"n%zu\" class=\"node%s\"><title>%s</title><rect x=\"%.1f\" "
          "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\"/><text "
          "x=\"%.1f\" y=\"%.1f\">%s</text></g>\n",
          u, n->cyc ? " cyc" : "", n->full ? n->full : "", n->x - n->w / 2,
          n->y - NODE_H / 2, n->w, NODE_H, n->x, n->y + 4,
          n->label ? n->label : "");
}

/* Arrow heads, one per colour (a marker cannot take its path's colour in
 * every browser). */
static const char markers[] =
    "<defs><marker id=\"li-a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
    "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 "
    "5L0 10z\" fill=\"#777\"/></marker><marker id=\"li-ac\" viewBox=\"0 0 10 "
    "10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
    "orient=\"auto\"><path d=\"M0 0L10 5L0 10z\" fill=\"#c0392b\"/></marker>"
    "<marker id=\"li-an\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
    "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 "
    "5L0 10z\" fill=\"#e67e22\"/></marker></defs>\n";

int li_rep_svg_lock_graph(FILE *f, const struct li_lo_graph *g) {
  if (g->nnodes > LI_SVG_MAX_CLASSES) {
    fprintf(f,
            "<p id=\"lo-graph-too-big\">%zu classes are too many to draw "
            "here; draw the graph with <code>--format dot</code>.</p>\n",
            g->nnodes);
    return 0;
  }
  struct graph d = {f, g, calloc(g->nnodes + 1, sizeof *d.v), 0, 0, 0};
  if (d.v == NULL)
    return -1;
  layout(&d);
  fprintf(f,
          "<svg id=\"lo-graph\" class=\"lg\" width=\"%.0f\" height=\"%.0f\" "
          "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"lock-order "
          "graph\">\n%s",
          d.width, d.height, d.width, d.height, markers);
  for (size_t i = 0; i < g->nce; i++)
    edge(&d, i);
  for (size_t u = 0; u < g->nnodes; u++)
    node(&d, u);
  fputs("</svg>\n", f);
  for (size_t u = 0; u < g->nnodes; u++) {
    free(d.v[u].label);
    free(d.v[u].full);
  }
  free(d.v);
  return d.oom ? -1 : 0;
}
