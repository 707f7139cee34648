/*
 * meta.c — a profile's top-level values other than its sites and edges
 * (see meta.h): format and version, program, pid, times, clock, sample
 * rate, threads, cmdline, dropped counters.
 *
 * Each is validated and folded into the accumulator by its merge rule:
 * the program names must agree (or are joined with --merge-any), the
 * earliest start and the longest duration win, the reason, cmdline and
 * sample rate and its history are the first profile's (the rate's range
 * is kept for "mixed"), the pid is 0 once several are merged, a clock that
 * differs becomes "mixed", and counts add up.
 */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks "format" and "version". */
int li_rep_meta_check_version(struct li_rep_walk *w, const json_t *doc) {
  json_t *f = json_object_get(doc, "format");
  uint64_t version;
  if (!json_is_string(f) ||
      strcmp(json_string_value(f), "lockinstr-profile") != 0)
    return li_rep_fail(w, "not a lockinstr profile (\"format\" is not "
                          "\"lockinstr-profile\")");
  if (li_rep_get_u64(w, doc, "version", 1, &version) != 0)
    return -1;
  if (version != 1 && version != 2) /* 2: lock instances (lock_order) */
    return li_rep_fail(w,
                       "unsupported profile version %llu (this lockinstr reads "
                       "versions 1 and 2)",
                       (unsigned long long)version);
  return 0;
}

/* Folds the program name of a new input into p (the merge rule). */
static int merge_program(struct li_rep_walk *w, struct li_profile *p,
                         const char *prog, const struct li_load_opts *o) {
  if (p->program == NULL) {
    p->program = strdup(prog);
    return p->program ? 0 : li_rep_fail(w, "out of memory");
  }
  size_t n = strlen(prog);
  for (const char *q = p->program; q != NULL; q = strchr(q, ',')) {
    q += *q == ',';
    if (strncmp(q, prog, n) == 0 && (q[n] == ',' || q[n] == '\0'))
      return 0; /* already listed */
  }
  if (!o->merge_any)
    return li_rep_fail(w,
                       "profile of program '%s' cannot be merged with "
                       "program '%s' (use --merge-any to merge anyway)",
                       prog, p->program);
  size_t len = strlen(p->program) + n + 2;
  char *joined = malloc(len);
  if (joined == NULL)
    return li_rep_fail(w, "out of memory");
  snprintf(joined, len, "%s,%s", p->program, prog);
  free(p->program);
  p->program = joined;
  return 0;
}

/* Replaces *dst with a copy of src if *dst is still NULL. */
static int keep_first(char **dst, const char *src) {
  if (*dst != NULL)
    return 0;
  *dst = strdup(src);
  return *dst ? 0 : -1;
}

/* Reads the scalar header fields and folds them into p. */
static int read_header(struct li_rep_walk *w, struct li_profile *p,
                       const json_t *doc, const struct li_load_opts *o) {
  char *prog = NULL, *reason = NULL, *clock = NULL;
  uint64_t pid, start, dur, rate, threads, merged;
  int rc = li_rep_get_str(w, doc, "program", 1, &prog);
  rc = rc ? rc : merge_program(w, p, prog, o);
  rc = rc ? rc : li_rep_get_str(w, doc, "reason", 0, &reason);
  rc = rc ? rc : li_rep_get_str(w, doc, "clock", 0, &clock);
  rc = rc ? rc : li_rep_get_u64(w, doc, "pid", 0, &pid);
  rc = rc ? rc : li_rep_get_u64(w, doc, "start_unix_ns", 0, &start);
  rc = rc ? rc : li_rep_get_u64(w, doc, "duration_ns", 0, &dur);
  rc = rc ? rc : li_rep_get_u64(w, doc, "sample_rate", 0, &rate);
  rc = rc ? rc : li_rep_get_u64(w, doc, "threads", 0, &threads);
  rc = rc ? rc : li_rep_get_u64(w, doc, "merged_from", 0, &merged);
  if (rc == 0) {
    int first = p->merged_from == 0;
    p->pid = first ? pid : 0;
    if (first || (start != 0 && start < p->start_unix_ns))
      p->start_unix_ns = start;
    p->duration_ns = dur > p->duration_ns ? dur : p->duration_ns;
    p->sample_rate = first ? rate : p->sample_rate;
    p->rate_min = first || rate < p->rate_min ? rate : p->rate_min;
    p->rate_max = rate > p->rate_max ? rate : p->rate_max;
    p->threads = li_rep_add_sat(p->threads, threads);
    p->merged_from = li_rep_add_sat(p->merged_from, merged ? merged : 1);
    if (keep_first(&p->reason, reason) || keep_first(&p->clock, clock))
      rc = li_rep_fail(w, "out of memory");
    if (rc == 0 && strcmp(p->clock, clock) != 0) {
      free(p->clock);
      p->clock = strdup("mixed");
      rc = p->clock ? 0 : li_rep_fail(w, "out of memory");
    }
  }
  free(prog);
  free(reason);
  free(clock);
  return rc;
}

