/*
 * site.c — site registration, exclusion globs, and the global aggregate.
 *
 * Records live in an array of pointers indexed by id - 1 that grows by
 * doubling under li_lock; the records themselves never move, so a flush
 * holding li_lock can use them directly. Each record holds its own copy of
 * the site's descriptor and strings, made at registration (the slow path),
 * so nothing the profile reads lives in the program's memory: a shared
 * object's site table may be unmapped by dlclose. A hash index by content
 * gives a descriptor equal to a registered one that site's id.
 */
#include "site.h"

#include <assert.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct li_dropped li_dropped;

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static struct li_site_agg **aggs; /* [id - 1] */
static unsigned int naggs, capaggs;
static char **excludes; /* NULL-terminated globs */

void li_dropped_zero(void) {
  __atomic_store_n(&li_dropped.events, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&li_dropped.sites, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&li_dropped.unlock_not_held, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&li_dropped.held_overflow, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&li_dropped.edges, 0, __ATOMIC_RELAXED);
  __atomic_store_n(&li_dropped.stale_held, 0, __ATOMIC_RELAXED);
}

void li_lock(void) {
  pthread_mutex_lock(&mutex);
}
void li_unlock(void) {
  pthread_mutex_unlock(&mutex);
}
void li_lock_reinit(void) {
  pthread_mutex_init(&mutex, NULL);
}

unsigned int li_site_count(void) {
  return naggs;
}

struct li_site_agg *li_site_agg(unsigned int id) {
  assert(id >= 1 && id <= naggs);
  return aggs[id - 1];
}

void li_site_set_excludes(const char *csv) {
  size_t n = 1, i = 0;
  const char *p;
  char *copy, *tok, *save = NULL;
  for (p = csv; *p; p++)
    n += *p == ',';
  excludes = calloc(n + 1, sizeof *excludes);
  copy = strdup(csv);
  if (!excludes || !copy) {
    free(copy);
    return;
  }
  for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
    if (*tok)
      excludes[i++] = strdup(tok);
  excludes[i] = NULL;
  free(copy);
}

int li_site_excluded(const char *file) {
  const char *base;
  char **g;
  if (!excludes || !file)
    return 0;
  base = strrchr(file, '/');
  base = base ? base + 1 : file;
  for (g = excludes; *g; g++)
    if (fnmatch(*g, file, 0) == 0 || fnmatch(*g, base, 0) == 0)
      return 1;
  return 0;
}

/* Registered sites by content (see li_site_id): an open-addressing table
 * of ids (0 = empty), at most half full, rebuilt when it doubles; li_lock.
 * Without it (out of memory) equal descriptors simply get their own ids. */
static unsigned int *index_tab;
static unsigned int index_mask; /* slots - 1 */

static const char *str_or_empty(const char *s) {
  return s ? s : "";
}

/* FNV-1a, one field at a time, a separator after each string. */
#define LI_FNV_PRIME 0x100000001b3ull
static unsigned long long hash_str(unsigned long long h, const char *s) {
  for (s = str_or_empty(s); *s; s++)
    h = (h ^ (unsigned char)*s) * LI_FNV_PRIME;
  return (h ^ 0x100u) * LI_FNV_PRIME;
}

/* The rewriter's flags (the low byte): the runtime's own bits, which
 * track_describe may change later, are not part of a site's identity. */
static unsigned int own_flags(const struct lockinstr_site *s) {
  return __atomic_load_n(&s->flags, __ATOMIC_RELAXED) & 0xffu;
}

/* What a site is registered as besides its descriptor: the API name and
 * kind track_describe gives a hand-annotated or configured-API site before
 * its first use (api NULL, kind -1 without). Two such sites of one macro
 * use (spin_lock and spin_unlock on one lock) have equal descriptors,
 * api "custom" both, and must stay two sites. */
struct li_site_key {
  const char *api;
  int kind;
};
static const struct li_site_key no_key = {NULL, -1};

