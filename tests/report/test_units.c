/*
 * test_units.c — unit tests of the report's helpers: duration and percent
 * formatting, duration parsing, log2-histogram percentiles, and the
 * escaping of hostile names, and the bound and mark of hold estimates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"
#include "rows.h"
#include "units.h"

static void check_dur(uint64_t ns, const char *want) {
  char buf[LI_FMT_MAX];
  assert_string_equal(li_rep_fmt_duration(buf, ns), want);
}

static void fmt_duration_units(void **state) {
  (void)state;
  check_dur(0, "0ns");
  check_dur(999, "999ns");
  check_dur(1000, "1.00µs");
  check_dur(1234, "1.23µs");
  check_dur(9994, "9.99µs");
  check_dur(9996, "10.0µs"); /* rounding moves to fewer decimals */
  check_dur(12345, "12.3µs");
  check_dur(123456, "123µs");
  check_dur(999499, "999µs");
  check_dur(999500, "1.00ms"); /* would print as 1000µs: next unit */
  check_dur(41600000, "41.6ms");
  check_dur(812345678, "812ms");
  check_dur(1500000000, "1.50s");
  check_dur(3600000000000ull, "3600s");
  check_dur(UINT64_MAX, "18446744074s");
}

static void fmt_percent_values(void **state) {
  char buf[LI_FMT_MAX];
  (void)state;
  assert_string_equal(li_rep_fmt_percent(buf, 0, 0), "-");
  assert_string_equal(li_rep_fmt_percent(buf, 0, 10), "0.00%");
  assert_string_equal(li_rep_fmt_percent(buf, 10, 400000), "<0.01%");
  assert_string_equal(li_rep_fmt_percent(buf, 1500, 200000), "0.75%");
  assert_string_equal(li_rep_fmt_percent(buf, 20, 50), "40.0%");
  assert_string_equal(li_rep_fmt_percent(buf, 7, 7), "100%");
}

static void parse_duration_ok(void **state) {
  uint64_t ns = 1;
  (void)state;
  assert_int_equal(li_rep_parse_duration("0", &ns), 0);
  assert_int_equal(ns, 0);
  assert_int_equal(li_rep_parse_duration("500ns", &ns), 0);
  assert_int_equal(ns, 500);
  assert_int_equal(li_rep_parse_duration("10us", &ns), 0);
  assert_int_equal(ns, 10000);
  assert_int_equal(li_rep_parse_duration("10µs", &ns), 0);
  assert_int_equal(ns, 10000);
  assert_int_equal(li_rep_parse_duration("1.5ms", &ns), 0);
  assert_int_equal(ns, 1500000);
  assert_int_equal(li_rep_parse_duration("2s", &ns), 0);
  assert_int_equal(ns, 2000000000);
  assert_int_equal(li_rep_parse_duration("1m", &ns), 0);
  assert_int_equal(ns, 60000000000ull);
}

static void parse_duration_rejects(void **state) {
  uint64_t ns = 7;
  (void)state;
  const char *bad[] = {"",     "10", "ms",  "-1ms",  " 1ms",  "1 ms",
                       "1msx", "1h", "nan", "1e30s", "0x10ms"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(li_rep_parse_duration(bad[i], &ns), -1);
  assert_int_equal(ns, 7); /* untouched on failure */
}

static void parse_count_values(void **state) {
  uint64_t v = 0;
  (void)state;
  assert_int_equal(li_rep_parse_count("20", &v), 0);
  assert_int_equal(v, 20);
  assert_int_equal(li_rep_parse_count("18446744073709551615", &v), 0);
  assert_true(v == UINT64_MAX);
  assert_int_equal(li_rep_parse_count("18446744073709551616", &v), -1);
  assert_int_equal(li_rep_parse_count("-1", &v), -1);
  assert_int_equal(li_rep_parse_count("1x", &v), -1);
  assert_int_equal(li_rep_parse_count("", &v), -1);
}

static void percentile_interpolates(void **state) {
  uint64_t h[LI_HIST_BUCKETS] = {0};
  (void)state;
  /* 1500 values: rank ceil(0.99 * 1500) = 1485 is the 5th of 20 values in
   * bucket 12 = [4096, 8192): 4096 + 4096 * 5 / 20 = 5120. */
  h[9] = 500, h[10] = 700, h[11] = 280, h[12] = 20;
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 7000, 0.99),
                   5120);
  /* the median: rank 750 is the 250th of 700 in [1024, 2048) */
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 7000, 0.5),
                   1024 + 1024 * 250 / 700);
  /* q = 1 is the top of the last bucket, clamped to the exact maximum */
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 7000, 1.0), 7000);
}

