/*
 * rows.c — grouping, filtering and sorting rows (see rows.h).
 *
 * Grouping by class uses a small open hash (uthash) keyed by the lock
 * name and a row array grown per class; its memory is bounded by the
 * number of classes. Rows by site are sorted as pointers and only the
 * --top shown become rows (build_by_site).
 */
#include "rows.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const sort_names[] = {"wait", "hold", "contentions",
                                         "acquisitions"};

const char *li_rep_sort_name(enum li_sort s) {
  return sort_names[s];
}

const char *li_rep_site_lock_name(const struct li_site *s) {
  return s->lock_class[0] ? s->lock_class : s->expr;
}

int li_rep_site_in_section(const struct li_site *s, enum li_section sec) {
  int cond = s->kind_id == LOCKINSTR_KIND_CONDWAIT ||
             s->kind_id == LOCKINSTR_KIND_CONDTIMEDWAIT;
  int other = s->kind_id == LOCKINSTR_KIND_RELEASE ||
              s->kind_id == LOCKINSTR_KIND_INIT ||
              s->kind_id == LOCKINSTR_KIND_DESTROY;
  switch (sec) {
  case LI_SEC_LOCK:
    if (other)
      return 0;
    return !cond || s->acquisitions > 0 || s->contentions > 0;
  case LI_SEC_COND:
    return cond || s->cond.count > 0;
  case LI_SEC_OTHER:
    return other;
  }
  return 0;
}

uint64_t li_rep_hold_bound(uint64_t est_ns, uint64_t acq, uint64_t max_ns) {
  uint64_t bound =
      max_ns && acq > UINT64_MAX / max_ns ? UINT64_MAX : acq * max_ns;
  return est_ns < bound ? est_ns : bound;
}

int li_rep_hold_rough(const struct li_row *r) {
  return r->hold.count > 0 && r->hold.count < LI_REP_FEW_SAMPLES &&
         r->hold.count < r->acquisitions;
}

/* How much site s weighs in section sec, to choose a row's representative
 * site: the wait that section is about (lock wait, condition wait), or
 * the calls for the other calls. */
static uint64_t section_weight(const struct li_site *s, enum li_section sec) {
  switch (sec) {
  case LI_SEC_LOCK:
    return s->wait.total_ns;
  case LI_SEC_COND:
    return s->cond.total_ns;
  case LI_SEC_OTHER:
    break;
  }
  return li_rep_add_sat(s->releases, s->acquisitions);
}

/* Adds site s into row r of section sec; the site's hold estimate clamped
 * (li_rep_hold_bound). The row's representative (r->site, named in
 * "--by class") is the site that weighs most in this section
 * (section_weight), then the one with most acquisitions. */
static void row_add(struct li_row *r, const struct li_site *s,
                    enum li_section sec) {
  struct li_shist hold = s->hold;
#define LI_X_(name, field, where, merge, doc)                                  \
  r->name = LI_REP_MERGE_##merge(r->name, s->name);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  hold.est_ns = li_rep_hold_bound(hold.est_ns, s->acquisitions, hold.max_ns);
  li_rep_hist_add_site(&r->wait, &s->wait);
  li_rep_hist_add_site(&r->hold, &hold);
  li_rep_hist_add_site(&r->cond, &s->cond);
  r->cont_unknown |= s->cont_unknown;
  r->nsites++;
  uint64_t w = section_weight(s, sec);
  if (r->site == NULL || w > section_weight(r->site, sec) ||
      (w == section_weight(r->site, sec) &&
       s->acquisitions > r->site->acquisitions))
    r->site = s;
}

/* One class while grouping. */
struct group {
  const char *name;
  size_t row; /* index into the row array */
  UT_hash_handle hh;
};

/* Rows while grouping by class: grown as classes appear, so a profile of
 * many sites in few classes holds few rows. */
struct growing {
  struct li_row *v;
  size_t n, cap;
};

/* Returns the row index for s's group, creating the row if needed, or
 * (size_t)-1 out of memory. */
static size_t group_row(struct group **groups, struct growing *rows,
                        const struct li_site *s) {
  const char *name = li_rep_site_lock_name(s);
  struct group *g = NULL;
  HASH_FIND_STR(*groups, name, g);
  if (g != NULL)
    return g->row;
  if (rows->n == rows->cap) {
    size_t cap = rows->cap ? 2 * rows->cap : 16;
    struct li_row *grown = realloc(rows->v, cap * sizeof *grown);
    if (grown == NULL)
      return (size_t)-1;
    rows->v = grown;
    rows->cap = cap;
  }
  g = malloc(sizeof *g);
  if (g == NULL)
    return (size_t)-1;
  g->name = name;
  g->row = rows->n;
  HASH_ADD_KEYPTR(hh, *groups, g->name, strlen(g->name), g);
  memset(&rows->v[rows->n], 0, sizeof rows->v[rows->n]);
  rows->v[rows->n].lock = name;
  return rows->n++;
}

static void groups_free(struct group **groups) {
  struct group *g, *tmp;
  HASH_ITER(hh, *groups, g, tmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(*groups, g);
    free(g);
  }
}

/* Sorting context: qsort has no user pointer, and the report is single-
 * threaded, so the key lives in a file-scope variable for one call. */
static enum li_sort sort_key;
static enum li_section sort_sec;

/* The sort value of a row or a site (they share the field names). */
#define KEY_OF(r)                                                              \
  sort_value((r)->cond.total_ns, (r)->cond.count,                              \
             li_rep_add_sat((r)->releases, (r)->acquisitions),                 \
             (r)->wait.total_ns,                                               \
             li_rep_hold_bound((r)->hold.est_ns, (r)->acquisitions,            \
                               (r)->hold.max_ns),                              \
             (r)->contentions, (r)->acquisitions)