static unsigned long long site_hash(const struct lockinstr_site *s,
                                    struct li_site_key k) {
  unsigned long long h = 0xcbf29ce484222325ull;
  h = hash_str(h, k.api);
  h = (h ^ (unsigned long long)(k.kind + 1)) * LI_FNV_PRIME;
  h = hash_str(h, s->file);
  h = hash_str(h, s->function);
  h = hash_str(h, s->expr);
  h = hash_str(h, s->lock_class);
  h = hash_str(h, s->macro);
  h = (h ^ ((unsigned long long)s->line << 32 | s->column)) * LI_FNV_PRIME;
  return (h ^ ((unsigned long long)s->api << 8 | own_flags(s))) * LI_FNV_PRIME;
}

static int str_eq(const char *a, const char *b) {
  return strcmp(str_or_empty(a), str_or_empty(b)) == 0;
}

/* 1 when record a was registered with key k. */
static int same_key(const struct li_site_agg *a, struct li_site_key k) {
  return a->key_kind == k.kind && !a->key_api == !k.api &&
         (!k.api || strcmp(a->key_api, k.api) == 0);
}

/* 1 when a and b describe the same call site. */
static int same_site(const struct lockinstr_site *a,
                     const struct lockinstr_site *b) {
  return a->line == b->line && a->column == b->column && a->api == b->api &&
         own_flags(a) == own_flags(b) && str_eq(a->file, b->file) &&
         str_eq(a->function, b->function) && str_eq(a->expr, b->expr) &&
         str_eq(a->lock_class, b->lock_class) && str_eq(a->macro, b->macro);
}

/* The index slot of a site equal to s (hash h), or the empty slot where it
 * goes. index_tab not NULL; li_lock held. */
static unsigned int *index_slot(const struct lockinstr_site *s,
                                struct li_site_key k, unsigned long long h) {
  unsigned int i = (unsigned int)(h >> 32 ^ h) & index_mask;
  const struct li_site_agg *a;
  while (index_tab[i]) {
    a = aggs[index_tab[i] - 1];
    if (a->hash == h && same_site(a->site, s) && same_key(a, k))
      break;
    i = (i + 1) & index_mask;
  }
  return &index_tab[i];
}

/* Makes room in the index for one more id (rebuilding it twice as big
 * when it would be more than half full). Returns 0, or -1 out of memory
 * (the old index stays). li_lock held. */
static int index_reserve(void) {
  unsigned int slots = index_tab ? index_mask + 1 : 0, i, *old = index_tab;
  if (2 * (naggs + 1) <= slots)
    return 0;
  slots = slots ? 2 * slots : 512;
  index_tab = calloc(slots, sizeof *index_tab);
  if (!index_tab) {
    index_tab = old;
    return -1;
  }
  index_mask = slots - 1;
  for (i = 0; i < naggs; i++) {
    struct li_site_key k = {aggs[i]->key_api, aggs[i]->key_kind};
    *index_slot(aggs[i]->site, k, aggs[i]->hash) = i + 1;
  }
  free(old);
  return 0;
}

/* Bytes the strings of s take, NULs included. */
static size_t strings_size(const struct lockinstr_site *s,
                           struct li_site_key k) {
  return strlen(str_or_empty(s->file)) + strlen(str_or_empty(s->function)) +
         strlen(str_or_empty(s->expr)) + strlen(str_or_empty(s->lock_class)) +
         strlen(str_or_empty(s->macro)) + strlen(str_or_empty(k.api)) + 6;
}

/* Copies src (NULL as "") to p; returns the copy, and advances p. */
static const char *copy_str(char **p, const char *src) {
  size_t n = strlen(str_or_empty(src)) + 1;
  char *d = *p;
  memcpy(d, str_or_empty(src), n);
  *p += n;
  return d;
}

/* A new record holding a copy of s in the runtime's own memory (the
 * record, followed by s's strings; NULL strings become ""), its id left
 * 0. NULL out of memory. */
