/* lockinstr 0.1.0: instrumented from tests/runtime/counts.c; do not edit */
/*
 * test_counts.c — exact counts: 8 threads x 100k acquisitions on one
 * shared lock and on private locks, read while the threads are alive
 * (summed from their counters) and after they exit (folded in by the
 * thread-exit destructor); and no contention in a single-threaded run.
 *
 * Written in the exact shape of the rewriter's output: the prologue
 * declares the wrappers without <pthread.h>, the epilogue defines them.
 */
#define LOCKINSTR_INSTRUMENTED 1
#define LOCKINSTR_USES_PTHREAD 1
#include <lockinstr_site.h>
static struct lockinstr_site LI_SITE[6] = {
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 40, 5, "counts.c", "worker",
                        "w->mu", "struct work.mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 42, 5, "counts.c", "worker",
                        "w->mu", "struct work.mu", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 60, 5, "counts.c", "single",
                        "&solo", "solo", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_unlock, 0, 61, 5, "counts.c", "single",
                        "&solo", "solo", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_init, 0, 70, 3, "counts.c", "init_only",
                        "&m", "init_only::m", ""),
    LOCKINSTR_SITE_INIT(pthread_mutex_destroy, 0, 71, 3, "counts.c",
                        "init_only", "&m", "init_only::m", ""),
};
#line 1 "tests/runtime/counts.c"
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "lockinstr.h"

#define THREADS 8
#define ITERS 100000

struct work {
  pthread_mutex_t mu;
  unsigned long counter;
  pthread_barrier_t *done, *go; /* after the work; before exiting */
};

static void *worker(void *arg) {
  struct work *w = arg;
  int i;
  for (i = 0; i < ITERS; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[0], &w->mu);
    w->counter++;
    lockinstr_pthread_mutex_unlock(&LI_SITE[1], &w->mu);
  }
  pthread_barrier_wait(w->done);
  pthread_barrier_wait(w->go);
  return NULL;
}

/* Runs THREADS workers on `shared` (one struct work) or on one private
 * struct work each, checks the counts while they wait at a barrier, then
 * after they have exited. */
static void run(int shared) {
  static struct work works[THREADS];
  pthread_barrier_t done, go;
  pthread_t th[THREADS];
  json_t *p;
  int i;
  lockinstr_reset();
  pthread_barrier_init(&done, NULL, THREADS + 1);
  pthread_barrier_init(&go, NULL, THREADS + 1);
  for (i = 0; i < THREADS; i++) {
    pthread_mutex_init(&works[i].mu, NULL);
    works[i].counter = 0;
    works[i].done = &done;
    works[i].go = &go;
  }
  for (i = 0; i < THREADS; i++)
    pthread_create(&th[i], NULL, worker, &works[shared ? 0 : i]);
  pthread_barrier_wait(&done);
  p = t_dump(); /* the threads are alive: their own counters are summed */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "acquisitions"),
                   THREADS * ITERS);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 42, "releases"),
                   THREADS * ITERS);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
  pthread_barrier_wait(&go);
  for (i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  p = t_dump(); /* the threads have exited: their counts were folded */
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "acquisitions"),
                   THREADS * ITERS);
  assert_int_equal(t_site_u64(p, "pthread_mutex_unlock", 42, "releases"),
                   THREADS * ITERS);
  assert_int_equal(t_u64(p, "threads"), THREADS);
  if (!shared)
    assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "contentions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 40, "contentions"),
                   t_site_u64(p, "pthread_mutex_lock", 40, "wait.count"));
  assert_int_equal(works[0].counter, shared ? THREADS * ITERS : ITERS);
  json_decref(p);
  pthread_barrier_destroy(&done);
  pthread_barrier_destroy(&go);
}

static void private_locks_exact(void **state) {
  (void)state;
  run(0);
}

static void shared_lock_exact(void **state) {
  (void)state;
  run(1);
}

static void single_thread_no_contention(void **state) {
  pthread_mutex_t solo = PTHREAD_MUTEX_INITIALIZER;
  json_t *p;
  int i;
  (void)state;
  lockinstr_reset();
  for (i = 0; i < 300000; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[2], &solo);
    lockinstr_pthread_mutex_unlock(&LI_SITE[3], &solo);
  }
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 60, "acquisitions"),
                   300000);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 60, "contentions"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 60, "wait.count"), 0);
  assert_int_equal(t_u64(p, "threads"), 1);
  json_decref(p);
}

/* Initialises and destroys a mutex, and locks nothing. */
static void *init_only(void *arg) {
  pthread_mutex_t m;
  (void)arg;
  lockinstr_pthread_mutex_init(&LI_SITE[4], &m, NULL);
  lockinstr_pthread_mutex_destroy(&LI_SITE[5], &m);
  return NULL;
}

/* A thread that only initialises and destroys a lock holds nothing: it is
 * not one of the profile's `threads`, but its sites are listed. */
static void init_only_thread_not_counted(void **state) {
  pthread_mutex_t solo = PTHREAD_MUTEX_INITIALIZER;
  pthread_t t;
  json_t *p;
  (void)state;
  lockinstr_reset();
  assert_int_equal(pthread_create(&t, NULL, init_only, NULL), 0);
  assert_int_equal(pthread_join(t, NULL), 0);
  lockinstr_pthread_mutex_lock(&LI_SITE[2], &solo);
  lockinstr_pthread_mutex_unlock(&LI_SITE[3], &solo);
  p = t_dump();
  assert_int_equal(t_u64(p, "threads"), 1);
  assert_int_equal(t_site_u64(p, "pthread_mutex_init", 70, "errors"), 0);
  assert_int_equal(t_site_u64(p, "pthread_mutex_destroy", 71, "errors"), 0);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(private_locks_exact),
      cmocka_unit_test(shared_lock_exact),
      cmocka_unit_test(single_thread_no_contention),
      cmocka_unit_test(init_only_thread_not_counted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
#include <lockinstr_pthread.h>