/* doc[key] in *a, which may be missing (NULL) but not other than an
 * array; the key is pushed on the path (the caller restores it). */
static int optional_array(struct li_rep_walk *w, const json_t *doc,
                          const char *key, json_t **a, size_t *mark) {
  *a = json_object_get(doc, key);
  *mark = li_rep_push_key(w, key);
  if (*a != NULL && !json_is_array(*a))
    return li_rep_fail(w, "expected an array, got %s", li_rep_type_name(*a));
  return 0;
}

/* Reads "cmdline" (kept from the first profile only). */
static int read_cmdline(struct li_rep_walk *w, struct li_profile *p,
                        const json_t *doc) {
  json_t *c;
  size_t mark;
  int rc = optional_array(w, doc, "cmdline", &c, &mark);
  for (size_t i = 0; rc == 0 && c != NULL && i < json_array_size(c); i++)
    if (!json_is_string(json_array_get(c, i)))
      rc = li_rep_fail(w, "expected an array of strings");
  if (rc == 0 && c != NULL && p->cmdline == NULL)
    p->cmdline = json_incref(c);
  w->path[mark] = '\0';
  return rc;
}

/* Reads one entry of "sample_rates" into p (the first profile's only). */
static int read_rate(struct li_rep_walk *w, struct li_profile *p,
                     const json_t *e, size_t i) {
  size_t mark = li_rep_push_index(w, i);
  struct li_rep_rate r;
  int rc = json_is_object(e) ? 0
                             : li_rep_fail(w, "expected an object, got %s",
                                           li_rep_type_name(e));
  rc = rc ? rc : li_rep_get_u64(w, e, "rate", 1, &r.rate);
  rc = rc ? rc : li_rep_get_u64(w, e, "from_ns", 1, &r.from_ns);
  if (rc == 0 && p->merged_from == 1) {
    if (p->nrates < LI_REP_RATES_MAX)
      p->rates[p->nrates++] = r;
    else
      p->rates_dropped = li_rep_add_sat(p->rates_dropped, 1);
  }
  w->path[mark] = '\0';
  return rc;
}

/* Reads "sample_rates" and "sample_rates_dropped" (absent before they
 * were added: no history). After read_header, which counted this
 * profile in merged_from. */
static int read_rates(struct li_rep_walk *w, struct li_profile *p,
                      const json_t *doc) {
  json_t *a;
  size_t mark;
  uint64_t dropped = 0;
  int rc = optional_array(w, doc, "sample_rates", &a, &mark);
  for (size_t i = 0; rc == 0 && a != NULL && i < json_array_size(a); i++)
    rc = read_rate(w, p, json_array_get(a, i), i);
  w->path[mark] = '\0';
  rc = rc ? rc : li_rep_get_u64(w, doc, "sample_rates_dropped", 0, &dropped);
  if (rc == 0 && p->merged_from == 1)
    p->rates_dropped = li_rep_add_sat(p->rates_dropped, dropped);
  return rc;
}

static int read_dropped(struct li_rep_walk *w, struct li_profile *p,
                        const json_t *doc) {
  json_t *d = json_object_get(doc, "dropped");
  size_t mark = li_rep_push_key(w, "dropped");
  uint64_t v;
  int rc = 0;
  if (d != NULL && !json_is_object(d))
    rc = li_rep_fail(w, "expected an object, got %s", li_rep_type_name(d));
#define LI_X_(field, key)                                                      \
  if (rc == 0 && d != NULL) {                                                  \
    rc = li_rep_get_u64(w, d, key, 0, &v);                                     \
    p->dropped_##field = li_rep_add_sat(p->dropped_##field, v);                \
  }
  LI_DROPPED_COUNTERS(LI_X_)
#undef LI_X_
  w->path[mark] = '\0';
  return rc;
}

int li_rep_meta_read(struct li_rep_walk *w, struct li_profile *p,
                     const json_t *hdr, const struct li_load_opts *o) {
  if (li_rep_meta_check_version(w, hdr) || read_header(w, p, hdr, o) ||
      read_rates(w, p, hdr) || read_cmdline(w, p, hdr) ||
      read_dropped(w, p, hdr))
    return -1;
  return 0;
}
