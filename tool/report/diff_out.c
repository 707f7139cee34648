/*
 * diff_out.c — the outputs of `lockinstr diff`: a text table (at most 120
 * columns before the location and lock names) and JSON (docs/ci.md).
 *
 * Text: one row per matched, added ("+") or removed ("-") site or class;
 * the total wait on each side and its relative change, the new p99 wait,
 * the contention rate on each side, the estimated hold on each side and
 * its change, the change in acquisitions, then where. A relative change
 * from 0 is shown as "+inf".
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "diff.h"

/* The relative change from b to n: "+35%", "-4.2%", "0%", "+inf". */
static const char *change(char *buf, double b, double n) {
  if (b == n)
    return strcpy(buf, "0%");
  if (b == 0)
    return strcpy(buf, "+inf");
  double pct = 100 * (n - b) / b;
  snprintf(buf, LI_FMT_MAX, fabs(pct) < 10 ? "%+.1f%%" : "%+.0f%%", pct);
  return buf;
}

/* A duration (ns, possibly per second) for the table. */
static const char *dur(char *buf, double ns) {
  return li_rep_fmt_duration(buf, ns <= 0 ? 0 : (uint64_t)llround(ns));
}

/* A contention rate (millionths) as a percentage of acquisitions. */
static const char *rate(char *buf, double ppm) {
  snprintf(buf, LI_FMT_MAX, ppm < 100 && ppm > 0 ? "%.3f%%" : "%.2f%%",
           ppm / 1e4);
  return buf;
}

static void header(FILE *f, const struct li_diff *d, enum li_metric sort) {
  char b[LI_FMT_MAX], n[LI_FMT_MAX];
  fprintf(f,
          "lockinstr diff: base %zu profile%s (%s) -> new %zu profile%s "
          "(%s); %s\n",
          d->base.nfiles, d->base.nfiles == 1 ? "" : "s",
          li_rep_fmt_duration(b, d->base.p.duration_ns), d->next.nfiles,
          d->next.nfiles == 1 ? "" : "s",
          li_rep_fmt_duration(n, d->next.p.duration_ns),
          d->per == LI_PER_SECOND ? "totals compared per second of run"
          : d->per == LI_PER_ACQ  ? "totals compared per acquisition"
                                  : "totals compared per run, as recorded");
  fprintf(f,
          "by %s, sorted by change in %s; %zu matched, %zu added, %zu "
          "removed\n\n",
          d->by == LI_BY_CLASS ? "class" : "site", li_metrics[sort].name,
          d->counts[LI_DIFF_CHANGED], d->counts[LI_DIFF_ADDED],
          d->counts[LI_DIFF_REMOVED]);
  fprintf(f, "  %9s %9s %7s %9s %8s %8s %9s %9s %7s %7s  %s\n", "wait-base",
          "wait-new", "change", "p99-new", "cont-b", "cont-n", "hold-base",
          "hold-new", "change", "acq", "location / lock");
}

static void row(FILE *f, const struct li_diff *d, const struct li_diff_row *r) {
  char c[11][LI_FMT_MAX], where[512];
  static const char mark[] = {' ', '+', '-'};
  fprintf(f, "%c %9s %9s %7s %9s %8s %8s %9s %9s %7s %7s  %s", mark[r->status],
          dur(c[0], r->b[LI_M_WAIT]), dur(c[1], r->n[LI_M_WAIT]),
          change(c[2], r->b[LI_M_WAIT], r->n[LI_M_WAIT]),
          dur(c[3], r->n[LI_M_WAIT_P99]), rate(c[4], r->b[LI_M_CONT_RATE]),
          rate(c[5], r->n[LI_M_CONT_RATE]), dur(c[6], r->b[LI_M_HOLD]),
          dur(c[7], r->n[LI_M_HOLD]),
          change(c[8], r->b[LI_M_HOLD], r->n[LI_M_HOLD]),
          change(c[9], r->b[LI_M_ACQ], r->n[LI_M_ACQ]),
          li_diff_where(d, r, where, sizeof where));
  const struct li_row *any = r->next ? r->next : r->base;
  if (d->by == LI_BY_SITE)
    fprintf(f, "  %s", any->lock);
  fputc('\n', f);
}

int li_diff_write_text(FILE *f, const struct li_diff *d, enum li_metric sort,
                       size_t top) {
  header(f, d, sort);
  size_t n = top && top < d->n ? top : d->n;
  for (size_t i = 0; i < n; i++)
    row(f, d, &d->v[i]);
  if (n < d->n)
    fprintf(f, "(%zu more rows; --top 0 shows all)\n", d->n - n);
  return ferror(f) ? -1 : 0;
}

/* The metrics of one side as a JSON object (names with '_' for '-'). */
static json_t *metrics_obj(const double *v) {
  json_t *o = json_object();
  for (int m = 0; o != NULL && m < LI_M_COUNT; m++) {
    char key[32];
    snprintf(key, sizeof key, "%s", li_metrics[m].name);
    for (char *p = key; *p; p++)
      *p = *p == '-' ? '_' : *p;
    json_object_set_new(o, key, json_real(v[m]));
  }
  return o;
}

static json_t *row_obj(const struct li_diff *d, const struct li_diff_row *r) {
  static const char *const status[] = {"changed", "added", "removed"};
  const struct li_row *any = r->next ? r->next : r->base;
  char where[512];
  json_t *o =
      json_pack("{s:s, s:s, s:s, s:o, s:o}", "status", status[r->status],
                "location", li_diff_where(d, r, where, sizeof where), "lock",
                any->lock, "base", metrics_obj(r->b), "new", metrics_obj(r->n));
  if (o != NULL && d->by == LI_BY_SITE) {
    json_object_set_new(o, "file", json_string(any->site->file));
    json_object_set_new(o, "function", json_string(any->site->function));
    json_object_set_new(o, "api", json_string(any->site->api));
    if (r->base)
      json_object_set_new(o, "base_line", json_integer(r->base->site->line));
    if (r->next)
      json_object_set_new(o, "new_line", json_integer(r->next->site->line));
  }
  return o;
}

static json_t *side_obj(const struct li_diff_side *s) {
  return json_pack(
      "{s:I, s:I, s:s}", "profiles", (json_int_t)s->nfiles, "duration_ns",
      (json_int_t)(s->p.duration_ns > INT64_MAX ? INT64_MAX : s->p.duration_ns),
      "program", s->p.program ? s->p.program : "");
}

int li_diff_write_json(FILE *f, const struct li_diff *d) {
  json_t *rows = json_array();
  for (size_t i = 0; rows != NULL && i < d->n; i++)
    json_array_append_new(rows, row_obj(d, &d->v[i]));
  json_t *doc =
      json_pack("{s:i, s:o, s:o, s:s, s:s, s:o}", "diff_version", 1, "base",
                side_obj(&d->base), "new", side_obj(&d->next), "compared",
                d->per == LI_PER_SECOND ? "per_second"
                : d->per == LI_PER_ACQ  ? "per_acquisition"
                                        : "per_run",
                "by", d->by == LI_BY_CLASS ? "class" : "site", "rows", rows);
  if (doc == NULL)
    return -1;
  int rc = json_dumpf(doc, f, JSON_INDENT(2));
  fputc('\n', f);
  json_decref(doc);
  return rc != 0 || ferror(f) ? -1 : 0;
}
