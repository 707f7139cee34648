/*
 * sample.c — geometric countdowns for hold-time sampling.
 *
 * The draw is by inversion: for U uniform in (0, 1], the number of
 * acquisitions up to and including the next sampled one is
 * 1 + floor(log U / log(1 - 1/rate)). It runs once per sampled acquisition,
 * on the slow path, so the log() is affordable; log(1 - 1/rate) is
 * computed once per rate by the thread (li_sample_log).
 *
 * The rate's history, for the profile: a ring of its last LI_RATE_HISTORY
 * entries under li_lock, dated on the monotonic clock and tied to the
 * profile's start (li_start_mono) it was made for.
 */
#include "sample.h"

#include <math.h>

#include "clock.h"
#include "lifecycle.h"
#include "lockinstr.h"
#include "site.h"

static unsigned int rate_now = LI_DEFAULT_SAMPLE_RATE;

/* The history (li_lock): v[first], ... v[first + n - 1] (mod
 * LI_RATE_HISTORY), `from_ns` holding li_now_mono() dates; `start` is the
 * li_start_mono() it belongs to. */
static struct {
  struct li_rate_change v[LI_RATE_HISTORY];
  unsigned int first, n;
  unsigned long long dropped, start;
} hist;

/* Appends an entry, dropping the oldest when full. */
static void hist_push(unsigned int rate, unsigned long long at) {
  if (hist.n == LI_RATE_HISTORY) {
    hist.first = (hist.first + 1) % LI_RATE_HISTORY;
    hist.n--;
    hist.dropped++;
  }
  hist.v[(hist.first + hist.n++) % LI_RATE_HISTORY].rate = rate;
  hist.v[(hist.first + hist.n - 1) % LI_RATE_HISTORY].from_ns = at;
}

/* Starts the history again, with `rate` (the rate in effect) from the
 * profile's start, when the profile started again since (reset, fork
 * child) or when it is empty. */
static void hist_follow(unsigned int rate) {
  unsigned long long start = li_start_mono();
  if (hist.n && hist.start == start)
    return;
  hist.first = hist.n = 0;
  hist.dropped = 0;
  hist.start = start;
  hist_push(rate, start);
}

unsigned int li_sample_rate(void) {
  return __atomic_load_n(&rate_now, __ATOMIC_RELAXED);
}

unsigned int li_sample_set_rate(unsigned long rate) {
  unsigned int old;
  if (rate > LOCKINSTR_MAX_SAMPLE_RATE)
    rate = LOCKINSTR_MAX_SAMPLE_RATE;
  li_lock();
  old = __atomic_exchange_n(&rate_now, (unsigned int)rate, __ATOMIC_RELAXED);
  hist_follow(old);
  if (rate != old)
    hist_push((unsigned int)rate, li_now_mono());
  li_unlock();
  return old;
}

void li_sample_init_rate(unsigned long rate) {
  if (rate > LOCKINSTR_MAX_SAMPLE_RATE)
    rate = LOCKINSTR_MAX_SAMPLE_RATE;
  li_lock();
  __atomic_store_n(&rate_now, (unsigned int)rate, __ATOMIC_RELAXED);
  hist.n = 0;
  hist_follow((unsigned int)rate);
  li_unlock();
}

unsigned int li_sample_history(struct li_rate_change *v,
                               unsigned long long *dropped) {
  unsigned int i;
  hist_follow(li_sample_rate());
  for (i = 0; i < hist.n; i++) {
    v[i] = hist.v[(hist.first + i) % LI_RATE_HISTORY];
    v[i].from_ns = v[i].from_ns > hist.start ? v[i].from_ns - hist.start : 0;
  }
  *dropped = hist.dropped;
  return hist.n;
}

unsigned long long li_rng_next(unsigned long long *state) {
  unsigned long long z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

unsigned long long li_rng_seed(unsigned long long salt) {
  unsigned long long s = salt ^ li_now_mono() ^ (li_wall_ns() << 17);
  (void)li_rng_next(&s);
  return s;
}

double li_sample_log(unsigned int rate) {
  return rate >= 2 ? log1p(-1.0 / (double)rate) : 0.0;
}

int li_sample_draw_log(unsigned long long *state, unsigned int rate,
                       double lg) {
  double u, q;
  if (rate == 0)
    return LI_COUNTDOWN_NEVER;
  if (rate == 1)
    return 1;
  /* 53 random bits, shifted into (0, 1]. */
  u = ((double)(long long)(li_rng_next(state) >> 11) + 1.0) * 0x1.0p-53;
  /* q >= 0 (log u <= 0, lg < 0), so truncating is floor: the countdown is
   * 1 + floor(q), capped at LI_COUNTDOWN_NEVER */
  q = log(u) / lg;
  return q >= (double)(LI_COUNTDOWN_NEVER - 1) ? LI_COUNTDOWN_NEVER
                                               : 1 + (int)q;
}

int li_sample_draw(unsigned long long *state, unsigned int rate) {
  return li_sample_draw_log(state, rate, li_sample_log(rate));
}
