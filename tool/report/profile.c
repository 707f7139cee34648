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
 * wrong type is reported by name (walk.c). Unknown keys are skipped, as
 * the format requires. Merging happens while walking: each site is looked
 * up by identity in the accumulator's hash table and added to (sites.c);
 * each edge's site ids are mapped to the merged sites through a
 * per-document id table, and the edge is merged by (classes, merged sites)
 * in lockorder.c; an edge end that is a lock instance (version 2) is a
 * class of its own, named by the instance and the process. The small
 * top-level values are kept until the end of the
 * document and merged then (meta.c).
 */
#include "profile.h"

#include "jstream.h"
#include "meta.h"
#include "sites.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
  struct li_rep_walk w;
  struct li_profile *p;
  const struct li_load_opts *o;
  struct li_js js;
  struct li_rep_jbuf buf; /* the raw text of the current element */
  json_t *hdr;            /* top-level values other than sites and lock_order */
  struct idmap *ids;
  struct staged *st;
  size_t nst, capst;
  int sites_done; /* the sites array has been read */
  int wide_rc;    /* li_rep_js_wide_ints of the current element */
  int hdr_wide;   /* some header value was rewritten by it, */
  int hdr_minus;  /* ... some held a '-' */
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
      li_rep_fail(&d->w, "value larger than %zu bytes", LI_MAX_ELEMENT_BYTES);
    else
      li_rep_fail(&d->w, "out of memory");
    return NULL;
  }
  d->wide_rc = li_rep_js_wide_ints(d->buf.p, d->buf.n);
  d->w.wide = d->wide_rc > 0;
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
  struct li_site *s = li_rep_site_read(&d->w, v);
  if (s == NULL)
    return -1;
  int has_id = json_object_get(v, "id") != NULL;
  uint64_t id = 0;
  if (has_id && li_rep_get_u64(&d->w, v, "id", 1, &id) != 0) {
    li_rep_site_free(s);
    return -1;
  }
  s = li_rep_site_merge(d->p, s);
  if (s == NULL)
    return li_rep_fail(&d->w, "out of memory");
  if (!has_id)
    return 0;
  struct idmap *m = NULL;
  HASH_FIND(hh, d->ids, &id, sizeof id, m);
  if (m != NULL) {
    li_rep_push_key(&d->w, "id");
    return li_rep_fail(&d->w, "duplicate site id %llu (also sites[%zu])",
                       (unsigned long long)id, m->index);
  }
  m = calloc(1, sizeof *m);
  if (m == NULL)
    return li_rep_fail(&d->w, "out of memory");
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
    return li_rep_fail(
        &d->w, "no site with id %llu in this profile",
        (unsigned long long)(f == NULL ? e->from_site : e->to_site));
  }
  char *from = end_name(d, edge_class(e->from, f->site), e->from_inst);
  char *to = end_name(d, edge_class(e->to, t->site), e->to_inst);
  int rc = from && to ? li_rep_lo_add(&d->p->lo, from, to, f->site, t->site,
                                      e->count, e->thread)
                      : -1;
  free(from);
  free(to);
  return rc ? li_rep_fail(&d->w, "out of memory") : 0;
}

