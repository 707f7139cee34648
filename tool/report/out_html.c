/*
 * out_html.c — `--format html`: one self-contained page.
 *
 * No network resource of any kind: CSS and JavaScript are inline, charts
 * are CSS bars and inline SVG. The page has the run summary, bar charts of
 * the top sites by wait and by hold, the lock table (sortable: click a
 * header; `#sort=<column>` in the URL sorts on load), the condition-wait
 * table, the lock-order cycles (potential deadlocks) and same-class
 * nestings with their site pairs, and, per row, the log2 wait and hold
 * histograms. Every name from
 * the profile goes through li_rep_html_name() (sanitized, then HTML-escaped);
 * the script reads only numbers from data-v attributes and moves existing
 * rows, so no profile text is ever interpreted as markup or code. When the
 * script has run, <body> carries data-li-ready="1" (and data-li-sorted
 * names the sort applied), which the tests check in a headless browser.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "outputs.h"

#ifndef LI_HTML_CHART_ROWS
#define LI_HTML_CHART_ROWS 10 /* bars per chart */
#endif

/* The output stream and whether an allocation failed. */
struct page {
  FILE *f;
  int oom;
};

/* Prints a profile string HTML-escaped. */
static void name(struct page *pg, const char *raw) {
  char *s = li_rep_html_name(raw);
  if (s == NULL) {
    pg->oom = 1;
    return;
  }
  fputs(s, pg->f);
  free(s);
}

static void location(struct page *pg, const struct li_row *r) {
  char *loc = li_rep_site_location(r->site);
  if (loc == NULL) {
    pg->oom = 1;
    return;
  }
  name(pg, loc);
  free(loc);
  if (r->nsites > 1)
    fprintf(pg->f, " (+%zu site%s)", r->nsites - 1, r->nsites == 2 ? "" : "s");
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums}"
    "th,td{padding:2px 8px;border-bottom:1px solid #ddd;white-space:nowrap}"
    "td.n{text-align:right}th{background:#f3f3f3;cursor:pointer;"
    "user-select:none}th.asc::after{content:' \\25B2'}"
    "th.desc::after{content:' \\25BC'}"
    ".charts{display:flex;gap:3em;flex-wrap:wrap}.chart{min-width:420px}"
    ".bar{display:flex;align-items:center;margin:2px 0}"
    ".bar .l{width:260px;overflow:hidden;text-overflow:ellipsis;"
    "white-space:nowrap;font-size:12px}"
    ".bar .b{height:14px;background:#c0392b;margin:0 6px}"
    ".hold .bar .b{background:#2874a6}.bar .v{font-size:12px}"
    ".warn{color:#a00}details{margin:4px 0}svg text{font-size:9px}"
    "svg .w{fill:#c0392b}svg .h{fill:#2874a6}"
    ".cycle h3{font-size:1em;color:#c0392b;margin-bottom:.2em}"
    "table.lo th{cursor:default}";

