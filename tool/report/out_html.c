/*
 * out_html.c — `--format html`: one self-contained page.
 *
 * No network resource of any kind: CSS and JavaScript are inline, charts
 * are CSS bars and inline SVG (out_svg.c). The page has the run summary,
 * bar charts of the top sites by wait and by hold, the lock table (in a box
 * of its own that scrolls under a sticky header, with the API and mode of
 * each row and the hold samples next to the hold estimate; sortable: click
 * a header; `#sort=<column>` in the URL sorts on load), the condition-wait
 * table, the lock-order graph drawn by the tool, the lock-order cycles
 * (potential deadlocks) and same-class nestings with their site pairs,
 * and, per row, the log2 wait and hold histograms with axes. The page is
 * laid out to fit a 1,400-pixel window: wide tables scroll inside their
 * box, pictures scale down. Every name from
 * the profile goes through li_rep_html_name() (sanitized, then HTML-escaped);
 * the script reads only numbers from data-v attributes and moves existing
 * rows, so no profile text is ever interpreted as markup or code. When the
 * script has run, <body> carries data-li-ready="1" (and data-li-sorted
 * names the sort applied, data-li-scroll-width and data-li-viewport the
 * page's width and the window's), which the tests check in a headless
 * browser.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "out_svg.h"
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
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;"
    "overflow-wrap:anywhere}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}"
    "h3{font-size:1em}"
    ".tbox{max-width:100%;max-height:75vh;overflow:auto;"
    "border:1px solid #ccc}"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;"
    "font-size:13px}"
    "th,td{padding:2px 4px;border-bottom:1px solid #ddd;white-space:nowrap}"
    "td.loc,td.lock{white-space:normal;min-width:11em;max-width:24em;"
    "overflow-wrap:anywhere}"
    "td.api{font-family:ui-monospace,monospace;font-size:12px}"
    "td.n{text-align:right}th{background:#f3f3f3;cursor:pointer;"
    "user-select:none;position:sticky;top:0;z-index:1;white-space:normal;"
    "vertical-align:bottom;box-shadow:0 1px 0 #bbb;overflow-wrap:normal}"
    "th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}"
    "td.rough{color:#a05a00}"
    ".charts{display:flex;gap:3em;flex-wrap:wrap}.chart{min-width:420px}"
    ".bar{display:flex;align-items:center;margin:2px 0}"
    ".bar .l{width:260px;overflow:hidden;text-overflow:ellipsis;"
    "white-space:nowrap;font-size:12px}"
    ".bar .b{height:14px;background:#c0392b;margin:0 6px}"
    ".hold .bar .b{background:#2874a6}.bar .v{font-size:12px}"
    ".warn{color:#a00}details{margin:4px 0}"
    ".hists{display:flex;flex-wrap:wrap;gap:2em}figure{margin:.5em 0}"
    "figcaption{font-size:12px;color:#555}"
    "svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif}"
    "svg .w{fill:#c0392b}svg .h{fill:#2874a6}svg .ax{stroke:#444}"
    "svg .grid{stroke:#e4e4e4}svg .yl{text-anchor:end}"
    "svg .xl,svg .at{text-anchor:middle}svg .at{fill:#555}"
    ".lg text{font-size:12px;text-anchor:middle}"
    ".lg .node rect{fill:#fff;stroke:#555}"
    ".lg .node.cyc rect{fill:#fdecea;stroke:#c0392b;stroke-width:2}"
    ".lg .edge path{fill:none;stroke:#777;stroke-width:1.3;"
    "marker-end:url(#li-a)}"
    ".lg .edge.cyc path{stroke:#c0392b;stroke-width:2.5;"
    "marker-end:url(#li-ac)}"
    ".lg .edge.nest path{stroke:#e67e22;stroke-dasharray:5 3;"
    "marker-end:url(#li-an)}"
    ".lg .edge text{paint-order:stroke;stroke:#fff;stroke-width:3px}"
    ".lg .edge.cyc text{fill:#c0392b;font-weight:bold}"
    ".lg .edge:hover path{stroke-width:3.5}"
    ".cycle h3{color:#c0392b;margin-bottom:.2em}"
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
    "var d=document.body.dataset;"
    "d.liRows=String(document.querySelectorAll('#locks tbody tr').length);"
    "d.liScrollWidth=String(document.documentElement.scrollWidth);"
    "d.liViewport=String(window.innerWidth);d.liReady='1';"
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

/* A total cell: "-" (sorting as 0) when nothing was measured. */
static void total_cell(struct page *pg, const struct li_hist *h,
                       uint64_t total) {
  char b[LI_FMT_MAX];
  num_cell(pg, h->count ? total : 0,
           h->count ? li_rep_fmt_duration(b, total) : "-");
}

