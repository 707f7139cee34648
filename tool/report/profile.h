/*
 * profile.h — the in-memory profile: what the report reads, merges and
 * renders.
 *
 * One struct li_profile accumulates any number of profile files (schema in
 * docs/profile-format.md). Files are read one at a time and streamed: each
 * site or edge is parsed, validated and folded into the accumulator, then
 * freed, so memory is one element plus the merged sites and edges, never a
 * whole document or the sum of the inputs; each document is also capped in
 * size (li_load_opts.max_bytes).
 * Sites from different runs are the same site when file, line, column, api,
 * function and lock expression are equal (site ids differ between runs);
 * their counters and histograms add up and their maxima take the max.
 *
 * Counters are declared once as X-macro tables (like jemalloc's mutex
 * profiling counters): the struct fields, the JSON keys read and written and
 * the merge all come from them. The per-site counters are the runtime's own
 * table, LOCKINSTR_SITE_COUNTERS (lockinstr_counters.h); the kinds are
 * lockinstr_api.h's.
 */
#ifndef LI_REPORT_PROFILE_H
#define LI_REPORT_PROFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

#include "lockinstr_api.h"
#include "lockinstr_counters.h"
#include "lockorder.h"
#include "units.h"

/* How two values of a per-site counter merge (sites of several profiles,
 * sites of a class), by its merge column: sums saturate. */
#define LI_REP_MERGE_SUM(a, b) li_rep_add_sat(a, b)
#define LI_REP_MERGE_MAX(a, b) ((a) > (b) ? (a) : (b))

/* X(field, json key, required): per-site strings. */
#define LI_SITE_STRINGS(X)                                                     \
  X(file, "file", 1)                                                           \
  X(function, "function", 1)                                                   \
  X(expr, "expr", 1)                                                           \
  X(lock_class, "class", 0)                                                    \
  X(macro, "macro", 0)                                                         \
  X(api, "api", 1)                                                             \
  X(kind, "kind", 1)                                                           \
  X(mode, "mode", 0)

/* X(field, json key): the "dropped" counters, summed on merge. */
#define LI_DROPPED_COUNTERS(X)                                                 \
  X(events, "events")                                                          \
  X(sites, "sites")                                                            \
  X(unlock_not_held, "unlock_not_held")                                        \
  X(held_overflow, "held_overflow")                                            \
  X(edges, "edges")                                                            \
  X(stale_held, "stale_held")

/* A wait, hold or condition-wait histogram. For wait and cond, est_ns ==
 * total_ns; for hold, count is the number of samples, total_ns the sampled
 * total and est_ns the estimated total of all acquisitions. */
struct li_hist {
  uint64_t count;
  uint64_t total_ns;
  uint64_t est_ns;
  uint64_t max_ns;
  uint64_t b[LI_HIST_BUCKETS];
};

/* A histogram as a site stores it: the buckets up to the last non-empty
 * one only (a site has three histograms; most use a dozen of the 64
 * buckets, and a profile can have hundreds of thousands of sites). */
struct li_shist {
  uint64_t count, total_ns, est_ns, max_ns; /* as in li_hist */
  uint64_t *b;                              /* nb buckets; NULL if nb == 0 */
  unsigned nb;                              /* <= LI_HIST_BUCKETS */
};

struct li_site {
#define LI_X_(field, key, req) char *field;
  LI_SITE_STRINGS(LI_X_)
#undef LI_X_
  uint32_t line, column;
  enum lockinstr_kind kind_id; /* the kind's LOCKINSTR_KIND_* */
  int cont_unknown;            /* "contentions_known": false (a wrapper
                                  whose contention nobody could see) */
#define LI_X_(name, field, where, merge, doc) uint64_t name;
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  uint64_t key_mismatches; /* optional key (issue #14): releases that ended
                              another key's hold; 0 when absent */
  struct li_shist wait, hold, cond;
  uint64_t id; /* 1-based, in order of first appearance */
  char *key;   /* the identity, NUL-separated fields */
  size_t key_len;
  UT_hash_handle hh; /* by key */
};

/* One entry of a profile's "sample_rates". */
struct li_rep_rate {
  uint64_t rate, from_ns;
};
#ifndef LI_REP_RATES_MAX
#define LI_REP_RATES_MAX 64 /* entries kept; more count as dropped */
#endif

struct li_profile {
  char *program;          /* "a" or, with --merge-any, "a,b" */
  json_t *cmdline;        /* of the first profile (array of strings) or NULL */
  uint64_t pid;           /* of the first profile; 0 once merged from several */
  uint64_t start_unix_ns; /* earliest */
  uint64_t duration_ns;   /* longest */
  char *reason;           /* of the first profile */
  char *clock;            /* common value, or "mixed" */
  uint64_t sample_rate;   /* of the first profile */
  uint64_t rate_min, rate_max; /* over all inputs, for "mixed" rates */
  struct li_rep_rate rates[LI_REP_RATES_MAX]; /* the first profile's rate
                                                  history ("sample_rates") */
  size_t nrates;          /* 0: the profile has none (before 0.1.0's) */
  uint64_t rates_dropped; /* its older entries not kept */
  uint64_t threads;       /* summed */
#define LI_X_(field, key) uint64_t dropped_##field;
  LI_DROPPED_COUNTERS(LI_X_)
#undef LI_X_
  uint64_t merged_from;  /* number of original profiles */
  struct li_lorder lo;   /* lock-order edges, merged */
  struct li_site *sites; /* uthash head, by identity */
  size_t nsites;
};

/* How profiles are read. */
struct li_load_opts {
  size_t max_bytes; /* a larger document is refused */
  int merge_any;    /* accept profiles of different programs */
};

#ifndef LI_MAX_INPUT_BYTES
#define LI_MAX_INPUT_BYTES ((size_t)64 << 20) /* 64 MiB */
#endif

/* A message for the user, already formatted "file:line:col: error: ...". */
struct li_err {
  char msg[1024];
};

/* Initialises an empty accumulator. Returns 0, or -1 out of memory. */
int li_rep_profile_init(struct li_profile *p);

/* Frees everything the accumulator owns. */
void li_rep_profile_free(struct li_profile *p);

/*
 * Reads the profile at path ("-" = stdin), validates it and adds it to p.
 * Returns 0, or -1 with a message in err (parse errors with jansson's
 * line:column, type errors naming the key, a different program without
 * merge_any, a document over max_bytes). On failure p may hold part of the
 * file and must only be freed.
 */
int li_rep_profile_add_file(struct li_profile *p, const char *path,
                            const struct li_load_opts *opts,
                            struct li_err *err);

/* As li_rep_profile_add_file, reading the open descriptor fd (not closed)
 * and naming it name in messages. Used by the fuzzer. */
int li_rep_profile_add_fd(struct li_profile *p, int fd, const char *name,
                          const struct li_load_opts *opts, struct li_err *err);

/* Adds a site's histogram (buckets, counts, totals) to dst; max takes the
 * max. */
void li_rep_hist_add_site(struct li_hist *dst, const struct li_shist *src);

#endif /* LI_REPORT_PROFILE_H */
