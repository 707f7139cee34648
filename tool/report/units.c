/*
 * units.c — duration formatting and parsing, log2-histogram percentiles.
 *
 * See units.h for the contracts. Everything here is exercised directly by
 * tests/report/test_units.c.
 */
#include "units.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
  const char *name;
  double ns;
};

static const struct unit units[] = {{"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}};

/* Formats x (>= 1) with three significant digits followed by name. */
static void fmt_sig3(char *buf, double x, const char *name) {
  int decimals = x < 9.995 ? 2 : x < 99.95 ? 1 : 0;
  snprintf(buf, LI_FMT_MAX, "%.*f%s", decimals, x, name);
}

char *li_rep_fmt_duration(char *buf, uint64_t ns) {
  size_t n = sizeof units / sizeof units[0];
  if (ns < 1000) {
    snprintf(buf, LI_FMT_MAX, "%uns", (unsigned)ns);
    return buf;
  }
  for (size_t i = 0; i < n; i++) {
    double x = (double)ns / units[i].ns;
    if (x < 999.5 || i + 1 == n) {
      fmt_sig3(buf, x, units[i].name);
      return buf;
    }
  }
  assert(0 && "unreachable");
  return buf;
}

char *li_rep_fmt_percent(char *buf, uint64_t part, uint64_t whole) {
  if (whole == 0) {
    snprintf(buf, LI_FMT_MAX, "-");
    return buf;
  }
  double p = 100.0 * (double)part / (double)whole;
  if (part > 0 && p < 0.005)
    snprintf(buf, LI_FMT_MAX, "<0.01%%");
  else if (p >= 99.95)
    snprintf(buf, LI_FMT_MAX, "%.0f%%", p);
  else if (p >= 9.995)
    snprintf(buf, LI_FMT_MAX, "%.1f%%", p);
  else
    snprintf(buf, LI_FMT_MAX, "%.2f%%", p);
  return buf;
}

/* Nanoseconds per unit for a unit suffix, or 0 if the suffix is unknown. */
static double unit_ns(const char *u) {
  static const struct {
    const char *name;
    double ns;
  } table[] = {{"ns", 1},   {"us", 1e3}, {"µs", 1e3},
               {"ms", 1e6}, {"s", 1e9},  {"m", 60e9}};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(u, table[i].name) == 0)
      return table[i].ns;
  return 0;
}

/* Length of the "123" or "1.5" at the start of s (digits, at most one
 * dot, no sign, no exponent, no hex), 0 if none. */
static size_t number_span(const char *s) {
  size_t n = 0, dots = 0;
  while ((s[n] >= '0' && s[n] <= '9') || (s[n] == '.' && dots++ == 0))
    n++;
  return s[0] >= '0' && s[0] <= '9' ? n : 0;
}

int li_rep_parse_duration(const char *s, uint64_t *ns) {
  char num[64];
  size_t n = s ? number_span(s) : 0;
  if (n == 0 || n >= sizeof num)
    return -1;
  memcpy(num, s, n);
  num[n] = '\0';
  double v = strtod(num, NULL);
  if (s[n] == '\0') {
    if (v != 0)
      return -1; /* a bare number is ambiguous; only 0 needs no unit */
    *ns = 0;
    return 0;
  }
  double mult = unit_ns(s + n);
  if (mult == 0 || v * mult >= 18446744073709551615.0)
    return -1;
  *ns = (uint64_t)(v * mult + 0.5); /* below 2^64, so defined */
  return 0;
}

int li_rep_parse_count(const char *s, uint64_t *out) {
  uint64_t v = 0;
  if (s == NULL || *s == '\0')
    return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    unsigned d = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - d) / 10)
      return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* Lower and upper (exclusive) bound of bucket i, as doubles. */
static void bucket_bounds(size_t i, double *lo, double *hi) {
  *lo = i == 0 ? 0.0 : ldexp(1.0, (int)i);
  *hi = ldexp(1.0, (int)i + 1);
}

uint64_t li_rep_hist_percentile(const uint64_t *hist, size_t nbuckets,
                                uint64_t max_ns, double q) {
  assert(q > 0 && q <= 1);
  double n = 0; /* a double: saturated buckets must not saturate the sum */
  for (size_t i = 0; i < nbuckets; i++)
    n += (double)hist[i];
  if (n == 0)
    return 0;
  double rank = ceil(q * n);
  double before = 0;
  for (size_t i = 0; i < nbuckets; i++) {
    if (hist[i] == 0 || before + (double)hist[i] < rank) {
      before += (double)hist[i];
      continue;
    }
    double lo, hi;
    bucket_bounds(i, &lo, &hi);
    double v = lo + (hi - lo) * (rank - before) / (double)hist[i];
    if (max_ns > 0 && v > (double)max_ns)
      v = (double)max_ns;
    if (v < lo)
      v = lo;
    return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
  }
  return max_ns; /* only reached through rounding of huge counts */
}
