/*
 * profile.c — reading, validating and merging profiles (see profile.h).
 *
 * Reading: the document is streamed (jstream.h): the top-level object and
 * the elements of "sites" and "lock_order.edges" are walked one at a time,
 * each element parsed alone by jansson, validated, merged and freed, so
 * memory is one element plus what was merged, never the whole document
 * (a 100 MB profile as one jansson tree takes about 1.5 GB). Input stops at
 * the size cap, so a pipe or a growing file is bounded too. Validation
 * walks each element with a "key path" (sites[3].wait.hist[2]) so that a
 * wrong type is reported by name. Unknown keys are skipped, as the format
 * requires. Merging happens while walking: each site is looked up by
 * identity in the accumulator's hash table and added to; each edge's site
 * ids are mapped to the merged sites through a per-document id table, and
 * the edge is merged by (classes, merged sites) in lockorder.c; an edge end
 * that is a lock instance (version 2) is a class of its own, named by the
 * instance and the process.
 */
#include "profile.h"

#include "jstream.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where we are in the document, for messages. */
struct walk {
  const char *file;
  struct li_err *err;
  char path[256];
};

static const char *const kind_names[] = {LOCKINSTR_KINDS(LOCKINSTR_WORD)};

/* Formats "file: error: <path>: msg" into w->err. Returns -1. */
static int fail(struct walk *w, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(w->err->msg, sizeof w->err->msg, "%s: error: %s%s%s", w->file,
           w->path, w->path[0] ? ": " : "", msg);
  return -1;
}

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
    return "an integer";
  case JSON_REAL:
    return "a real number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a boolean";
  case JSON_NULL:
    return "null";
  }
  return "?";
}

/* Appends ".key" (or "key" at the top) to the path; returns the old length
 * so the caller can restore it. */
static size_t push_key(struct walk *w, const char *key) {
  size_t len = strlen(w->path);
  snprintf(w->path + len, sizeof w->path - len, "%s%s", len ? "." : "", key);
  return len;
}

static size_t push_index(struct walk *w, size_t i) {
  size_t len = strlen(w->path);
  snprintf(w->path + len, sizeof w->path - len, "[%zu]", i);
  return len;
}

/*
 * Reads obj[key] as a non-negative integer into *out. A missing key gives 0
 * unless required. Returns 0 or -1 (message set).
 */
static int get_u64(struct walk *w, const json_t *obj, const char *key,
                   int required, uint64_t *out) {
  json_t *v = json_object_get(obj, key);
  size_t mark = push_key(w, key);
  int rc = 0;
  *out = 0;
  if (v == NULL) {
    if (required)
      rc = fail(w, "missing");
  } else if (!json_is_integer(v)) {
    rc = fail(w, "expected a non-negative integer, got %s", type_name(v));
  } else if (json_integer_value(v) < 0) {
    rc = fail(w, "expected a non-negative integer, got %lld",
              (long long)json_integer_value(v));
  } else {
    *out = (uint64_t)json_integer_value(v);
  }
  w->path[mark] = '\0';
  return rc;
}

/* Reads obj[key] as a string, stored as a new copy in *out ("" if missing
 * and not required). Returns 0 or -1. */
static int get_str(struct walk *w, const json_t *obj, const char *key,
                   int required, char **out) {
  json_t *v = json_object_get(obj, key);
  size_t mark = push_key(w, key);
  int rc = 0;
  *out = NULL;
  if (v == NULL && required)
    rc = fail(w, "missing");
  else if (v != NULL && !json_is_string(v))
    rc = fail(w, "expected a string, got %s", type_name(v));
  if (rc == 0) {
    *out = strdup(v ? json_string_value(v) : "");
    if (*out == NULL)
      rc = fail(w, "out of memory");
  }
  w->path[mark] = '\0';
  return rc;
}

/* Keeps the buckets b[0..n) up to the last non-empty one in h->b. */
static int keep_buckets(struct li_shist *h, const uint64_t *b, size_t n) {
  while (n > 0 && b[n - 1] == 0)
    n--;
  h->nb = (unsigned)n;
  h->b = n ? malloc(n * sizeof *h->b) : NULL;
  if (n && h->b == NULL)
    return -1;
  if (n)
    memcpy(h->b, b, n * sizeof *h->b);
  return 0;
}

