/*
 * diff_rows.c — matching the rows of two runs and the numbers compared
 * (see diff.h).
 *
 * A row's identity is a string: by class, the class name; by site, the
 * site's file (canonical, below), function, expression, API and kind,
 * NUL-separated, then its rank among the rows with the same fields
 * ordered by line and column. So a site whose lines moved still matches,
 * and of two identical calls in one function the first matches the first.
 * A file's canonical name drops leading "./" and "../" components, and an
 * absolute path becomes the longest relative path (of either side) that it
 * ends with at a '/' (the make, CMake and meson spellings of one file).
 */
#include "diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const struct li_metric_info li_metrics[LI_M_COUNT] = {
    [LI_M_WAIT] = {"wait", LI_U_NS, 1},
    [LI_M_WAIT_P99] = {"wait-p99", LI_U_NS, 0},
    [LI_M_WAIT_MAX] = {"wait-max", LI_U_NS, 0},
    [LI_M_CONT] = {"contentions", LI_U_COUNT, 1},
    [LI_M_CONT_RATE] = {"contention-rate", LI_U_PPM, 0},
    [LI_M_HOLD] = {"hold", LI_U_NS, 1},
    [LI_M_HOLD_P99] = {"hold-p99", LI_U_NS, 0},
    [LI_M_ACQ] = {"acquisitions", LI_U_COUNT, 1},
};

enum li_metric li_metric_find(const char *name) {
  for (int m = 0; m < LI_M_COUNT; m++)
    if (strcmp(name, li_metrics[m].name) == 0)
      return (enum li_metric)m;
  return LI_M_COUNT;
}

/* A row being matched: its identity and where it came from. */
struct keyed {
  char *fields; /* the identity without the rank */
  size_t rank;  /* among the rows of its side with the same fields */
  const struct li_row *row;
  int side; /* 0 base, 1 new */
};

/* The file name without leading "./" and "../" components. */
static const char *strip_dots(const char *f) {
  for (;;) {
    if (strncmp(f, "./", 2) == 0)
      f += 2;
    else if (strncmp(f, "../", 3) == 0)
      f += 3;
    else
      return f;
  }
}

/* One distinct file name of either side and its canonical name. */
struct li_diff_file {
  const char *file;  /* as recorded (points into a site) */
  const char *canon; /* into file, or into another file's name */
  UT_hash_handle hh;
};

/* Whether relative name o ends absolute name f at a '/'. */
static int ends_with(const char *f, const char *o) {
  size_t lf = strlen(f), lo = strlen(o);
  return lo < lf && f[lf - lo - 1] == '/' && strcmp(f + lf - lo, o) == 0;
}

/* The longest relative name among files that absolute path f ends with,
 * or NULL. */
static const char *relative_match(const char *f,
                                  const struct li_diff_file *files) {
  const char *best = NULL;
  for (const struct li_diff_file *o = files; o != NULL; o = o->hh.next) {
    const char *r = strip_dots(o->file);
    if (r[0] != '/' && (!best || strlen(r) > strlen(best)) && ends_with(f, r))
      best = r;
  }
  return best;
}

/* f without the longest project prefix learnt from an absolute file that
 * matched a relative name (its name minus that relative name), or NULL. */
static const char *prefix_match(const char *f,
                                const struct li_diff_file *files) {
  const char *best = NULL;
  size_t longest = 0;
  for (const struct li_diff_file *a = files; a != NULL; a = a->hh.next) {
    const char *fa = strip_dots(a->file);
    if (fa[0] != '/' || a->canon == fa)
      continue; /* relative, or not matched */
    size_t lp = strlen(fa) - strlen(a->canon);
    if (lp > longest && strncmp(f, fa, lp) == 0 && f[lp] != '\0') {
      best = f + lp;
      longest = lp;
    }
  }
  return best;
}

/* Adds every distinct file of rows to *files. 0 or -1. */
static int collect_files(struct li_diff_file **files,
                         const struct li_rows *rows) {
  for (size_t i = 0; i < rows->n; i++) {
    const char *f = rows->v[i].site->file;
    struct li_diff_file *e = NULL;
    HASH_FIND_STR(*files, f, e);
    if (e != NULL)
      continue;
    if ((e = calloc(1, sizeof *e)) == NULL)
      return -1;
    e->file = f;
    e->canon = strip_dots(f);
    HASH_ADD_KEYPTR(hh, *files, f, strlen(f), e);
  }
  return 0;
}

/* Builds d->files: every file of both sides with its canonical name (see
 * the top of this file): absolute names that end with a relative name
 * first, then the other absolute names, by the project prefix the first
 * ones show (so a file only the CMake build has is named like the make
 * build's). Returns 0 or -1. */
