/*
 * site.h — the site registry and the global aggregate.
 *
 * A site gets its id (1, 2, ...) the first time it runs, under the runtime's
 * one internal mutex (li_lock). Its aggregate record — histograms filled by
 * the threads' event flushes, counters folded in from exited threads, and
 * the baseline subtracted since the last reset — is allocated then and
 * never moves. Sites excluded by LOCKINSTR_EXCLUDE (or that could not be
 * registered for lack of memory) get LI_ID_EXCLUDED and no record: the
 * wrappers' fast path rejects that id, and the slow path records nothing.
 *
 * Lock order: li_lock is a leaf: nothing else is locked while it is held,
 * and no instrumented lock is ever taken inside the runtime.
 */
#ifndef LI_SITE_H
#define LI_SITE_H

#include <assert.h>

#include "lockinstr.h"

#define LI_ID_EXCLUDED 0x80000000u

/* All the counters of one site (LOCKINSTR_SITE_COUNTERS), as summed for a
 * profile. */
struct li_counts {
#define LI_X_(name, field, where, merge, doc) unsigned long long field;
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
};

/* How two values of a counter combine, by its merge column: the runtime's
 * sums wrap like the per-thread counters they add up. */
#define LI_MERGE_SUM(a, b) ((a) + (b))
#define LI_MERGE_MAX(a, b) ((a) > (b) ? (a) : (b))
#define LI_HIST_BUCKETS 64

struct li_hist {
  unsigned long long count, total_ns, max_ns;
  unsigned long long hist[LI_HIST_BUCKETS]; /* [i]: 2^i <= v < 2^(i+1) */
};

struct li_hold {
  unsigned long long samples, sampled_total_ns, total_ns_est, max_ns;
  unsigned long long hist[LI_HIST_BUCKETS];
};

struct li_site_agg {
  struct lockinstr_site *site; /* = &desc */
  struct lockinstr_site desc;  /* the runtime's own copy of the descriptor,
                                  strings too (they follow the record): the
                                  original may live in a shared object
                                  that is dlclose'd */
  unsigned long long hash;     /* of the identity fields (site.c) */
  struct li_counts folded;     /* from exited threads (and OOM fallbacks) */
  struct li_counts baseline;   /* totals at the last reset, subtracted */
  struct li_hist wait;         /* contended acquisitions */
  struct li_hist cond;         /* condition waits */
  unsigned long long key_mismatches; /* releases here that ended another
                                        key's hold (track.c); atomic */
  struct li_hold hold;               /* sampled holds */
  int custom_mode;        /* for api custom: the mode of track_acquire */
  int custom_kind;        /* for api custom: track_describe's, or -1 */
  const char *custom_api; /* for api custom: track_describe's (a copy,
                             never freed: a snapshot may hold it), or
                             NULL */
  const char *key_api;    /* registered by track_describe: its api (a
                             copy after the strings), part of the
                             site's identity; else NULL */
  int key_kind;           /* and its kind; else -1 */
};

/* Counters of what could not be recorded (profile key "dropped"). */
struct li_dropped {
  unsigned long long events, sites, unlock_not_held, held_overflow;
  unsigned long long edges;      /* edge acquisitions with no room (order.h) */
  unsigned long long stale_held; /* held entries found untrue (held.c) */
};
extern struct li_dropped li_dropped;
/* Adds one to a li_dropped field, from any thread. */
#define LI_DROP(field)                                                         \
  __atomic_fetch_add(&li_dropped.field, 1, __ATOMIC_RELAXED)

/* Zeroes every li_dropped counter (atomically, field by field). */
void li_dropped_zero(void);

/* The runtime's internal mutex (a plain, uninstrumented pthread mutex). */
void li_lock(void);
void li_unlock(void);
/* Re-initialises it in a fork child. */
void li_lock_reinit(void);

/* Returns the site's id, registering it on first use (takes li_lock).
 * LI_ID_EXCLUDED for excluded or unregistrable sites. Thread-safe.
 * Registration copies what the profile needs from the descriptor (its
 * strings included), so the descriptor may go away afterwards (a shared
 * object's site table, dlclose'd). A descriptor equal to a registered one
 * in every field the profile shows (file, line, column, api, function,
 * expression, class, macro, the rewriter's flags) gets that site's id: the
 * same call site, e.g. from a shared object loaded again, or an
 * instrumented static inline function in a header used by two files. */
unsigned int li_site_id(struct lockinstr_site *site);

/* li_site_id for track_describe: a site first registered here is told
 * apart from an equal descriptor by the API name and kind too (the lock
 * and the unlock call of one macro use, both api "custom"). A registered
 * site keeps its id. */
unsigned int li_site_id_described(struct lockinstr_site *site, const char *api,
                                  int kind);

/* Sets the API name of a hand-annotated site (track_describe); copies
 * `api` unless it equals the current name. li_lock held. */
void li_site_set_custom_api(struct li_site_agg *a, const char *api);

/* Number of registered (non-excluded) sites; li_lock held. */
unsigned int li_site_count(void);
/* The record of site `id` (1-based); li_lock held. */
struct li_site_agg *li_site_agg(unsigned int id);

/* Sets the LOCKINSTR_EXCLUDE globs (comma-separated; copied). Before any
 * site registers; not thread-safe. */
void li_site_set_excludes(const char *csv);
/* Returns 1 when `file` matches one of the globs. */
int li_site_excluded(const char *file);

/* The bucket of a value: floor(log2 v), 0 for v = 0. */
static inline unsigned int li_hist_bucket(unsigned long long v) {
  return v ? 63u - (unsigned int)__builtin_clzll(v) : 0u;
}

/* Adds a value to a histogram. Inline: the flush calls it per event. */
static inline void li_hist_add(struct li_hist *h, unsigned long long ns) {
  h->count++;
  h->total_ns += ns;
  if (ns > h->max_ns)
    h->max_ns = ns;
  h->hist[li_hist_bucket(ns)]++;
}

/* Adds a sample of weight w (>= 1) to a hold record; the scaled total
 * saturates rather than wraps (1000 s holds at rate 1e9 would overflow).
 * Inline: the flush calls it per sampled hold. */
static inline void li_hold_add(struct li_hold *h, unsigned long long ns,
                               unsigned int w) {
  unsigned long long est;
  assert(w >= 1);
  h->samples++;
  h->sampled_total_ns += ns;
  if (__builtin_mul_overflow(ns, (unsigned long long)w, &est) ||
      __builtin_add_overflow(h->total_ns_est, est, &h->total_ns_est))
    h->total_ns_est = ~0ull;
  if (ns > h->max_ns)
    h->max_ns = ns;
  h->hist[li_hist_bucket(ns)]++;
}

/* Zeroes every record's histograms. With `totals` (the current count
 * totals of every site, li_site_count() entries) sets each baseline to
 * them, so reported counts restart at zero; with NULL (a fork child whose
 * own thread counters were zeroed) zeroes folded counts and baselines.
 * li_lock held. */
void li_sites_reset(const struct li_counts *totals);

/* Merges b into a, field by field (adds, or takes the max). */
void li_counts_add(struct li_counts *a, const struct li_counts *b);

#endif