/* Reads the log2 bucket array "hist" of obj into h. */
static int get_buckets(struct walk *w, const json_t *obj, struct li_shist *h) {
  json_t *a = json_object_get(obj, "hist");
  size_t mark = push_key(w, "hist");
  uint64_t b[LI_HIST_BUCKETS] = {0};
  int rc = 0;
  if (a != NULL && !json_is_array(a))
    rc = fail(w, "expected an array, got %s", type_name(a));
  else if (a != NULL && json_array_size(a) > LI_HIST_BUCKETS)
    rc = fail(w, "%zu buckets, at most %d allowed", json_array_size(a),
              LI_HIST_BUCKETS);
  for (size_t i = 0; rc == 0 && a != NULL && i < json_array_size(a); i++) {
    json_t *v = json_array_get(a, i);
    size_t m2 = push_index(w, i);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
      rc = fail(w, "expected a non-negative integer, got %s", type_name(v));
    else
      b[i] = (uint64_t)json_integer_value(v);
    w->path[m2] = '\0';
  }
  if (rc == 0 && a != NULL && keep_buckets(h, b, json_array_size(a)) != 0)
    rc = fail(w, "out of memory");
  w->path[mark] = '\0';
  return rc;
}

/*
 * Reads a histogram object obj[key] into *h (zeroed first). hold selects
 * the hold object's key names. A missing object is an empty histogram.
 */
static int get_hist(struct walk *w, const json_t *obj, const char *key,
                    int hold, struct li_shist *h) {
  json_t *o = json_object_get(obj, key);
  size_t mark = push_key(w, key);
  int rc = 0;
  memset(h, 0, sizeof *h);
  if (o != NULL && !json_is_object(o)) {
    rc = fail(w, "expected an object, got %s", type_name(o));
  } else if (o != NULL) {
    rc = get_u64(w, o, hold ? "samples" : "count", 0, &h->count);
    if (rc == 0)
      rc = get_u64(w, o, hold ? "sampled_total_ns" : "total_ns", 0,
                   &h->total_ns);
    if (rc == 0)
      rc = hold ? get_u64(w, o, "total_ns_est", 0, &h->est_ns) : 0;
    if (rc == 0)
      rc = get_u64(w, o, "max_ns", 0, &h->max_ns);
    if (rc == 0)
      rc = get_buckets(w, o, h);
    if (!hold)
      h->est_ns = h->total_ns;
  }
  w->path[mark] = '\0';
  return rc;
}

void li_rep_hist_add_site(struct li_hist *dst, const struct li_shist *src) {
  dst->count = li_rep_add_sat(dst->count, src->count);
  dst->total_ns = li_rep_add_sat(dst->total_ns, src->total_ns);
  dst->est_ns = li_rep_add_sat(dst->est_ns, src->est_ns);
  if (src->max_ns > dst->max_ns)
    dst->max_ns = src->max_ns;
  for (size_t i = 0; i < src->nb; i++)
    dst->b[i] = li_rep_add_sat(dst->b[i], src->b[i]);
}

/* Adds src into dst (both a site's); grows dst's buckets. 0 or -1 out of
 * memory (dst unchanged then). */
static int shist_merge(struct li_shist *dst, const struct li_shist *src) {
  if (src->nb > dst->nb) {
    uint64_t *grown = realloc(dst->b, src->nb * sizeof *grown);
    if (grown == NULL)
      return -1;
    memset(grown + dst->nb, 0, (src->nb - dst->nb) * sizeof *grown);
    dst->b = grown;
    dst->nb = src->nb;
  }
  dst->count = li_rep_add_sat(dst->count, src->count);
  dst->total_ns = li_rep_add_sat(dst->total_ns, src->total_ns);
  dst->est_ns = li_rep_add_sat(dst->est_ns, src->est_ns);
  if (src->max_ns > dst->max_ns)
    dst->max_ns = src->max_ns;
  for (size_t i = 0; i < src->nb; i++)
    dst->b[i] = li_rep_add_sat(dst->b[i], src->b[i]);
  return 0;
}

static void site_free(struct li_site *s) {
#define LI_X_(field, key, req) free(s->field);
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
  free(s->key);
  free(s->wait.b);
  free(s->hold.b);
  free(s->cond.b);
  free(s);
}

/* Writes "a, b, ... or z" of the kind words into buf. */
static void kind_list(char *buf, size_t size) {
  size_t n = 0;
  buf[0] = '\0';
  for (int k = 0; k < LOCKINSTR_KIND_COUNT && n < size; k++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s",
                          k == 0                          ? ""
                          : k == LOCKINSTR_KIND_COUNT - 1 ? " or "
                                                          : ", ",
                          kind_names[k]);
}

