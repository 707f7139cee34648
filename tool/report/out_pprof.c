/*
 * out_pprof.c — `--format pprof`: a gzipped profile.proto that `go tool
 * pprof` and continuous-profiling backends read.
 *
 * Go's lock-profile conventions: sample types contentions/count and
 * delay/nanoseconds (what `go tool pprof` shows for a mutex profile), then
 * acquisitions/count and hold/nanoseconds (the estimated total hold time);
 * period type contentions/count, period 1; default sample type delay. One
 * Location per call site with one Line {Function, line}; Functions are
 * shared by the sites of one C function in one file. Each sample is one
 * site with labels lock (class), expr and api, so `-tagfocus` can select a
 * lock class. The encoder is protobuf-c, generated from our own minimal
 * pprof.proto; zlib writes the gzip stream. The output is not a view:
 * --by, --sort, --top and --min-wait do not apply (pprof filters itself).
 * Names are sanitized (terminal controls escaped) like in the text output.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "escape.h"
#include "outputs.h"
#include "pprof.pb-c.h"

enum { NVALUES = 4, NLABELS = 3 };

/* An interned string. */
struct istr {
  char *s;
  int64_t index;
  UT_hash_handle hh;
};

/* A Function, shared by the sites of one function in one file. */
struct ifun {
  int64_t key[2]; /* name, filename (string indices) */
  Lockinstr__Pprof__Function *fn;
  UT_hash_handle hh;
};

/* Everything the message points to, freed at once. */
struct builder {
  Lockinstr__Pprof__Profile prof;
  struct istr *strings; /* hash by text */
  char **table;         /* string_table, cap entries */
  size_t cap;
  struct ifun *funs;
  Lockinstr__Pprof__Function *fnv;
  Lockinstr__Pprof__Location *locv;
  Lockinstr__Pprof__Line *linev;
  Lockinstr__Pprof__Line **linep;
  Lockinstr__Pprof__Sample *smpv;
  uint64_t *ids;
  int64_t *values;
  Lockinstr__Pprof__Label *labv;
  Lockinstr__Pprof__Label **labp;
  int oom;
};

/* Index of s in the string table (added if new); takes a sanitized copy.
 * Returns 0 ("") when out of memory, with b->oom set. */
static int64_t intern(struct builder *b, const char *raw) {
  char *s = li_rep_sanitize(raw);
  struct istr *e = NULL;
  if (s == NULL) {
    b->oom = 1;
    return 0;
  }
  HASH_FIND_STR(b->strings, s, e);
  if (e != NULL) {
    free(s);
    return e->index;
  }
  if (b->prof.n_string_table == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 64;
    char **t = realloc(b->table, cap * sizeof *t);
    if (t == NULL) {
      free(s);
      b->oom = 1;
      return 0;
    }
    b->table = b->prof.string_table = t;
    b->cap = cap;
  }
  e = malloc(sizeof *e);
  if (e == NULL) {
    free(s);
    b->oom = 1;
    return 0;
  }
  e->s = s;
  e->index = (int64_t)b->prof.n_string_table;
  b->table[b->prof.n_string_table++] = s;
  HASH_ADD_KEYPTR(hh, b->strings, e->s, strlen(e->s), e);
  return e->index;
}

