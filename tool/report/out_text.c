/*
 * out_text.c — the default output: aligned tables for a terminal.
 *
 * In the spirit of lock_stat and mutrace: one row per call site (or lock
 * class), numbers right-aligned in human units, the location and the lock
 * name last and left-aligned. Cells are built as strings first (a small
 * table of malloc'd strings, at most --top rows) so that column widths can
 * be measured before anything is printed. Every name is sanitized and
 * names longer than LI_TEXT_NAME_MAX columns are shortened with "…".
 *
 * By default a table of sites fits LI_TEXT_WIDTH columns: the lock section
 * shows the columns people read first (DEFAULT_COLS) and the location and
 * lock names share what the numbers leave (fit_names); --wide shows every
 * column and whole names (up to LI_TEXT_NAME_MAX).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "outputs.h"

#ifndef LI_TEXT_NAME_MAX
#define LI_TEXT_NAME_MAX 100 /* columns; longer names end in "…" */
#endif
#ifndef LI_TEXT_WIDTH
#define LI_TEXT_WIDTH 120 /* columns of a table without --wide */
#endif
#define LI_TEXT_NAME_MIN 20 /* fit_names never cuts a name below this */
#define MAX_COLS 17

struct table {
  const char *head[MAX_COLS];
  int left[MAX_COLS]; /* left-aligned column */
  int hide[MAX_COLS]; /* filled but not printed */
  size_t ncols, nrows;
  char **cell; /* nrows * ncols */
  int oom;
};

/* malloc'd printf; NULL when out of memory. */
static char *fmt(const char *f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  char *s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s != NULL) {
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
  }
  return s;
}

/* Byte offset of code point k of s (or of its end). */
static size_t cp_offset(const char *s, size_t k) {
  size_t at = 0, seen = 0;
  for (; s[at]; at++)
    if ((s[at] & 0xc0) != 0x80 && seen++ == k)
      return at;
  return at;
}

char *li_rep_shorten(char *s, size_t cols, int middle) {
  size_t w = s ? li_rep_text_width(s) : 0;
  if (s == NULL || w <= cols || cols == 0)
    return s;
  size_t tail = middle ? (cols - 1) / 2 : 0, head = cols - 1 - tail;
  size_t len = strlen(s), at = cp_offset(s, head);
  size_t from = cp_offset(s, w - tail); /* the kept end; len when none */
  char *t = malloc(at + sizeof "…" + (len - from));
  if (t != NULL) {
    memcpy(t, s, at);
    memcpy(t + at, "…", sizeof "…" - 1);
    memcpy(t + at + sizeof "…" - 1, s + from, len - from + 1);
  }
  free(s);
  return t;
}

/* Cuts a sanitized name (malloc'd; consumed) to LI_TEXT_NAME_MAX columns. */
static char *shorten(char *s) {
  return li_rep_shorten(s, LI_TEXT_NAME_MAX, 0);
}

char *li_rep_site_location(const struct li_site *s) {
  char *file = li_rep_sanitize(s->file), *fn = li_rep_sanitize(s->function);
  char *loc = NULL;
  if (file != NULL && fn != NULL)
    loc = fn[0] ? fmt("%s:%u %s", file, s->line, fn)
                : fmt("%s:%u", file, s->line);
  free(file);
  free(fn);
  return loc;
}

/* The location column of a row: the site, plus "(+N sites)" for a class. */
static char *row_location(const struct li_row *r) {
  char *loc = li_rep_site_location(r->site);
  if (loc == NULL || r->nsites <= 1)
    return shorten(loc);
  char *more =
      fmt("%s (+%zu site%s)", loc, r->nsites - 1, r->nsites == 2 ? "" : "s");
  free(loc);
  return shorten(more);
}

static void put(struct table *t, size_t row, size_t col, char *s) {
  if (s == NULL)
    t->oom = 1;
  t->cell[row * t->ncols + col] = s;
}