/* Parses the kind string of s into s->kind_id. */
static int parse_kind(struct walk *w, struct li_site *s) {
  char words[128];
  for (int k = 0; k < LOCKINSTR_KIND_COUNT; k++) {
    if (strcmp(s->kind, kind_names[k]) == 0) {
      s->kind_id = (enum lockinstr_kind)k;
      return 0;
    }
  }
  size_t mark = push_key(w, "kind");
  kind_list(words, sizeof words);
  fail(w, "unknown kind (expected %s)", words);
  w->path[mark] = '\0';
  return -1;
}

/* Reads line/column as 32-bit numbers. */
static int get_position(struct walk *w, const json_t *o, struct li_site *s) {
  uint64_t line, col;
  if (get_u64(w, o, "line", 1, &line) || get_u64(w, o, "column", 1, &col))
    return -1;
  if (line > UINT32_MAX || col > UINT32_MAX)
    return fail(w, "line or column out of range");
  s->line = (uint32_t)line;
  s->column = (uint32_t)col;
  return 0;
}

/* Builds s->key from the identity fields. */
static int make_key(struct li_site *s) {
  char pos[32];
  snprintf(pos, sizeof pos, "%u:%u", s->line, s->column);
  const char *parts[] = {s->file, pos, s->api, s->function, s->expr};
  size_t n = 0;
  for (size_t i = 0; i < 5; i++)
    n += strlen(parts[i]) + 1;
  s->key = malloc(n);
  if (s->key == NULL)
    return -1;
  s->key_len = 0;
  for (size_t i = 0; i < 5; i++) {
    size_t len = strlen(parts[i]) + 1; /* keeps the NUL as a separator */
    memcpy(s->key + s->key_len, parts[i], len);
    s->key_len += len;
  }
  return 0;
}

/* Reads one site object into a new li_site. Returns it, or NULL (message
 * set). */
static struct li_site *read_site(struct walk *w, const json_t *o) {
  if (!json_is_object(o)) {
    fail(w, "expected an object, got %s", type_name(o));
    return NULL;
  }
  struct li_site *s = calloc(1, sizeof *s);
  if (s == NULL) {
    fail(w, "out of memory");
    return NULL;
  }
  int rc = 0;
#define LI_X_(field, key, req)                                                 \
  if (rc == 0)                                                                 \
    rc = get_str(w, o, key, req, &s->field);
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
#define LI_X_(name, field, where, merge, doc)                                  \
  if (rc == 0)                                                                 \
    rc = get_u64(w, o, #name, 0, &s->name);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  if (rc == 0)
    rc = get_position(w, o, s);
  if (rc == 0)
    rc = parse_kind(w, s);
  if (rc == 0)
    rc = get_hist(w, o, "wait", 0, &s->wait);
  if (rc == 0)
    rc = get_hist(w, o, "hold", 1, &s->hold);
  if (rc == 0)
    rc = get_hist(w, o, "cond", 0, &s->cond);
  if (rc == 0 && make_key(s) != 0)
    rc = fail(w, "out of memory");
  if (rc != 0) {
    site_free(s);
    return NULL;
  }
  return s;
}

/* Adds the counters and histograms of src into dst (same identity).
 * Returns 0, or -1 out of memory. */
static int site_add(struct li_site *dst, const struct li_site *src) {
#define LI_X_(name, field, where, merge, doc)                                  \
  dst->name = LI_REP_MERGE_##merge(dst->name, src->name);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  if (shist_merge(&dst->wait, &src->wait) ||
      shist_merge(&dst->hold, &src->hold) ||
      shist_merge(&dst->cond, &src->cond))
    return -1;
  return 0;
}

/* Merges site s (owned) into p: added to its twin, or inserted. Returns
 * the merged site, or NULL out of memory (s freed). */
static struct li_site *merge_site(struct li_profile *p, struct li_site *s) {
  struct li_site *twin = NULL;
  HASH_FIND(hh, p->sites, s->key, s->key_len, twin);
  if (twin != NULL) {
    int rc = site_add(twin, s);
    site_free(s);
    return rc ? NULL : twin;
  }
  s->id = ++p->nsites;
  HASH_ADD_KEYPTR(hh, p->sites, s->key, s->key_len, s);
  return s;
}

