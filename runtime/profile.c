/*
 * profile.c — the JSON profile writer. Keys appear in the order
 * docs/profile-format.md lists them; one site per line keeps diffs of
 * profiles readable.
 */
#include "profile.h"

#include <assert.h>
#include <errno.h>

#include "json.h"
#include "lifecycle.h"
#include "clock.h"

#define LI_NAME_(name, kind, mode, arg, succ, hdr, try_fn, ret, params, args)  \
#name,
static const char *const api_names[] = {LOCKINSTR_LOCK_APIS(LI_NAME_)};
#define LI_KIND_(name, kind, mode, arg, succ, hdr, try_fn, ret, params, args)  \
  LOCKINSTR_KIND_##kind,
static const unsigned char api_kinds[] = {LOCKINSTR_LOCK_APIS(LI_KIND_)};
#define LI_MODE_(name, kind, mode, arg, succ, hdr, try_fn, ret, params, args)  \
  LOCKINSTR_MODE_##mode,
static const unsigned char api_modes[] = {LOCKINSTR_LOCK_APIS(LI_MODE_)};

static const char *const kind_names[] = {LOCKINSTR_KINDS(LOCKINSTR_WORD)};
static const char *const mode_names[] = {LOCKINSTR_MODES(LOCKINSTR_WORD)};

static int known_api(const struct li_snap_site *s) {
  return s->site->api < LOCKINSTR_API_COUNT;
}

const char *li_api_name(const struct li_snap_site *s) {
  if (known_api(s))
    return api_names[s->site->api];
  return s->custom_api ? s->custom_api : "custom";
}

const char *li_kind_name(const struct li_snap_site *s) {
  if (known_api(s))
    return kind_names[api_kinds[s->site->api]];
  if (s->custom_kind >= 0 && s->custom_kind < LOCKINSTR_KIND_COUNT)
    return kind_names[s->custom_kind];
  return kind_names[s->c.acq || s->c.cont || !s->c.rel
                        ? LOCKINSTR_KIND_ACQUIRE
                        : LOCKINSTR_KIND_RELEASE];
}

const char *li_mode_name(const struct li_snap_site *s) {
  int m = known_api(s) ? api_modes[s->site->api] : s->custom_mode;
  return mode_names[m >= 0 && m < LOCKINSTR_MODE_COUNT ? m
                                                       : LOCKINSTR_MODE_ANY];
}

static void put_u64(FILE *f, const char *key, unsigned long long v) {
  li_json_key(f, key);
  fprintf(f, "%llu", v);
}

static void put_str(FILE *f, const char *key, const char *v) {
  li_json_key(f, key);
  li_json_string(f, v);
}

/* Writes hist[] without its trailing zero buckets. */
static void put_buckets(FILE *f, const unsigned long long *hist) {
  int n = LI_HIST_BUCKETS, i;
  while (n > 0 && hist[n - 1] == 0)
    n--;
  li_json_key(f, "hist");
  fputc('[', f);
  for (i = 0; i < n; i++)
    fprintf(f, "%s%llu", i ? ", " : "", hist[i]);
  fputc(']', f);
}

static void put_hist(FILE *f, const char *key, const struct li_hist *h) {
  li_json_key(f, key);
  fputc('{', f);
  put_u64(f, "count", h->count);
  fputs(", ", f);
  put_u64(f, "total_ns", h->total_ns);
  fputs(", ", f);
  put_u64(f, "max_ns", h->max_ns);
  fputs(", ", f);
  put_buckets(f, h->hist);
  fputc('}', f);
}

static void put_hold(FILE *f, const struct li_hold *h) {
  li_json_key(f, "hold");
  fputc('{', f);
  put_u64(f, "samples", h->samples);
  fputs(", ", f);
  put_u64(f, "sampled_total_ns", h->sampled_total_ns);
  fputs(", ", f);
  put_u64(f, "total_ns_est", h->total_ns_est);
  fputs(", ", f);
  put_u64(f, "max_ns", h->max_ns);
  fputs(", ", f);
  put_buckets(f, h->hist);
  fputc('}', f);
}

/* The descriptive half of a site object. */
static void put_site_names(FILE *f, const struct li_snap_site *s) {
  const struct lockinstr_site *site = s->site;
  put_u64(f, "id", s->id);
  fputs(", ", f);
  put_str(f, "file", site->file);
  fputs(", ", f);
  put_u64(f, "line", site->line);
  fputs(", ", f);
  put_u64(f, "column", site->column);
  fputs(", ", f);
  put_str(f, "function", site->function);
  fputs(",\n     ", f);
  put_str(f, "expr", site->expr);
  fputs(", ", f);
  put_str(f, "class", site->lock_class);
  fputs(", ", f);
  put_str(f, "macro", site->macro);
  fputs(",\n     ", f);
  put_str(f, "api", li_api_name(s));
  fputs(", ", f);
  put_str(f, "kind", li_kind_name(s));
  fputs(", ", f);
  put_str(f, "mode", li_mode_name(s));
  if (__atomic_load_n(&site->flags, __ATOMIC_RELAXED) & LI_SITE_UNPROBED)
    fputs(", \"contentions_known\": false", f); /* lockinstr_wrap.h */
}

