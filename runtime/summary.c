/*
 * summary.c — the top-N table at exit.
 */
#include "summary.h"

#include <stdlib.h>

#include "profile.h"

void li_summary_duration(char *buf, size_t n, unsigned long long ns) {
  if (ns < 1000ull)
    snprintf(buf, n, "%llu ns", ns);
  else if (ns < 1000000ull)
    snprintf(buf, n, "%.1f us", (double)ns / 1e3);
  else if (ns < 1000000000ull)
    snprintf(buf, n, "%.1f ms", (double)ns / 1e6);
  else
    snprintf(buf, n, "%.2f s", (double)ns / 1e9);
}

/* Orders sites by wait total, contentions, estimated hold, acquisitions,
 * all descending. */
static int by_cost(const void *pa, const void *pb) {
  const struct li_snap_site *a = *(const struct li_snap_site *const *)pa;
  const struct li_snap_site *b = *(const struct li_snap_site *const *)pb;
  if (a->wait.total_ns != b->wait.total_ns)
    return a->wait.total_ns < b->wait.total_ns ? 1 : -1;
  if (a->c.cont != b->c.cont)
    return a->c.cont < b->c.cont ? 1 : -1;
  if (a->hold.total_ns_est != b->hold.total_ns_est)
    return a->hold.total_ns_est < b->hold.total_ns_est ? 1 : -1;
  if (a->c.acq != b->c.acq)
    return a->c.acq < b->c.acq ? 1 : -1;
  return a->id < b->id ? -1 : a->id > b->id;
}

/* One row of the table. */
static void print_row(FILE *f, const struct li_snap_site *s) {
  char wait[32], hold[32];
  li_summary_duration(wait, sizeof wait, s->wait.total_ns);
  li_summary_duration(hold, sizeof hold, s->hold.total_ns_est);
  fprintf(f, "lockinstr: %10s %10llu %12llu %10s  %s:%u %s%s %s [%s]\n", wait,
          s->c.cont, s->c.acq, hold, s->site->file, s->site->line,
          s->site->function, *s->site->function ? "()" : "",
          s->site->lock_class, li_api_name(s));
}

void li_summary_print(FILE *f, const struct li_snapshot *s, const char *path) {
  const struct li_snap_site **idx;
  unsigned int i, n = 0;
  fprintf(f, "lockinstr: %s%s (%u sites, %llu threads, sample rate %lu)\n",
          path ? "profile written to " : "no profile written", path ? path : "",
          s->nsites, s->threads, s->sample_rate);
  idx = malloc((s->nsites ? s->nsites : 1) * sizeof *idx);
  if (!idx)
    return;
  for (i = 0; i < s->nsites; i++)
    if (s->sites[i].c.acq || s->sites[i].c.cont || s->sites[i].wait.count)
      idx[n++] = &s->sites[i];
  qsort(idx, n, sizeof *idx, by_cost);
  if (n)
    fprintf(f, "lockinstr: %10s %10s %12s %10s  %s\n", "wait", "contended",
            "acquired", "hold(est)", "site");
  for (i = 0; i < n && i < LI_SUMMARY_TOP; i++)
    print_row(f, idx[i]);
  free(idx);
}