static int map_files(struct li_diff *d) {
  if (collect_files(&d->files, &d->base.rows) != 0 ||
      collect_files(&d->files, &d->next.rows) != 0)
    return -1;
  for (struct li_diff_file *e = d->files; e != NULL; e = e->hh.next)
    if (e->canon[0] == '/') {
      const char *r = relative_match(e->canon, d->files);
      e->canon = r ? r : e->canon;
    }
  for (struct li_diff_file *e = d->files; e != NULL; e = e->hh.next)
    if (e->canon[0] == '/') {
      const char *r = prefix_match(e->canon, d->files);
      e->canon = r ? r : e->canon;
    }
  return 0;
}

/* The canonical name of a file of either side (map_files). */
static const char *canonical(const char *file, const struct li_diff *d) {
  struct li_diff_file *e = NULL;
  HASH_FIND_STR(d->files, file, e);
  return e ? e->canon : file;
}

void li_diff_free_files(struct li_diff *d) {
  struct li_diff_file *e, *tmp;
  HASH_ITER(hh, d->files, e, tmp) {
    HASH_DEL(d->files, e);
    free(e);
  }
}

/* The identity fields of row r (without the rank), malloc'ed. */
static char *identity(const struct li_diff *d, const struct li_row *r) {
  if (d->by == LI_BY_CLASS)
    return strdup(r->lock);
  const struct li_site *s = r->site;
  const char *f[] = {canonical(s->file, d), s->function, s->expr, s->api,
                     s->kind};
  size_t len = 1;
  for (size_t i = 0; i < 5; i++)
    len += strlen(f[i]) + 1;
  char *k = malloc(len), *p = k;
  for (size_t i = 0; k != NULL && i < 5; i++) {
    size_t l = strlen(f[i]);
    memcpy(p, f[i], l);
    p[l] = '\x1f';
    p += l + 1;
  }
  if (k != NULL)
    *p = '\0';
  return k;
}

static int cmp_u32(uint32_t a, uint32_t b) {
  return (a > b) - (a < b);
}

/* Side, fields, line, column: the order that ranks a side's rows of one
 * identity. */
static int cmp_ranking(const void *pa, const void *pb) {
  const struct keyed *a = pa, *b = pb;
  int c = a->side - b->side;
  if (c == 0)
    c = strcmp(a->fields, b->fields);
  if (c == 0)
    c = cmp_u32(a->row->site->line, b->row->site->line);
  if (c == 0)
    c = cmp_u32(a->row->site->column, b->row->site->column);
  return c;
}

/* Fields, rank, side: a matched pair ends up adjacent, base first. */
static int cmp_matching(const void *pa, const void *pb) {
  const struct keyed *a = pa, *b = pb;
  int c = strcmp(a->fields, b->fields);
  if (c == 0)
    c = (a->rank > b->rank) - (a->rank < b->rank);
  if (c == 0)
    c = a->side - b->side;
  return c;
}

/* Every row of both sides with its identity and rank, sorted so that
 * matched rows are adjacent (cmp_matching). NULL out of memory. */
static struct keyed *keyed_rows(const struct li_diff *d, size_t *n) {
  const struct li_rows *sides[2] = {&d->base.rows, &d->next.rows};
  struct keyed *k = calloc(sides[0]->n + sides[1]->n + 1, sizeof *k);
  size_t m = 0;
  for (int s = 0; k != NULL && s < 2; s++)
    for (size_t i = 0; i < sides[s]->n; i++) {
      k[m].row = &sides[s]->v[i];
      k[m].side = s;
      k[m].fields = identity(d, k[m].row);
      if (k[m++].fields == NULL) {
        *n = m;
        return k; /* the caller sees the NULL field */
      }
    }
  if (k == NULL)
    return NULL;
  qsort(k, m, sizeof *k, cmp_ranking);
  for (size_t i = 1; i < m; i++)
    if (k[i].side == k[i - 1].side && strcmp(k[i].fields, k[i - 1].fields) == 0)
      k[i].rank = k[i - 1].rank + 1;
  qsort(k, m, sizeof *k, cmp_matching);
  *n = m;
  return k;
}

static void keyed_free(struct keyed *k, size_t n) {
  for (size_t i = 0; k != NULL && i < n; i++)
    free(k[i].fields);
  free(k);
}

/* The compared numbers of row r (NULL: all 0); the totals times `scale`
 * (per second), or divided by the row's acquisitions (per acquisition). */
