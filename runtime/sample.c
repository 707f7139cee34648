/*
 * sample.c — geometric countdowns for hold-time sampling.
 *
 * The draw is by inversion: for U uniform in (0, 1], the number of
 * acquisitions up to and including the next sampled one is
 * 1 + floor(log U / log(1 - 1/rate)). It runs once per sampled acquisition,
 * on the slow path, so the log() is affordable; log(1 - 1/rate) is
 * computed once per rate by the thread (li_sample_log).
 */
#include "sample.h"

#include <math.h>

#include "clock.h"
#include "lockinstr.h"

static unsigned int rate_now = LI_DEFAULT_SAMPLE_RATE;

unsigned int li_sample_rate(void) {
  return __atomic_load_n(&rate_now, __ATOMIC_RELAXED);
}

unsigned int li_sample_set_rate(unsigned long rate) {
  if (rate > LOCKINSTR_MAX_SAMPLE_RATE)
    rate = LOCKINSTR_MAX_SAMPLE_RATE;
  return __atomic_exchange_n(&rate_now, (unsigned int)rate, __ATOMIC_RELAXED);
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
