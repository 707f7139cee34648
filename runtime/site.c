/*
 * site.c — site registration, exclusion globs, and the global aggregate.
 *
 * Records live in an array of pointers indexed by id - 1 that grows by
 * doubling under li_lock; the records themselves never move, so a flush
 * holding li_lock can use them directly.
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

/* Appends a record for `site`; returns its id, or 0 out of memory.
 * li_lock held. */
static unsigned int add_record(struct lockinstr_site *site) {
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
  a = calloc(1, sizeof *a);
  if (!a)
    return 0;
  a->site = site;
  a->custom_mode = LOCKINSTR_MODE_ANY;
  a->custom_kind = -1;
  aggs[naggs++] = a;
  return naggs;
}

unsigned int li_site_id(struct lockinstr_site *site) {
  unsigned int id = __atomic_load_n(&site->id, __ATOMIC_ACQUIRE);
  if (id)
    return id;
  li_lock();
  id = site->id;
  if (!id) {
    if (li_site_excluded(site->file)) {
      id = LI_ID_EXCLUDED;
    } else {
      id = add_record(site);
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

unsigned int li_hist_bucket(unsigned long long v) {
  return v ? 63u - (unsigned int)__builtin_clzll(v) : 0u;
}

void li_hist_add(struct li_hist *h, unsigned long long ns) {
  h->count++;
  h->total_ns += ns;
  if (ns > h->max_ns)
    h->max_ns = ns;
  h->hist[li_hist_bucket(ns)]++;
}

void li_hold_add(struct li_hold *h, unsigned long long ns, unsigned int w) {
  unsigned long long est;
  assert(w >= 1);
  h->samples++;
  h->sampled_total_ns += ns;
  /* saturate rather than wrap (1000 s holds at rate 1e9 would overflow) */
  if (__builtin_mul_overflow(ns, (unsigned long long)w, &est) ||
      __builtin_add_overflow(h->total_ns_est, est, &h->total_ns_est))
    h->total_ns_est = ~0ull;
  if (ns > h->max_ns)
    h->max_ns = ns;
  h->hist[li_hist_bucket(ns)]++;
}

void li_counts_add(struct li_counts *a, const struct li_counts *b) {
  a->acq += b->acq;
  a->rel += b->rel;
  a->cont += b->cont;
  a->tryfail += b->tryfail;
  a->timeout += b->timeout;
  a->err += b->err;
}

void li_sites_reset(const struct li_counts *totals) {
  unsigned int i;
  for (i = 0; i < naggs; i++) {
    struct li_site_agg *a = aggs[i];
    memset(&a->wait, 0, sizeof a->wait);
    memset(&a->cond, 0, sizeof a->cond);
    memset(&a->hold, 0, sizeof a->hold);
    if (totals) {
      a->baseline = totals[i];
    } else {
      memset(&a->folded, 0, sizeof a->folded);
      memset(&a->baseline, 0, sizeof a->baseline);
    }
  }
}