/* Avg, p99 and max cells; "-" when nothing was measured. */
static void stat_cells(struct page *pg, const struct li_hist *h) {
  char b[LI_FMT_MAX];
  if (h->count == 0) {
    for (int i = 0; i < 3; i++)
      num_cell(pg, 0, "-");
    return;
  }
  uint64_t avg = h->total_ns / h->count;
  uint64_t p99 = li_rep_hist_percentile(h->b, LI_HIST_BUCKETS, h->max_ns, 0.99);
  num_cell(pg, avg, li_rep_fmt_duration(b, avg));
  num_cell(pg, p99, li_rep_fmt_duration(b, p99));
  num_cell(pg, h->max_ns, li_rep_fmt_duration(b, h->max_ns));
}

/* The hold estimate and its sample count side by side: the estimate with
 * `~` when it is a rough one (li_rep_hold_rough, as in the text report)
 * and a tooltip saying what it rests on. */
static void hold_cells(struct page *pg, const struct li_row *r) {
  char b[LI_FMT_MAX];
  int rough = li_rep_hold_rough(r);
  if (r->hold.count == 0) {
    num_cell(pg, 0, "-");
  } else {
    fprintf(pg->f,
            "<td class=\"n%s\" data-v=\"%llu\" title=\"estimated from %llu "
            "sampled hold%s%s\">%s%s</td>",
            rough ? " rough" : "", (unsigned long long)r->hold.est_ns,
            (unsigned long long)r->hold.count, r->hold.count == 1 ? "" : "s",
            rough ? " (few: a rough estimate)" : "", rough ? "~" : "",
            li_rep_fmt_duration(b, r->hold.est_ns));
  }
  count_cell(pg, r->hold.count);
  stat_cells(pg, &r->hold);
}

/* A header cell: sort key, label, tooltip (all static text). */
static void head_cell(struct page *pg, const char *key, const char *label,
                      const char *title, int num) {
  fprintf(pg->f, "<th data-key=\"%s\"%s title=\"%s\">%s</th>", key,
          num ? " data-type=\"num\"" : "", title, label);
}

static void lock_table_head(struct page *pg) {
  static const char *const cols[][3] = {
      {"location", "location", "file:line function of the call"},
      {"lock", "lock", "the lock class, else the lock expression"},
      {"api", "API", "the function called"},
      {"mode", "mode", "excl, read or write"},
      {"acq", "acq", "acquisitions"},
      {"cont", "cont", "contended acquisitions (had to wait)"},
      {"contpct", "cont %", "contended / acquisitions"},
      {"wait", "wait total", "time blocked acquiring"},
      {"wait-avg", "wait avg", "average contended wait"},
      {"wait-p99", "wait p99", "99th percentile of the waits"},
      {"wait-max", "wait max", "longest wait"},
      {"hold", "hold total (est.)",
       "estimated total hold time; ~ = few "
       "samples"},
      {"hold-n", "hold n", "sampled holds the hold columns rest on"},
      {"hold-avg", "hold avg", "average sampled hold"},
      {"hold-p99", "hold p99", "99th percentile of the sampled holds"},
      {"hold-max", "hold max", "longest sampled hold"},
      {"tryfail", "try fail", "trylock calls that found the lock busy"},
      {"timeouts", "time&shy;outs", "timed acquisitions that timed out"}};
  fputs("<div class=\"tbox\" id=\"locks-box\"><table id=\"locks\" "
        "class=\"sortable\"><thead><tr>",
        pg->f);
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    head_cell(pg, cols[i][0], cols[i][1], cols[i][2], i >= 4);
  fputs("</tr></thead><tbody>\n", pg->f);
}

/* The API and mode of each class: its sites' common value, or "mixed". */
struct kind {
  const char *name, *api, *mode; /* not owned */
  UT_hash_handle hh;
};

static const char mixed[] = "mixed";

/* Collects every class's API and mode (by-class rows only; by site the
 * site's own are shown). Returns 0, or -1 out of memory. */
static int kinds_build(const struct li_profile *p, struct kind **kinds) {
  for (const struct li_site *s = p->sites; s != NULL; s = s->hh.next) {
    const char *name = li_rep_site_lock_name(s);
    struct kind *k = NULL;
    if (!li_rep_site_in_section(s, LI_SEC_LOCK))
      continue;
    HASH_FIND_STR(*kinds, name, k);
    if (k == NULL) {
      k = malloc(sizeof *k);
      if (k == NULL)
        return -1;
      *k = (struct kind){name, s->api, s->mode, {0}};
      HASH_ADD_KEYPTR(hh, *kinds, k->name, strlen(k->name), k);
    }
    k->api = strcmp(k->api, s->api) == 0 ? k->api : mixed;
    k->mode = strcmp(k->mode, s->mode) == 0 ? k->mode : mixed;
  }
  return 0;
}

static void kinds_free(struct kind **kinds) {
  struct kind *k, *tmp;
  HASH_ITER(hh, *kinds, k, tmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(*kinds, k);
    free(k);
  }
}