static struct li_site_agg *new_record(const struct lockinstr_site *s,
                                      struct li_site_key k) {
  struct li_site_agg *a = calloc(1, sizeof *a + strings_size(s, k));
  char *p;
  if (!a)
    return NULL;
  p = (char *)(a + 1);
  a->desc.api = s->api;
  a->desc.flags = (unsigned short)own_flags(s); /* track_describe may race */
  a->desc.line = s->line;
  a->desc.column = s->column;
  a->desc.file = copy_str(&p, s->file);
  a->desc.function = copy_str(&p, s->function);
  a->desc.expr = copy_str(&p, s->expr);
  a->desc.lock_class = copy_str(&p, s->lock_class);
  a->desc.macro = copy_str(&p, s->macro);
  a->key_api = k.api ? copy_str(&p, k.api) : NULL;
  a->key_kind = k.kind;
  a->site = &a->desc;
  a->hash = site_hash(s, k);
  a->custom_mode = LOCKINSTR_MODE_ANY;
  a->custom_kind = -1;
  return a;
}

/* Appends a record for `site`; returns its id, or 0 out of memory.
 * li_lock held. */
static unsigned int add_record(struct lockinstr_site *site,
                               struct li_site_key k) {
  struct li_site_agg *a;
  if (naggs == capaggs) {
    unsigned int cap = capaggs ? capaggs * 2 : 256;
    struct li_site_agg **p;
    if (cap > LI_HELD_SITE) /* ids must leave the held flags free */
      return 0;
    p = realloc(aggs, cap * sizeof *p);
    if (!p)
      return 0;
    aggs = p;
    capaggs = cap;
  }
  a = new_record(site, k);
  if (!a)
    return 0;
  aggs[naggs++] = a;
  return naggs;
}

/* The id of a registered site equal to `site`, else a new record's (0 out
 * of memory). li_lock held. */
static unsigned int find_or_add(struct lockinstr_site *site,
                                struct li_site_key k) {
  unsigned long long h = site_hash(site, k);
  unsigned int *slot = NULL, id;
  if (index_reserve() == 0) {
    slot = index_slot(site, k, h);
    id = *slot;
    if (id)
      return id;
  }
  id = add_record(site, k);
  if (id && slot)
    *slot = id;
  return id;
}

/* li_site_id, registering the site under key k. */
static unsigned int site_id(struct lockinstr_site *site, struct li_site_key k) {
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
  if (id)
    return id;
  li_lock();
  id = site->id;
  if (!id) {
    if (li_site_excluded(site->file)) {
      id = LI_ID_EXCLUDED;
    } else {
      id = find_or_add(site, k);
      if (!id) {
        LI_DROP(sites);
        id = LI_ID_EXCLUDED;
      }
    }
    __atomic_store_n(&site->id, id, __ATOMIC_RELEASE);
  }
  li_unlock();
  return id;
}

unsigned int li_site_id(struct lockinstr_site *site) {
  return site_id(site, no_key);
}

unsigned int li_site_id_described(struct lockinstr_site *site, const char *api,
                                  int kind) {
  struct li_site_key k = {api, kind};
  return site_id(site, k);
}

void li_site_set_custom_api(struct li_site_agg *a, const char *api) {
  char *copy;
  if (!api) {
    a->custom_api = NULL;
    return;
  }
  if (a->custom_api && strcmp(a->custom_api, api) == 0)
    return;
  copy = strdup(api);
  if (copy) /* the old name is never freed: a snapshot may point to it */
    a->custom_api = copy;
}

void li_counts_add(struct li_counts *a, const struct li_counts *b) {
#define LI_X_(name, field, where, merge, doc)                                  \
  a->field = LI_MERGE_##merge(a->field, b->field);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
}

void li_sites_reset(const struct li_counts *totals) {
  unsigned int i;
  for (i = 0; i < naggs; i++) {
    struct li_site_agg *a = aggs[i];
    memset(&a->wait, 0, sizeof a->wait);
    memset(&a->cond, 0, sizeof a->cond);
    memset(&a->hold, 0, sizeof a->hold);
    __atomic_store_n(&a->key_mismatches, 0, __ATOMIC_RELAXED);
    if (totals) {
      a->baseline = totals[i];
    } else {
      memset(&a->folded, 0, sizeof a->folded);
      memset(&a->baseline, 0, sizeof a->baseline);
    }
  }
}