/* Sorts a table by a column: numbers from data-v, text otherwise. */
static const char script[] =
    "(function(){'use strict';\n"
    "function sortBy(t,col,dir){var b=t.tBodies[0];"
    "var rs=Array.prototype.slice.call(b.rows);"
    "var th=t.tHead.rows[0].cells[col],num=th.dataset.type==='num';"
    "rs.sort(function(x,y){var a=x.cells[col],c=y.cells[col],r;"
    "if(num){r=Number(a.dataset.v)-Number(c.dataset.v);}"
    "else{r=a.textContent.localeCompare(c.textContent);}"
    "return dir==='asc'?r:-r;});"
    "rs.forEach(function(r){b.appendChild(r);});"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){"
    "h.classList.remove('asc','desc');});th.classList.add(dir);"
    "t.dataset.sortKey=th.dataset.key;t.dataset.sortDir=dir;"
    "document.body.dataset.liSorted=t.id+':'+th.dataset.key+':'+dir;}\n"
    "var tables=document.querySelectorAll('table.sortable');"
    "Array.prototype.forEach.call(tables,function(t){"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "th.addEventListener('click',function(){"
    "var d=th.classList.contains('desc')?'asc':'desc';sortBy(t,i,d);});});});\n"
    "var m=/^#sort=([a-z0-9_-]+)(?::(asc|desc))?$/.exec(location.hash);"
    "if(m){var t=document.getElementById('locks');if(t){"
    "Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){"
    "if(th.dataset.key===m[1])sortBy(t,i,m[2]||'desc');});}}\n"
    "document.body.dataset.liRows=String(document.querySelectorAll("
    "'#locks tbody tr').length);document.body.dataset.liReady='1';"
    "})();\n";

/* A numeric cell: the sort value and the text shown. */
static void num_cell(struct page *pg, uint64_t v, const char *shown) {
  fprintf(pg->f, "<td class=\"n\" data-v=\"%llu\">", (unsigned long long)v);
  name(pg, shown); /* "<0.01%" */
  fputs("</td>", pg->f);
}

static void count_cell(struct page *pg, uint64_t v) {
  char b[LI_FMT_MAX];
  snprintf(b, sizeof b, "%llu", (unsigned long long)v);
  num_cell(pg, v, b);
}

/* Total/avg/p99/max cells; "-" (sorting as 0) when nothing was measured.
 * rough: the total is an estimate from few samples, shown with `~`. */
static void hist_cells(struct page *pg, const struct li_hist *h, uint64_t total,
                       int rough) {
  char b[LI_FMT_MAX], m[LI_FMT_MAX + 1];
  if (h->count == 0) {
    for (int i = 0; i < 4; i++)
      num_cell(pg, 0, "-");
    return;
  }
  uint64_t avg = h->total_ns / h->count;
  uint64_t p99 = li_rep_hist_percentile(h->b, LI_HIST_BUCKETS, h->max_ns, 0.99);
  snprintf(m, sizeof m, "%s%s", rough ? "~" : "",
           li_rep_fmt_duration(b, total));
  num_cell(pg, total, m);
  num_cell(pg, avg, li_rep_fmt_duration(b, avg));
  num_cell(pg, p99, li_rep_fmt_duration(b, p99));
  num_cell(pg, h->max_ns, li_rep_fmt_duration(b, h->max_ns));
}

static void head_cell(struct page *pg, const char *key, const char *label,
                      int num) {
  fprintf(pg->f, "<th data-key=\"%s\"%s>%s</th>", key,
          num ? " data-type=\"num\"" : "", label);
}

static void lock_table_head(struct page *pg) {
  static const char *const cols[][2] = {
      {"acq", "acquisitions"},     {"cont", "contentions"},
      {"contpct", "cont %"},       {"wait", "wait total"},
      {"wait-avg", "wait avg"},    {"wait-p99", "wait p99"},
      {"wait-max", "wait max"},    {"hold", "hold total (est.)"},
      {"hold-avg", "hold avg"},    {"hold-p99", "hold p99"},
      {"hold-max", "hold max"},    {"hold-n", "hold samples"},
      {"tryfail", "try failures"}, {"timeouts", "timeouts"}};
  fputs("<table id=\"locks\" class=\"sortable\"><thead><tr>", pg->f);
  head_cell(pg, "location", "location", 0);
  head_cell(pg, "lock", "lock", 0);
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    head_cell(pg, cols[i][0], cols[i][1], 1);
  fputs("</tr></thead><tbody>\n", pg->f);
}

static void lock_row(struct page *pg, const struct li_row *r, size_t i) {
  char b[LI_FMT_MAX];
  /* the sort key of cont%, in millionths; a hostile profile can have far
   * more contentions than acquisitions, so clamp before converting */
  double ppm = r->acquisitions
                   ? 1e6 * (double)r->contentions / (double)r->acquisitions
                   : 0.0;
  uint64_t pct = ppm >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)ppm;
  fprintf(pg->f, "<tr id=\"row-%zu\"><td class=\"loc\">", i + 1);
  location(pg, r);
  fputs("</td><td class=\"lock\">", pg->f);
  name(pg, r->lock);
  fputs("</td>", pg->f);
  count_cell(pg, r->acquisitions);
  count_cell(pg, r->contentions);
  num_cell(pg, pct, li_rep_fmt_percent(b, r->contentions, r->acquisitions));
  hist_cells(pg, &r->wait, r->wait.total_ns, 0);
  hist_cells(pg, &r->hold, r->hold.est_ns, li_rep_hold_rough(r));
  count_cell(pg, r->hold.count);
  count_cell(pg, r->try_failures);
  count_cell(pg, r->timeouts);
  fputs("</tr>\n", pg->f);
}

