/*
 * test_order.c — lock-order edges (issue #8) as the runtime records them:
 * the exact edge set and counts of nested acquisitions, none from a
 * trylock, one count per acquisition however many held locks share a site,
 * edges of exited threads, the contended and condition-wait paths, the off
 * switch, reset and fork, and the per-thread table growing past its first
 * size.
 *
 * Every test starts with lockinstr_reset() and reads the edges of a fresh
 * dump; sites are found by their line (each site has its own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define LOCKINSTR_USES_PTHREAD 1
#include "lockinstr_site.h"

#include "helpers.h"
#include "lockinstr.h"

#define SITE(api, line, expr, cls)                                             \
  LOCKINSTR_SITE_INIT(api, 0, line, 3, "order.c", "f", expr, cls, "")

enum { LA, LB, LC, TB, UA, UB, UC, LX, UX, LY, UY, WM, LM, UM, LR, UR };
static struct lockinstr_site LI_SITE[] = {
    [LA] = SITE(pthread_mutex_lock, 10, "&a", "a"),
    [LB] = SITE(pthread_mutex_lock, 11, "&b", "b"),
    [LC] = SITE(pthread_mutex_lock, 12, "&c", "c"),
    [TB] = SITE(pthread_mutex_trylock, 13, "&b", "b"),
    [UA] = SITE(pthread_mutex_unlock, 14, "&a", "a"),
    [UB] = SITE(pthread_mutex_unlock, 15, "&b", "b"),
    [UC] = SITE(pthread_mutex_unlock, 16, "&c", "c"),
    [LX] = SITE(pthread_mutex_lock, 17, "&xs[i]", "xs[]"),
    [UX] = SITE(pthread_mutex_unlock, 18, "&xs[i]", "xs[]"),
    [LY] = SITE(pthread_mutex_lock, 19, "&ys[i]", "ys[]"),
    [UY] = SITE(pthread_mutex_unlock, 20, "&ys[i]", "ys[]"),
    [WM] = SITE(pthread_cond_timedwait, 21, "&m", "m"),
    [LM] = SITE(pthread_mutex_lock, 22, "&m", "m"),
    [UM] = SITE(pthread_mutex_unlock, 23, "&m", "m"),
    [LR] = SITE(pthread_mutex_lock, 24, "&r", "r"),
    [UR] = SITE(pthread_mutex_unlock, 25, "&r", "r"),
};

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t xs[4], ys[100];
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

#define LOCK(i, l)                                                             \
  assert_int_equal(lockinstr_pthread_mutex_lock(&LI_SITE[i], l), 0)
#define UNLOCK(i, l)                                                           \
  assert_int_equal(lockinstr_pthread_mutex_unlock(&LI_SITE[i], l), 0)

/* The profile id of the site at line. */
static unsigned long long id_at(json_t *p, unsigned int line) {
  json_t *sites = json_object_get(p, "sites"), *s;
  size_t i;
  json_array_foreach(sites, i, s) {
    if (json_integer_value(json_object_get(s, "line")) == line)
      return (unsigned long long)json_integer_value(json_object_get(s, "id"));
  }
  fail_msg("no site at line %u", line);
  return 0;
}

static json_t *edges_of(json_t *p) {
  json_t *e = json_object_get(json_object_get(p, "lock_order"), "edges");
  assert_true(json_is_array(e));
  return e;
}

/* The edge from the site at line `from` to the site at line `to`, or NULL. */
static json_t *edge(json_t *p, unsigned int from, unsigned int to) {
  unsigned long long f = id_at(p, from), t = id_at(p, to);
  json_t *e;
  size_t i;
  json_array_foreach(edges_of(p), i, e) {
    if (t_u64(e, "from_site") == f && t_u64(e, "to_site") == t)
      return e;
  }
  return NULL;
}

/* The count of that edge; fails if there is none. */
static unsigned long long count(json_t *p, unsigned int from, unsigned int to) {
  json_t *e = edge(p, from, to);
  if (!e)
    fail_msg("no edge %u -> %u", from, to);
  return t_u64(e, "count");
}

static size_t nedges(json_t *p) {
  return json_array_size(edges_of(p));
}

static long my_tid(void) {
  return (long)syscall(SYS_gettid);
}

/* a, then b, then c, three times: a->b, a->c, b->c, each 3 times, with
 * the classes, this thread and no drop. */
