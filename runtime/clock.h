/*
 * clock.h — the runtime's time source: ticks and their conversion to ns.
 *
 * li_now() (lockinstr.h) returns ticks: TSC cycles when the CPU reports an
 * invariant TSC (CPUID 0x80000007 EDX bit 8), else CLOCK_MONOTONIC ns.
 * Converting ticks to ns uses the ratio of TSC and CLOCK_MONOTONIC elapsed
 * since the runtime started, refreshed at each flush and dump: no
 * calibration stall at startup.
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

/* "tsc" or "clock_monotonic". */
const char *li_clock_name(void);

/* Wall-clock now, in ns since the epoch. */
unsigned long long li_wall_ns(void);

/* Ticks in about 100 ms: how long an event may wait in a thread's buffer. */
unsigned long long li_clock_flush_ticks(void);

#endif
