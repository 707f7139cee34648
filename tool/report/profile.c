/*
 * profile.c — reading, validating and merging profiles (see profile.h).
 *
 * Reading: the file is fed to jansson through a callback that counts bytes
 * and stops at the size cap, so a pipe or a growing file is bounded too.
 * Validation walks the document with a "key path" (sites[3].wait.hist[2])
 * so that a wrong type is reported by name. Unknown keys are ignored, as
 * the format requires. Merging happens while walking: each site is looked
 * up by identity in the accumulator's hash table and added to.
 */
#include "profile.h"

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

static const char *const kind_names[LI_KIND_COUNT] = {
    "acquire",  "try",           "timed", "release",
    "condwait", "condtimedwait", "init",  "destroy"};

const char *li_rep_kind_name(enum li_kind k) {
  assert(k < LI_KIND_COUNT);
  return kind_names[k];
}

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

/* Reads the log2 bucket array "hist" of obj into h->b. */
static int get_buckets(struct walk *w, const json_t *obj, struct li_hist *h) {
  json_t *a = json_object_get(obj, "hist");
  size_t mark = push_key(w, "hist");
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
      h->b[i] = (uint64_t)json_integer_value(v);
    w->path[m2] = '\0';
  }
  w->path[mark] = '\0';
  return rc;
}

/*
 * Reads a histogram object obj[key] into *h (zeroed first). hold selects
 * the hold object's key names. A missing object is an empty histogram.
 */
