/*
 * clock.c — TSC detection and calibration against CLOCK_MONOTONIC.
 *
 * The origin (tsc0, mono0) is taken at startup (a CPUID, a TSC read and a
 * clock_gettime: no waiting); every conversion under the runtime's mutex
 * may refresh the ratio (mono - mono0) / (tsc - tsc0) when at least
 * LI_CALIBRATE_MIN_NS have passed since the origin. The very first
 * conversion, if it comes earlier, waits out the remainder (at most 2 ms,
 * once, on a slow path) rather than use a ratio measured over
 * microseconds. Nothing converts ticks but a flush of timed events or a
 * dump that adds a thread's buffered ones, so a process that records no
 * timed event (`prog --version`) never calibrates.
 */
#include "clock.h"

#include <assert.h>
#include <time.h>

#include "lockinstr.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#ifndef LI_CALIBRATE_MIN_NS
#define LI_CALIBRATE_MIN_NS 2000000ull
#endif

static unsigned long long tsc0, mono0; /* calibration origin */
static double ns_per_tick = 1.0;       /* 1.0 for CLOCK_MONOTONIC */
static int calibrated;
static unsigned long calibrations; /* li_clock_calibrations(); li_lock */

unsigned long long li_now_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull +
         (unsigned long long)ts.tv_nsec;
}

unsigned long long li_wall_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ull +
         (unsigned long long)ts.tv_nsec;
}

/* Returns 1 when the CPU has an invariant TSC. */
static int have_invariant_tsc(void) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned int a, b, c, d;
  if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
    return 0;
  __cpuid(0x80000007u, a, b, c, d);
  return (d >> 8) & 1u;
#else
  return 0;
#endif
}

void li_clock_init(void) {
  int tsc = have_invariant_tsc();
  mono0 = li_now_mono();
#if defined(__x86_64__) || defined(__i386__)
  if (tsc)
    tsc0 = __builtin_ia32_rdtsc();
#endif
  ns_per_tick = 1.0;
  calibrated = !tsc;
  __atomic_store_n(&li_shared.clock_tsc, tsc, __ATOMIC_RELAXED);
}

void li_clock_calibrate(void) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned long long mono, tsc;
  if (!li_shared.clock_tsc)
    return;
  mono = li_now_mono();
  while (!calibrated && mono - mono0 < LI_CALIBRATE_MIN_NS)
    mono = li_now_mono();
  tsc = __builtin_ia32_rdtsc();
  if (mono - mono0 < LI_CALIBRATE_MIN_NS || tsc <= tsc0)
    return;
  ns_per_tick = (double)(mono - mono0) / (double)(tsc - tsc0);
  calibrated = 1;
  calibrations++;
#endif
}

unsigned long long li_ticks_to_ns(unsigned long long ticks) {
  if (!li_shared.clock_tsc)
    return ticks;
  if (!calibrated)
    li_clock_calibrate();
  assert(ns_per_tick > 0.0);
  return (unsigned long long)((double)ticks * ns_per_tick + 0.5);
}

struct li_tick_conv li_clock_conv(void) {
  struct li_tick_conv c;
  li_clock_calibrate();
  c.ns_per_tick = li_shared.clock_tsc ? ns_per_tick : 1.0;
  /* Below 2^52 ticks a double is exact; with fewer than 1024 ns per tick
   * the rounded product stays below 2^62, inside a signed conversion. */
  c.lim = c.ns_per_tick < 1024.0 ? 1ull << 52 : 0;
  return c;
}

unsigned long li_clock_calibrations(void) {
  return calibrations;
}

const char *li_clock_name(void) {
  return li_shared.clock_tsc ? "tsc" : "clock_monotonic";
}

unsigned long long li_clock_flush_ticks(void) {
  /* An invariant TSC runs at >= 1 GHz on any CPU that has one. */
  return li_shared.clock_tsc ? 300000000ull : 100000000ull;
}

unsigned long long lockinstr_now_ns(void) {
  return li_now_mono();
}