static char *dur(uint64_t ns) {
  char b[LI_FMT_MAX];
  return strdup(li_rep_fmt_duration(b, ns));
}

/* Total, avg, p99 and max of a histogram into 4 cells from col; "-" when
 * nothing was measured. rough: the total is an estimate from few samples,
 * marked `~`. */
static void put_hist(struct table *t, size_t row, size_t col,
                     const struct li_hist *h, uint64_t total, int rough) {
  char b[LI_FMT_MAX];
  if (h->count == 0) {
    for (size_t i = 0; i < 4; i++)
      put(t, row, col + i, strdup("-"));
    return;
  }
  put(t, row, col,
      rough ? fmt("~%s", li_rep_fmt_duration(b, total)) : dur(total));
  put(t, row, col + 1, dur(h->total_ns / h->count));
  put(t, row, col + 2,
      dur(li_rep_hist_percentile(h->b, LI_HIST_BUCKETS, h->max_ns, 0.99)));
  put(t, row, col + 3, dur(h->max_ns));
}

static void table_init(struct table *t, const char *const *head,
                       const int *left, size_t ncols, size_t nrows) {
  memset(t, 0, sizeof *t);
  t->ncols = ncols;
  t->nrows = nrows;
  for (size_t i = 0; i < ncols; i++) {
    t->head[i] = head[i];
    t->left[i] = left[i];
  }
  t->cell = calloc(nrows * ncols + 1, sizeof *t->cell);
  t->oom = t->cell == NULL;
}

static void table_free(struct table *t) {
  for (size_t i = 0; t->cell && i < t->nrows * t->ncols; i++)
    free(t->cell[i]);
  free(t->cell);
}

/* Prints one cell padded to width w; the last column is not padded. */
static void print_cell(FILE *f, const char *s, size_t w, int left, int last) {
  size_t pad = w - li_rep_text_width(s);
  if (!left)
    fprintf(f, "%*s", (int)pad, "");
  fputs(s, f);
  if (left && !last)
    fprintf(f, "%*s", (int)pad, "");
  fputs(last ? "\n" : "  ", f);
}

/* Fills w with the width of every column (header and cells). */
static void col_widths(const struct table *t, size_t *w) {
  for (size_t c = 0; c < t->ncols; c++) {
    w[c] = li_rep_text_width(t->head[c]);
    for (size_t r = 0; r < t->nrows; r++) {
      size_t cw = li_rep_text_width(t->cell[r * t->ncols + c]);
      w[c] = cw > w[c] ? cw : w[c];
    }
  }
}

static void table_print(FILE *f, const struct table *t) {
  size_t w[MAX_COLS], last = 0;
  col_widths(t, w);
  for (size_t c = 0; c < t->ncols; c++)
    last = t->hide[c] ? last : c;
  for (size_t c = 0; c < t->ncols; c++)
    if (!t->hide[c])
      print_cell(f, t->head[c], w[c], t->left[c], c == last);
  for (size_t r = 0; r < t->nrows; r++)
    for (size_t c = 0; c < t->ncols; c++)
      if (!t->hide[c])
        print_cell(f, t->cell[r * t->ncols + c], w[c], t->left[c], c == last);
}

/* Cuts column c's cells to cols columns (middle: keep both ends). */
static void cut_column(struct table *t, size_t c, size_t cols, int middle) {
  for (size_t r = 0; r < t->nrows; r++)
    put(t, r, c, li_rep_shorten(t->cell[r * t->ncols + c], cols, middle));
}

/*
 * Makes a table whose last two columns are a location and a lock name fit
 * `width` columns: when the rows are wider, the lock gets at most half of
 * what the other columns leave (all of it it needs when it is narrower)
 * and the location the rest, neither below LI_TEXT_NAME_MIN. A location
 * loses its middle ("src/server/wor…214 handle_read", keeping where the
 * file starts and the function), a lock name its end. Numbers are never cut, so
 * a table can still be wider than width when they alone are.
 */