/* The API and mode cells of a row: the site's, or its class's. */
static void api_cells(struct page *pg, const struct li_row *r,
                      struct kind *kinds) {
  const char *api = r->site->api, *mode = r->site->mode;
  struct kind *k = NULL;
  if (r->nsites > 1) {
    HASH_FIND_STR(kinds, r->lock, k);
    api = k ? k->api : mixed;
    mode = k ? k->mode : mixed;
  }
  fputs("<td class=\"api\">", pg->f);
  name(pg, api);
  fputs("</td><td class=\"mode\">", pg->f);
  name(pg, mode);
  fputs("</td>", pg->f);
}

static void lock_row(struct page *pg, const struct li_row *r, size_t i,
                     struct kind *kinds) {
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
  api_cells(pg, r, kinds);
  count_cell(pg, r->acquisitions);
  count_cell(pg, r->contentions);
  num_cell(pg, pct, li_rep_fmt_percent(b, r->contentions, r->acquisitions));
  total_cell(pg, &r->wait, r->wait.total_ns);
  stat_cells(pg, &r->wait);
  hold_cells(pg, r);
  count_cell(pg, r->try_failures);
  count_cell(pg, r->timeouts);
  fputs("</tr>\n", pg->f);
}

static void cond_table(struct page *pg, const struct li_rows *rows) {
  fputs("<h2>Condition waits</h2><div class=\"tbox\"><table id=\"conds\" "
        "class=\"sortable\"><thead><tr>",
        pg->f);
  head_cell(pg, "location", "location", "file:line function of the wait", 0);
  head_cell(pg, "lock", "lock", "the mutex's class", 0);
  head_cell(pg, "waits", "waits", "condition waits that returned", 1);
  head_cell(pg, "timeouts", "timeouts", "timed waits that timed out", 1);
  head_cell(pg, "wait", "wait total", "time blocked in the wait", 1);
  head_cell(pg, "wait-avg", "wait avg", "average wait", 1);
  head_cell(pg, "wait-p99", "wait p99", "99th percentile of the waits", 1);
  head_cell(pg, "wait-max", "wait max", "longest wait", 1);
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
    total_cell(pg, &r->cond, r->cond.total_ns);
    stat_cells(pg, &r->cond);
    fputs("</tr>\n", pg->f);
  }
  fputs("</tbody></table></div>\n", pg->f);
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

static void histograms(struct page *pg, const struct li_rows *rows) {
  fputs("<h2>Histograms (log2 buckets)</h2>\n", pg->f);
  for (size_t i = 0; i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    fprintf(pg->f, "<details id=\"hist-%zu\"%s><summary>", i + 1,
            i == 0 ? " open" : "");
    location(pg, r);
    fputs(" &mdash; ", pg->f);
    name(pg, r->lock);
    fputs("</summary><div class=\"hists\">", pg->f);
    li_rep_svg_hist(pg->f, &r->wait, "w", "wait per contended acquisition");
    li_rep_svg_hist(pg->f, &r->hold, "h", "hold per sampled acquisition");
    fputs("</div></details>\n", pg->f);
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
  fputs(nest ? "<div class=\"tbox\"><table "
               "class=\"lo\"><thead><tr><th>count</th><th>class</th>"
               "<th>held at</th><th>acquired at</th><th>thread</th></tr>"
               "</thead><tbody>\n"
             : "<div class=\"tbox\"><table "
               "class=\"lo\"><thead><tr><th>count</th><th>held</th>"
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
  fputs("</tbody></table></div></div>\n", pg->f);
}

/* The lock-order graph, drawn by the tool, with its legend. */
static void graph(struct page *pg, const struct li_lo_graph *g) {
  fputs("<h3 id=\"lo-graph-title\">Lock-order graph</h3>\n<p "
        "class=\"legend\">An arrow A &rarr; B: a thread acquired B while it "
        "held A (the number is how often; hover an arrow for the call "
        "sites, a box for the whole class name). <span style=\"color:"
        "#c0392b\">Red</span>: on a cycle, a potential deadlock; <span "
        "style=\"color:#e67e22\">orange dashed loop</span>: same-class "
        "nesting.</p>\n",
        pg->f);
  if (li_rep_svg_lock_graph(pg->f, g) != 0)
    pg->oom = 1;
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
  graph(pg, &g);
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
    fputs("</tbody></table></div>\n", pg->f);
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
  struct kind *kinds = NULL;
  if (r->view.by == LI_BY_CLASS && kinds_build(r->p, &kinds) != 0)
    pg.oom = 1;
  else if (li_rep_rows_build(r->p, LI_SEC_LOCK, &r->view, &locks) != 0)
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
      lock_row(&pg, &locks.v[i], i, kinds);
    fputs("</tbody></table></div>\n", f);
    if (conds.total > 0)
      cond_table(&pg, &conds);
    lock_order(&pg, r);
    histograms(&pg, &locks);
    fprintf(f, "<script>%s</script>\n</body></html>\n", script);
    li_rep_rows_free(&locks);
    li_rep_rows_free(&conds);
  }
  kinds_free(&kinds);
  if (pg.oom)
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
  return pg.oom ? -1 : 0;
}
