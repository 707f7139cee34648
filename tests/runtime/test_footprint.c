/*
 * test_footprint.c — a thread's memory grows with the sites it uses, not
 * with the sites the program registered (issue #14, part 4).
 *
 * The main thread registers NPAIRS lock/unlock pairs (2 * NPAIRS sites);
 * then fresh threads use one pair, or two pairs far apart, and report
 * li_thread_footprint(): the bytes of their runtime state, counting only
 * the resident pages of their counter arrays. The arrays cover every
 * registered id (their capacity is checked too), so a footprint that
 * scaled with the number of sites would be at least 8 bytes per site.
 * Bytes, not timings; and every count still reaches the profile, from a
 * live thread (li_threads_add_counts) and from exited ones (the fold).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"
#include "thread.h"

#define NPAIRS 2000 /* 4,000 sites */
#define PAIRS_N 100 /* pairs each worker takes per site pair it uses */

static struct lockinstr_site sites[2 * NPAIRS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Pair i: its lock site at line i + 1, its unlock site at the same line. */
static void make_sites(void) {
  static const struct lockinstr_site lock = LOCKINSTR_SITE_INIT(
      pthread_mutex_lock, 0, 0, 3, "footprint.c", "f", "&mu", "mu", "");
  static const struct lockinstr_site unlock = LOCKINSTR_SITE_INIT(
      pthread_mutex_unlock, 0, 0, 3, "footprint.c", "f", "&mu", "mu", "");
  unsigned int i;
  for (i = 0; i < NPAIRS; i++) {
    sites[2 * i] = lock;
    sites[2 * i + 1] = unlock;
    sites[2 * i].line = sites[2 * i + 1].line = i + 1;
  }
}

static void take_pair(unsigned int i, int n) {
  while (n-- > 0) {
    assert_int_equal(lockinstr_pthread_mutex_lock(&sites[2 * i], &mu), 0);
    assert_int_equal(lockinstr_pthread_mutex_unlock(&sites[2 * i + 1], &mu), 0);
  }
}

/* What a worker saw: its footprint and its arrays' capacity. */
struct worker {
  unsigned int pairs[2], npairs;
  pthread_barrier_t *hold; /* non-NULL: wait twice before exiting */
  size_t bytes;
  unsigned int ncounts;
};

static void *worker_main(void *arg) {
  struct worker *w = arg;
  unsigned int i;
  for (i = 0; i < w->npairs; i++)
    take_pair(w->pairs[i], PAIRS_N);
  w->bytes = li_thread_footprint();
  w->ncounts = li_tls.ncounts;
  if (w->hold) {
    pthread_barrier_wait(w->hold); /* footprint read */
    pthread_barrier_wait(w->hold); /* the main thread dumped */
  }
  return NULL;
}

static void run_worker(struct worker *w) {
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, worker_main, w), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
}

static void footprint_follows_used_sites(void **state) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  struct worker one = {{NPAIRS - 1, 0}, 1, NULL, 0, 0};
  struct worker two = {{NPAIRS - 1, 0}, 2, NULL, 0, 0};
  unsigned int i;
  (void)state;
  lockinstr_set_sample_rate(0); /* the fast path, no events */
  for (i = 0; i < NPAIRS; i++)  /* registers every site, in order */
    take_pair(i, 1);
  assert_true(li_tls.ncounts >= 2 * NPAIRS);
  run_worker(&one);
  run_worker(&two);
  lockinstr_set_sample_rate(100);
  /* The arrays cover every site... */
  assert_true(one.ncounts >= 2 * NPAIRS);
  assert_true(two.ncounts >= 2 * NPAIRS);
  /* ...but cost only the pages written: the thread's state, one page of
   * acquisitions and one of releases per pair used, far apart here. */
  assert_true(one.bytes > 0);
  assert_true(one.bytes < 2 * NPAIRS * sizeof(unsigned long long));
  assert_true(one.bytes <= sizeof(struct li_thread_ext) + 4 * page);
  assert_true(two.bytes > one.bytes);
  assert_true(two.bytes <= one.bytes + 2 * page);
}

/* Counts of a live worker reach a dump, and those of exited workers the
 * exit profile's fold: 1 from the first test, PAIRS_N per worker. */
static void every_count_reaches_the_profile(void **state) {
  pthread_barrier_t hold;
  struct worker w = {{NPAIRS - 1, 0}, 1, &hold, 0, 0};
  pthread_t t;
  json_t *p;
  (void)state;
  pthread_barrier_init(&hold, NULL, 2);
  assert_int_equal(pthread_create(&t, NULL, worker_main, &w), 0);
  pthread_barrier_wait(&hold);
  p = t_dump();
  pthread_barrier_wait(&hold);
  assert_int_equal(pthread_join(t, NULL), 0);
  pthread_barrier_destroy(&hold);
  /* the main thread 1, two exited workers and the live one PAIRS_N each */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", NPAIRS, "acquisitions"),
                   1 + 3 * PAIRS_N);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", NPAIRS, "releases"),
                   1 + 3 * PAIRS_N);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 1, "acquisitions"),
                   1 + PAIRS_N);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 2, "acquisitions"), 1);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(footprint_follows_used_sites),
      cmocka_unit_test(every_count_reaches_the_profile),
  };
  make_sites();
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
