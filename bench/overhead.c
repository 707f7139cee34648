/*
 * overhead.c — runtime overhead benchmarks for lockinstr (issue #6).
 *
 * Every figure is a ratio against the uninstrumented loop measured in the
 * same run: the plain loop and each instrumented variant run one after the
 * other inside every round, for several rounds, and the report gives the
 * median ratio and its spread (min..max over rounds). The loops themselves
 * are in pairs.c, compiled as written (plain), rewritten by lockinstr
 * (inst) and rewritten with -DLOCKINSTR_DISABLE (off).
 *
 * Uncontended pairs are measured twice: first while the process is still
 * single-threaded, then after a second thread was started (and joined).
 * glibc's pthread_mutex_lock (and mtx_lock) skip the `lock` prefix of
 * their compare-and-swap while the process is single-threaded, which
 * makes the plain pair about twice as cheap as in any multi-threaded
 * program — the programs a lock profiler is for — and the try call the
 * wrappers make first never gets that discount. The "try first" row (the
 * plain loop written as try-then-lock, tryfirst.c) shows that part apart.
 *
 * usage: bench_overhead [pairs|pairs-st|pairs-mt|contended|scale|sharing|
 *                        memory|all]
 *                       [--rounds R] [--quick]
 *        bench_overhead once CONFIG API N [mt]
 *   runs N pairs of one configuration (index into configs[]) and one API
 *   (0 mutex .. 4 mtx) and nothing else, in a single-threaded process or,
 *   with `mt`, after starting a thread: for counting instructions per pair
 *   under callgrind (bench/instructions.sh), which is repeatable where
 *   timings on a shared machine are not.
 */
#define _GNU_SOURCE
#include "pairs.h"
#include "sites.h"
#include "stats.h"

#include <lockinstr.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct bench_variant plain = BENCH_VARIANT_INIT(plain_);
static const struct bench_variant inst = BENCH_VARIANT_INIT(inst_);
static const struct bench_variant off = BENCH_VARIANT_INIT(off_);
static const struct bench_variant tryfirst = {
    "try_",         try_mutex_pairs, try_rdlock_pairs,   try_wrlock_pairs,
    try_spin_pairs, try_mtx_pairs,   plain_spread_pairs, try_contended_pairs};

static int rounds = 11;
static long scale_n = 1; /* --quick divides the work by 10 */

/* ------------------------------------------------------------------ */
/* Uncontended pairs                                                  */
/* ------------------------------------------------------------------ */

/* The locks every pair loop works on, one of each kind. */
static pthread_mutex_t g_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t g_rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t g_spin;
static mtx_t g_mtx;

/* How one instrumented configuration is set up before its timing. */
struct config {
  const char *name;
  const struct bench_variant *v;
  unsigned long rate; /* sample rate to set; ignored when runtime_off */
  int runtime_off;    /* lockinstr_enable(0), as LOCKINSTR_DISABLE=1 does */
};

static const struct config configs[] = {
    {"plain", &plain, 0, 0},
    {"plain, try first", &tryfirst, 0, 0},
    {"default rate (1/100)", &inst, 100, 0},
    {"rate 1 (all timed)", &inst, 1, 0},
    {"LOCKINSTR_DISABLE=1", &inst, 100, 1},
    {"-DLOCKINSTR_DISABLE", &off, 100, 0},
    /* Sampling off: every pair takes the unsampled fast path (counts and
     * lock order as always), the figure the <= 1.2x target is about; the
     * default rate adds the sampled 1 in 100 on top. Last, so the indices
     * of the others (`once`, instructions.sh) stay. */
    {"unsampled (rate 0)", &inst, 0, 0},
};
#define NCONFIGS (int)(sizeof configs / sizeof configs[0])

/* Runs n pairs of API `api` with variant v; returns seconds. */
static double time_pairs(const struct bench_variant *v, int api, long n) {
  double t0 = now_s();
  switch (api) {
  case 0:
    v->mutex_pairs(&g_mutex, n);
    break;
  case 1:
    v->rdlock_pairs(&g_rwlock, n);
    break;
  case 2:
    v->wrlock_pairs(&g_rwlock, n);
    break;
  case 3:
    v->spin_pairs(&g_spin, n);
    break;
  default:
    v->mtx_pairs(&g_mtx, n);
    break;
  }
  return now_s() - t0;
}

