/*
 * test_lockorder.c — the lock-order graph in process: merging edges by
 * (classes, merged sites), the cycle search on graphs whose cycles are
 * known (a complete graph on n classes has sum_k C(n,k)(k-1)! elementary
 * cycles), ranking, the --max-cycles cap, a 100,000-class ring (no
 * recursion to overflow), the cap on class edges kept for long cycles,
 * same-class nesting kept out of cycles, and the
 * edges of hand-written profiles read through the real reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockorder.h"
#include "profile.h"

#ifndef LI_TEST_DATA
#error "LI_TEST_DATA must name tests/report/data"
#endif

/* Fake merged sites: only the id matters to the graph. */
static struct li_site *sites(size_t n) {
  struct li_site *s = calloc(n, sizeof *s);
  assert_non_null(s);
  for (size_t i = 0; i < n; i++)
    s[i].id = i + 1;
  return s;
}

static void add(struct li_lorder *lo, const char *a, const char *b,
                const struct li_site *fs, const struct li_site *ts,
                uint64_t n) {
  assert_int_equal(li_rep_lo_add(lo, a, b, fs, ts, n, 7), 0);
}

static void merge_same_edge(void **state) {
  struct li_lorder lo;
  struct li_site *s = sites(4);
  (void)state;
  memset(&lo, 0, sizeof lo);
  add(&lo, "A", "B", &s[0], &s[1], 5);
  add(&lo, "A", "B", &s[0], &s[1], 4); /* same sites: merged */
  add(&lo, "A", "B", &s[2], &s[3], 1); /* other sites: a second pair */
  assert_int_equal(lo.nedges, 2);
  assert_int_equal(lo.nclasses, 2);
  assert_int_equal(lo.edges->count, 9);
  struct li_lo_graph g;
  assert_int_equal(li_rep_lo_analyze(&lo, 100, &g), 0);
  assert_int_equal(g.nce, 1); /* one class edge A->B with two pairs */
  assert_int_equal(g.ce[0].npairs, 2);
  assert_int_equal(g.ce[0].count, 10);
  assert_int_equal(g.ce[0].pairs[0]->count, 9); /* most taken first */
  assert_int_equal(g.ncycles, 0);
  assert_int_equal(g.ce[0].on_cycle, 0);
  li_rep_lo_graph_free(&g);
  li_rep_lo_free(&lo);
  free(s);
}

/* Complete digraph on n classes named c0..c(n-1). */
static void complete(struct li_lorder *lo, const struct li_site *s, int n) {
  char a[16], b[16];
  memset(lo, 0, sizeof *lo);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      if (i == j)
        continue;
      snprintf(a, sizeof a, "c%d", i);
      snprintf(b, sizeof b, "c%d", j);
      add(lo, a, b, &s[i], &s[j], (uint64_t)(10 * i + j + 1));
    }
}

static void complete_graph_cycles(void **state) {
  struct li_site *s = sites(6);
  struct li_lorder lo;
  struct li_lo_graph g;
  static const size_t expect[] = {0, 0, 1, 5, 20, 84, 409};
  (void)state;
  for (int n = 2; n <= 6; n++) {
    complete(&lo, s, n);
    assert_int_equal(li_rep_lo_analyze(&lo, 100000, &g), 0);
    assert_int_equal(g.ncycles, expect[n]);
    assert_int_equal(g.truncated, 0);
    for (size_t i = 0; i < g.nce; i++)
      assert_int_equal(g.ce[i].on_cycle, 1);
    /* ranked: least-taken edge never increases down the list */
    for (size_t i = 1; i < g.ncycles; i++)
      assert_true(g.cycles[i - 1].min >= g.cycles[i].min);
    li_rep_lo_graph_free(&g);
    li_rep_lo_free(&lo);
  }
  free(s);
}

static void cap_is_reported(void **state) {
  struct li_site *s = sites(6);
  struct li_lorder lo;
  struct li_lo_graph g;
  (void)state;
  complete(&lo, s, 6);
  assert_int_equal(li_rep_lo_analyze(&lo, 10, &g), 0);
  assert_int_equal(g.ncycles, 10);
  assert_int_equal(g.truncated, 1);
  li_rep_lo_graph_free(&g);
  li_rep_lo_free(&lo);
  free(s);
}

static void ranking(void **state) {
  struct li_site *s = sites(4);
  struct li_lorder lo;
  struct li_lo_graph g;
  (void)state;
  memset(&lo, 0, sizeof lo);
  /* A<->B taken 100 and 1 times; C<->D taken 5 and 5: C-D ranks first
   * (its least-taken edge, 5, beats 1), though A-B has the larger sum. */
  add(&lo, "A", "B", &s[0], &s[1], 100);
  add(&lo, "B", "A", &s[1], &s[0], 1);
  add(&lo, "C", "D", &s[2], &s[3], 5);
  add(&lo, "D", "C", &s[3], &s[2], 5);
  assert_int_equal(li_rep_lo_analyze(&lo, 10, &g), 0);
  assert_int_equal(g.ncycles, 2);
  assert_int_equal(g.cycles[0].min, 5);
  assert_int_equal(g.cycles[0].sum, 10);
  assert_string_equal(g.names[g.ce[g.cycles[0].ce[0]].from], "C");
  assert_int_equal(g.cycles[1].min, 1);
  assert_int_equal(g.cycles[1].sum, 101);
  assert_string_equal(g.names[g.ce[g.cycles[1].ce[0]].from], "A");
  li_rep_lo_graph_free(&g);
  li_rep_lo_free(&lo);
  free(s);
}