static void fit_names(struct table *t, size_t width) {
  size_t w[MAX_COLS], used = 0, loc = t->ncols - 2, lock = t->ncols - 1;
  col_widths(t, w);
  for (size_t c = 0; c < loc; c++)
    used += t->hide[c] ? 0 : w[c] + 2;
  size_t avail = width > used + 2 ? width - used - 2 : 0;
  if (w[loc] + w[lock] <= avail)
    return;
  size_t half = avail / 2 > LI_TEXT_NAME_MIN ? avail / 2 : LI_TEXT_NAME_MIN;
  size_t k = w[lock] < half ? w[lock] : half;
  if (avail > w[loc] + k) /* a short location leaves the lock more */
    k = w[lock] < avail - w[loc] ? w[lock] : avail - w[loc];
  size_t l = avail > k + LI_TEXT_NAME_MIN ? avail - k : LI_TEXT_NAME_MIN;
  cut_column(t, loc, l, 1);
  cut_column(t, lock, k, 0);
}

/* Fits the names when `fit` (fit_names), prints and frees t. Returns 0,
 * or -1 when an allocation failed while filling it (nothing printed). */
static int table_finish(FILE *f, struct table *t, int fit) {
  if (!t->oom && fit)
    fit_names(t, LI_TEXT_WIDTH);
  if (!t->oom)
    table_print(f, t);
  int rc = t->oom ? -1 : 0;
  table_free(t);
  return rc;
}

static char *u64s(uint64_t v) {
  return fmt("%llu", (unsigned long long)v);
}

/* The lock table's columns, and the ones shown without --wide. */
enum { COL_TIMEOUTS = 13, COL_ERRORS = 14, LOCK_COLS = 17 };
static const char *const lock_head[LOCK_COLS] = {
    "acq",      "cont",     "cont%",    "wait-total", "wait-avg", "wait-p99",
    "wait-max", "hold-est", "hold-avg", "hold-p99",   "hold-max", "hold-n",
    "tryfail",  "timeouts", "errors",   "location",   "lock"};
static const int lock_left[LOCK_COLS] = {0, 0, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 0, 1, 1};
static const int lock_default[LOCK_COLS] = {1, 1, 1, 1, 0, 0, 1, 1, 1,
                                            0, 0, 1, 0, 1, 1, 1, 1};

/* Fills every column of the lock table. */
static void fill_locks(struct table *t, const struct li_rows *rows) {
  char b[LI_FMT_MAX];
  for (size_t i = 0; i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    size_t c = 0;
    put(t, i, c++, u64s(r->acquisitions));
    if (r->cont_unknown) { /* never a 0 that nobody measured */
      put(t, i, c++, strdup("-"));
      put(t, i, c++, strdup("-"));
    } else {
      put(t, i, c++, u64s(r->contentions));
      put(t, i, c++,
          strdup(li_rep_fmt_percent(b, r->contentions, r->acquisitions)));
    }
    put_hist(t, i, c, &r->wait, r->wait.total_ns, 0);
    put_hist(t, i, c + 4, &r->hold, r->hold.est_ns, li_rep_hold_rough(r));
    c += 8;
    put(t, i, c++, u64s(r->hold.count));
    put(t, i, c++, u64s(r->try_failures));
    put(t, i, c++, u64s(r->timeouts));
    put(t, i, c++, u64s(r->errors));
    put(t, i, c++, row_location(r));
    put(t, i, c++, shorten(li_rep_sanitize(r->lock)));
  }
}

/* The lock table: -v shows timeouts and errors; without --wide only
 * lock_default's columns, fitted to LI_TEXT_WIDTH. */