static void apply(const struct config *c) {
  lockinstr_enable(!c->runtime_off);
  lockinstr_set_sample_rate(c->rate);
}

static void print_ratio_row(const char *name, double ns, double *ratios,
                            int n) {
  double lo = ratios[0], hi = ratios[0];
  for (int i = 1; i < n; i++) {
    lo = ratios[i] < lo ? ratios[i] : lo;
    hi = ratios[i] > hi ? ratios[i] : hi;
  }
  printf("  %-22s %8.2f ns/pair   x%5.2f  (spread %.2f..%.2f)\n", name, ns,
         median(ratios, n), lo, hi);
}

static void *idle_main(void *arg) {
  return arg;
}

/* Makes the process multi-threaded for good: glibc never sets
 * __libc_single_threaded back once a thread was created. */
static void start_a_thread(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, idle_main, NULL) != 0) {
    perror("pthread_create");
    exit(1);
  }
  pthread_join(t, NULL);
}

static void bench_pairs(int threaded) {
  static const char *apis[] = {"pthread_mutex", "pthread_rwlock rd",
                               "pthread_rwlock wr", "pthread_spin", "C11 mtx"};
  long n = 2000000 / scale_n;
  if (threaded)
    start_a_thread();
  printf("\n== uncontended lock+unlock pairs, %s process (%ld pairs x %d "
         "rounds) ==\n",
         threaded ? "multi-threaded" : "single-threaded", n, rounds);
  for (int api = 0; api < 5; api++) {
    double ns[NCONFIGS][BENCH_MAX_ROUNDS], ratio[NCONFIGS][BENCH_MAX_ROUNDS];
    for (int c = 0; c < NCONFIGS; c++) { /* warm up every variant */
      apply(&configs[c]);
      time_pairs(configs[c].v, api, n / 10);
    }
    for (int r = 0; r < rounds; r++) {
      double base = 0;
      for (int c = 0; c < NCONFIGS; c++) {
        apply(&configs[c]);
        double t = time_pairs(configs[c].v, api, n);
        ns[c][r] = t * 1e9 / (double)n;
        if (c == 0)
          base = ns[c][r];
        ratio[c][r] = ns[c][r] / base;
      }
    }
    printf("%s\n", apis[api]);
    for (int c = 0; c < NCONFIGS; c++)
      print_ratio_row(configs[c].name, median(ns[c], rounds), ratio[c], rounds);
  }
  lockinstr_enable(1);
  lockinstr_set_sample_rate(100);
}

/* ------------------------------------------------------------------ */
/* Contended throughput                                               */
/* ------------------------------------------------------------------ */

struct worker {
  pthread_t tid;
  const struct bench_variant *v;
  pthread_mutex_t *locks;
  long nlocks, start, n;
  pthread_barrier_t *go;
};

static void *worker_main(void *arg) {
  struct worker *w = arg;
  pthread_barrier_wait(w->go);
  w->v->contended_pairs(w->locks, w->nlocks, w->start, w->n);
  return NULL;
}

/* Runs nthreads workers on nlocks locks; returns pairs per second. */
static double contended_run(const struct bench_variant *v, int nthreads,
                            long nlocks, long n) {
  pthread_mutex_t locks[64];
  struct worker w[8];
  pthread_barrier_t go;
  for (long i = 0; i < nlocks; i++)
    pthread_mutex_init(&locks[i], NULL);
  pthread_barrier_init(&go, NULL, (unsigned)nthreads + 1);
  for (int i = 0; i < nthreads; i++) {
    w[i] = (struct worker){.v = v,
                           .locks = locks,
                           .nlocks = nlocks,
                           .start = i * 17,
                           .n = n,
                           .go = &go};
    pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
  }
  double t0 = now_s();
  pthread_barrier_wait(&go);
  for (int i = 0; i < nthreads; i++)
    pthread_join(w[i].tid, NULL);
  double t = now_s() - t0;
  pthread_barrier_destroy(&go);
  for (long i = 0; i < nlocks; i++)
    pthread_mutex_destroy(&locks[i]);
  return (double)n * nthreads / t;
}