static void cond_table(struct page *pg, const struct li_rows *rows) {
  fputs("<h2>Condition waits</h2><table id=\"conds\" class=\"sortable\">"
        "<thead><tr>",
        pg->f);
  head_cell(pg, "location", "location", 0);
  head_cell(pg, "lock", "lock", 0);
  head_cell(pg, "waits", "waits", 1);
  head_cell(pg, "timeouts", "timeouts", 1);
  head_cell(pg, "wait", "wait total", 1);
  head_cell(pg, "wait-avg", "wait avg", 1);
  head_cell(pg, "wait-p99", "wait p99", 1);
  head_cell(pg, "wait-max", "wait max", 1);
  fputs("</tr></thead><tbody>\n", pg->f);
  for (size_t i = 0; i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    fputs("<tr><td class=\"loc\">", pg->f);
    location(pg, r);
    fputs("</td><td class=\"lock\">", pg->f);
    name(pg, r->lock);
    fputs("</td>", pg->f);
    count_cell(pg, r->cond.count);
    count_cell(pg, r->timeouts);
    hist_cells(pg, &r->cond, r->cond.total_ns, 0);
    fputs("</tr>\n", pg->f);
  }
  fputs("</tbody></table>\n", pg->f);
}

/* A bar chart of the rows' wait (hold = 0) or estimated hold totals. */
static void bar_chart(struct page *pg, const struct li_rows *rows, int hold) {
  uint64_t top = 0;
  char b[LI_FMT_MAX];
  for (size_t i = 0; i < rows->n; i++) {
    uint64_t v = hold ? rows->v[i].hold.est_ns : rows->v[i].wait.total_ns;
    top = v > top ? v : top;
  }
  fprintf(pg->f,
          "<div class=\"chart %s\" id=\"chart-%s\"><h2>Top sites by "
          "%s</h2>\n",
          hold ? "hold" : "wait", hold ? "hold" : "wait",
          hold ? "hold time (estimated)" : "wait time");
  for (size_t i = 0; i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    uint64_t v = hold ? r->hold.est_ns : r->wait.total_ns;
    if (v == 0)
      continue;
    fputs("<div class=\"bar\"><span class=\"l\">", pg->f);
    location(pg, r);
    fprintf(pg->f,
            "</span><span class=\"b\" style=\"width:%.1fpx\"></span>"
            "<span class=\"v\">%s</span></div>\n",
            top ? 240.0 * (double)v / (double)top : 0.0,
            li_rep_fmt_duration(b, v));
  }
  if (top == 0)
    fputs("<p>nothing measured</p>\n", pg->f);
  fputs("</div>\n", pg->f);
}

/* Builds the chart rows (top sites by wait or hold) and draws them. */
static void charts(struct page *pg, const struct li_report *r) {
  fputs("<div class=\"charts\">\n", pg->f);
  for (int hold = 0; hold < 2; hold++) {
    struct li_view v = r->view;
    struct li_rows rows;
    v.sort = hold ? LI_SORT_HOLD : LI_SORT_WAIT;
    v.top = LI_HTML_CHART_ROWS;
    if (li_rep_rows_build(r->p, LI_SEC_LOCK, &v, &rows) != 0) {
      pg->oom = 1;
      break;
    }
    bar_chart(pg, &rows, hold);
    li_rep_rows_free(&rows);
  }
  fputs("</div>\n", pg->f);
}

/* An inline SVG of a log2 histogram's non-empty bucket range. */
static void hist_svg(struct page *pg, const struct li_hist *h, const char *cls,
                     const char *what) {
  size_t lo = LI_HIST_BUCKETS, hi = 0;
  uint64_t top = 0;
  char b1[LI_FMT_MAX], b2[LI_FMT_MAX];
  for (size_t i = 0; i < LI_HIST_BUCKETS; i++)
    if (h->b[i]) {
      lo = i < lo ? i : lo;
      hi = i;
      top = h->b[i] > top ? h->b[i] : top;
    }
  if (top == 0) {
    fprintf(pg->f, "<span>%s: nothing measured</span> ", what);
    return;
  }
  size_t n = hi - lo + 1, w = 14;
  fprintf(pg->f,
          "<figure><figcaption>%s</figcaption><svg width=\"%zu\" "
          "height=\"90\">",
          what, n * w + 10);
  for (size_t i = lo; i <= hi; i++) {
    double bh = 60.0 * (double)h->b[i] / (double)top;
    uint64_t from = i ? (uint64_t)1 << i : 0, to = (uint64_t)2 << i;
    fprintf(pg->f,
            "<rect class=\"%s\" x=\"%zu\" y=\"%.1f\" width=\"%zu\" "
            "height=\"%.1f\"><title>[%s, %s): %llu</title></rect>",
            cls, (i - lo) * w + 5, 70.0 - bh, w - 2, bh,
            li_rep_fmt_duration(b1, from),
            i >= 63 ? "∞" : li_rep_fmt_duration(b2, to),
            (unsigned long long)h->b[i]);
    if ((i - lo) % 4 == 0)
      fprintf(pg->f, "<text x=\"%zu\" y=\"84\">%s</text>", (i - lo) * w + 5,
              li_rep_fmt_duration(b1, from));
  }
  fputs("</svg></figure>", pg->f);
}