static uint64_t sort_value(uint64_t cond_total, uint64_t cond_count,
                           uint64_t calls, uint64_t wait, uint64_t hold,
                           uint64_t cont, uint64_t acq) {
  if (sort_sec == LI_SEC_COND)
    return sort_key <= LI_SORT_HOLD ? cond_total : cond_count;
  if (sort_sec == LI_SEC_OTHER)
    return calls;
  switch (sort_key) {
  case LI_SORT_WAIT:
    return wait;
  case LI_SORT_HOLD:
    return hold;
  case LI_SORT_CONTENTIONS:
    return cont;
  case LI_SORT_ACQ:
    return acq;
  }
  return 0;
}

static int cmp_u64_desc(uint64_t a, uint64_t b) {
  return a > b ? -1 : a < b ? 1 : 0;
}

/* Key desc, acquisitions desc, then file, line, column, lock name. */
static int cmp_common(uint64_t ka, uint64_t kb, uint64_t acq_a, uint64_t acq_b,
                      const struct li_site *a, const struct li_site *b,
                      const char *lock_a, const char *lock_b) {
  int c = cmp_u64_desc(ka, kb);
  if (c == 0)
    c = cmp_u64_desc(acq_a, acq_b);
  if (c == 0)
    c = strcmp(a->file, b->file);
  if (c == 0)
    c = cmp_u64_desc(b->line, a->line);
  if (c == 0)
    c = cmp_u64_desc(b->column, a->column);
  if (c == 0)
    c = strcmp(lock_a, lock_b);
  return c;
}

static int cmp_rows(const void *pa, const void *pb) {
  const struct li_row *a = pa, *b = pb;
  return cmp_common(KEY_OF(a), KEY_OF(b), a->acquisitions, b->acquisitions,
                    a->site, b->site, a->lock, b->lock);
}

static int cmp_sites(const void *pa, const void *pb) {
  const struct li_site *a = *(const struct li_site *const *)pa;
  const struct li_site *b = *(const struct li_site *const *)pb;
  return cmp_common(KEY_OF(a), KEY_OF(b), a->acquisitions, b->acquisitions, a,
                    b, li_rep_site_lock_name(a), li_rep_site_lock_name(b));
}

/* The wait --min-wait compares with in a section. */
#define SECTION_WAIT(r, sec)                                                   \
  ((sec) == LI_SEC_COND   ? (r)->cond.total_ns                                 \
   : (sec) == LI_SEC_LOCK ? (r)->wait.total_ns                                 \
                          : UINT64_MAX)

/*
 * The rows by site: the sites are filtered and sorted as pointers, and rows
 * (three full histograms each) are made for the --top shown only, so a
 * profile of a million sites costs a million pointers here, not a million
 * rows.
 */
static int build_by_site(const struct li_profile *p, enum li_section sec,
                         const struct li_view *view, struct li_rows *out) {
  const struct li_site **v = calloc(p->nsites + 1, sizeof *v);
  size_t n = 0;
  if (v == NULL)
    return -1;
  for (const struct li_site *s = p->sites; s != NULL; s = s->hh.next)
    if (li_rep_site_in_section(s, sec) &&
        SECTION_WAIT(s, sec) >= view->min_wait)
      v[n++] = s;
  qsort(v, n, sizeof *v, cmp_sites);
  out->total = n;
  out->n = view->top && view->top < n ? view->top : n;
  out->v = calloc(out->n + 1, sizeof *out->v);
  for (size_t i = 0; out->v != NULL && i < out->n; i++) {
    out->v[i].lock = li_rep_site_lock_name(v[i]);
    row_add(&out->v[i], v[i], sec);
  }
  free(v);
  return out->v ? 0 : -1;
}

/* Keeps the rows whose section wait reaches min_wait. */
static size_t filter_rows(struct li_row *v, size_t n, enum li_section sec,
                          uint64_t min_wait) {
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    if (SECTION_WAIT(&v[i], sec) >= min_wait)
      v[kept++] = v[i];
  }
  return kept;
}

int li_rep_rows_build(const struct li_profile *p, enum li_section sec,
                      const struct li_view *view, struct li_rows *out) {
  struct group *groups = NULL;
  const struct li_site *s;
  size_t n = 0;
  memset(out, 0, sizeof *out);
  sort_key = view->sort;
  sort_sec = sec;
  if (view->by == LI_BY_SITE)
    return build_by_site(p, sec, view, out);
  struct growing rows = {NULL, 0, 0};
  for (s = p->sites; s != NULL; s = s->hh.next) {
    if (!li_rep_site_in_section(s, sec))
      continue;
    size_t i = group_row(&groups, &rows, s);
    if (i == (size_t)-1) {
      groups_free(&groups);
      free(rows.v);
      return -1;
    }
    row_add(&rows.v[i], s, sec);
  }
  groups_free(&groups);
  assert(rows.n <= p->nsites);
  out->v = rows.v ? rows.v : calloc(1, sizeof *out->v);
  if (out->v == NULL)
    return -1;
  n = rows.n;
  n = filter_rows(out->v, n, sec, view->min_wait);
  qsort(out->v, n, sizeof *out->v, cmp_rows);
  out->total = n;
  out->n = view->top && view->top < n ? view->top : n;
  return 0;
}

void li_rep_rows_free(struct li_rows *r) {
  free(r->v);
  memset(r, 0, sizeof *r);
}