/* Checks "format" and "version". */
static int check_version(struct walk *w, const json_t *doc) {
  json_t *f = json_object_get(doc, "format");
  uint64_t version;
  if (!json_is_string(f) ||
      strcmp(json_string_value(f), "lockinstr-profile") != 0)
    return fail(w, "not a lockinstr profile (\"format\" is not "
                   "\"lockinstr-profile\")");
  if (get_u64(w, doc, "version", 1, &version) != 0)
    return -1;
  if (version != 1 && version != 2) /* 2: lock instances (lock_order) */
    return fail(w,
                "unsupported profile version %llu (this lockinstr reads "
                "versions 1 and 2)",
                (unsigned long long)version);
  return 0;
}

/* Folds the program name of a new input into p (the merge rule). */
static int merge_program(struct walk *w, struct li_profile *p, const char *prog,
                         const struct li_load_opts *o) {
  if (p->program == NULL) {
    p->program = strdup(prog);
    return p->program ? 0 : fail(w, "out of memory");
  }
  size_t n = strlen(prog);
  for (const char *q = p->program; q != NULL; q = strchr(q, ',')) {
    q += *q == ',';
    if (strncmp(q, prog, n) == 0 && (q[n] == ',' || q[n] == '\0'))
      return 0; /* already listed */
  }
  if (!o->merge_any)
    return fail(w,
                "profile of program '%s' cannot be merged with "
                "program '%s' (use --merge-any to merge anyway)",
                prog, p->program);
  size_t len = strlen(p->program) + n + 2;
  char *joined = malloc(len);
  if (joined == NULL)
    return fail(w, "out of memory");
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
static int read_header(struct walk *w, struct li_profile *p, const json_t *doc,
                       const struct li_load_opts *o) {
  char *prog = NULL, *reason = NULL, *clock = NULL;
  uint64_t pid, start, dur, rate, threads, merged;
  int rc = get_str(w, doc, "program", 1, &prog);
  rc = rc ? rc : merge_program(w, p, prog, o);
  rc = rc ? rc : get_str(w, doc, "reason", 0, &reason);
  rc = rc ? rc : get_str(w, doc, "clock", 0, &clock);
  rc = rc ? rc : get_u64(w, doc, "pid", 0, &pid);
  rc = rc ? rc : get_u64(w, doc, "start_unix_ns", 0, &start);
  rc = rc ? rc : get_u64(w, doc, "duration_ns", 0, &dur);
  rc = rc ? rc : get_u64(w, doc, "sample_rate", 0, &rate);
  rc = rc ? rc : get_u64(w, doc, "threads", 0, &threads);
  rc = rc ? rc : get_u64(w, doc, "merged_from", 0, &merged);
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
      rc = fail(w, "out of memory");
    if (rc == 0 && strcmp(p->clock, clock) != 0) {
      free(p->clock);
      p->clock = strdup("mixed");
      rc = p->clock ? 0 : fail(w, "out of memory");
    }
  }
  free(prog);
  free(reason);
  free(clock);
  return rc;
}

/* Reads "cmdline" (kept from the first profile only). */
static int read_cmdline(struct walk *w, struct li_profile *p,
                        const json_t *doc) {
  json_t *c = json_object_get(doc, "cmdline");
  size_t mark = push_key(w, "cmdline");
  int rc = 0;
  if (c != NULL && !json_is_array(c))
    rc = fail(w, "expected an array, got %s", type_name(c));
  for (size_t i = 0; rc == 0 && c != NULL && i < json_array_size(c); i++)
    if (!json_is_string(json_array_get(c, i)))
      rc = fail(w, "expected an array of strings");
  if (rc == 0 && c != NULL && p->cmdline == NULL)
    p->cmdline = json_incref(c);
  w->path[mark] = '\0';
  return rc;
}

static int read_dropped(struct walk *w, struct li_profile *p,
                        const json_t *doc) {
  json_t *d = json_object_get(doc, "dropped");
  size_t mark = push_key(w, "dropped");
  uint64_t v;
  int rc = 0;
  if (d != NULL && !json_is_object(d))
    rc = fail(w, "expected an object, got %s", type_name(d));
#define LI_X_(field, key)                                                      \
  if (rc == 0 && d != NULL) {                                                  \
    rc = get_u64(w, d, key, 0, &v);                                            \
    p->dropped_##field = li_rep_add_sat(p->dropped_##field, v);                \
  }
  LI_DROPPED_COUNTERS(LI_X_)
#undef LI_X_
  w->path[mark] = '\0';
  return rc;
}

/* Largest single value (a site, an edge, a header value) parsed at once. */
#ifndef LI_MAX_ELEMENT_BYTES
#define LI_MAX_ELEMENT_BYTES ((size_t)4 << 20)
#endif

