/*
 * clock.h — the runtime's time source: ticks and their conversion to ns.
 *
 * li_now() (lockinstr.h) returns ticks: TSC cycles when the CPU reports an
 * invariant TSC (CPUID 0x80000007 EDX bit 8), else CLOCK_MONOTONIC ns.
 * Converting ticks to ns uses the ratio of TSC and CLOCK_MONOTONIC elapsed
 * since the runtime started, refreshed at each flush (and at a dump that
 * converts live threads' events): no calibration at startup, none at all
 * in a process that records no timed event.
 */
#ifndef LI_CLOCK_H
#define LI_CLOCK_H

/* Chooses the clock and records the calibration origin. Call once, before
 * any thread takes a sample (li_init does). Not thread-safe. */
void li_clock_init(void);

/* Refreshes the ticks-to-ns ratio from the origin to now. Call with the
 * runtime's mutex held (the ratio is shared). */
void li_clock_calibrate(void);

/* Converts a tick interval to nanoseconds with the latest ratio. Call with
 * the runtime's mutex held. */
unsigned long long li_ticks_to_ns(unsigned long long ticks);

/* A ticks-to-ns conversion as of one calibration, for converting a batch
 * of events (a flush) without a call per event. */
struct li_tick_conv {
  double ns_per_tick;     /* 1.0 for CLOCK_MONOTONIC */
  unsigned long long lim; /* li_ticks_conv converts ticks below this inline */
};

/* Refreshes the ratio (as li_clock_calibrate) and returns it as a
 * conversion. Call with the runtime's mutex held; valid until it is
 * released. */
struct li_tick_conv li_clock_conv(void);

/* li_ticks_to_ns(ticks) with the ratio of c, to the same nanosecond: below
 * c.lim (2^52, where a double holds every integer and the product stays
 * below 2^63) the signed conversions give exactly what the unsigned ones
 * of li_ticks_to_ns give, in a few instructions instead of a call and two
 * unsigned-to-double conversion sequences. */
static inline unsigned long long li_ticks_conv(unsigned long long ticks,
                                               struct li_tick_conv c) {
  if (__builtin_expect(ticks >= c.lim, 0))
    return li_ticks_to_ns(ticks);
  return (unsigned long long)(long long)((double)(long long)ticks *
                                             c.ns_per_tick +
                                         0.5);
}

/* How many times the ticks-to-ns ratio was measured (0 without the TSC,
 * and in a process that converted nothing): a test hook showing that a
 * process that took no lock paid no calibration. Call with the runtime's
 * mutex held, or once no other thread can convert (at exit). */
unsigned long li_clock_calibrations(void);

/* "tsc" or "clock_monotonic". */
const char *li_clock_name(void);

/* Wall-clock now, in ns since the epoch. */
unsigned long long li_wall_ns(void);

/* Ticks in about 100 ms: how long an event may wait in a thread's buffer. */
unsigned long long li_clock_flush_ticks(void);

#endif
