/*
 * out_json.c — `--format json`: the merged profile in the profile format
 * itself (docs/profile-format.md), plus "merged_from".
 *
 * Every site is written, whatever --by/--sort/--top/--min-wait say: the
 * JSON output is a profile, to be merged again or read by other tools, not
 * a view. Sites keep their order of first appearance and are renumbered
 * from 1. Counts above INT64_MAX (only reachable by saturating sums of
 * hostile inputs) are written as INT64_MAX, the largest JSON integer
 * jansson can hold.
 */
#include <stdint.h>

#include "outputs.h"

static json_t *jint(uint64_t v) {
  return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

/* Sets obj[key] = v, stealing v; returns -1 if v is NULL or on failure. */
static int set(json_t *obj, const char *key, json_t *v) {
  return json_object_set_new(obj, key, v);
}

static json_t *buckets(const struct li_hist *h) {
  size_t n = LI_HIST_BUCKETS;
  while (n > 0 && h->b[n - 1] == 0)
    n--;
  json_t *a = json_array();
  for (size_t i = 0; a != NULL && i < n; i++)
    if (json_array_append_new(a, jint(h->b[i])) != 0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *hist_obj(const struct li_hist *h, int hold) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
  rc |= set(o, hold ? "samples" : "count", jint(h->count));
  rc |= set(o, hold ? "sampled_total_ns" : "total_ns", jint(h->total_ns));
  if (hold)
    rc |= set(o, "total_ns_est", jint(h->est_ns));
  rc |= set(o, "max_ns", jint(h->max_ns));
  rc |= set(o, "hist", buckets(h));
  if (rc != 0) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *site_obj(const struct li_site *s) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
  rc |= set(o, "id", jint(s->id));
#define LI_X_(field, key, req) rc |= set(o, key, json_string(s->field));
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
  rc |= set(o, "line", jint(s->line));
  rc |= set(o, "column", jint(s->column));
#define LI_X_(field, key) rc |= set(o, key, jint(s->field));
  LI_SITE_COUNTERS(LI_X_)
#undef LI_X_
  rc |= set(o, "wait", hist_obj(&s->wait, 0));
  rc |= set(o, "hold", hist_obj(&s->hold, 1));
  rc |= set(o, "cond", hist_obj(&s->cond, 0));
  if (rc != 0) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *sites_array(const struct li_profile *p) {
  json_t *a = json_array();
  for (const struct li_site *s = p->sites; a != NULL && s; s = s->hh.next)
    if (json_array_append_new(a, site_obj(s)) != 0) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *dropped_obj(const struct li_profile *p) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
#define LI_X_(field, key) rc |= set(o, key, jint(p->dropped_##field));
  LI_DROPPED_COUNTERS(LI_X_)
#undef LI_X_
  if (rc != 0) {
    json_decref(o);
    return NULL;
  }
  return o;
}

/* The whole document, or NULL out of memory. */
static json_t *profile_doc(const struct li_profile *p) {
  json_t *d = json_object();
  json_t *lo = json_object();
  int rc = d && lo ? 0 : -1;
  rc |= set(d, "format", json_string("lockinstr-profile"));
  rc |= set(d, "version", json_integer(1));
  rc |= set(d, "program", json_string(p->program ? p->program : ""));
  rc |= set(d, "cmdline", p->cmdline ? json_incref(p->cmdline) : json_array());
  rc |= set(d, "pid", jint(p->pid));
  rc |= set(d, "start_unix_ns", jint(p->start_unix_ns));
  rc |= set(d, "duration_ns", jint(p->duration_ns));
  rc |= set(d, "reason", json_string(p->reason ? p->reason : ""));
  rc |= set(d, "clock", json_string(p->clock ? p->clock : ""));
  rc |= set(d, "sample_rate", jint(p->sample_rate));
  rc |= set(d, "threads", jint(p->threads));
  rc |= set(d, "merged_from", jint(p->merged_from));
  rc |= set(d, "dropped", dropped_obj(p));
  rc |= set(d, "sites", sites_array(p));
  rc |= set(lo, "edges", json_incref(p->edges));
  rc |= set(d, "lock_order", lo);
  if (rc != 0) {
    json_decref(d);
    return NULL;
  }
  return d;
}

int li_rep_write_json(FILE *f, const struct li_report *r, struct li_err *err) {
  json_t *d = profile_doc(r->p);
  if (d == NULL || json_dumpf(d, f, JSON_INDENT(1)) != 0) {
    json_decref(d);
    snprintf(err->msg, sizeof err->msg,
             "error: cannot build the JSON output "
             "(out of memory)");
    return -1;
  }
  fputc('\n', f);
  json_decref(d);
  return 0;
}
