/*
 * snapshot.c — taking a profile snapshot, and lockinstr_reset().
 *
 * Counts of a site = counts folded in from exited threads + the live
 * threads' own counters (relaxed loads) - the baseline of the last reset.
 * Lock-order edges the same way: the global table (exited threads) + what
 * each live thread counted since it last folded or the last reset. Timed
 * events the same way too: the global aggregate (flushed) + what each
 * live thread has buffered, added to the copy only (a later flush adds
 * them to the aggregate once); what a dump cannot read (events deferred to
 * another thread's held entries) is counted in the copy's
 * dropped.events.
 */
#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "control.h"
#include "lifecycle.h"
#include "sample.h"
#include "thread.h"

/* Count totals of every site (folded + live); li_lock held. NULL out of
 * memory. */
static struct li_counts *totals(unsigned int n) {
  struct li_counts *sums = calloc(n ? n : 1, sizeof *sums);
  unsigned int i;
  if (!sums)
    return NULL;
  for (i = 0; i < n; i++)
    sums[i] = li_site_agg(i + 1)->folded;
  li_threads_add_counts(sums, n);
  return sums;
}

/* A counter less its baseline: SUM counters restart at the last reset;
 * a MAX cannot be taken apart, so it stays. */
#define LI_REBASE_SUM(v, base) ((v) >= (base) ? (v) - (base) : 0)
#define LI_REBASE_MAX(v, base) (v)

static void rebase(struct li_counts *c, const struct li_counts *base) {
#define LI_X_(name, field, where, merge, doc)                                  \
  c->field = LI_REBASE_##merge(c->field, base->field);
  LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
}

/* Copies site i's record into *o; li_lock held. */
static void copy_site(struct li_snap_site *o, unsigned int i,
                      const struct li_counts *sum) {
  const struct li_site_agg *a = li_site_agg(i + 1);
  o->site = a->site;
  o->id = i + 1;
  o->custom_mode = __atomic_load_n(&a->custom_mode, __ATOMIC_RELAXED);
  o->custom_kind = a->custom_kind;
  o->custom_api = a->custom_api;
  o->key_mismatches = __atomic_load_n(&a->key_mismatches, __ATOMIC_RELAXED);
  o->c = *sum;
  rebase(&o->c, &a->baseline);
  o->wait = a->wait;
  o->cond = a->cond;
  o->hold = a->hold;
}

static void copy_dropped(struct li_dropped *d) {
  d->events = __atomic_load_n(&li_dropped.events, __ATOMIC_RELAXED);
  d->sites = __atomic_load_n(&li_dropped.sites, __ATOMIC_RELAXED);
  d->unlock_not_held =
      __atomic_load_n(&li_dropped.unlock_not_held, __ATOMIC_RELAXED);
  d->held_overflow =
      __atomic_load_n(&li_dropped.held_overflow, __ATOMIC_RELAXED);
  d->edges = __atomic_load_n(&li_dropped.edges, __ATOMIC_RELAXED);
  d->stale_held = __atomic_load_n(&li_dropped.stale_held, __ATOMIC_RELAXED);
}

/* 1 when the totals or the dropped counters hold anything: the process
 * recorded something since it started (or since the last reset). */
static int used(const struct li_counts *sums, unsigned int n,
                const struct li_dropped *d) {
  unsigned int i;
  for (i = 0; i < n; i++) {
#define LI_X_(name, field, where, merge, doc)                                  \
  if (sums[i].field)                                                           \
    return 1;
    LOCKINSTR_SITE_COUNTERS(LI_X_)
#undef LI_X_
  }
  return (d->events | d->sites | d->unlock_not_held | d->held_overflow |
          d->edges) != 0;
}

/* The snapshot's records of site id: where a dump adds the events live
 * threads have buffered. */
static int snap_sink(void *arg, unsigned int id, struct li_ev_sink *out) {
  struct li_snapshot *s = arg;
  struct li_snap_site *o;
  if (id - 1u >= s->nsites)
    return -1;
  o = &s->sites[id - 1];
  out->wait = &o->wait;
  out->cond = &o->cond;
  out->hold = &o->hold;
  return 0;
}

int li_snapshot_take(struct li_snapshot *s, const char *reason, int always) {
  struct li_counts *sums;
  unsigned int i, n;
  memset(s, 0, sizeof *s);
  li_init();
  if (li_tls.ext) { /* the caller's own events, also of locks it holds */
    li_held_deliver_all(&li_tls);
    li_thread_flush(&li_tls);
  }
  s->reason = reason;
  s->pid = (long)getpid();
  s->sample_rate = li_sample_rate();
  li_lock();
  n = li_site_count();
  sums = totals(n);
  copy_dropped(&s->dropped);
  if (sums && !always && !used(sums, n, &s->dropped)) {
    li_unlock();
    free(sums);
    return -ENODATA;
  }
  s->sites = calloc(n ? n : 1, sizeof *s->sites);
  if (!sums || !s->sites) {
    li_unlock();
    free(sums);
    free(s->sites);
    s->sites = NULL;
    return -ENOMEM;
  }
  for (i = 0; i < n; i++)
    copy_site(&s->sites[i], i, &sums[i]);
  s->nsites = n;
  s->dropped.events += li_threads_add_events(snap_sink, s);
  li_order_collect_global(&s->edges);
  li_threads_add_edges(&s->edges);
  s->threads = li_threads_seen();
  s->nrates = li_sample_history(s->rates, &s->rates_dropped);
  s->start_unix_ns = li_start_wall();
  s->duration_ns = li_now_mono() - li_start_mono();
  li_unlock();
  free(sums);
  if (s->edges.oom) {
    li_snapshot_free(s);
    return -ENOMEM;
  }
  li_order_merge(&s->edges);
  return 0;
}

void li_snapshot_free(struct li_snapshot *s) {
  free(s->sites);
  s->sites = NULL;
  s->nsites = 0;
  free(s->edges.v);
  memset(&s->edges, 0, sizeof s->edges);
}

void li_reset(void) {
  struct li_counts *sums;
  li_init();
  li_lock();
  sums = totals(li_site_count());
  if (sums) {
    li_sites_reset(sums);
    li_order_global_clear();
    li_threads_forget_edges();
    li_threads_reset_seen();
    li_dropped_zero();
    li_restart_clock();
  }
  li_reset_gen_bump(); /* under li_lock: no older event lands after this */
  li_unlock();
  free(sums);
  if (li_tls.ext)
    li_thread_sync(&li_tls);
}

void lockinstr_reset(void) {
  li_reset();
}
