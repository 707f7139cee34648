/*
 * stats.h — the clock and the median every benchmark program reports
 * with (bench_overhead, bench_anatomy). Header-only: each benchmark is
 * one program.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stdlib.h>
#include <time.h>

/* Up to this many rounds per figure (--rounds). */
#ifndef BENCH_MAX_ROUNDS
#define BENCH_MAX_ROUNDS 101
#endif

/* Seconds on CLOCK_MONOTONIC. */
static inline double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* qsort comparison of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median of v[0..n), reordering v. */
static inline double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif /* BENCH_STATS_H */