/* A profile-local site id and the merged site it names. */
struct idmap {
  uint64_t id;
  struct li_site *site;
  size_t index; /* in this document's sites array */
  UT_hash_handle hh;
};

/* An edge read before the sites it names (kept until they are read). */
struct staged {
  char *from, *to;
  uint64_t from_site, to_site, count, thread;
  uint64_t from_inst, to_inst; /* lock instances (version 2), 0: none */
  size_t index;                /* in lock_order.edges */
};

/* One document being streamed. */
struct doc {
  struct walk w;
  struct li_profile *p;
  const struct li_load_opts *o;
  struct li_js js;
  struct li_rep_jbuf buf; /* the raw text of the current element */
  json_t *hdr;            /* top-level values other than sites and lock_order */
  struct idmap *ids;
  struct staged *st;
  size_t nst, capst;
  int sites_done; /* the sites array has been read */
};

/* Sets "file:line:col: error: msg" at the stream's position. Returns -1. */
static int at_fail(struct doc *d, unsigned long line, unsigned long col,
                   const char *msg) {
  snprintf(d->w.err->msg, sizeof d->w.err->msg, "%s:%lu:%lu: error: %s",
           d->w.file, line, col, msg);
  return -1;
}

/* The input ended or failed where more was expected. Returns -1. */
static int input_end(struct doc *d) {
  struct li_err *e = d->w.err;
  if (d->js.too_big)
    snprintf(e->msg, sizeof e->msg,
             "%s: error: profile larger than %zu bytes (see --max-input)",
             d->w.file, d->js.max);
  else if (d->js.err)
    snprintf(e->msg, sizeof e->msg, "%s: error: cannot read: %s", d->w.file,
             strerror(d->js.err));
  else if (d->js.total == 0)
    snprintf(e->msg, sizeof e->msg, "%s: error: empty file", d->w.file);
  else
    return at_fail(d, d->js.line, d->js.col, "premature end of input");
  return -1;
}

/* Something other than what was expected came next. Returns -1. */
static int syntax(struct doc *d, const char *expected) {
  char near[40], msg[128];
  if (li_rep_js_skip_ws(&d->js) < 0)
    return input_end(d);
  unsigned long line = d->js.line, col = d->js.col + 1;
  li_rep_js_near(&d->js, near, sizeof near);
  snprintf(msg, sizeof msg, "%s expected near '%s'", expected, near);
  return at_fail(d, line, col, msg);
}

/* Reads the next value and parses it with jansson; NULL (message set) on
 * error. Positions in jansson's messages are made relative to the file. */