/* The Function for a site's (function, file), created on first use. */
static Lockinstr__Pprof__Function *function_of(struct builder *b,
                                               const struct li_site *s) {
  int64_t key[2] = {intern(b, s->function[0] ? s->function : "(file scope)"),
                    intern(b, s->file)};
  struct ifun *f = NULL;
  /* uthash hashes the key bytes:
   * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
  HASH_FIND(hh, b->funs, key, sizeof key, f);
  if (f != NULL)
    return f->fn;
  f = malloc(sizeof *f);
  if (f == NULL) {
    b->oom = 1;
    return NULL;
  }
  Lockinstr__Pprof__Function *fn = &b->fnv[b->prof.n_function];
  lockinstr__pprof__function__init(fn);
  fn->id = ++b->prof.n_function;
  fn->name = fn->system_name = key[0];
  fn->filename = key[1];
  memcpy(f->key, key, sizeof key);
  f->fn = fn;
  HASH_ADD(hh, b->funs, key, sizeof f->key, f);
  return fn;
}

static int64_t clamp64(uint64_t v) {
  return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* Adds a Location and a Sample for row i. */
static void add_site(struct builder *b, size_t i, const struct li_row *r) {
  const struct li_site *s = r->site;
  Lockinstr__Pprof__Function *fn = function_of(b, s);
  if (fn == NULL)
    return;
  Lockinstr__Pprof__Location *loc = &b->locv[i];
  lockinstr__pprof__location__init(loc);
  lockinstr__pprof__line__init(&b->linev[i]);
  b->linev[i].function_id = fn->id;
  b->linev[i].line = s->line;
  b->linep[i] = &b->linev[i];
  loc->id = i + 1;
  loc->mapping_id = 1;
  loc->n_line = 1;
  loc->line = &b->linep[i];
  Lockinstr__Pprof__Sample *smp = &b->smpv[i];
  lockinstr__pprof__sample__init(smp);
  b->ids[i] = loc->id;
  smp->n_location_id = 1;
  smp->location_id = &b->ids[i];
  int64_t *v = &b->values[i * NVALUES];
  v[0] = clamp64(r->contentions);
  v[1] = clamp64(r->wait.total_ns);
  v[2] = clamp64(r->acquisitions);
  v[3] = clamp64(r->hold.est_ns);
  smp->n_value = NVALUES;
  smp->value = v;
  const char *labels[NLABELS][2] = {
      {"lock", r->lock}, {"expr", s->expr}, {"api", s->api}};
  for (size_t k = 0; k < NLABELS; k++) {
    Lockinstr__Pprof__Label *l = &b->labv[i * NLABELS + k];
    lockinstr__pprof__label__init(l);
    l->key = intern(b, labels[k][0]);
    l->str = intern(b, labels[k][1]);
    b->labp[i * NLABELS + k] = l;
  }
  smp->n_label = NLABELS;
  smp->label = &b->labp[i * NLABELS];
}

/* Allocates the per-site arrays for n sites. Returns 0 or -1. */
static int alloc_arrays(struct builder *b, size_t n) {
  n = n ? n : 1;
  b->fnv = calloc(n, sizeof *b->fnv);
  b->locv = calloc(n, sizeof *b->locv);
  b->linev = calloc(n, sizeof *b->linev);
  b->linep = calloc(n, sizeof *b->linep);
  b->smpv = calloc(n, sizeof *b->smpv);
  b->ids = calloc(n, sizeof *b->ids);
  b->values = calloc(n * NVALUES, sizeof *b->values);
  b->labv = calloc(n * NLABELS, sizeof *b->labv);
  b->labp = calloc(n * NLABELS, sizeof *b->labp);
  b->prof.function = calloc(n, sizeof *b->prof.function);
  b->prof.location = calloc(n, sizeof *b->prof.location);
  b->prof.sample = calloc(n, sizeof *b->prof.sample);
  return b->fnv && b->locv && b->linev && b->linep && b->smpv && b->ids &&
                 b->values && b->labv && b->labp && b->prof.function &&
                 b->prof.location && b->prof.sample
             ? 0
             : -1;
}

static void builder_free(struct builder *b) {
  struct istr *e, *et;
  HASH_ITER(hh, b->strings, e, et) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(b->strings, e);
    free(e->s);
    free(e);
  }
  struct ifun *f, *ft;
  HASH_ITER(hh, b->funs, f, ft) {
    /* uthash delete in HASH_ITER: NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
    HASH_DEL(b->funs, f);
    free(f);
  }
  free(b->table);
  free(b->fnv), free(b->locv), free(b->linev), free(b->linep);
  free(b->smpv), free(b->ids), free(b->values), free(b->labv), free(b->labp);
  free(b->prof.function), free(b->prof.location), free(b->prof.sample);
  free(b->prof.sample_type), free(b->prof.comment);
}

/* Sample types, period, mapping, times and comments. */
static void set_header(struct builder *b, const struct li_profile *p,
                       Lockinstr__Pprof__ValueType *vt,
                       Lockinstr__Pprof__Mapping *map) {
  static const char *const types[NVALUES][2] = {{"contentions", "count"},
                                                {"delay", "nanoseconds"},
                                                {"acquisitions", "count"},
                                                {"hold", "nanoseconds"}};
  intern(b, ""); /* string_table[0] must be "" */
  b->prof.sample_type = calloc(NVALUES, sizeof *b->prof.sample_type);
  b->prof.comment = calloc(1, sizeof *b->prof.comment);
  if (b->prof.sample_type == NULL || b->prof.comment == NULL) {
    b->oom = 1;
    return;
  }
  for (size_t i = 0; i < NVALUES + 1; i++) {
    lockinstr__pprof__value_type__init(&vt[i]);
    vt[i].type = intern(b, types[i % NVALUES][0]);
    vt[i].unit = intern(b, types[i % NVALUES][1]);
    if (i < NVALUES)
      b->prof.sample_type[i] = &vt[i];
  }
  b->prof.n_sample_type = NVALUES;
  b->prof.period_type = &vt[NVALUES]; /* contentions/count */
  b->prof.period = 1;
  b->prof.default_sample_type = vt[1].type; /* delay */
  b->prof.time_nanos = clamp64(p->start_unix_ns);
  b->prof.duration_nanos = clamp64(p->duration_ns);
  char *line = li_rep_summary_line(p);
  b->prof.comment[0] = intern(b, line ? line : "lockinstr");
  b->prof.n_comment = 1;
  free(line);
  lockinstr__pprof__mapping__init(map);
  map->id = 1;
  map->filename = intern(b, p->program ? p->program : "");
  map->has_functions = map->has_filenames = map->has_line_numbers = 1;
}

/* Writes buf[0..n) gzipped to f. Returns 0, or -1 on a zlib failure. */
static int write_gzip(FILE *f, const uint8_t *buf, size_t n) {
  z_stream zs;
  unsigned char out[65536] = {0}; /* zeroed: cppcheck cannot see deflate */
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  zs.next_in = (unsigned char *)buf;
  zs.avail_in = (uInt)n; /* callers keep n below 4 GiB */
  int rc;
  do {
    zs.next_out = out;
    zs.avail_out = sizeof out;
    rc = deflate(&zs, Z_FINISH);
    fwrite(out, 1, sizeof out - zs.avail_out, f);
  } while (rc == Z_OK);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? 0 : -1;
}

/* Packs b->prof and writes it gzipped. */
static int pack_and_write(FILE *f, struct builder *b, struct li_err *err) {
  size_t n = lockinstr__pprof__profile__get_packed_size(&b->prof);
  uint8_t *buf = n < UINT32_MAX ? malloc(n ? n : 1) : NULL;
  if (buf == NULL) {
    snprintf(err->msg, sizeof err->msg, "error: pprof output too large");
    return -1;
  }
  lockinstr__pprof__profile__pack(&b->prof, buf);
  int rc = write_gzip(f, buf, n);
  free(buf);
  if (rc != 0)
    snprintf(err->msg, sizeof err->msg, "error: gzip compression failed");
  return rc;
}

int li_rep_write_pprof(FILE *f, const struct li_report *r, struct li_err *err) {
  struct li_view all = {LI_BY_SITE, LI_SORT_WAIT, 0, 0};
  struct li_rows rows;
  struct builder b;
  Lockinstr__Pprof__ValueType vt[NVALUES + 1];
  Lockinstr__Pprof__Mapping map, *mapp = &map;
  memset(&b, 0, sizeof b);
  lockinstr__pprof__profile__init(&b.prof);
  if (li_rep_rows_build(r->p, LI_SEC_LOCK, &all, &rows) != 0 ||
      alloc_arrays(&b, rows.n) != 0)
    b.oom = 1;
  if (!b.oom)
    set_header(&b, r->p, vt, &map);
  for (size_t i = 0; !b.oom && i < rows.n; i++) {
    add_site(&b, i, &rows.v[i]);
    b.prof.location[i] = &b.locv[i];
    b.prof.sample[i] = &b.smpv[i];
  }
  b.prof.n_location = b.prof.n_sample = b.oom ? 0 : rows.n;
  b.prof.n_mapping = 1;
  b.prof.mapping = &mapp;
  for (size_t i = 0; i < b.prof.n_function; i++)
    b.prof.function[i] = &b.fnv[i];
  int rc = -1;
  if (b.oom)
    snprintf(err->msg, sizeof err->msg, "error: out of memory");
  else
    rc = pack_and_write(f, &b, err);
  li_rep_rows_free(&rows);
  builder_free(&b);
  return rc;
}