static void percentile_clamps_and_edges(void **state) {
  uint64_t h[LI_HIST_BUCKETS] = {0};
  (void)state;
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 0, 0.99), 0);
  h[10] = 10; /* ten values in [1024, 2048), max 1900 */
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 1900, 0.99),
                   1900);
  /* a maximum below the bucket (inconsistent input): the bucket's floor */
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 5, 0.99), 1024);
  memset(h, 0, sizeof h);
  h[0] = 4; /* bucket 0 is [0, 2) */
  assert_int_equal(li_rep_hist_percentile(h, LI_HIST_BUCKETS, 1, 0.99), 1);
  memset(h, 0, sizeof h);
  h[63] = UINT64_MAX; /* saturated counts in the top bucket */
  h[0] = UINT64_MAX;
  assert_true(li_rep_hist_percentile(h, LI_HIST_BUCKETS, UINT64_MAX, 0.99) >=
              (uint64_t)1 << 63);
}

static void sanitize_escapes_controls(void **state) {
  (void)state;
  char *s = li_rep_sanitize("\x1b[31mred\x1b[0m\a");
  assert_string_equal(s, "\\x1b[31mred\\x1b[0m\\x07");
  free(s);
  s = li_rep_sanitize("evil\u202eclass\u2066x\xc2\x9b"); /* RLO, LRI, CSI */
  assert_string_equal(s, "evil\\u202eclass\\u2066x\\u009b");
  free(s);
  s = li_rep_sanitize("bad\xff\xc3(utf8");
  assert_string_equal(s, "bad\\xff\\xc3(utf8");
  free(s);
  s = li_rep_sanitize("struct café.mu — ok"); /* letters are kept */
  assert_string_equal(s, "struct café.mu — ok");
  free(s);
}

static void html_escape_everything(void **state) {
  (void)state;
  char *s = li_rep_html_escape("<script>alert(\"x\" & 'y')</script>");
  assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot; &amp; "
                         "&#39;y&#39;)&lt;/script&gt;");
  free(s);
  s = li_rep_html_name("<b>\x1b");
  assert_string_equal(s, "&lt;b&gt;\\x1b");
  free(s);
}

static void text_width_counts_code_points(void **state) {
  (void)state;
  assert_int_equal(li_rep_text_width("12.3µs"), 6);
  assert_int_equal(li_rep_text_width(""), 0);
  assert_int_equal(li_rep_text_width("…"), 1);
}

/* A hold estimate is clamped to acquisitions x the longest sampled hold
 * (saturating), and marked rough while it extrapolates from few samples. */
static void hold_estimate_bounded_and_marked(void **state) {
  struct li_row r;
  (void)state;
  /* one 5 ms sample weighted x100, but only 50 acquisitions: 250 ms */
  assert_int_equal(li_rep_hold_bound(500000000, 50, 5000000), 250000000);
  assert_int_equal(li_rep_hold_bound(200000000, 400000, 3000), 200000000);
  assert_int_equal(li_rep_hold_bound(7, 0, 0), 0);
  assert_true(li_rep_hold_bound(UINT64_MAX, UINT64_MAX / 2, 3) == UINT64_MAX);
  memset(&r, 0, sizeof r);
  r.acquisitions = 1000;
  r.hold.count = LI_REP_FEW_SAMPLES - 1;
  assert_true(li_rep_hold_rough(&r));
  r.hold.count = LI_REP_FEW_SAMPLES;
  assert_false(li_rep_hold_rough(&r));
  r.acquisitions = r.hold.count = 3; /* every acquisition sampled: exact */
  assert_false(li_rep_hold_rough(&r));
  r.hold.count = 0; /* nothing to mark */
  assert_false(li_rep_hold_rough(&r));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fmt_duration_units),
      cmocka_unit_test(fmt_percent_values),
      cmocka_unit_test(parse_duration_ok),
      cmocka_unit_test(parse_duration_rejects),
      cmocka_unit_test(parse_count_values),
      cmocka_unit_test(percentile_interpolates),
      cmocka_unit_test(percentile_clamps_and_edges),
      cmocka_unit_test(sanitize_escapes_controls),
      cmocka_unit_test(html_escape_everything),
      cmocka_unit_test(text_width_counts_code_points),
      cmocka_unit_test(hold_estimate_bounded_and_marked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