static json_t *element(struct doc *d) {
  json_error_t je;
  if (li_rep_js_skip_ws(&d->js) < 0) {
    input_end(d);
    return NULL;
  }
  unsigned long line = d->js.line, col = d->js.col + 1;
  d->buf.n = 0;
  int rc = li_rep_js_value(&d->js, &d->buf, LI_MAX_ELEMENT_BYTES);
  if (rc == LI_JS_END) {
    input_end(d);
    return NULL;
  }
  if (rc != LI_JS_OK) {
    if (rc == LI_JS_TOO_LONG)
      fail(&d->w, "value larger than %zu bytes", LI_MAX_ELEMENT_BYTES);
    else
      fail(&d->w, "out of memory");
    return NULL;
  }
  json_t *v = json_loadb(d->buf.p, d->buf.n,
                         JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
  if (v == NULL) {
    unsigned long jl = je.line > 0 ? (unsigned long)je.line : 1;
    unsigned long jc = je.column > 0 ? (unsigned long)je.column : 1;
    const char *text = je.text;
    if (strncmp(text, "\\u0000 is not allowed", 21) == 0)
      text = "\\u0000 (NUL) is not allowed in a string";
    at_fail(d, line + jl - 1, jl == 1 ? col + jc - 1 : jc, text);
  }
  return v;
}

/* Reads one site element: validated, merged, its id remembered. */
static int site_element(struct doc *d, json_t *v, size_t i) {
  struct li_site *s = read_site(&d->w, v);
  if (s == NULL)
    return -1;
  int has_id = json_object_get(v, "id") != NULL;
  uint64_t id = 0;
  if (has_id && get_u64(&d->w, v, "id", 1, &id) != 0) {
    site_free(s);
    return -1;
  }
  s = merge_site(d->p, s);
  if (s == NULL)
    return fail(&d->w, "out of memory");
  if (!has_id)
    return 0;
  struct idmap *m = NULL;
  HASH_FIND(hh, d->ids, &id, sizeof id, m);
  if (m != NULL) {
    push_key(&d->w, "id");
    return fail(&d->w, "duplicate site id %llu (also sites[%zu])",
                (unsigned long long)id, m->index);
  }
  m = calloc(1, sizeof *m);
  if (m == NULL)
    return fail(&d->w, "out of memory");
  *m = (struct idmap){id, s, i, {0}};
  HASH_ADD(hh, d->ids, id, sizeof m->id, m);
  return 0;
}

/* The class an edge names, or the site's when the edge leaves it empty. */
static const char *edge_class(const char *named, const struct li_site *s) {
  if (named[0])
    return named;
  return s->lock_class[0] ? s->lock_class : s->expr;
}

/* The node name of an edge end: its class, or for a lock instance (a
 * lock reached through a helper or getter, numbered per process) the class
 * and "#inst (pid P)", so that instances of two processes stay apart. NULL
 * out of memory; free it. */
static char *end_name(const struct doc *d, const char *cls, uint64_t inst) {
  json_t *pid = json_object_get(d->hdr, "pid");
  long long p = json_is_integer(pid) ? (long long)json_integer_value(pid) : 0;
  size_t n = strlen(cls) + 64;
  char *s = malloc(n);
  if (s != NULL && inst == 0)
    memcpy(s, cls, strlen(cls) + 1);
  else if (s != NULL)
    snprintf(s, n, "%s #%llu (pid %lld)", cls, (unsigned long long)inst, p);
  return s;
}

/* Maps an edge's site ids to merged sites and merges it. */
static int resolve_edge(struct doc *d, const struct staged *e) {
  struct idmap *f = NULL, *t = NULL;
  HASH_FIND(hh, d->ids, &e->from_site, sizeof e->from_site, f);
  HASH_FIND(hh, d->ids, &e->to_site, sizeof e->to_site, t);
  if (f == NULL || t == NULL) {
    snprintf(d->w.path, sizeof d->w.path, "lock_order.edges[%zu].%s", e->index,
             f == NULL ? "from_site" : "to_site");
    return fail(&d->w, "no site with id %llu in this profile",
                (unsigned long long)(f == NULL ? e->from_site : e->to_site));
  }
  char *from = end_name(d, edge_class(e->from, f->site), e->from_inst);
  char *to = end_name(d, edge_class(e->to, t->site), e->to_inst);
  int rc = from && to ? li_rep_lo_add(&d->p->lo, from, to, f->site, t->site,
                                      e->count, e->thread)
                      : -1;
  free(from);
  free(to);
  return rc ? fail(&d->w, "out of memory") : 0;
}

/* Keeps an edge that names sites not read yet. */
static int stage_edge(struct doc *d, struct staged *e) {
  if (d->nst == d->capst) {
    size_t cap = d->capst ? 2 * d->capst : 64;
    struct staged *grown = realloc(d->st, cap * sizeof *grown);
    if (grown == NULL)
      return fail(&d->w, "out of memory");
    d->st = grown;
    d->capst = cap;
  }
  d->st[d->nst++] = *e;
  e->from = e->to = NULL; /* now owned by d->st */
  return 0;
}

/* Reads one lock_order edge element. */
static int edge_element(struct doc *d, json_t *v, size_t i) {
  struct staged e = {NULL, NULL, 0, 0, 0, 0, 0, 0, i};
  int rc = json_is_object(v)
               ? 0
               : fail(&d->w, "expected an object, got %s", type_name(v));
  rc = rc ? rc : get_str(&d->w, v, "from", 0, &e.from);
  rc = rc ? rc : get_str(&d->w, v, "to", 0, &e.to);
  rc = rc ? rc : get_u64(&d->w, v, "from_site", 1, &e.from_site);
  rc = rc ? rc : get_u64(&d->w, v, "to_site", 1, &e.to_site);
  rc = rc ? rc : get_u64(&d->w, v, "count", 0, &e.count);
  rc = rc ? rc : get_u64(&d->w, v, "thread", 0, &e.thread);
  rc = rc ? rc : get_u64(&d->w, v, "from_instance", 0, &e.from_inst);
  rc = rc ? rc : get_u64(&d->w, v, "to_instance", 0, &e.to_inst);
  if (rc == 0) {
    char saved[sizeof d->w.path];
    memcpy(saved, d->w.path, sizeof saved);
    rc = d->sites_done ? resolve_edge(d, &e) : stage_edge(d, &e);
    if (rc == 0)
      memcpy(d->w.path, saved, sizeof saved);
  }
  free(e.from);
  free(e.to);
  return rc;
}

typedef int (*each_fn)(struct doc *d, json_t *v, size_t i);

/* Streams the array value at the current position (path key), calling
 * each() on every element. */
static int stream_array(struct doc *d, const char *key, each_fn each) {
  size_t mark = push_key(&d->w, key);
  if (li_rep_js_skip_ws(&d->js) != '[') {
    json_t *v = element(d);
    int rc = v ? fail(&d->w, "expected an array, got %s", type_name(v)) : -1;
    json_decref(v);
    return rc;
  }
  li_rep_js_get(&d->js);
  if (li_rep_js_skip_ws(&d->js) == ']') {
    li_rep_js_get(&d->js);
    d->w.path[mark] = '\0';
    return 0;
  }
  for (size_t i = 0;; i++) {
    size_t m2 = push_index(&d->w, i);
    json_t *v = element(d);
    if (v == NULL)
      return -1;
    int rc = each(d, v, i);
    json_decref(v);
    if (rc != 0)
      return -1;
    d->w.path[m2] = '\0';
    int c = li_rep_js_skip_ws(&d->js);
    if (c != ',' && c != ']')
      return syntax(d, "',' or ']'");
    li_rep_js_get(&d->js);
    if (c == ']')
      break;
  }
  d->w.path[mark] = '\0';
  return 0;
}

typedef int (*member_fn)(struct doc *d, const char *key);

/* Streams the object at the current position, calling member() with each
 * key once the ':' is read (member consumes the value). */
static int stream_object(struct doc *d, member_fn member) {
  li_rep_js_get(&d->js); /* '{' */
  if (li_rep_js_skip_ws(&d->js) == '}') {
    li_rep_js_get(&d->js);
    return 0;
  }
  for (;;) {
    if (li_rep_js_skip_ws(&d->js) != '"')
      return syntax(d, "string");
    json_t *k = element(d);
    if (k == NULL)
      return -1;
    int rc = li_rep_js_skip_ws(&d->js) == ':' ? 0 : syntax(d, "':'");
    if (rc == 0) {
      li_rep_js_get(&d->js);
      rc = member(d, json_string_value(k));
    }
    json_decref(k);
    if (rc != 0)
      return -1;
    int c = li_rep_js_skip_ws(&d->js);
    if (c != ',' && c != '}')
      return syntax(d, "',' or '}'");
    li_rep_js_get(&d->js);
    if (c == '}')
      return 0;
  }
}

/* Skips a value the reader does not know (the format says: ignore it). */
static int skip_value(struct doc *d) {
  int rc = li_rep_js_value(&d->js, NULL, 0);
  return rc == LI_JS_END ? input_end(d) : 0;
}

static int lock_order_member(struct doc *d, const char *key) {
  if (strcmp(key, "edges") == 0)
    return stream_array(d, "edges", edge_element);
  return skip_value(d);
}

/* The keys kept whole in d->hdr (small values). */
static int header_key(const char *key) {
  static const char *const keys[] = {
      "format",        "version",     "program",     "cmdline", "pid",
      "start_unix_ns", "duration_ns", "reason",      "clock",   "sample_rate",
      "threads",       "dropped",     "merged_from", NULL};
  for (size_t i = 0; keys[i]; i++)
    if (strcmp(key, keys[i]) == 0)
      return 1;
  return 0;
}

/* Checks format and version as soon as both are known, so that a profile
 * of another version is refused before its sites are read. */
static int early_version(struct doc *d) {
  if (json_object_get(d->hdr, "format") && json_object_get(d->hdr, "version"))
    return check_version(&d->w, d->hdr);
  return 0;
}

static int top_member(struct doc *d, const char *key) {
  static const char dup[] = "duplicate object key";
  if (strcmp(key, "sites") == 0) {
    if (d->sites_done)
      return fail(&d->w, "%s \"sites\"", dup);
    int rc = early_version(d) ? -1 : stream_array(d, "sites", site_element);
    d->sites_done = 1;
    return rc;
  }
  if (strcmp(key, "lock_order") == 0) {
    size_t mark = push_key(&d->w, "lock_order");
    if (early_version(d) != 0)
      return -1;
    if (li_rep_js_skip_ws(&d->js) != '{') {
      json_t *v = element(d);
      int rc = v ? fail(&d->w, "expected an object, got %s", type_name(v)) : -1;
      json_decref(v);
      return rc;
    }
    int rc = stream_object(d, lock_order_member);
    d->w.path[mark] = '\0';
    return rc;
  }
  if (!header_key(key))
    return skip_value(d);
  if (json_object_get(d->hdr, key) != NULL)
    return fail(&d->w, "%s \"%s\"", dup, key);
  size_t mark = push_key(&d->w, key);
  json_t *v = element(d);
  if (v == NULL || json_object_set_new(d->hdr, key, v) != 0)
    return v ? fail(&d->w, "out of memory") : -1;
  d->w.path[mark] = '\0';
  return 0;
}

/* After the document: the header, and edges that came before the sites. */
static int finish(struct doc *d) {
  if (check_version(&d->w, d->hdr) || read_header(&d->w, d->p, d->hdr, d->o) ||
      read_cmdline(&d->w, d->p, d->hdr) || read_dropped(&d->w, d->p, d->hdr))
    return -1;
  if (!d->sites_done)
    return fail(&d->w, "sites: expected an array, got nothing");
  for (size_t i = 0; i < d->nst; i++)
    if (resolve_edge(d, &d->st[i]) != 0)
      return -1;
  return 0;
}

/* Walks the whole document. */
static int read_stream(struct doc *d) {
  int c = li_rep_js_skip_ws(&d->js);
  if (c < 0) /* nothing but whitespace counts as empty */
    return d->js.eof ? fail(&d->w, "empty file") : input_end(d);
  if (c != '{') {
    json_t *v = element(d);
    int rc = v ? fail(&d->w, "expected a JSON object at the top, got %s",
                      type_name(v))
               : -1;
    json_decref(v);
    return rc;
  }
  if (stream_object(d, top_member) != 0)
    return -1;
  if (li_rep_js_skip_ws(&d->js) >= 0)
    return syntax(d, "end of file");
  if (d->js.too_big || d->js.err)
    return input_end(d);
  return finish(d);
}

/* Opens path for reading ("-" = stdin), refusing directories. */
static int open_input(const char *path, struct li_err *err) {
  struct stat st;
  int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err->msg, sizeof err->msg, "%s: error: cannot open: %s", path,
             strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    snprintf(err->msg, sizeof err->msg, "%s: error: is a directory", path);
    close(fd);
    return -1;
  }
  return fd;
}