static void nested_exact_edges(void **state) {
  json_t *p, *e;
  int i;
  (void)state;
  lockinstr_reset();
  for (i = 0; i < 3; i++) {
    LOCK(LA, &a);
    LOCK(LB, &b);
    LOCK(LC, &c);
    UNLOCK(UC, &c);
    UNLOCK(UB, &b);
    UNLOCK(UA, &a);
  }
  p = t_dump();
  assert_int_equal(nedges(p), 3);
  assert_int_equal(count(p, 10, 11), 3);
  assert_int_equal(count(p, 10, 12), 3);
  assert_int_equal(count(p, 11, 12), 3);
  e = edge(p, 10, 12);
  assert_string_equal(json_string_value(json_object_get(e, "from")), "a");
  assert_string_equal(json_string_value(json_object_get(e, "to")), "c");
  assert_int_equal(t_u64(e, "thread"), (unsigned long long)my_tid());
  assert_null(edge(p, 11, 10)); /* never b before a */
  assert_int_equal(t_u64(p, "dropped.edges"), 0);
  json_decref(p);
}

/* A lock taken with no other lock held records nothing. */
static void single_lock_no_edge(void **state) {
  json_t *p;
  (void)state;
  lockinstr_reset();
  LOCK(LA, &a);
  UNLOCK(UA, &a);
  LOCK(LB, &b);
  UNLOCK(UB, &b);
  p = t_dump();
  assert_int_equal(nedges(p), 0);
  json_decref(p);
}

/* A trylock never creates an edge (it cannot block), but a lock it took
 * and still holds is the source of the next blocking acquisition's edge. */
static void trylock_creates_none(void **state) {
  json_t *p;
  (void)state;
  lockinstr_reset();
  LOCK(LA, &a);
  assert_int_equal(lockinstr_pthread_mutex_trylock(&LI_SITE[TB], &b), 0);
  p = t_dump();
  assert_int_equal(nedges(p), 0);
  json_decref(p);
  LOCK(LC, &c);
  UNLOCK(UC, &c);
  UNLOCK(UB, &b);
  UNLOCK(UA, &a);
  p = t_dump();
  assert_int_equal(nedges(p), 2);
  assert_int_equal(count(p, 10, 12), 1);
  assert_int_equal(count(p, 13, 12), 1);
  json_decref(p);
}

/* Two held locks of one site (xs[0], xs[1]) and then ys[0]: xs->xs once,
 * xs->ys once per acquisition, not once per held lock. 100 rounds. */
static void one_count_per_acquisition(void **state) {
  json_t *p;
  int i;
  (void)state;
  lockinstr_reset();
  for (i = 0; i < 100; i++) {
    LOCK(LX, &xs[0]);
    LOCK(LX, &xs[1]);
    LOCK(LY, &ys[0]);
    UNLOCK(UY, &ys[0]);
    UNLOCK(UX, &xs[1]);
    UNLOCK(UX, &xs[0]);
  }
  p = t_dump();
  assert_int_equal(nedges(p), 2);
  assert_int_equal(count(p, 17, 17), 100); /* same-class nesting */
  assert_int_equal(count(p, 17, 19), 100);
  json_decref(p);
}

/* A recursive mutex locked again by its holder cannot block: no edge from
 * itself. */
static void recursive_relock_no_self_edge(void **state) {
  pthread_mutexattr_t at;
  pthread_mutex_t r;
  json_t *p;
  (void)state;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&r, &at);
  lockinstr_reset();
  LOCK(LR, &r);
  LOCK(LR, &r);
  UNLOCK(UR, &r);
  UNLOCK(UR, &r);
  p = t_dump();
  assert_int_equal(nedges(p), 0);
  json_decref(p);
  pthread_mutex_destroy(&r);
  pthread_mutexattr_destroy(&at);
}

static long worker_tid;

/* b then a, n times (the reverse of the main thread's order). */
static void *reverse_worker(void *arg) {
  int i, n = *(int *)arg;
  worker_tid = my_tid();
  for (i = 0; i < n; i++) {
    lockinstr_pthread_mutex_lock(&LI_SITE[LB], &b);
    lockinstr_pthread_mutex_lock(&LI_SITE[LA], &a);
    lockinstr_pthread_mutex_unlock(&LI_SITE[UA], &a);
    lockinstr_pthread_mutex_unlock(&LI_SITE[UB], &b);
  }
  return NULL;
}

/* Edges of an exited (joined) thread survive it, with its tid, and add up
 * with the same edge taken by a live thread. */
