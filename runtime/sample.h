/*
 * sample.h — hold-time sampling: the global rate and per-thread draws.
 *
 * Each thread keeps a countdown of acquisitions until its next sampled one,
 * drawn from a geometric distribution with mean = the rate, so every
 * acquisition is sampled independently with probability 1/rate (no aliasing
 * with periodic code). Each sample then stands for `rate` acquisitions
 * (Horvitz–Thompson), which keeps estimates unbiased when the rate changes.
 */
#ifndef LI_SAMPLE_H
#define LI_SAMPLE_H

#ifndef LI_DEFAULT_SAMPLE_RATE
#define LI_DEFAULT_SAMPLE_RATE 100u
#endif

/* What li_sample_draw returns for rate 0. */
#define LI_COUNTDOWN_NEVER 0x3fffffff

/* The longest countdown a thread runs down before its next slow path: a
 * longer draw is cut here and the slow path draws again (the geometric
 * distribution is memoryless, so this changes no probability). It bounds
 * how long a thread takes to see a new rate or a reset. */
#ifndef LI_COUNTDOWN_MAX
#define LI_COUNTDOWN_MAX 65536
#endif

/* How many entries a profile's rate history keeps: the rate in effect at
 * the profile's start, then each change, oldest first; when a profile
 * sees more, the oldest entries go (counted, see li_sample_history). */
#ifndef LI_RATE_HISTORY
#define LI_RATE_HISTORY 16
#endif

/* One entry of the rate history. */
struct li_rate_change {
  unsigned int rate;          /* 1 in rate acquisitions sampled; 0 = off */
  unsigned long long from_ns; /* since the profile's start */
};

/* The rate now (0 = off). Thread-safe (one relaxed atomic). */
unsigned int li_sample_rate(void);
/* Sets the rate (clamped to LOCKINSTR_MAX_SAMPLE_RATE) and returns the old
 * one; a change goes into the rate history (takes li_lock). Does not bump
 * li_shared.control; the caller does. */
unsigned int li_sample_set_rate(unsigned long rate);
/* The rate the runtime starts with (its initialisation, after the
 * profile's clock started): the history begins with it, not with a
 * change. Takes li_lock. */
void li_sample_init_rate(unsigned long rate);

/* Copies the current profile's rate history into v (LI_RATE_HISTORY
 * entries) and returns how many there are (>= 1); *dropped gets the number
 * of older entries that were not kept (then v[0] does not start at 0). A
 * reset or a fork child restarts the profile, and the history with it:
 * the rate then in effect, from 0. li_lock held. */
unsigned int li_sample_history(struct li_rate_change *v,
                               unsigned long long *dropped);

/* Seeds a per-thread generator state from `salt` and the time. */
unsigned long long li_rng_seed(unsigned long long salt);
/* splitmix64: the next value of the generator. */
unsigned long long li_rng_next(unsigned long long *state);

/* A countdown for `rate`: 1 + Geometric(1/rate) failures, i.e. >= 1 with
 * mean `rate`; 1 for rate 1; LI_COUNTDOWN_NEVER for rate 0. */
int li_sample_draw(unsigned long long *state, unsigned int rate);

/* log1p(-1/rate), the divisor of every draw at `rate` (0 for rate 0 or
 * 1, which draw none). A thread computes it once per rate. */
double li_sample_log(unsigned int rate);
/* li_sample_draw with lg = li_sample_log(rate): the same countdown, one
 * log() instead of two. */
int li_sample_draw_log(unsigned long long *state, unsigned int rate, double lg);

#endif
