/*
 * test_merge.c — reading and merging profiles, and building rows, in
 * process: the merged numbers, the identity rule for sites, the sort
 * orders, --by class, --min-wait and --top, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "profile.h"
#include "rows.h"

#ifndef LI_TEST_DATA
#error "LI_TEST_DATA must name tests/report/data"
#endif

static const struct li_load_opts opts = {LI_MAX_INPUT_BYTES, 0};

/* Loads the named data files into p; fails the test on an error. */
static void load(struct li_profile *p, const char *a, const char *b) {
  struct li_err err;
  char path[1024];
  assert_int_equal(li_rep_profile_init(p), 0);
  const char *names[] = {a, b};
  for (int i = 0; i < 2 && names[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", LI_TEST_DATA, names[i]);
    if (li_rep_profile_add_file(p, path, &opts, &err) != 0)
      fail_msg("%s", err.msg);
  }
}

/* The site at file:line, or NULL. */
static const struct li_site *find(const struct li_profile *p, const char *file,
                                  unsigned line) {
  for (const struct li_site *s = p->sites; s; s = s->hh.next)
    if (strcmp(s->file, file) == 0 && s->line == line)
      return s;
  return NULL;
}

static void one_profile_header(void **state) {
  struct li_profile p;
  (void)state;
  load(&p, "workq-run1.json", NULL);
  assert_string_equal(p.program, "workq");
  assert_int_equal(p.merged_from, 1);
  assert_int_equal(p.threads, 9);
  assert_int_equal(p.duration_ns, 812345678);
  assert_int_equal(p.pid, 4242);
  assert_int_equal(p.sample_rate, 100);
  assert_int_equal(p.nsites, 11);
  li_rep_profile_free(&p);
}

static void two_runs_add_up(void **state) {
  struct li_profile p;
  (void)state;
  load(&p, "workq-run1.json", "workq-run2.json");
  assert_int_equal(p.merged_from, 2);
  assert_int_equal(p.threads, 9 + 4);
  assert_int_equal(p.duration_ns, 812345678); /* the longest */
  assert_int_equal(p.pid, 0);                 /* several processes */
  assert_int_equal(p.nsites, 12); /* 11 + queue_drain; ids did not matter */
  const struct li_site *a = find(&p, "queue.c", 60);
  assert_non_null(a);
  assert_int_equal(a->acquisitions, 200000 + 100000);
  assert_int_equal(a->contentions, 5200 + 800);
  assert_int_equal(a->wait.total_ns, 41600000 + 8400000);
  assert_int_equal(a->wait.max_ns, 150000);
  assert_int_equal(a->wait.b[10], 1000 + 799);
  assert_int_equal(a->wait.b[17], 1);
  assert_int_equal(a->hold.count, 3000);
  assert_int_equal(a->hold.est_ns, 150000000);
  const struct li_site *b = find(&p, "queue.c", 41);
  assert_int_equal(b->acquisitions, 300000);
  assert_int_equal(b->contentions, 1500);
  assert_non_null(find(&p, "queue.c", 75));
  li_rep_profile_free(&p);
}

static void other_program_refused(void **state) {
  struct li_profile p;
  struct li_err err;
  struct li_load_opts any = {LI_MAX_INPUT_BYTES, 1};
  (void)state;
  load(&p, "workq-run1.json", NULL);
  assert_int_equal(
      li_rep_profile_add_file(&p, LI_TEST_DATA "/bank.json", &opts, &err), -1);
  assert_non_null(strstr(err.msg, "profile of program 'bank' cannot be "
                                  "merged with program 'workq'"));
  li_rep_profile_free(&p);
  load(&p, "workq-run1.json", NULL);
  assert_int_equal(
      li_rep_profile_add_file(&p, LI_TEST_DATA "/bank.json", &any, &err), 0);
  assert_string_equal(p.program, "workq,bank");
  li_rep_profile_free(&p);
}

/* The lines of the rows' sites, in order, as "41,60,..." */
static void row_lines(const struct li_rows *r, char *out, size_t n) {
  out[0] = '\0';
  for (size_t i = 0; i < r->n; i++) {
    size_t len = strlen(out);
    snprintf(out + len, n - len, "%s%u", i ? "," : "", r->v[i].site->line);
  }
}

static void check_order(const struct li_profile *p, enum li_sort sort,
                        size_t top, const char *want) {
  struct li_view v = {LI_BY_SITE, sort, top, 0};
  struct li_rows r;
  char got[256];
  assert_int_equal(li_rep_rows_build(p, LI_SEC_LOCK, &v, &r), 0);
  row_lines(&r, got, sizeof got);
  assert_string_equal(got, want);
  li_rep_rows_free(&r);
}

static void sort_orders(void **state) {
  struct li_profile p;
  (void)state;
  load(&p, "workq-run1.json", NULL);
  /* wait: 60ms cache.c:80, 41.6ms queue.c:60, 3ms :41, 30us :45,
   * 20us stats.c:20, then no wait by acquisitions: 1000 cache.c:30,
   * 900 queue.c:63, 5 worker.c:99 */
  check_order(&p, LI_SORT_WAIT, 0, "80,60,41,45,20,30,63,99");
  check_order(&p, LI_SORT_HOLD, 4, "80,20,60,41");
  check_order(&p, LI_SORT_CONTENTIONS, 3, "60,41,80");
  /* 400000, then the 200000 tie broken by file and line: :41 before :60 */
  check_order(&p, LI_SORT_ACQ, 3, "20,41,60");
  li_rep_profile_free(&p);
}

static void sections_and_min_wait(void **state) {
  struct li_profile p;
  struct li_rows r;
  struct li_view v = {LI_BY_SITE, LI_SORT_WAIT, 0, 1000000};
  char got[256];
  (void)state;
  load(&p, "workq-run1.json", NULL);
  assert_int_equal(li_rep_rows_build(&p, LI_SEC_LOCK, &v, &r), 0);
  row_lines(&r, got, sizeof got);
  assert_string_equal(got, "80,60,41"); /* at least 1ms of wait */
  li_rep_rows_free(&r);
  v.min_wait = 0;
  assert_int_equal(li_rep_rows_build(&p, LI_SEC_COND, &v, &r), 0);
  row_lines(&r, got, sizeof got);
  assert_string_equal(got, "63,45"); /* 452ms, 150ms */
  li_rep_rows_free(&r);
  assert_int_equal(li_rep_rows_build(&p, LI_SEC_OTHER, &v, &r), 0);
  row_lines(&r, got, sizeof got);
  assert_string_equal(got, "70,52,20"); /* releases, then the init */
  li_rep_rows_free(&r);
  li_rep_profile_free(&p);
}

static void by_class_sums_sites(void **state) {
  struct li_profile p;
  struct li_rows r;
  struct li_view v = {LI_BY_CLASS, LI_SORT_ACQ, 0, 0};
  (void)state;
  load(&p, "workq-run1.json", NULL);
  assert_int_equal(li_rep_rows_build(&p, LI_SEC_LOCK, &v, &r), 0);
  assert_int_equal(r.n, 4); /* queue.mu, g_stats_lock, cache.rw, lk */
  assert_string_equal(r.v[0].lock, "struct queue.mu");
  assert_int_equal(r.v[0].acquisitions, 200000 + 300 + 200000 + 900);
  assert_int_equal(r.v[0].nsites, 4);
  assert_int_equal(r.v[0].site->line, 60); /* the site with most wait */
  assert_string_equal(r.v[1].lock, "g_stats_lock");
  assert_string_equal(r.v[2].lock, "struct cache.rw");
  assert_int_equal(r.v[2].try_failures, 37);
  assert_string_equal(r.v[3].lock, "lk"); /* no class: the expression */
  li_rep_rows_free(&r);
  li_rep_profile_free(&p);
}

static void absurd_numbers_saturate(void **state) {
  struct li_profile p;
  (void)state;
  load(&p, "absurd-numbers.json", NULL);
  assert_int_equal(p.nsites, 1); /* the two identical sites merged */
  assert_true(p.sites->acquisitions == UINT64_MAX);
  assert_true(p.sites->wait.b[0] == UINT64_MAX);
  li_rep_profile_free(&p);
}

/* The runtime's counters are unsigned and saturate at 2^64 - 1 (a
 * total_ns_est), so the reader takes every integer up to there exactly,
 * also 19-digit ones from 2^63 (issue 20, item 8). */
static void u64_range_read_exactly(void **state) {
  struct li_profile p;
  (void)state;
  load(&p, "u64-max.json", NULL);
  assert_int_equal(p.nsites, 1);
  const struct li_site *s = p.sites;
  assert_true(s->acquisitions == (uint64_t)INT64_MAX + 1);
  assert_true(s->contentions == 9999999999999999999u);
  assert_true(p.duration_ns == UINT64_MAX);
  assert_true(s->wait.total_ns == UINT64_MAX - 1);
  assert_true(s->wait.b[1] == UINT64_MAX);
  assert_true(s->hold.est_ns == UINT64_MAX);
  assert_string_equal(s->expr, "&q->mu");
  li_rep_profile_free(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(one_profile_header),
      cmocka_unit_test(two_runs_add_up),
      cmocka_unit_test(other_program_refused),
      cmocka_unit_test(sort_orders),
      cmocka_unit_test(sections_and_min_wait),
      cmocka_unit_test(by_class_sums_sites),
      cmocka_unit_test(absurd_numbers_saturate),
      cmocka_unit_test(u64_range_read_exactly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