static void exited_thread_edges_survive(void **state) {
  pthread_t th;
  int n = 5;
  json_t *p, *e;
  (void)state;
  lockinstr_reset();
  assert_int_equal(pthread_create(&th, NULL, reverse_worker, &n), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  p = t_dump();
  assert_int_equal(nedges(p), 1);
  e = edge(p, 11, 10);
  assert_non_null(e);
  assert_int_equal(t_u64(e, "count"), 5);
  assert_int_equal(t_u64(e, "thread"), (unsigned long long)worker_tid);
  json_decref(p);
  LOCK(LB, &b); /* the same edge, twice more, live */
  LOCK(LA, &a);
  UNLOCK(UA, &a);
  LOCK(LA, &a);
  UNLOCK(UA, &a);
  UNLOCK(UB, &b);
  p = t_dump();
  assert_int_equal(count(p, 11, 10), 7);
  /* the thread that took it most often */
  assert_int_equal(t_u64(edge(p, 11, 10), "thread"),
                   (unsigned long long)worker_tid);
  json_decref(p);
}

/* A live thread's edges are in a dump taken by another thread. */
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_stage;

static void *live_worker(void *arg) {
  (void)arg;
  lockinstr_pthread_mutex_lock(&LI_SITE[LA], &a);
  lockinstr_pthread_mutex_lock(&LI_SITE[LC], &c);
  lockinstr_pthread_mutex_unlock(&LI_SITE[UC], &c);
  lockinstr_pthread_mutex_unlock(&LI_SITE[UA], &a);
  pthread_mutex_lock(&gate); /* uninstrumented */
  gate_stage = 1;
  pthread_cond_broadcast(&gate_cv);
  while (gate_stage != 2)
    pthread_cond_wait(&gate_cv, &gate);
  pthread_mutex_unlock(&gate);
  return NULL;
}

static void live_thread_edges_in_dump(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  gate_stage = 0;
  assert_int_equal(pthread_create(&th, NULL, live_worker, NULL), 0);
  pthread_mutex_lock(&gate);
  while (gate_stage != 1)
    pthread_cond_wait(&gate_cv, &gate);
  pthread_mutex_unlock(&gate);
  p = t_dump(); /* the worker is alive, waiting */
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 10, 12), 1);
  json_decref(p);
  pthread_mutex_lock(&gate);
  gate_stage = 2;
  pthread_cond_broadcast(&gate_cv);
  pthread_mutex_unlock(&gate);
  assert_int_equal(pthread_join(th, NULL), 0);
  p = t_dump(); /* folded at exit: still exactly one */
  assert_int_equal(count(p, 10, 12), 1);
  json_decref(p);
}

static void *hold_b_briefly(void *arg) {
  (void)arg;
  pthread_mutex_lock(&b); /* uninstrumented */
  pthread_mutex_lock(&gate);
  gate_stage = 1;
  pthread_cond_broadcast(&gate_cv);
  pthread_mutex_unlock(&gate);
  t_sleep_ns(20000000ull);
  pthread_mutex_unlock(&b);
  return NULL;
}

/* A contended blocking acquisition (the try fails, the wrapper blocks,
 * the slow path records it) creates the edge too. */
static void contended_acquisition_edge(void **state) {
  pthread_t th;
  json_t *p;
  (void)state;
  lockinstr_reset();
  gate_stage = 0;
  assert_int_equal(pthread_create(&th, NULL, hold_b_briefly, NULL), 0);
  pthread_mutex_lock(&gate);
  while (gate_stage != 1)
    pthread_cond_wait(&gate_cv, &gate);
  pthread_mutex_unlock(&gate);
  LOCK(LA, &a);
  LOCK(LB, &b); /* b is held by the other thread: contended */
  UNLOCK(UB, &b);
  UNLOCK(UA, &a);
  assert_int_equal(pthread_join(th, NULL), 0);
  p = t_dump();
  assert_int_equal(t_site_u64(p, "pthread_mutex_lock", 11, "contentions"), 1);
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 10, 11), 1);
  json_decref(p);
}

/* The re-acquisition of a condition wait's mutex while another lock is
 * held is an edge to the wait's site (waiting on a condition while
 * holding a lock inverts the order if the mutex is ever taken first). */
static void cond_wait_reacquire_edge(void **state) {
  struct timespec ts;
  json_t *p;
  (void)state;
  lockinstr_reset();
  LOCK(LA, &a);
  LOCK(LM, &m);
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  assert_int_equal(lockinstr_pthread_cond_timedwait(&LI_SITE[WM], &cv, &m, &ts),
                   ETIMEDOUT);
  UNLOCK(UM, &m);
  UNLOCK(UA, &a);
  p = t_dump();
  assert_int_equal(nedges(p), 2);
  assert_int_equal(count(p, 10, 22), 1);
  assert_int_equal(count(p, 10, 21), 1);
  json_decref(p);
}

/* Nothing is recorded while off; a lock taken while on and released while
 * off leaves no stale entry to make edges later. */
static void off_records_nothing(void **state) {
  json_t *p;
  (void)state;
  lockinstr_reset();
  LOCK(LA, &a);
  lockinstr_enable(0);
  UNLOCK(UA, &a); /* taken while on: forgotten */
  LOCK(LB, &b);
  LOCK(LC, &c);
  UNLOCK(UC, &c);
  UNLOCK(UB, &b);
  lockinstr_enable(1);
  assert_int_equal(li_held_depth(), 0);
  LOCK(LC, &c);
  LOCK(LB, &b);
  UNLOCK(UB, &b);
  UNLOCK(UC, &c);
  p = t_dump();
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 12, 11), 1);
  assert_int_equal(t_u64(p, "dropped.unlock_not_held"), 0);
  json_decref(p);
}