static void bench_contended(void) {
  static const int threads[] = {2, 4, 8};
  static const long nlocks[] = {1, 64};
  long n = 1000000 / scale_n;
  int r_max = rounds < 7 ? rounds : 7;
  printf("\n== contended throughput, default rate (%ld pairs per thread x %d "
         "rounds; ratio = throughput / plain throughput) ==\n",
         n, r_max);
  for (int l = 0; l < 2; l++) {
    for (int t = 0; t < 3; t++) {
      double tp_plain[BENCH_MAX_ROUNDS], tp_try[BENCH_MAX_ROUNDS];
      double tp_inst[BENCH_MAX_ROUNDS], r_try[BENCH_MAX_ROUNDS];
      double r_inst[BENCH_MAX_ROUNDS], spread[BENCH_MAX_ROUNDS];
      for (int r = 0; r < r_max; r++) {
        tp_plain[r] = contended_run(&plain, threads[t], nlocks[l], n);
        tp_try[r] = contended_run(&tryfirst, threads[t], nlocks[l], n);
        tp_inst[r] = contended_run(&inst, threads[t], nlocks[l], n);
        r_try[r] = tp_try[r] / tp_plain[r];
        r_inst[r] = spread[r] = tp_inst[r] / tp_plain[r];
      }
      qsort(spread, (size_t)r_max, sizeof *spread, cmp_double);
      printf("  %d threads on %2ld lock%s  plain %6.2f M pairs/s   "
             "try first x%4.2f   instrumented %6.2f M pairs/s x%4.2f  "
             "(spread %.2f..%.2f)\n",
             threads[t], nlocks[l], nlocks[l] > 1 ? "s" : " ",
             median(tp_plain, r_max) / 1e6, median(r_try, r_max),
             median(tp_inst, r_max) / 1e6, median(r_inst, r_max), spread[0],
             spread[r_max - 1]);
    }
  }
}

/* ------------------------------------------------------------------ */
/* Scale: many sites, many lock instances                             */
/* ------------------------------------------------------------------ */

/* ns per pair of one variant over the generated sites (sites.c). */
static double sites_run(void (*run)(pthread_mutex_t *, long), long n) {
  double t0 = now_s();
  run(&g_mutex, n);
  return (now_s() - t0) * 1e9 / (double)n;
}

static void bench_scale(void) {
  long n = 2000000 / scale_n;
  long ninst = 1l << 17; /* 131,072 lock instances: over 100,000, and a
                            power of two for spread_pairs' stride */
  pthread_mutex_t *locks = malloc(sizeof *locks * (size_t)ninst);
  if (!locks) {
    perror("malloc");
    exit(1);
  }
  for (long i = 0; i < ninst; i++)
    pthread_mutex_init(&locks[i], NULL);
  printf("\n== scale: cost per pair with many sites and lock instances "
         "(default rate, %d rounds) ==\n",
         rounds);
  double one[BENCH_MAX_ROUNDS], many[BENCH_MAX_ROUNDS];
  double s_one[BENCH_MAX_ROUNDS], s_many[BENCH_MAX_ROUNDS];
  for (int r = 0; r < rounds; r++) {
    double p1 = 0, pn = 0, q1 = 0, qn = 0;
    double t0 = now_s();
    plain.spread_pairs(locks, 1, n);
    p1 = now_s() - t0;
    t0 = now_s();
    inst.spread_pairs(locks, 1, n);
    q1 = now_s() - t0;
    t0 = now_s();
    plain.spread_pairs(locks, ninst, n);
    pn = now_s() - t0;
    t0 = now_s();
    inst.spread_pairs(locks, ninst, n);
    qn = now_s() - t0;
    one[r] = q1 / p1;
    many[r] = qn / pn;
    s_one[r] =
        sites_run(inst_one_site_pairs, n) / sites_run(plain_one_site_pairs, n);
    s_many[r] = sites_run(inst_many_site_pairs, n) /
                sites_run(plain_many_site_pairs, n);
  }
  printf("  1 lock instance        x%5.2f of plain\n", median(one, rounds));
  printf("  %ld lock instances x%5.2f of plain\n", ninst, median(many, rounds));
  printf("  1 site                 x%5.2f of plain\n", median(s_one, rounds));
  printf("  %d sites           x%5.2f of plain\n", BENCH_NSITES,
         median(s_many, rounds));
  for (long i = 0; i < ninst; i++)
    pthread_mutex_destroy(&locks[i]);
  free(locks);
}

