/*
 * units.h — numbers as people read them, and back.
 *
 * Durations are printed with three significant digits in the largest unit
 * that keeps the number below 1000 (ns, µs, ms, s), and parsed from the
 * same spellings for --min-wait. Percentiles are estimated from the
 * runtime's log2 histograms (see li_rep_hist_percentile). Pure functions, no
 * allocation, thread-safe.
 */
#ifndef LI_REPORT_UNITS_H
#define LI_REPORT_UNITS_H

#include <stddef.h>
#include <stdint.h>

#ifndef LI_HIST_BUCKETS
#define LI_HIST_BUCKETS 64 /* bucket i holds 2^i <= v < 2^(i+1) */
#endif

/* Big enough for any li_rep_fmt_duration / li_fmt_count / li_rep_fmt_percent.
 */
#define LI_FMT_MAX 32

/*
 * Writes ns as "0ns", "999ns", "1.00µs", "12.3µs", "123µs", "1.23ms",
 * "12.3s", "1234s" into buf (at least LI_FMT_MAX bytes). Returns buf.
 */
char *li_rep_fmt_duration(char *buf, uint64_t ns);

/* Writes part/whole as a percentage ("0.31%", "12.5%", "100%", "<0.01%"
 * when not zero but too small to show), or "-" when whole is 0. Returns
 * buf. */
char *li_rep_fmt_percent(char *buf, uint64_t part, uint64_t whole);

/*
 * Parses a duration with a unit: "500ns", "10us", "10µs", "1.5ms", "2s",
 * "0" (the only number accepted without a unit). Returns 0 and stores
 * nanoseconds in *ns, or -1 on anything else (no unit, junk, negative,
 * overflow).
 */
int li_rep_parse_duration(const char *s, uint64_t *ns);

/* Parses a non-negative decimal integer (no sign, no junk). 0 or -1. */
int li_rep_parse_count(const char *s, uint64_t *out);

/*
 * Estimates the q-quantile (0 < q <= 1) of the values counted in a log2
 * histogram of nbuckets buckets (bucket 0 covers [0, 2), bucket i covers
 * [2^i, 2^(i+1))). The rank r = ceil(q * n) is located in its bucket and
 * the value is interpolated linearly inside the bucket by the rank's
 * position among the bucket's values, then clamped to max_ns (the exact
 * maximum, which is known) and to the bucket's lower bound. Returns 0 for
 * an empty histogram.
 */
uint64_t li_rep_hist_percentile(const uint64_t *hist, size_t nbuckets,
                                uint64_t max_ns, double q);

/* Saturating addition: counters from hostile profiles never wrap. */
static inline uint64_t li_rep_add_sat(uint64_t a, uint64_t b) {
  return a + b < a ? UINT64_MAX : a + b;
}

#endif /* LI_REPORT_UNITS_H */