/* reset clears every edge (a live thread's, an exited thread's); counting
 * starts again from zero. */
static void reset_clears_edges(void **state) {
  pthread_t th;
  int n = 3;
  json_t *p;
  (void)state;
  lockinstr_reset();
  assert_int_equal(pthread_create(&th, NULL, reverse_worker, &n), 0);
  assert_int_equal(pthread_join(th, NULL), 0);
  LOCK(LA, &a);
  LOCK(LB, &b);
  UNLOCK(UB, &b);
  UNLOCK(UA, &a);
  p = t_dump();
  assert_int_equal(nedges(p), 2);
  json_decref(p);
  lockinstr_reset();
  p = t_dump();
  assert_int_equal(nedges(p), 0);
  json_decref(p);
  LOCK(LA, &a);
  LOCK(LB, &b);
  UNLOCK(UB, &b);
  UNLOCK(UA, &a);
  p = t_dump();
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 10, 11), 1);
  json_decref(p);
}

/* A fork child's profile has only the child's edges. */
static void fork_child_starts_fresh(void **state) {
  const char *dir = getenv("LI_TEST_OUT");
  char path[512];
  int status;
  pid_t pid;
  json_t *p;
  (void)state;
  assert_non_null(dir);
  lockinstr_reset();
  LOCK(LA, &a);
  LOCK(LB, &b);
  UNLOCK(UB, &b);
  UNLOCK(UA, &a);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    lockinstr_pthread_mutex_lock(&LI_SITE[LA], &a);
    lockinstr_pthread_mutex_lock(&LI_SITE[LC], &c);
    lockinstr_pthread_mutex_unlock(&LI_SITE[UC], &c);
    lockinstr_pthread_mutex_unlock(&LI_SITE[UA], &a);
    exit(0); /* writes %e.%p.json */
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_int_equal(status, 0);
  snprintf(path, sizeof path, "%s/test_order.%ld.json", dir, (long)pid);
  p = t_load(path);
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 10, 12), 1);
  assert_int_equal(t_u64(edge(p, 10, 12), "thread"), (unsigned long long)pid);
  json_decref(p);
  unlink(path);
  p = t_dump(); /* the parent's edge is untouched */
  assert_int_equal(nedges(p), 1);
  assert_int_equal(count(p, 10, 11), 1);
  json_decref(p);
}

/* 100 distinct edges (past the table's first 64 slots, so it grows while
 * holding counts), each taken twice: all kept, exact. */
static void many_edges_table_grows(void **state) {
  json_t *p, *e;
  size_t i;
  int k, round;
  (void)state;
  for (k = 0; k < 100; k++)
    pthread_mutex_init(&ys[k], NULL);
  lockinstr_reset();
  for (round = 0; round < 2; round++) {
    LOCK(LA, &a);
    for (k = 0; k < 100; k++) { /* 100 sites: one per lock */
      static struct lockinstr_site s[100];
      if (s[k].file == NULL) {
        struct lockinstr_site init =
            SITE(pthread_mutex_lock, 1000, "&ys[k]", "ys[]");
        init.line = 1000u + (unsigned int)k;
        s[k] = init;
      }
      assert_int_equal(lockinstr_pthread_mutex_lock(&s[k], &ys[k]), 0);
      UNLOCK(UY, &ys[k]);
    }
    UNLOCK(UA, &a);
  }
  p = t_dump();
  assert_int_equal(nedges(p), 100);
  json_array_foreach(edges_of(p), i, e) {
    assert_int_equal(t_u64(e, "from_site"), id_at(p, 10));
    assert_int_equal(t_u64(e, "count"), 2);
  }
  assert_int_equal(t_u64(p, "dropped.edges"), 0);
  json_decref(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nested_exact_edges),
      cmocka_unit_test(single_lock_no_edge),
      cmocka_unit_test(trylock_creates_none),
      cmocka_unit_test(one_count_per_acquisition),
      cmocka_unit_test(recursive_relock_no_self_edge),
      cmocka_unit_test(exited_thread_edges_survive),
      cmocka_unit_test(live_thread_edges_in_dump),
      cmocka_unit_test(contended_acquisition_edge),
      cmocka_unit_test(cond_wait_reacquire_edge),
      cmocka_unit_test(off_records_nothing),
      cmocka_unit_test(reset_clears_edges),
      cmocka_unit_test(fork_child_starts_fresh),
      cmocka_unit_test(many_edges_table_grows),
  };
  int k;
  for (k = 0; k < 4; k++)
    pthread_mutex_init(&xs[k], NULL);
  return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "lockinstr_pthread.h"