static void metrics(const struct li_row *r, double scale, enum li_diff_per per,
                    double *out) {
  memset(out, 0, LI_M_COUNT * sizeof *out);
  if (r == NULL)
    return;
  uint64_t hold =
      li_rep_hold_bound(r->hold.est_ns, r->acquisitions, r->hold.max_ns);
  out[LI_M_WAIT] = (double)r->wait.total_ns;
  out[LI_M_WAIT_P99] = (double)li_rep_hist_percentile(
      r->wait.b, LI_HIST_BUCKETS, r->wait.max_ns, 0.99);
  out[LI_M_WAIT_MAX] = (double)r->wait.max_ns;
  out[LI_M_CONT] = (double)r->contentions;
  out[LI_M_CONT_RATE] =
      r->acquisitions ? 1e6 * (double)r->contentions / (double)r->acquisitions
                      : 0;
  out[LI_M_HOLD] = (double)hold;
  out[LI_M_HOLD_P99] = (double)li_rep_hist_percentile(
      r->hold.b, LI_HIST_BUCKETS, r->hold.max_ns, 0.99);
  out[LI_M_ACQ] = (double)r->acquisitions;
  if (per == LI_PER_ACQ)
    scale = r->acquisitions ? 1 / (double)r->acquisitions : 0;
  for (int m = 0; m < LI_M_COUNT; m++)
    if (li_metrics[m].total && !(per == LI_PER_ACQ && m == LI_M_ACQ))
      out[m] *= scale;
}

/* Sorting context (qsort has no user pointer; the command is
 * single-threaded). */
static enum li_metric sort_metric;

static int cmp_rows(const void *pa, const void *pb) {
  const struct li_diff_row *a = pa, *b = pb;
  double da = fabs(a->n[sort_metric] - a->b[sort_metric]);
  double db = fabs(b->n[sort_metric] - b->b[sort_metric]);
  if (da != db)
    return da < db ? 1 : -1;
  const struct li_row *ra = a->next ? a->next : a->base;
  const struct li_row *rb = b->next ? b->next : b->base;
  int c = strcmp(ra->site->file, rb->site->file);
  return c ? c : cmp_u32(ra->site->line, rb->site->line);
}

/* The scales that bring both sides' totals to what is compared: 1 per
 * run, 1e9 / duration per second (1 when a duration is unknown). */
static void scales(const struct li_diff *d, double scale[2]) {
  double b = (double)d->base.p.duration_ns, n = (double)d->next.p.duration_ns;
  int second = d->per == LI_PER_SECOND;
  scale[0] = second && b > 0 ? 1e9 / b : 1;
  scale[1] = second && n > 0 ? 1e9 / n : 1;
}

/* Appends the row (base, next) to d->v (sized by the caller). */
static void add_row(struct li_diff *d, const struct li_row *base,
                    const struct li_row *next, const double scale[2]) {
  struct li_diff_row *r = &d->v[d->n++];
  r->base = base;
  r->next = next;
  r->status = base && next ? LI_DIFF_CHANGED
              : base       ? LI_DIFF_REMOVED
                           : LI_DIFF_ADDED;
  metrics(base, scale[0], d->per, r->b);
  metrics(next, scale[1], d->per, r->n);
  d->counts[r->status]++;
}

int li_diff_match(struct li_diff *d, enum li_metric sort) {
  size_t n = 0;
  double scale[2];
  if (map_files(d) != 0)
    return -1;
  struct keyed *k = keyed_rows(d, &n);
  for (size_t i = 0; k != NULL && i < n; i++)
    if (k[i].fields == NULL) {
      keyed_free(k, n);
      return -1;
    }
  d->v = k ? calloc(n + 1, sizeof *d->v) : NULL;
  if (d->v == NULL) {
    keyed_free(k, n);
    return -1;
  }
  scales(d, scale);
  for (size_t i = 0; i < n; i++) {
    int pair = i + 1 < n && k[i].side == 0 && k[i + 1].side == 1 &&
               k[i].rank == k[i + 1].rank &&
               strcmp(k[i].fields, k[i + 1].fields) == 0;
    if (pair)
      add_row(d, k[i].row, k[i + 1].row, scale);
    else
      add_row(d, k[i].side ? NULL : k[i].row, k[i].side ? k[i].row : NULL,
              scale);
    i += pair;
  }
  keyed_free(k, n);
  sort_metric = sort;
  qsort(d->v, d->n, sizeof *d->v, cmp_rows);
  return 0;
}

const char *li_diff_where(const struct li_diff *d, const struct li_diff_row *r,
                          char *buf, size_t n) {
  const struct li_row *row = r->next ? r->next : r->base;
  if (d->by == LI_BY_CLASS)
    snprintf(buf, n, "%s", row->lock);
  else if (r->base && r->next && r->base->site->line != r->next->site->line)
    snprintf(buf, n, "%s:%u %s (was line %u)", canonical(row->site->file, d),
             row->site->line, row->site->function, r->base->site->line);
  else
    snprintf(buf, n, "%s:%u %s", canonical(row->site->file, d), row->site->line,
             row->site->function);
  return buf;
}
