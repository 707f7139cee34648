/*
 * threads.c — per-thread memory and thread start with many sites (issue
 * #14, part 4).
 *
 * The program holds the generated file of BENCH_NSITES lock/unlock
 * functions (gen_sites.py: 2 * BENCH_NSITES sites), plain and
 * instrumented. Every figure compares the instrumented run with the plain
 * one measured in the same process:
 *   one site    the process's resident memory (RSS) after one pair at one
 *               site, before any other site ran: a program with many sites
 *               of which one is used;
 *   then every site runs once on the main thread, so each thread's counter
 *   arrays must cover every id, and
 *   per thread  64 live threads each taking pairs at 10 sites (10
 *               consecutive functions, or 10 spread over the file):
 *               (RSS instrumented - RSS plain) / 64;
 *   start       1,000 threads started at once, each taking one pair at its
 *               own site, spread over the file, and joined: wall time,
 *               median of the rounds and the ratio to plain.
 *
 * usage: bench_threads [--rounds R] [--quick]
 */
#define _GNU_SOURCE
#include "sites.h"
#include "stats.h"

#include <lockinstr.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 1000 /* the start benchmark */
#define NLIVE 64      /* the per-thread memory benchmark */
#define NUSED 10      /* sites used per live thread */

static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static int rounds = 5;

/* What a thread runs: pairs at functions first, first + stride, ... */
struct job {
  void (*at)(pthread_mutex_t *, long, long);
  long first, stride, nused;
  pthread_barrier_t *ready, *done; /* NULL: exit at once */
};

static void *job_main(void *arg) {
  const struct job *j = arg;
  for (long i = 0; i < j->nused; i++)
    j->at(&g_mutex, j->first + i * j->stride, 100);
  if (j->ready) {
    pthread_barrier_wait(j->ready);
    pthread_barrier_wait(j->done);
  }
  return NULL;
}

static void start(pthread_t *t, struct job *j) {
  if (pthread_create(t, NULL, job_main, j) != 0) {
    perror("pthread_create");
    exit(1);
  }
}

/* Seconds to start NTHREADS threads, each using its own site, and join
 * them. */
static double start_threads(void (*at)(pthread_mutex_t *, long, long)) {
  static pthread_t t[NTHREADS];
  static struct job j[NTHREADS];
  double t0 = now_s();
  for (long i = 0; i < NTHREADS; i++) {
    j[i] = (struct job){at, i * (BENCH_NSITES / NTHREADS), 1, 1, NULL, NULL};
    start(&t[i], &j[i]);
  }
  for (long i = 0; i < NTHREADS; i++)
    pthread_join(t[i], NULL);
  return now_s() - t0;
}

/* RSS (KiB) with NLIVE live threads each using NUSED sites `stride`
 * functions apart. */
static long rss_live(void (*at)(pthread_mutex_t *, long, long), long stride) {
  pthread_t t[NLIVE];
  struct job j[NLIVE];
  pthread_barrier_t ready, done;
  long rss;
  pthread_barrier_init(&ready, NULL, NLIVE + 1);
  pthread_barrier_init(&done, NULL, NLIVE + 1);
  for (long i = 0; i < NLIVE; i++) {
    long first = stride == 1 ? i * NUSED : i;
    j[i] = (struct job){at, first, stride, NUSED, &ready, &done};
    start(&t[i], &j[i]);
  }
  pthread_barrier_wait(&ready);
  rss = rss_kib();
  pthread_barrier_wait(&done);
  for (long i = 0; i < NLIVE; i++)
    pthread_join(t[i], NULL);
  pthread_barrier_destroy(&ready);
  pthread_barrier_destroy(&done);
  return rss;
}

static void bench_one_site(void) {
  long r0 = rss_kib();
  plain_one_site_pairs(&g_mutex, 1000);
  long r1 = rss_kib();
  inst_one_site_pairs(&g_mutex, 1000);
  long r2 = rss_kib();
  printf("  one site used of %d:  plain %ld KiB, instrumented %ld KiB (+%ld "
         "KiB)\n",
         2 * BENCH_NSITES, r1, r2, r2 - r0);
}

static void bench_start(void) {
  double plain[BENCH_MAX_ROUNDS], inst[BENCH_MAX_ROUNDS];
  double ratio[BENCH_MAX_ROUNDS];
  for (int r = 0; r < rounds; r++) {
    plain[r] = start_threads(plain_site_pairs_at);
    inst[r] = start_threads(inst_site_pairs_at);
    ratio[r] = inst[r] / plain[r];
  }
  printf("  %d threads start, one site each: plain %.3f s, instrumented "
         "%.3f s  x%.2f\n",
         NTHREADS, median(plain, rounds), median(inst, rounds),
         median(ratio, rounds));
}

/* The instrumented run comes once, first of its kind: memory its threads
 * freed would otherwise be reused by the next run and not show. */
static void bench_live(const char *name, long stride) {
  rss_live(plain_site_pairs_at, stride); /* warm the allocator's arenas */
  long a = rss_live(plain_site_pairs_at, stride);
  long b = rss_live(inst_site_pairs_at, stride);
  printf("  %d live threads, %d %s sites each: %.1f KiB per thread for "
         "the runtime\n",
         NLIVE, NUSED, name, (double)(b - a) / NLIVE);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--quick"))
      rounds = 1;
  }
  if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
    fprintf(stderr, "bench_threads: --rounds must be 1..%d\n",
            BENCH_MAX_ROUNDS);
    return 2;
  }
  lockinstr_set_sample_rate(100);
  printf("\n== threads and sites (%d lock/unlock functions, %d sites; %d "
         "rounds) ==\n",
         BENCH_NSITES, 2 * BENCH_NSITES, rounds);
  bench_one_site();
  inst_many_site_pairs(&g_mutex, BENCH_NSITES); /* registers every site */
  bench_live("consecutive", 1);
  bench_live("spread", BENCH_NSITES / NUSED);
  bench_start();
  return 0;
}
