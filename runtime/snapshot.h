/*
 * snapshot.h — a consistent copy of the profile, taken under li_lock, so a
 * profile can be written (slow file I/O) without blocking the program's
 * threads; and reset, which needs the same totals.
 */
#ifndef LI_SNAPSHOT_H
#define LI_SNAPSHOT_H

#include "order.h"
#include "sample.h"
#include "site.h"

struct li_snap_site {
  const struct lockinstr_site *site;
  unsigned int id;
  int custom_mode;        /* LOCKINSTR_MODE_* for api custom */
  int custom_kind;        /* LOCKINSTR_KIND_* for api custom, or -1 */
  const char *custom_api; /* the API's name for api custom, or NULL */
  struct li_counts c;     /* folded + live threads - baseline */
  struct li_hist wait, cond;
  struct li_hold hold;
  unsigned long long key_mismatches; /* li_site_agg's */
};

struct li_snapshot {
  const char *reason;
  long pid;
  unsigned long long start_unix_ns, duration_ns;
  unsigned long sample_rate;
  struct li_rate_change rates[LI_RATE_HISTORY]; /* the rate's history */
  unsigned int nrates;
  unsigned long long rates_dropped; /* older history entries not kept */
  unsigned long long threads;
  struct li_dropped dropped;
  unsigned int nsites;
  struct li_snap_site *sites;
  struct li_edge_list edges; /* lock-order edges, sorted by (from, to) */
};

/* Flushes the calling thread's events, then copies everything, with the
 * events other live threads have buffered. Returns 0, or -ENOMEM; unless
 * `always`, -ENODATA (and nothing to free) when the process has recorded
 * nothing: every site counter and every dropped counter is 0 (no
 * instrumented lock call since start or the last reset). Calibrates the
 * clock only to convert a live thread's buffered event. Thread-safe. */
int li_snapshot_take(struct li_snapshot *s, const char *reason, int always);
void li_snapshot_free(struct li_snapshot *s);

/* The body of lockinstr_reset(). */
void li_reset(void);

#endif