static int get_hist(struct walk *w, const json_t *obj, const char *key,
                    int hold, struct li_hist *h) {
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

void li_rep_hist_add(struct li_hist *dst, const struct li_hist *src) {
  dst->count = li_rep_add_sat(dst->count, src->count);
  dst->total_ns = li_rep_add_sat(dst->total_ns, src->total_ns);
  dst->est_ns = li_rep_add_sat(dst->est_ns, src->est_ns);
  if (src->max_ns > dst->max_ns)
    dst->max_ns = src->max_ns;
  for (size_t i = 0; i < LI_HIST_BUCKETS; i++)
    dst->b[i] = li_rep_add_sat(dst->b[i], src->b[i]);
}

static void site_free(struct li_site *s) {
#define LI_X_(field, key, req) free(s->field);
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
  free(s->key);
  free(s);
}

/* Parses the kind string of s into s->kind_id. */
static int parse_kind(struct walk *w, struct li_site *s) {
  for (int k = 0; k < LI_KIND_COUNT; k++) {
    if (strcmp(s->kind, kind_names[k]) == 0) {
      s->kind_id = (enum li_kind)k;
      return 0;
    }
  }
  size_t mark = push_key(w, "kind");
  fail(w, "unknown kind (expected acquire, try, timed, release, condwait, "
          "condtimedwait, init or destroy)");
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
#define LI_X_(field, key)                                                      \
  if (rc == 0)                                                                 \
    rc = get_u64(w, o, key, 0, &s->field);
  LI_SITE_COUNTERS(LI_X_)
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

/* Adds the counters and histograms of src into dst (same identity). */
static void site_add(struct li_site *dst, const struct li_site *src) {
#define LI_X_(field, key) dst->field = li_rep_add_sat(dst->field, src->field);
  LI_SITE_COUNTERS(LI_X_)
#undef LI_X_
  li_rep_hist_add(&dst->wait, &src->wait);
  li_rep_hist_add(&dst->hold, &src->hold);
  li_rep_hist_add(&dst->cond, &src->cond);
}

/* Merges site s (owned) into p: added to its twin, or inserted. */
static void merge_site(struct li_profile *p, struct li_site *s) {
  struct li_site *twin = NULL;
  HASH_FIND(hh, p->sites, s->key, s->key_len, twin);
  if (twin != NULL) {
    site_add(twin, s);
    site_free(s);
    return;
  }
  s->id = ++p->nsites;
  HASH_ADD_KEYPTR(hh, p->sites, s->key, s->key_len, s);
}

static int read_sites(struct walk *w, struct li_profile *p, const json_t *a) {
  size_t mark = push_key(w, "sites");
  if (!json_is_array(a))
    return fail(w, "expected an array, got %s", a ? type_name(a) : "nothing");
  for (size_t i = 0; i < json_array_size(a); i++) {
    size_t m2 = push_index(w, i);
    struct li_site *s = read_site(w, json_array_get(a, i));
    if (s == NULL)
      return -1;
    merge_site(p, s);
    w->path[m2] = '\0';
  }
  w->path[mark] = '\0';
  return 0;
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
  if (version != 1)
    return fail(w,
                "unsupported profile version %llu (this lockinstr reads "
                "version 1)",
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

/* Appends lock_order.edges (opaque until issue #8 defines them). */
static int read_lock_order(struct walk *w, struct li_profile *p,
                           const json_t *doc) {
  json_t *lo = json_object_get(doc, "lock_order");
  size_t mark = push_key(w, "lock_order");
  json_t *e = json_is_object(lo) ? json_object_get(lo, "edges") : NULL;
  int rc = 0;
  if (lo != NULL && !json_is_object(lo))
    rc = fail(w, "expected an object, got %s", type_name(lo));
  else if (e != NULL && !json_is_array(e))
    rc = fail(w, "edges: expected an array, got %s", type_name(e));
  else if (e != NULL && json_array_extend(p->edges, e) != 0)
    rc = fail(w, "out of memory");
  w->path[mark] = '\0';
  return rc;
}

static int read_doc(struct walk *w, struct li_profile *p, const json_t *doc,
                    const struct li_load_opts *o) {
  if (!json_is_object(doc))
    return fail(w, "expected a JSON object at the top, got %s", type_name(doc));
  if (check_version(w, doc) || read_header(w, p, doc, o) ||
      read_cmdline(w, p, doc) || read_dropped(w, p, doc) ||
      read_lock_order(w, p, doc))
    return -1;
  return read_sites(w, p, json_object_get(doc, "sites"));
}

/* State of the size-capped reader callback. */
struct reader {
  int fd;
  size_t total, max;
  int err;     /* errno of a failed read, or 0 */
  int too_big; /* the cap was reached */
};

static size_t read_cb(void *buf, size_t len, void *data) {
  struct reader *r = data;
  if (r->total >= r->max) {
    char probe;
    ssize_t n = read(r->fd, &probe, 1);
    if (n == 0)
      return 0;
    r->too_big = 1;
    return (size_t)-1;
  }
  if (len > r->max - r->total)
    len = r->max - r->total;
  ssize_t n;
  do
    n = read(r->fd, buf, len);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    r->err = errno;
    return (size_t)-1;
  }
  r->total += (size_t)n;
  return (size_t)n;
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

/* Parses the document at path with jansson, within the size cap. */
static json_t *load_json(const char *path, size_t max, struct li_err *err) {
  json_error_t je;
  struct reader r = {open_input(path, err), 0, max, 0, 0};
  if (r.fd < 0)
    return NULL;
  json_t *doc = json_load_callback(read_cb, &r, JSON_REJECT_DUPLICATES, &je);
  close(r.fd);
  if (doc != NULL)
    return doc;
  if (r.too_big)
    snprintf(err->msg, sizeof err->msg,
             "%s: error: profile larger than %zu bytes (see --max-input)", path,
             max);
  else if (r.err != 0)
    snprintf(err->msg, sizeof err->msg, "%s: error: cannot read: %s", path,
             strerror(r.err));
  else if (r.total == 0)
    snprintf(err->msg, sizeof err->msg, "%s: error: empty file", path);
  else
    snprintf(err->msg, sizeof err->msg, "%s:%d:%d: error: %s", path, je.line,
             je.column, je.text);
  return NULL;
}

int li_rep_profile_add_file(struct li_profile *p, const char *path,
                            const struct li_load_opts *opts,
                            struct li_err *err) {
  json_t *doc = load_json(path, opts->max_bytes, err);
  if (doc == NULL)
    return -1;
  struct walk w = {path, err, ""};
  int rc = read_doc(&w, p, doc, opts);
  json_decref(doc);
  return rc;
}

int li_rep_profile_init(struct li_profile *p) {
  memset(p, 0, sizeof *p);
  p->edges = json_array();
  return p->edges ? 0 : -1;
}

void li_rep_profile_free(struct li_profile *p) {
  struct li_site *s, *tmp;
  HASH_ITER(hh, p->sites, s, tmp) {
    HASH_DEL(p->sites, s);
    site_free(s);
  }
  free(p->program);
  free(p->reason);
  free(p->clock);
  json_decref(p->cmdline);
  json_decref(p->edges);
  memset(p, 0, sizeof *p);
}
