/*
 * out_json.c — `--format json`: the merged profile in the profile format
 * itself (docs/profile-format.md), plus "merged_from".
 *
 * Every site is written, whatever --by/--sort/--top/--min-wait say: the
 * JSON output is a profile, to be merged again or read by other tools, not
 * a view. Sites keep their order of first appearance and are renumbered
 * from 1; lock-order edges refer to the renumbered ids. Counts above INT64_MAX
 * (only reachable by saturating sums of hostile inputs) are written as
 * INT64_MAX, the largest JSON integer jansson can hold. The document is written
 * piece by piece (one site or edge object at a time, one per line), so writing
 * it takes no more memory than one site, whatever the number of sites.
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

/* Returns the object o that the sets before were building, or NULL (o
 * freed) if any of them failed (rc != 0). */
static json_t *built(json_t *o, int rc) {
  if (rc == 0)
    return o;
  json_decref(o);
  return NULL;
}

static json_t *buckets(const struct li_shist *h) {
  size_t n = h->nb;
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

static json_t *hist_obj(const struct li_shist *h, int hold) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
  rc |= set(o, hold ? "samples" : "count", jint(h->count));
  rc |= set(o, hold ? "sampled_total_ns" : "total_ns", jint(h->total_ns));
  if (hold)
    rc |= set(o, "total_ns_est", jint(h->est_ns));
  rc |= set(o, "max_ns", jint(h->max_ns));
  rc |= set(o, "hist", buckets(h));
  return built(o, rc);
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
#define LI_X_(name, field, where, merge, doc)                                  \
  rc |= set(o, #name, jint(s->name));
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  if (s->key_mismatches) /* as the runtime writes it: only when not 0 */
    rc |= set(o, "key_mismatches", jint(s->key_mismatches));
  rc |= set(o, "wait", hist_obj(&s->wait, 0));
  rc |= set(o, "hold", hist_obj(&s->hold, 1));
  rc |= set(o, "cond", hist_obj(&s->cond, 0));
  return built(o, rc);
}

static json_t *dropped_obj(const struct li_profile *p) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
#define LI_X_(field, key) rc |= set(o, key, jint(p->dropped_##field));
  LI_DROPPED_COUNTERS(LI_X_)
#undef LI_X_
  return built(o, rc);
}

/* One merged edge; site ids are the merged (renumbered) ones. */
static json_t *edge_obj(const struct li_edge *e) {
  json_t *o = json_object();
  int rc = o ? 0 : -1;
  rc |= set(o, "from", json_string(e->from->name));
  rc |= set(o, "to", json_string(e->to->name));
  rc |= set(o, "from_site", jint(e->key.from_site));
  rc |= set(o, "to_site", jint(e->key.to_site));
  rc |= set(o, "count", jint(e->count));
  rc |= set(o, "thread", jint(e->thread));
  return built(o, rc);
}

/* The header object (everything but sites and lock_order), or NULL out of
 * memory. */
static json_t *header_doc(const struct li_profile *p) {
  json_t *d = json_object();
  int rc = d ? 0 : -1;
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
  return built(d, rc);
}

/* Writes v on one line after sep, and frees it. Returns 0 or -1. */
static int put_item(FILE *f, const char *sep, json_t *v) {
  int rc = v ? 0 : -1;
  fputs(sep, f);
  rc = rc ? rc : json_dumpf(v, f, JSON_INDENT(0) | JSON_ENCODE_ANY);
  json_decref(v);
  return rc;
}

/* Writes the header keys, one per line, and leaves the object open. */
static int put_header(FILE *f, const struct li_profile *p) {
  json_t *h = header_doc(p);
  const char *key, *sep = "\n ";
  json_t *v;
  int rc = h ? 0 : -1;
  fputs("{", f);
  json_object_foreach(h, key, v) {
    rc |= put_item(f, sep, json_string(key));
    fputs(": ", f);
    rc |= put_item(f, "", json_incref(v));
    sep = ",\n ";
  }
  json_decref(h);
  return rc;
}

int li_rep_write_json(FILE *f, const struct li_report *r, struct li_err *err) {
  const struct li_profile *p = r->p;
  int rc = put_header(f, p);
  fputs(",\n \"sites\": [", f);
  for (const struct li_site *s = p->sites; rc == 0 && s; s = s->hh.next)
    rc = put_item(f, s == p->sites ? "\n  " : ",\n  ", site_obj(s));
  fputs(p->sites ? "\n ],\n \"lock_order\": {\"edges\": ["
                 : "],\n \"lock_order\": {\"edges\": [",
        f);
  for (const struct li_edge *e = p->lo.edges; rc == 0 && e; e = e->hh.next)
    rc = put_item(f, e == p->lo.edges ? "\n  " : ",\n  ", edge_obj(e));
  fputs(p->lo.edges ? "\n ]}\n}\n" : "]}\n}\n", f);
  if (rc != 0)
    snprintf(err->msg, sizeof err->msg,
             "error: cannot build the JSON output (out of memory)");
  return rc;
}