static void doc_free(struct doc *d) {
  struct idmap *m, *tmp;
  HASH_ITER(hh, d->ids, m, tmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(d->ids, m);
    free(m);
  }
  for (size_t i = 0; i < d->nst; i++) {
    free(d->st[i].from);
    free(d->st[i].to);
  }
  free(d->st);
  li_rep_jbuf_free(&d->buf);
  json_decref(d->hdr);
}

int li_rep_profile_add_fd(struct li_profile *p, int fd, const char *name,
                          const struct li_load_opts *opts, struct li_err *err) {
  struct doc *d = calloc(1, sizeof *d); /* holds a 64 KiB buffer */
  if (d == NULL) {
    snprintf(err->msg, sizeof err->msg, "%s: error: out of memory", name);
    return -1;
  }
  d->w.file = name;
  d->w.err = err;
  d->p = p;
  d->o = opts;
  li_rep_js_init(&d->js, fd, opts->max_bytes);
  d->hdr = json_object();
  int rc = d->hdr ? read_stream(d) : fail(&d->w, "out of memory");
  doc_free(d);
  free(d);
  return rc;
}

int li_rep_profile_add_file(struct li_profile *p, const char *path,
                            const struct li_load_opts *opts,
                            struct li_err *err) {
  struct stat st;
  int fd = open_input(path, err);
  if (fd < 0)
    return -1;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (uint64_t)st.st_size > opts->max_bytes) { /* refused before reading */
    snprintf(err->msg, sizeof err->msg,
             "%s: error: profile larger than %zu bytes (see --max-input)", path,
             opts->max_bytes);
    close(fd);
    return -1;
  }
  int rc = li_rep_profile_add_fd(p, fd, path, opts, err);
  close(fd);
  return rc;
}

int li_rep_profile_init(struct li_profile *p) {
  memset(p, 0, sizeof *p);
  return 0;
}

void li_rep_profile_free(struct li_profile *p) {
  struct li_site *s, *tmp;
  HASH_ITER(hh, p->sites, s, tmp) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(p->sites, s);
    site_free(s);
  }
  free(p->program);
  free(p->reason);
  free(p->clock);
  json_decref(p->cmdline);
  li_rep_lo_free(&p->lo);
  memset(p, 0, sizeof *p);
}