static int print_locks(FILE *f, const struct li_rows *rows,
                       const struct li_report *r) {
  struct table t;
  table_init(&t, lock_head, lock_left, LOCK_COLS, rows->n);
  for (size_t c = 0; c < LOCK_COLS; c++)
    t.hide[c] = !r->wide && !lock_default[c];
  t.hide[COL_TIMEOUTS] = t.hide[COL_ERRORS] = !r->verbose;
  if (!t.oom)
    fill_locks(&t, rows);
  int rc = table_finish(f, &t, !r->wide);
  for (size_t i = 0; rc == 0 && i < rows->n; i++)
    if (rows->v[i].cont_unknown) {
      fputs("cont -: not measured: a lock wrapper without a try whose body "
            "lockinstr did not instrument (docs/configuration.md, \"Lock "
            "wrappers\")\n",
            f);
      break;
    }
  return rc;
}

static int print_conds(FILE *f, const struct li_rows *rows, int wide) {
  static const char *const head[] = {"waits",    "timeouts", "wait-total",
                                     "wait-avg", "wait-p99", "wait-max",
                                     "location", "lock"};
  static const int left[] = {0, 0, 0, 0, 0, 0, 1, 1};
  struct table t;
  table_init(&t, head, left, 8, rows->n);
  for (size_t i = 0; !t.oom && i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    put(&t, i, 0, u64s(r->cond.count));
    put(&t, i, 1, u64s(r->timeouts));
    put_hist(&t, i, 2, &r->cond, r->cond.total_ns, 0);
    put(&t, i, 6, row_location(r));
    put(&t, i, 7, shorten(li_rep_sanitize(r->lock)));
  }
  return table_finish(f, &t, !wide);
}

static int print_others(FILE *f, const struct li_rows *rows, int wide) {
  static const char *const head[] = {"kind", "releases", "errors", "location",
                                     "lock"};
  static const int left[] = {1, 0, 0, 1, 1};
  struct table t;
  table_init(&t, head, left, 5, rows->n);
  for (size_t i = 0; !t.oom && i < rows->n; i++) {
    const struct li_row *r = &rows->v[i];
    put(&t, i, 0, strdup(r->nsites > 1 ? "(class)" : r->site->kind));
    put(&t, i, 1, u64s(r->releases));
    put(&t, i, 2, u64s(r->errors));
    put(&t, i, 3, row_location(r));
    put(&t, i, 4, shorten(li_rep_sanitize(r->lock)));
  }
  return table_finish(f, &t, !wide);
}

/* Describes the rate history of a single profile whose rate changed into
 * buf: "hold sampled 1 in 100 from 0s, 1 in 1 from 520ms, off from 1.10s",
 * and how many older changes it did not keep. */
static void rate_history_text(char *buf, size_t n, const struct li_profile *p) {
  size_t len = 0;
  if (p->rates_dropped)
    len += (size_t)snprintf(buf, n,
                            "hold sampled (%llu earlier rate%s not "
                            "kept) ",
                            (unsigned long long)p->rates_dropped,
                            p->rates_dropped == 1 ? "" : "s");
  else
    len += (size_t)snprintf(buf, n, "hold sampled ");
  for (size_t i = 0; i < p->nrates && len < n; i++) {
    char d[LI_FMT_MAX], r[32];
    if (p->rates[i].rate)
      snprintf(r, sizeof r, "1 in %llu", (unsigned long long)p->rates[i].rate);
    else
      snprintf(r, sizeof r, "off");
    len += (size_t)snprintf(buf + len, n - len, "%s%s from %s", i ? ", " : "",
                            r, li_rep_fmt_duration(d, p->rates[i].from_ns));
  }
}

/* Describes the hold sampling rate(s) of the merged runs into buf: the
 * history when one profile's rate changed during its run. */
static void rate_text(char *buf, size_t n, const struct li_profile *p) {
  unsigned long long lo = p->rate_min, hi = p->rate_max;
  if (p->merged_from == 1 && (p->nrates > 1 || p->rates_dropped))
    rate_history_text(buf, n, p);
  else if (hi == 0)
    snprintf(buf, n, "hold sampling off");
  else if (lo == hi)
    snprintf(buf, n, "hold sampled 1 in %llu", hi);
  else if (lo == 0)
    snprintf(buf, n, "hold sampled 1 in up to %llu, off in some runs", hi);
  else
    snprintf(buf, n, "hold sampled 1 in %llu..%llu (mixed)", lo, hi);
}