/* The measured half of a site object. */
static void put_site_counts(FILE *f, const struct li_snap_site *s) {
  const char *sep = "";
#define LI_X_(name, field, where, merge, doc)                                  \
  fputs(sep, f);                                                               \
  sep = ", ";                                                                  \
  put_u64(f, #name, s->c.field);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  if (s->key_mismatches) { /* written only when not 0 */
    fputs(", ", f);
    put_u64(f, "key_mismatches", s->key_mismatches);
  }
  fputs(",\n     ", f);
  put_hist(f, "wait", &s->wait);
  fputs(",\n     ", f);
  put_hold(f, &s->hold);
  fputs(",\n     ", f);
  put_hist(f, "cond", &s->cond);
}

/* The rate's history: "sample_rates" and the entries not kept. */
static void put_rates(FILE *f, const struct li_snapshot *s) {
  unsigned int i;
  li_json_key(f, "sample_rates");
  fputc('[', f);
  for (i = 0; i < s->nrates; i++)
    fprintf(f, "%s{\"rate\":%u, \"from_ns\":%llu}", i ? ", " : "",
            s->rates[i].rate, s->rates[i].from_ns);
  fputs("], ", f);
  put_u64(f, "sample_rates_dropped", s->rates_dropped);
}

static void put_header(FILE *f, const struct li_snapshot *s) {
  unsigned int argc, i;
  char *const *argv = li_cmdline(&argc);
  fputs("{\n  ", f);
  put_str(f, "format", "lockinstr-profile");
  fputs(", ", f);
  put_u64(f, "version", LI_PROFILE_VERSION);
  fputs(",\n  ", f);
  put_str(f, "program", li_program());
  fputs(", ", f);
  li_json_key(f, "cmdline");
  fputc('[', f);
  for (i = 0; argv && i < argc; i++) {
    fputs(i ? ", " : "", f);
    li_json_string(f, argv[i]);
  }
  fprintf(f, "], \"pid\":%ld,\n  ", s->pid);
  put_u64(f, "start_unix_ns", s->start_unix_ns);
  fputs(", ", f);
  put_u64(f, "duration_ns", s->duration_ns);
  fputs(",\n  ", f);
  put_str(f, "reason", s->reason);
  fputs(", ", f);
  put_str(f, "clock", li_clock_name());
  fputs(", ", f);
  put_u64(f, "sample_rate", s->sample_rate);
  fputs(",\n  ", f);
  put_rates(f, s);
  fputs(", ", f);
  put_u64(f, "threads", s->threads);
  fputs(",\n  ", f);
}

static void put_dropped(FILE *f, const struct li_dropped *d) {
  li_json_key(f, "dropped");
  fputc('{', f);
  put_u64(f, "events", d->events);
  fputs(", ", f);
  put_u64(f, "sites", d->sites);
  fputs(", ", f);
  put_u64(f, "unlock_not_held", d->unlock_not_held);
  fputs(", ", f);
  put_u64(f, "held_overflow", d->held_overflow);
  fputs(", ", f);
  put_u64(f, "edges", d->edges);
  fputs(", ", f);
  put_u64(f, "stale_held", d->stale_held);
  fputc('}', f);
}

/* Class of site id (1-based) in the snapshot. */
static const char *site_class(const struct li_snapshot *s, unsigned int id) {
  assert(id >= 1 && id <= s->nsites && s->sites[id - 1].id == id);
  return s->sites[id - 1].site->lock_class;
}

/* An edge's lock instances, where it has them (order.h). */
static void put_instances(FILE *f, const struct li_snap_edge *e) {
  if (!e->from_inst && !e->to_inst)
    return;
  put_u64(f, "from_instance", e->from_inst);
  fputs(", ", f);
  put_u64(f, "to_instance", e->to_inst);
  fputs(", ", f);
}

/* The lock_order object, one edge per line. */
static void put_edges(FILE *f, const struct li_snapshot *s) {
  const struct li_edge_list *l = &s->edges;
  size_t i;
  fputs("{\"edges\": [", f);
  for (i = 0; i < l->n; i++) {
    fputs(i ? ",\n    {" : "\n    {", f);
    put_str(f, "from", site_class(s, l->v[i].from_name));
    fputs(", ", f);
    put_str(f, "to", site_class(s, l->v[i].to_name));
    fputs(", ", f);
    put_instances(f, &l->v[i]);
    put_u64(f, "from_site", l->v[i].from);
    fputs(", ", f);
    put_u64(f, "to_site", l->v[i].to);
    fputs(", ", f);
    put_u64(f, "count", l->v[i].count);
    fprintf(f, ", \"thread\":%ld}", l->v[i].thread);
  }
  fputs(l->n ? "\n  ], " : "], ", f);
  put_u64(f, "instances_dropped", l->instances_dropped);
  fputc('}', f);
}

int li_profile_write(FILE *f, const struct li_snapshot *s) {
  unsigned int i;
  put_header(f, s);
  put_dropped(f, &s->dropped);
  fputs(",\n  ", f);
  li_json_key(f, "sites");
  fputc('[', f);
  for (i = 0; i < s->nsites; i++) {
    fputs(i ? ",\n    {" : "\n    {", f);
    put_site_names(f, &s->sites[i]);
    fputs(",\n     ", f);
    put_site_counts(f, &s->sites[i]);
    fputc('}', f);
  }
  fputs(s->nsites ? "\n  ],\n  " : "],\n  ", f);
  li_json_key(f, "lock_order");
  put_edges(f, s);
  fputs("\n}\n", f);
  return ferror(f) ? -EIO : 0;
}
