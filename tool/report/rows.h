/*
 * rows.h — what the report shows: rows built from the merged sites,
 * grouped by site or by lock class, filtered and sorted.
 *
 * Every output format except json renders the same row sets, so a number
 * in the text table, the pprof samples and the HTML page always agree.
 * Rows point into the profile's sites (strings are not copied); a class row
 * sums the sites of its class and shows as its location the site that
 * weighs most in its section (lock wait, condition wait, or calls).
 */
#ifndef LI_REPORT_ROWS_H
#define LI_REPORT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

enum li_by { LI_BY_SITE, LI_BY_CLASS };
enum li_sort { LI_SORT_WAIT, LI_SORT_HOLD, LI_SORT_CONTENTIONS, LI_SORT_ACQ };

/* Which sites a section shows. */
enum li_section {
  LI_SEC_LOCK, /* sites that acquire: acquire/try/timed, and the re-acquire
                  of a condition wait */
  LI_SEC_COND, /* condition waits */
  LI_SEC_OTHER /* release, init, destroy (the verbose view) */
};

struct li_row {
  const struct li_site *site; /* the site, or the class's top site */
  const char *lock;           /* class, or the expression when unnamed */
  size_t nsites;              /* 1 by site; sites in the class by class */
  int cont_unknown;           /* a site's contention could not be seen */
#define LI_X_(name, field, where, merge, doc) uint64_t name;
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  struct li_hist wait, hold, cond;
};

/* Fewer hold samples than this make a hold estimate a rough one, which
 * the outputs mark (`~`) unless it extrapolates nothing (every
 * acquisition sampled): its relative error is about 1/sqrt(samples), over
 * 20 % below 25 samples. */
#ifndef LI_REP_FEW_SAMPLES
#define LI_REP_FEW_SAMPLES 25
#endif

/* The hold estimate est_ns of `acq` acquisitions whose longest sampled
 * hold was max_ns, clamped to acq * max_ns (saturating): a weighted
 * outlier sample can make the unbiased estimate exceed what the lock can
 * have been held; the clamp keeps every shown estimate possible (issue
 * #14). Rows are built with it; the JSON output keeps the recorded
 * estimate. */
uint64_t li_rep_hold_bound(uint64_t est_ns, uint64_t acq, uint64_t max_ns);

/* 1 when the row's hold estimate rests on fewer than LI_REP_FEW_SAMPLES
 * samples and extrapolates (fewer samples than acquisitions). */
int li_rep_hold_rough(const struct li_row *r);

struct li_rows {
  struct li_row *v;
  size_t n;     /* rows shown (after --min-wait and --top) */
  size_t total; /* rows before --top */
};

struct li_view {
  enum li_by by;
  enum li_sort sort;
  size_t top;        /* 0 = all */
  uint64_t min_wait; /* ns; rows with less total wait are left out */
};

/*
 * Builds the rows of one section of p as v asks: grouped, filtered by
 * min_wait (lock wait for LI_SEC_LOCK, condition wait for LI_SEC_COND, not
 * applied to LI_SEC_OTHER), sorted (ties: more acquisitions first, then
 * file, line, column) and cut to top. Returns 0, or -1 out of memory.
 * Free with li_rep_rows_free.
 */
int li_rep_rows_build(const struct li_profile *p, enum li_section sec,
                      const struct li_view *v, struct li_rows *out);

void li_rep_rows_free(struct li_rows *r);

/* Whether site s belongs to section sec. */
int li_rep_site_in_section(const struct li_site *s, enum li_section sec);

/* The name a row's lock is shown by: the class, else the expression. */
const char *li_rep_site_lock_name(const struct li_site *s);

/* Names for messages and headers. */
const char *li_rep_sort_name(enum li_sort s);

#endif /* LI_REPORT_ROWS_H */
