/*
 * walk.c — validated reading of a parsed JSON value, with its key path for
 * messages (see walk.h).
 *
 * Every getter pushes its key onto w->path, checks the type, and pops the
 * key again whatever happens, so that a message names the exact value that
 * was wrong and the path is right for the next read.
 */
#include "walk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Formats "file: error: <path>: msg" into w->err. Returns -1. */
int li_rep_fail(struct li_rep_walk *w, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(w->err->msg, sizeof w->err->msg, "%s: error: %s%s%s", w->file,
           w->path, w->path[0] ? ": " : "", msg);
  return -1;
}

const char *li_rep_type_name(const json_t *v) {
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
size_t li_rep_push_key(struct li_rep_walk *w, const char *key) {
  size_t len = strlen(w->path);
  snprintf(w->path + len, sizeof w->path - len, "%s%s", len ? "." : "", key);
  return len;
}

size_t li_rep_push_index(struct li_rep_walk *w, size_t i) {
  size_t len = strlen(w->path);
  snprintf(w->path + len, sizeof w->path - len, "[%zu]", i);
  return len;
}

/* Sets *out to integer v as a count: v itself, or, when it is negative
 * and stands for a count of 2^63 and up (w->wide), that count. Returns 0,
 * or -1 for a negative number that is one. */
static int count_of(const struct li_rep_walk *w, const json_t *v,
                    uint64_t *out) {
  json_int_t i = json_integer_value(v);
  if (i >= 0)
    *out = (uint64_t)i;
  else if (w->wide)
    *out = (uint64_t)INT64_MAX + 1 + (uint64_t)(-1 - i);
  return i >= 0 || w->wide ? 0 : -1;
}

/*
 * Reads obj[key] as a non-negative integer into *out. A missing key gives 0
 * unless required. Returns 0 or -1 (message set).
 */
int li_rep_get_u64(struct li_rep_walk *w, const json_t *obj, const char *key,
                   int required, uint64_t *out) {
  json_t *v = json_object_get(obj, key);
  size_t mark = li_rep_push_key(w, key);
  int rc = 0;
  *out = 0;
  if (v == NULL) {
    if (required)
      rc = li_rep_fail(w, "missing");
  } else if (!json_is_integer(v)) {
    rc = li_rep_fail(w, "expected a non-negative integer, got %s",
                     li_rep_type_name(v));
  } else if (count_of(w, v, out) != 0) {
    rc = li_rep_fail(w, "expected a non-negative integer, got %lld",
                     (long long)json_integer_value(v));
  }
  w->path[mark] = '\0';
  return rc;
}

/* Reads obj[key] as a string, stored as a new copy in *out ("" if missing
 * and not required). Returns 0 or -1. */
int li_rep_get_str(struct li_rep_walk *w, const json_t *obj, const char *key,
                   int required, char **out) {
  json_t *v = json_object_get(obj, key);
  size_t mark = li_rep_push_key(w, key);
  int rc = 0;
  *out = NULL;
  if (v == NULL && required)
    rc = li_rep_fail(w, "missing");
  else if (v != NULL && !json_is_string(v))
    rc = li_rep_fail(w, "expected a string, got %s", li_rep_type_name(v));
  if (rc == 0) {
    *out = strdup(v ? json_string_value(v) : "");
    if (*out == NULL)
      rc = li_rep_fail(w, "out of memory");
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
static int get_buckets(struct li_rep_walk *w, const json_t *obj,
                       struct li_shist *h) {
  json_t *a = json_object_get(obj, "hist");
  size_t mark = li_rep_push_key(w, "hist");
  uint64_t b[LI_HIST_BUCKETS] = {0};
  int rc = 0;
  if (a != NULL && !json_is_array(a))
    rc = li_rep_fail(w, "expected an array, got %s", li_rep_type_name(a));
  else if (a != NULL && json_array_size(a) > LI_HIST_BUCKETS)
    rc = li_rep_fail(w, "%zu buckets, at most %d allowed", json_array_size(a),
                     LI_HIST_BUCKETS);
  for (size_t i = 0; rc == 0 && a != NULL && i < json_array_size(a); i++) {
    json_t *v = json_array_get(a, i);
    size_t m2 = li_rep_push_index(w, i);
    if (!json_is_integer(v) || count_of(w, v, &b[i]) != 0)
      rc = li_rep_fail(w, "expected a non-negative integer, got %s",
                       li_rep_type_name(v));
    w->path[m2] = '\0';
  }
  if (rc == 0 && a != NULL && keep_buckets(h, b, json_array_size(a)) != 0)
    rc = li_rep_fail(w, "out of memory");
  w->path[mark] = '\0';
  return rc;
}

/*
 * Reads a histogram object obj[key] into *h (zeroed first). hold selects
 * the hold object's key names. A missing object is an empty histogram.
 */
int li_rep_get_hist(struct li_rep_walk *w, const json_t *obj, const char *key,
                    int hold, struct li_shist *h) {
  json_t *o = json_object_get(obj, key);
  size_t mark = li_rep_push_key(w, key);
  int rc = 0;
  memset(h, 0, sizeof *h);
  if (o != NULL && !json_is_object(o)) {
    rc = li_rep_fail(w, "expected an object, got %s", li_rep_type_name(o));
  } else if (o != NULL) {
    rc = li_rep_get_u64(w, o, hold ? "samples" : "count", 0, &h->count);
    if (rc == 0)
      rc = li_rep_get_u64(w, o, hold ? "sampled_total_ns" : "total_ns", 0,
                          &h->total_ns);
    if (rc == 0)
      rc = hold ? li_rep_get_u64(w, o, "total_ns_est", 0, &h->est_ns) : 0;
    if (rc == 0)
      rc = li_rep_get_u64(w, o, "max_ns", 0, &h->max_ns);
    if (rc == 0)
      rc = get_buckets(w, o, h);
    if (!hold)
      h->est_ns = h->total_ns;
  }
  w->path[mark] = '\0';
  return rc;
}