static void histograms(struct page *pg, const struct li_rows *rows) {
  fputs("<h2>Histograms (log2 buckets)</h2>\n", pg->f);
  for (size_t i = 0; i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    fprintf(pg->f, "<details id=\"hist-%zu\"><summary>", i + 1);
    location(pg, r);
    fputs(" &mdash; ", pg->f);
    name(pg, r->lock);
    fputs("</summary>", pg->f);
    hist_svg(pg, &r->wait, "w", "wait");
    hist_svg(pg, &r->hold, "h", "hold (sampled)");
    fputs("</details>\n", pg->f);
  }
}

/* The rows of one class edge's site pairs (nest: one class column). */
static void pair_rows(struct page *pg, const struct li_lo_graph *g,
                      const struct li_cedge *e, int nest) {
  for (size_t i = 0; i < e->npairs && i < LI_LO_PAIRS_SHOWN; i++) {
    const struct li_edge *x = e->pairs[i];
    fprintf(pg->f, "<tr><td class=\"n\">%llu</td><td class=\"lock\">",
            (unsigned long long)x->count);
    name(pg, g->names[e->from]);
    fputs(strcmp(x->from_site->mode, "read") == 0 ? " (read)" : "", pg->f);
    fputs("</td><td class=\"loc\">", pg->f);
    char *loc = li_rep_site_location(x->from_site);
    name(pg, loc ? loc : "");
    pg->oom |= loc == NULL;
    free(loc);
    if (!nest) {
      fputs("</td><td class=\"lock\">", pg->f);
      name(pg, g->names[e->to]);
      fputs(strcmp(x->to_site->mode, "read") == 0 ? " (read)" : "", pg->f);
    }
    fputs("</td><td class=\"loc\">", pg->f);
    loc = li_rep_site_location(x->to_site);
    name(pg, loc ? loc : "");
    pg->oom |= loc == NULL;
    free(loc);
    fprintf(pg->f, "</td><td class=\"n\">%llu</td></tr>\n",
            (unsigned long long)x->thread);
  }
  if (e->npairs > LI_LO_PAIRS_SHOWN)
    fprintf(pg->f, "<tr><td colspan=\"%d\">(+%zu more site pairs)</td></tr>\n",
            nest ? 5 : 6, e->npairs - LI_LO_PAIRS_SHOWN);
}

static void lo_table_head(struct page *pg, int nest) {
  fputs(nest ? "<table class=\"lo\"><thead><tr><th>count</th><th>class</th>"
               "<th>held at</th><th>acquired at</th><th>thread</th></tr>"
               "</thead><tbody>\n"
             : "<table class=\"lo\"><thead><tr><th>count</th><th>held</th>"
               "<th>held at</th><th>acquired</th><th>acquired at</th>"
               "<th>thread</th></tr></thead><tbody>\n",
        pg->f);
}

static void cycle_block(struct page *pg, const struct li_lo_graph *g,
                        size_t k) {
  const struct li_cycle *c = &g->cycles[k];
  char *path = li_rep_cycle_path(g, c, " \xe2\x86\x92 ");
  char *html = path ? li_rep_html_escape(path) : NULL;
  pg->oom |= html == NULL;
  fprintf(pg->f,
          "<div class=\"cycle\" id=\"cycle-%zu\"><h3>Cycle %zu: %s</h3>"
          "<p>%zu classes; least-taken edge %llu times, all edges "
          "%llu</p>\n",
          k + 1, k + 1, html ? html : "", c->n, (unsigned long long)c->min,
          (unsigned long long)c->sum);
  free(path);
  free(html);
  lo_table_head(pg, 0);
  for (size_t i = 0; i < c->n; i++)
    pair_rows(pg, g, &g->ce[c->ce[i]], 0);
  fputs("</tbody></table></div>\n", pg->f);
}