/* ------------------------------------------------------------------ */
/* Sharing: program data written by another thread next to what the   */
/* wrappers read                                                       */
/* ------------------------------------------------------------------ */

struct writer {
  volatile long *target;
  volatile int stop;
};

static void *writer_main(void *arg) {
  struct writer *w = arg;
  while (!w->stop)
    (*w->target)++;
  return NULL;
}

/* ns per spin pair of variant v while another thread increments *target
 * (NULL: no writer). */
static double spin_with_writer(const struct bench_variant *v,
                               volatile long *target, long n) {
  static struct writer w __attribute__((aligned(64)));
  pthread_t t;
  w.target = target;
  w.stop = 0;
  if (target)
    pthread_create(&t, NULL, writer_main, &w);
  double t0 = now_s();
  v->spin_pairs(&g_spin, n);
  double ns = (now_s() - t0) * 1e9 / (double)n;
  w.stop = 1;
  if (target)
    pthread_join(t, NULL);
  return ns;
}

/* The wrappers read li_shared and their site's id on every call. Neither
 * may share a cache line with program data that other threads write
 * (lockinstr.h, lockinstr_site.h). Here a thread increments the
 * instrumented file's own initialised global, `neighbour`, while spin
 * pairs run; with the site table on lines of its own this costs what a
 * writer on an unrelated line costs. */