char *li_rep_summary_line(const struct li_profile *p) {
  char rate[1024];
  char *prog = li_rep_sanitize(p->program ? p->program : "");
  char *clock = li_rep_sanitize(p->clock ? p->clock : "");
  char *line = NULL;
  rate_text(rate, sizeof rate, p);
  if (prog != NULL && clock != NULL) {
    char d[LI_FMT_MAX];
    line = fmt("program %s, %llu profile%s, duration %s, %llu threads, %s, "
               "clock %s",
               prog, (unsigned long long)p->merged_from,
               p->merged_from == 1 ? "" : "s",
               li_rep_fmt_duration(d, p->duration_ns),
               (unsigned long long)p->threads, rate, clock[0] ? clock : "?");
  }
  free(prog);
  free(clock);
  return line;
}

/* Names every site whose releases ended a hold taken under another key. */
static void print_key_mismatches(FILE *f, const struct li_profile *p) {
  const struct li_site *s;
  char *loc;
  for (s = p->sites; s; s = s->hh.next) {
    if (!s->key_mismatches)
      continue;
    loc = li_rep_site_location(s);
    fprintf(f,
            "warning: %llu releases by %s at %s named a lock their thread "
            "did not hold; each ended the thread's most recent hold of a "
            "configured API instead: the lock and unlock calls name the "
            "lock differently (docs/runtime.md, \"Held-lock stack\")\n",
            (unsigned long long)s->key_mismatches, s->api, loc ? loc : "?");
    free(loc);
  }
}