static void long_ring_and_nesting(void **state) {
  enum { N = 100000 };
  struct li_site *s = sites(N);
  struct li_lorder lo;
  struct li_lo_graph g;
  char a[16], b[16];
  (void)state;
  memset(&lo, 0, sizeof lo);
  for (int i = 0; i < N; i++) {
    snprintf(a, sizeof a, "k%06d", i);
    snprintf(b, sizeof b, "k%06d", (i + 1) % N);
    add(&lo, a, b, &s[i], &s[(i + 1) % N], 2);
  }
  add(&lo, "k000000", "k000000", &s[0], &s[1], 3); /* same class */
  assert_int_equal(li_rep_lo_analyze(&lo, 10, &g), 0);
  assert_int_equal(g.ncycles, 1);
  assert_int_equal(g.cycles[0].n, N);
  assert_int_equal(g.nnest, 1);
  assert_int_equal(g.ce[g.nest[0]].count, 3);
  assert_int_equal(g.ce[g.nest[0]].on_cycle, 0);
  li_rep_lo_graph_free(&g);
  li_rep_lo_free(&lo);
  free(s);
}

static void long_cycles_bounded(void **state) {
  enum { N = 100000, CHORDS = 20 };
  struct li_site *s = sites(N);
  struct li_lorder lo;
  struct li_lo_graph g;
  char a[16], b[16];
  (void)state;
  memset(&lo, 0, sizeof lo);
  /* a ring with 20 independent shortcuts i -> i+2: 2^20 cycles of about
   * 100,000 classes each; only LI_LO_STORE_MAX class edges are kept */
  for (int i = 0; i < N; i++) {
    snprintf(a, sizeof a, "k%06d", i);
    snprintf(b, sizeof b, "k%06d", (i + 1) % N);
    add(&lo, a, b, &s[i], &s[(i + 1) % N], 1);
    if (i % 3 == 0 && i / 3 < CHORDS) {
      snprintf(b, sizeof b, "k%06d", i + 2);
      add(&lo, a, b, &s[i], &s[i + 2], 1);
    }
  }
  assert_int_equal(li_rep_lo_analyze(&lo, 1000, &g), 0);
  assert_int_equal(g.truncated, 1);
  size_t kept = 0;
  for (size_t i = 0; i < g.ncycles; i++)
    kept += g.cycles[i].n;
  assert_true(g.ncycles > 1 && g.ncycles < 1000);
  assert_true(kept <= LI_LO_STORE_MAX);
  assert_true(kept + N > LI_LO_STORE_MAX); /* stopped for that reason */
  li_rep_lo_graph_free(&g);
  li_rep_lo_free(&lo);
  free(s);
}

/* Loads data files into p; fails the test on an error. */
static void load(struct li_profile *p, const char *a, const char *b) {
  static const struct li_load_opts opts = {LI_MAX_INPUT_BYTES, 0};
  struct li_err err;
  char path[1024];
  const char *names[] = {a, b};
  assert_int_equal(li_rep_profile_init(p), 0);
  for (int i = 0; i < 2 && names[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", LI_TEST_DATA, names[i]);
    if (li_rep_profile_add_file(p, path, &opts, &err) != 0)
      fail_msg("%s", err.msg);
  }
}

static void merged_profiles_remap_ids(void **state) {
  struct li_profile p;
  struct li_lo_graph g;
  (void)state;
  /* run 3 has run 1's A -> B edge under other site ids (42 -> 17): the
   * same call sites, so one edge with the counts summed */
  load(&p, "order-run1.json", "order-run3.json");
  assert_int_equal(p.lo.nedges, 1);
  assert_int_equal(p.lo.edges->count, 5 + 4);
  assert_int_equal(p.lo.edges->thread, 201); /* the first profile's */
  assert_int_equal(p.lo.edges->from_site->line, 10);
  assert_int_equal(p.lo.edges->to_site->line, 11);
  li_rep_profile_free(&p);
  /* each of runs 1 and 2 has one direction: a cycle only when merged */
  load(&p, "order-run2.json", NULL);
  assert_int_equal(li_rep_lo_analyze(&p.lo, 10, &g), 0);
  assert_int_equal(g.ncycles, 0);
  li_rep_lo_graph_free(&g);
  li_rep_profile_free(&p);
  load(&p, "order-run1.json", "order-run2.json");
  assert_int_equal(p.lo.nedges, 2);
  assert_int_equal(li_rep_lo_analyze(&p.lo, 10, &g), 0);
  assert_int_equal(g.ncycles, 1);
  assert_int_equal(g.cycles[0].min, 2);
  assert_int_equal(g.cycles[0].sum, 7);
  const struct li_edge *ba = g.ce[g.cycles[0].ce[1]].pairs[0];
  assert_string_equal(ba->from_site->function, "ba_worker");
  assert_int_equal(ba->from_site->line, 20);
  assert_int_equal(ba->to_site->line, 21);
  assert_int_equal(ba->key.from_site, 3); /* run 2's id 7, renumbered */
  li_rep_lo_graph_free(&g);
  li_rep_profile_free(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(merge_same_edge),
      cmocka_unit_test(complete_graph_cycles),
      cmocka_unit_test(cap_is_reported),
      cmocka_unit_test(ranking),
      cmocka_unit_test(long_ring_and_nesting),
      cmocka_unit_test(long_cycles_bounded),
      cmocka_unit_test(merged_profiles_remap_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