static void bench_sharing(void) {
  static volatile long far __attribute__((aligned(64)));
  long n = 2000000 / scale_n;
  double plain_far[BENCH_MAX_ROUNDS], inst_far[BENCH_MAX_ROUNDS];
  double plain_near[BENCH_MAX_ROUNDS], inst_near[BENCH_MAX_ROUNDS];
  double r_far[BENCH_MAX_ROUNDS], r_near[BENCH_MAX_ROUNDS];
  const char *t = inst_site_table, *nb = (const char *)&inst_neighbour;
  long gap = nb < t ? (long)(t - nb) : (long)(nb - t - inst_site_table_size);
  uintptr_t line_t0 = (uintptr_t)t / 64;
  uintptr_t line_t1 = ((uintptr_t)t + inst_site_table_size - 1) / 64;
  uintptr_t line_nb = (uintptr_t)nb / 64;
  printf("\n== sharing: another thread writes a global of the instrumented "
         "file (%ld spin pairs x %d rounds) ==\n",
         n, rounds);
  printf("  site table %p (%lu bytes, %s), the file's global %ld bytes "
         "away, %s\n",
         inst_site_table, inst_site_table_size,
         (uintptr_t)t % 64 ? "not line-aligned" : "line-aligned", gap,
         line_nb == line_t0 || line_nb == line_t1 ? "on a line of the table"
                                                  : "on another line");
  for (int r = 0; r < rounds; r++) {
    plain_far[r] = spin_with_writer(&plain, &far, n);
    inst_far[r] = spin_with_writer(&inst, &far, n);
    plain_near[r] = spin_with_writer(&plain, &plain_neighbour, n);
    inst_near[r] = spin_with_writer(&inst, &inst_neighbour, n);
    r_far[r] = inst_far[r] / plain_far[r];
    r_near[r] = inst_near[r] / plain_near[r];
  }
  printf("  writer on an unrelated line:   plain %6.2f ns  instrumented "
         "%6.2f ns  x%4.2f\n",
         median(plain_far, rounds), median(inst_far, rounds),
         median(r_far, rounds));
  printf("  writer on the file's global:   plain %6.2f ns  instrumented "
         "%6.2f ns  x%4.2f\n",
         median(plain_near, rounds), median(inst_near, rounds),
         median(r_near, rounds));
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

struct parked {
  const struct bench_variant *v;
  pthread_barrier_t *ready, *done;
};

static void *parked_main(void *arg) {
  struct parked *p = arg;
  pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
  p->v->mutex_pairs(&m, 1000);
  pthread_barrier_wait(p->ready);
  pthread_barrier_wait(p->done);
  return NULL;
}

/* RSS (KiB) with nthreads live threads that each ran variant v. */
static long rss_with_threads(const struct bench_variant *v, int nthreads) {
  pthread_t tid[64];
  pthread_barrier_t ready, done;
  struct parked p = {v, &ready, &done};
  pthread_barrier_init(&ready, NULL, (unsigned)nthreads + 1);
  pthread_barrier_init(&done, NULL, (unsigned)nthreads + 1);
  for (int i = 0; i < nthreads; i++)
    pthread_create(&tid[i], NULL, parked_main, &p);
  pthread_barrier_wait(&ready);
  long rss = rss_kib();
  pthread_barrier_wait(&done);
  for (int i = 0; i < nthreads; i++)
    pthread_join(tid[i], NULL);
  pthread_barrier_destroy(&ready);
  pthread_barrier_destroy(&done);
  return rss;
}

static void bench_memory(void) {
  long small = 1000000, big = 100000000 / scale_n;
  printf("\n== memory ==\n");
  inst.mutex_pairs(&g_mutex, small);
  long r1 = rss_kib();
  inst.mutex_pairs(&g_mutex, big - small);
  long r2 = rss_kib();
  printf("  RSS after %.0e acquisitions: %ld KiB; after %.0e: %ld KiB "
         "(growth %ld KiB)\n",
         (double)small, r1, (double)big, r2, r2 - r1);
  /* Warm both thread paths once so allocator arenas exist in both. */
  rss_with_threads(&plain, 64);
  rss_with_threads(&inst, 64);
  long a = rss_with_threads(&plain, 64);
  long b = rss_with_threads(&inst, 64);
  printf("  64 live threads: plain %ld KiB, instrumented %ld KiB -> %.1f KiB "
         "per thread for the runtime\n",
         a, b, (double)(b - a) / 64);
}

/* The `once` mode: one configuration, one API, n pairs. */
static int run_once(int argc, char **argv) {
  if (argc != 5 && !(argc == 6 && !strcmp(argv[5], "mt")))
    return 2;
  if (argc == 6)
    start_a_thread();
  int c = atoi(argv[2]), api = atoi(argv[3]);
  long n = atol(argv[4]);
  if (c < 0 || c >= NCONFIGS || api < 0 || api > 4 || n < 1)
    return 2;
  apply(&configs[c]);
  time_pairs(configs[c].v, api, n);
  return 0;
}

int main(int argc, char **argv) {
  const char *what = "all";
  if (argc > 1 && !strcmp(argv[1], "once")) {
    pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE);
    mtx_init(&g_mtx, mtx_plain);
    return run_once(argc, argv);
  }
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
      rounds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--quick"))
      scale_n = 10;
    else
      what = argv[i];
  }
  if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
    fprintf(stderr, "bench_overhead: --rounds must be 1..%d\n",
            BENCH_MAX_ROUNDS);
    return 2;
  }
  pthread_spin_init(&g_spin, PTHREAD_PROCESS_PRIVATE);
  mtx_init(&g_mtx, mtx_plain);
  printf("lockinstr overhead benchmark (%s runtime, clock: see profile)\n",
         BENCH_RUNTIME);
  int all = !strcmp(what, "all");
  if (all || !strcmp(what, "pairs") || !strcmp(what, "pairs-st"))
    bench_pairs(0); /* first: the process is still single-threaded */
  if (all || !strcmp(what, "pairs") || !strcmp(what, "pairs-mt"))
    bench_pairs(1);
  if (all || !strcmp(what, "contended"))
    bench_contended();
  if (all || !strcmp(what, "scale"))
    bench_scale();
  if (all || !strcmp(what, "sharing"))
    bench_sharing();
  if (all || !strcmp(what, "memory"))
    bench_memory();
  return 0;
}