/* Says what the runtime lost, if anything. */
static void print_dropped(FILE *f, const struct li_profile *p) {
#define LI_X_(field, key)                                                      \
  if (p->dropped_##field)                                                      \
    fprintf(f,                                                                 \
            "warning: the runtime dropped %llu %s; numbers are lower "         \
            "bounds\n",                                                        \
            (unsigned long long)p->dropped_##field, key);
  LI_X_(events, "events")
  LI_X_(sites, "sites")
  LI_X_(held_overflow, "held-lock records")
#undef LI_X_
  if (p->dropped_unlock_not_held)
    fprintf(f, "warning: %llu releases of a lock the thread did not hold\n",
            (unsigned long long)p->dropped_unlock_not_held);
  if (p->dropped_edges)
    fprintf(f,
            "warning: the runtime dropped %llu lock-order edges (its edge "
            "table was full); cycles through them are not shown\n",
            (unsigned long long)p->dropped_edges);
  if (p->dropped_stale_held)
    fprintf(f,
            "note: %llu held-lock records were found untrue (the lock was "
            "released by another thread: a hand-off) and gave no lock-order "
            "edge\n",
            (unsigned long long)p->dropped_stale_held);
  print_key_mismatches(f, p);
}

/* Prints a section title: "Locks by call site, sorted by wait (2 of 9)". */
static void print_title(FILE *f, const char *what, const struct li_view *v,
                        const struct li_rows *rows, const char *sort) {
  fprintf(f, "\n%s by %s, sorted by %s (%zu of %zu)\n", what,
          v->by == LI_BY_SITE ? "call site" : "lock class", sort, rows->n,
          rows->total);
}

/* Builds, titles and prints one section. Returns 0, or -1 out of memory. */
static int section(FILE *f, const struct li_report *r, enum li_section sec) {
  struct li_rows rows;
  if (li_rep_rows_build(r->p, sec, &r->view, &rows) != 0)
    return -1;
  int rc = 0;
  if (sec == LI_SEC_LOCK) {
    print_title(f, "Lock acquisitions", &r->view, &rows,
                li_rep_sort_name(r->view.sort));
    if (rows.n == 0)
      fputs(r->view.min_wait ? "(no site reaches --min-wait)\n"
                             : "(no lock was acquired)\n",
            f);
    else
      rc = print_locks(f, &rows, r);
  } else if (sec == LI_SEC_COND && rows.total > 0) {
    print_title(f, "Condition waits", &r->view, &rows,
                r->view.sort <= LI_SORT_HOLD ? "wait" : "waits");
    rc = print_conds(f, &rows, r->wide);
  } else if (sec == LI_SEC_OTHER && rows.total > 0) {
    print_title(f, "Release, init and destroy calls", &r->view, &rows, "calls");
    rc = print_others(f, &rows, r->wide);
  }
  li_rep_rows_free(&rows);
  return rc;
}

char *li_rep_cycle_path(const struct li_lo_graph *g, const struct li_cycle *c,
                        const char *arrow) {
  size_t len = 1;
  char **names = calloc(c->n + 1, sizeof *names);
  int oom = names == NULL;
  for (size_t i = 0; !oom && i <= c->n; i++) {
    const struct li_cedge *e = &g->ce[c->ce[i % c->n]];
    names[i] = li_rep_sanitize(g->names[e->from]);
    oom = names[i] == NULL;
    len += oom ? 0 : strlen(names[i]) + strlen(arrow);
  }
  char *path = oom ? NULL : malloc(len);
  if (path != NULL) {
    path[0] = '\0';
    for (size_t i = 0; i <= c->n; i++) {
      strcat(path, names[i]);
      if (i < c->n)
        strcat(path, arrow);
    }
  }
  for (size_t i = 0; names && i <= c->n; i++)
    free(names[i]);
  free(names);
  return path;
}

/* A class cell of a lock-order row: the class, and " (read)" when the
 * site took it as a reader (a cycle of read locks only cannot deadlock
 * readers among themselves). */
static char *class_cell(const char *name, const struct li_site *s) {
  char *clean = li_rep_sanitize(name);
  if (clean == NULL || strcmp(s->mode, "read") != 0)
    return shorten(clean);
  char *cell = fmt("%s (read)", clean);
  free(clean);
  return shorten(cell);
}

/* Rows of one class edge's site pairs (at most LI_LO_PAIRS_SHOWN, then a
 * row for the rest) into t from row *row. nest: one class column. */
static void fill_pairs(struct table *t, size_t *row,
                       const struct li_lo_graph *g, const struct li_cedge *e,
                       int nest) {
  uint64_t rest = 0;
  for (size_t i = 0; i < e->npairs; i++) {
    const struct li_edge *x = e->pairs[i];
    if (i >= LI_LO_PAIRS_SHOWN) {
      rest = li_rep_add_sat(rest, x->count);
      continue;
    }
    size_t c = 0, r = (*row)++;
    put(t, r, c++, u64s(x->count));
    put(t, r, c++, class_cell(g->names[e->from], x->from_site));
    put(t, r, c++, shorten(li_rep_site_location(x->from_site)));
    if (!nest)
      put(t, r, c++, class_cell(g->names[e->to], x->to_site));
    put(t, r, c++, shorten(li_rep_site_location(x->to_site)));
    put(t, r, c++, u64s(x->thread));
  }
  if (e->npairs > LI_LO_PAIRS_SHOWN) {
    size_t r = (*row)++;
    put(t, r, 0, u64s(rest));
    put(t, r, 1, fmt("(+%zu more site pairs)", e->npairs - LI_LO_PAIRS_SHOWN));
    for (size_t c = 2; c < t->ncols; c++)
      put(t, r, c, strdup(""));
  }
}

/* Number of table rows a class edge takes. */
static size_t pair_rows(const struct li_cedge *e) {
  return e->npairs > LI_LO_PAIRS_SHOWN ? LI_LO_PAIRS_SHOWN + 1 : e->npairs;
}

static int print_cycle(FILE *f, const struct li_lo_graph *g, size_t k) {
  static const char *const head[] = {"count",    "held",        "held at",
                                     "acquired", "acquired at", "thread"};
  static const int left[] = {0, 1, 1, 1, 1, 0};
  const struct li_cycle *c = &g->cycles[k];
  char *path = li_rep_cycle_path(g, c, " -> ");
  if (path == NULL)
    return -1;
  fprintf(f,
          "\ncycle %zu: %s (%zu classes; least-taken edge %llu times, all "
          "edges %llu)\n",
          k + 1, path, c->n, (unsigned long long)c->min,
          (unsigned long long)c->sum);
  free(path);
  size_t rows = 0, row = 0;
  for (size_t i = 0; i < c->n; i++)
    rows += pair_rows(&g->ce[c->ce[i]]);
  struct table t;
  table_init(&t, head, left, 6, rows);
  for (size_t i = 0; !t.oom && i < c->n; i++)
    fill_pairs(&t, &row, g, &g->ce[c->ce[i]], 0);
  return table_finish(f, &t, 0);
}

static int print_nesting(FILE *f, const struct li_lo_graph *g, size_t n) {
  static const char *const head[] = {"count", "class", "held at", "acquired at",
                                     "thread"};
  static const int left[] = {0, 1, 1, 1, 0};
  size_t rows = 0, row = 0;
  for (size_t i = 0; i < n; i++)
    rows += pair_rows(&g->ce[g->nest[i]]);
  struct table t;
  table_init(&t, head, left, 5, rows);
  for (size_t i = 0; !t.oom && i < n; i++)
    fill_pairs(&t, &row, g, &g->ce[g->nest[i]], 1);
  return table_finish(f, &t, 0);
}

/* The lock-order sections: potential deadlocks, then same-class nesting. */
static int lock_order(FILE *f, const struct li_report *r) {
  struct li_lo_graph g;
  if (r->p->lo.nedges == 0) {
    fputs("\nLock order: no lock was acquired while another was held\n", f);
    return 0;
  }
  if (li_rep_lo_analyze(&r->p->lo, r->max_cycles, &g) != 0)
    return -1;
  size_t top = r->view.top, nc = top && top < g.ncycles ? top : g.ncycles;
  size_t nn = top && top < g.nnest ? top : g.nnest;
  int rc = 0;
  if (g.ncycles == 0)
    fprintf(f, "\nLock order: no cycle (%zu class%s, %zu edge%s)\n", g.nnodes,
            g.nnodes == 1 ? "" : "es", g.nedges, g.nedges == 1 ? "" : "s");
  else
    fprintf(f,
            "\nPotential deadlocks: lock-order cycles, ranked by least-taken "
            "edge (%zu of %zu%s)\n",
            nc, g.ncycles, g.truncated ? "+" : "");
  if (g.truncated)
    fprintf(f,
            "warning: the cycle search stopped after %zu cycles; there may "
            "be more (see --max-cycles)\n",
            g.ncycles);
  for (size_t i = 0; rc == 0 && i < nc; i++)
    rc = print_cycle(f, &g, i);
  if (rc == 0 && g.nnest > 0) {
    fprintf(f,
            "\nSame-class nesting: two locks of one class held at once, safe "
            "only under an ordering rule the tool cannot see (%zu of %zu)\n",
            nn, g.nnest);
    rc = print_nesting(f, &g, nn);
  }
  li_rep_lo_graph_free(&g);
  return rc;
}

int li_rep_write_text(FILE *f, const struct li_report *r, struct li_err *err) {
  char *line = li_rep_summary_line(r->p);
  int rc = line ? 0 : -1;
  if (line != NULL)
    fprintf(f, "lockinstr report: %s\n", line);
  free(line);
  if (rc == 0)
    print_dropped(f, r->p);
  rc = rc ? rc : section(f, r, LI_SEC_LOCK);
  rc = rc ? rc : section(f, r, LI_SEC_COND);
  rc = rc ? rc : (r->verbose ? section(f, r, LI_SEC_OTHER) : 0);
  rc = rc ? rc : lock_order(f, r);
  if (rc != 0)
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
  return rc;
}