/* Keeps an edge that names sites not read yet. */
static int stage_edge(struct doc *d, struct staged *e) {
  if (d->nst == d->capst) {
    size_t cap = d->capst ? 2 * d->capst : 64;
    struct staged *grown = realloc(d->st, cap * sizeof *grown);
    if (grown == NULL)
      return li_rep_fail(&d->w, "out of memory");
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
  int rc = json_is_object(v) ? 0
                             : li_rep_fail(&d->w, "expected an object, got %s",
                                           li_rep_type_name(v));
  rc = rc ? rc : li_rep_get_str(&d->w, v, "from", 0, &e.from);
  rc = rc ? rc : li_rep_get_str(&d->w, v, "to", 0, &e.to);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "from_site", 1, &e.from_site);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "to_site", 1, &e.to_site);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "count", 0, &e.count);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "thread", 0, &e.thread);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "from_instance", 0, &e.from_inst);
  rc = rc ? rc : li_rep_get_u64(&d->w, v, "to_instance", 0, &e.to_inst);
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
  size_t mark = li_rep_push_key(&d->w, key);
  if (li_rep_js_skip_ws(&d->js) != '[') {
    json_t *v = element(d);
    int rc =
        v ? li_rep_fail(&d->w, "expected an array, got %s", li_rep_type_name(v))
          : -1;
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
    size_t m2 = li_rep_push_index(&d->w, i);
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
      "format",      "version",      "program",
      "cmdline",     "pid",          "start_unix_ns",
      "duration_ns", "reason",       "clock",
      "sample_rate", "threads",      "dropped",
      "merged_from", "sample_rates", "sample_rates_dropped",
      NULL};
  for (size_t i = 0; keys[i]; i++)
    if (strcmp(key, keys[i]) == 0)
      return 1;
  return 0;
}

/* Checks format and version as soon as both are known, so that a profile
 * of another version is refused before its sites are read. */
static int early_version(struct doc *d) {
  if (json_object_get(d->hdr, "format") && json_object_get(d->hdr, "version"))
    return li_rep_meta_check_version(&d->w, d->hdr);
  return 0;
}

static int top_member(struct doc *d, const char *key) {
  static const char dup[] = "duplicate object key";
  if (strcmp(key, "sites") == 0) {
    if (d->sites_done)
      return li_rep_fail(&d->w, "%s \"sites\"", dup);
    int rc = early_version(d) ? -1 : stream_array(d, "sites", site_element);
    d->sites_done = 1;
    return rc;
  }
  if (strcmp(key, "lock_order") == 0) {
    size_t mark = li_rep_push_key(&d->w, "lock_order");
    if (early_version(d) != 0)
      return -1;
    if (li_rep_js_skip_ws(&d->js) != '{') {
      json_t *v = element(d);
      int rc = v ? li_rep_fail(&d->w, "expected an object, got %s",
                               li_rep_type_name(v))
                 : -1;
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
    return li_rep_fail(&d->w, "%s \"%s\"", dup, key);
  size_t mark = li_rep_push_key(&d->w, key);
  json_t *v = element(d);
  if (v == NULL || json_object_set_new(d->hdr, key, v) != 0)
    return v ? li_rep_fail(&d->w, "out of memory") : -1;
  d->hdr_wide |= d->wide_rc > 0;
  d->hdr_minus |= d->wide_rc < 0;
  d->w.path[mark] = '\0';
  return 0;
}

/* After the document: the header, and edges that came before the sites. */
static int finish(struct doc *d) {
  d->w.wide = d->hdr_wide && !d->hdr_minus; /* the header's values, read now */
  if (li_rep_meta_read(&d->w, d->p, d->hdr, d->o) != 0)
    return -1;
  if (!d->sites_done)
    return li_rep_fail(&d->w, "sites: expected an array, got nothing");
  for (size_t i = 0; i < d->nst; i++)
    if (resolve_edge(d, &d->st[i]) != 0)
      return -1;
  return 0;
}

/* Walks the whole document. */
static int read_stream(struct doc *d) {
  int c = li_rep_js_skip_ws(&d->js);
  if (c < 0) /* nothing but whitespace counts as empty */
    return d->js.eof ? li_rep_fail(&d->w, "empty file") : input_end(d);
  if (c != '{') {
    json_t *v = element(d);
    int rc = v ? li_rep_fail(&d->w, "expected a JSON object at the top, got %s",
                             li_rep_type_name(v))
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
  int rc = d->hdr ? read_stream(d) : li_rep_fail(&d->w, "out of memory");
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
    li_rep_site_free(s);
  }
  free(p->program);
  free(p->reason);
  free(p->clock);
  json_decref(p->cmdline);
  li_rep_lo_free(&p->lo);
  memset(p, 0, sizeof *p);
}