/* The lock-order sections: potential deadlocks and same-class nesting. */
static void lock_order(struct page *pg, const struct li_report *r) {
  struct li_lo_graph g;
  fputs("<h2 id=\"deadlocks\">Potential deadlocks (lock-order cycles)</h2>\n",
        pg->f);
  if (r->p->lo.nedges == 0) {
    fputs("<p>No lock was acquired while another was held.</p>\n", pg->f);
    return;
  }
  if (li_rep_lo_analyze(&r->p->lo, r->max_cycles, &g) != 0) {
    pg->oom = 1;
    return;
  }
  size_t top = r->view.top, nc = top && top < g.ncycles ? top : g.ncycles;
  size_t nn = top && top < g.nnest ? top : g.nnest;
  if (g.ncycles == 0)
    fprintf(pg->f,
            "<p id=\"no-cycle\">No cycle (%zu classes, %zu edges).</p>\n",
            g.nnodes, g.nedges);
  else
    fprintf(pg->f,
            "<p>Ranked by the least-taken edge, then by all edges (%zu of "
            "%zu%s).</p>\n",
            nc, g.ncycles, g.truncated ? "+" : "");
  if (g.truncated)
    fprintf(pg->f,
            "<p class=\"warn\">The cycle search stopped after %zu "
            "cycles; there may be more (see --max-cycles).</p>\n",
            g.ncycles);
  for (size_t i = 0; i < nc; i++)
    cycle_block(pg, &g, i);
  if (g.nnest > 0) {
    fprintf(pg->f,
            "<h2 id=\"nesting\">Same-class nesting (%zu of %zu)</h2>\n<p>Two "
            "locks of one class held at once: safe only under an ordering "
            "rule the tool cannot see.</p>\n",
            nn, g.nnest);
    lo_table_head(pg, 1);
    for (size_t i = 0; i < nn; i++)
      pair_rows(pg, &g, &g.ce[g.nest[i]], 1);
    fputs("</tbody></table>\n", pg->f);
  }
  li_rep_lo_graph_free(&g);
}

static void header(struct page *pg, const struct li_report *r) {
  char *line = li_rep_summary_line(r->p);
  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>lockinstr report: ",
        pg->f);
  name(pg, r->p->program ? r->p->program : "");
  fprintf(pg->f,
          "</title>\n<style>%s</style></head>\n<body>\n"
          "<h1>lockinstr report</h1>\n<p id=\"summary\">",
          css);
  name(pg, line ? line : "");
  fputs("</p>\n", pg->f);
  pg->oom |= line == NULL;
  free(line);
  if (r->p->dropped_events || r->p->dropped_sites)
    fprintf(pg->f,
            "<p class=\"warn\">The runtime dropped %llu events and "
            "%llu sites; numbers are lower bounds.</p>\n",
            (unsigned long long)r->p->dropped_events,
            (unsigned long long)r->p->dropped_sites);
}

int li_rep_write_html(FILE *f, const struct li_report *r, struct li_err *err) {
  struct page pg = {f, 0};
  struct li_rows locks, conds;
  if (li_rep_rows_build(r->p, LI_SEC_LOCK, &r->view, &locks) != 0)
    pg.oom = 1;
  else if (li_rep_rows_build(r->p, LI_SEC_COND, &r->view, &conds) != 0) {
    li_rep_rows_free(&locks);
    pg.oom = 1;
  }
  if (!pg.oom) {
    header(&pg, r);
    charts(&pg, r);
    fprintf(f, "<h2>Lock acquisitions by %s (%zu of %zu)</h2>\n",
            r->view.by == LI_BY_SITE ? "call site" : "lock class", locks.n,
            locks.total);
    lock_table_head(&pg);
    for (size_t i = 0; i < locks.n; i++)
      lock_row(&pg, &locks.v[i], i);
    fputs("</tbody></table>\n", f);
    if (conds.total > 0)
      cond_table(&pg, &conds);
    lock_order(&pg, r);
    histograms(&pg, &locks);
    fprintf(f, "<script>%s</script>\n</body></html>\n", script);
    li_rep_rows_free(&locks);
    li_rep_rows_free(&conds);
  }
  if (pg.oom)
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
  return pg.oom ? -1 : 0;
}
