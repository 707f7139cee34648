/*
 * test_units.c — the runtime's small pure pieces: JSON string escaping
 * (quotes, backslashes, control characters, invalid UTF-8), the parsing of
 * each LOCKINSTR_* variable with its warning, output path expansion, and
 * the histogram buckets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dump.h"
#include "env.h"
#include "json.h"
#include "sigdump.h"
#include "site.h"

/* li_json_string(s) as a malloc'ed string. */
static char *escaped(const char *s) {
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  li_json_string(f, s);
  fclose(f);
  return buf;
}

static void check_escape(const char *in, const char *want) {
  char *got = escaped(in);
  assert_string_equal(got, want);
  free(got);
}

static void json_escapes(void **state) {
  (void)state;
  check_escape("plain", "\"plain\"");
  check_escape("a\"b\\c", "\"a\\\"b\\\\c\"");
  check_escape("\n\t\r\b\f\x01\x1f\x7f",
               "\"\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\"");
  check_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
               "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92\"");
  check_escape("bad\xff", "\"bad\\ufffd\"");
  check_escape("\xc3", "\"\\ufffd\"");                       /* truncated */
  check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong */
  check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
  check_escape("\x80x", "\"\\ufffdx\""); /* stray continuation */
  check_escape(NULL, "\"\"");
}

static const char *const *fake_env;

static const char *fake_getenv(const char *name) {
  size_t n = strlen(name), i;
  for (i = 0; fake_env[i]; i++)
    if (strncmp(fake_env[i], name, n) == 0 && fake_env[i][n] == '=')
      return fake_env[i] + n + 1;
  return NULL;
}

/* Parses `env` into *cfg; returns the warnings (malloc'ed). */
static char *parse(const char *const *env, struct li_config *cfg, int *n) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fake_env = env;
  *n = li_env_parse(cfg, fake_getenv, f);
  fclose(f);
  return buf;
}

static void env_defaults(void **state) {
  const char *env[] = {NULL};
  struct li_config c;
  int n;
  char *w = parse(env, &c, &n);
  (void)state;
  assert_int_equal(n, 0);
  assert_string_equal(w, "");
  assert_int_equal(c.sample_rate, 100);
  assert_string_equal(c.output, "lockinstr.%p.json");
  assert_int_equal(c.quiet, 0);
  assert_int_equal(c.disable, 0);
  assert_null(c.exclude);
  assert_true(c.interval_s == 0.0);
  li_env_free(&c);
  free(w);
}

static void env_good_values(void **state) {
  const char *env[] = {"LOCKINSTR_SAMPLE_RATE=0", "LOCKINSTR_OUTPUT=/x/%e.json",
                       "LOCKINSTR_QUIET=yes",     "LOCKINSTR_SUMMARY=on",
                       "LOCKINSTR_DISABLE=1",     "LOCKINSTR_EXCLUDE=a/*,b.c",
                       "LOCKINSTR_INTERVAL=2.5",  NULL};
  struct li_config c;
  int n;
  char *w = parse(env, &c, &n);
  (void)state;
  assert_int_equal(n, 0);
  assert_int_equal(c.sample_rate, 0);
  assert_string_equal(c.output, "/x/%e.json");
  assert_int_equal(c.quiet, 1);
  assert_int_equal(c.summary, 1);
  assert_int_equal(c.summary_set, 1);
  assert_int_equal(c.disable, 1);
  assert_string_equal(c.exclude, "a/*,b.c");
  assert_true(c.interval_s == 2.5);
  li_env_free(&c);
  free(w);
}

static void env_bad_values(void **state) {
  const char *env[] = {"LOCKINSTR_SAMPLE_RATE=-5",
                       "LOCKINSTR_OUTPUT=", "LOCKINSTR_DISABLE=2",
                       "LOCKINSTR_INTERVAL=soon", NULL};
  struct li_config c;
  int n;
  char *w = parse(env, &c, &n);
  (void)state;
  assert_int_equal(n, 4);
  assert_int_equal(c.sample_rate, 100);
  assert_string_equal(c.output, "lockinstr.%p.json");
  assert_int_equal(c.disable, 0);
  assert_true(c.interval_s == 0.0);
  assert_non_null(strstr(w, "lockinstr: warning: LOCKINSTR_SAMPLE_RATE=\"-5\""
                            " is not a whole number from 0 (off) to "
                            "1000000000; using the default (100)\n"));
  assert_non_null(strstr(w, "LOCKINSTR_OUTPUT=\"\" is not a file name; using "
                            "the default (lockinstr.%p.json)\n"));
  assert_non_null(strstr(w, "LOCKINSTR_DISABLE=\"2\" is not 1 or 0"));
  assert_non_null(strstr(w, "LOCKINSTR_INTERVAL=\"soon\" is not a number of "
                            "seconds"));
  li_env_free(&c);
  free(w);
}

static void env_rate_too_large(void **state) {
  const char *env[] = {"LOCKINSTR_SAMPLE_RATE=99999999999999999999", NULL};
  struct li_config c;
  int n;
  char *w = parse(env, &c, &n);
  (void)state;
  assert_int_equal(n, 1);
  assert_int_equal(c.sample_rate, 100);
  li_env_free(&c);
  free(w);
}

static void signal_names(void **state) {
  const char *env[] = {"LOCKINSTR_SIGNAL=KILL", NULL};
  struct li_config c;
  int n;
  char *w;
  (void)state;
  assert_int_equal(li_signal_number("USR2"), SIGUSR2);
  assert_int_equal(li_signal_number("sigusr1"), SIGUSR1);
  assert_int_equal(li_signal_number("SIGHUP"), SIGHUP);
  assert_int_equal(li_signal_number("12"), 12);
  assert_int_equal(li_signal_number("9"), 0); /* SIGKILL cannot be caught */
  assert_int_equal(li_signal_number("SEGV"), 0);
  assert_int_equal(li_signal_number("nope"), 0);
  assert_int_equal(li_signal_number("12x"), 0);
  w = parse(env, &c, &n);
  assert_int_equal(n, 1);
  assert_int_equal(c.signal, 0);
  assert_non_null(strstr(w, "LOCKINSTR_SIGNAL=\"KILL\" is not a signal name"));
  li_env_free(&c);
  free(w);
}

static void path_expansion(void **state) {
  char buf[256], want[256], small[8];
  (void)state;
  snprintf(want, sizeof want, "out/test_units.%ld.json%%", (long)getpid());
  assert_int_equal(li_expand_path(buf, sizeof buf, "out/%e.%p.json%%"), 0);
  assert_string_equal(buf, want);
  assert_int_equal(li_expand_path(buf, sizeof buf, "a%xb%"), 0);
  assert_string_equal(buf, "a%xb%");
  assert_int_equal(li_expand_path(small, sizeof small, "0123456789"),
                   -ENAMETOOLONG);
}

/* A pattern naming a directory (a trailing '/', or an existing one) gets
 * lockinstr.<pid>.json inside; any other is only expanded. */
static void output_path_directory(void **state) {
  char buf[256], want[256];
  (void)state;
  snprintf(want, sizeof want, "no/such/lockinstr.%ld.json", (long)getpid());
  assert_int_equal(li_output_path(buf, sizeof buf, "no/such/"), 0);
  assert_string_equal(buf, want);
  snprintf(want, sizeof want, "/lockinstr.%ld.json", (long)getpid());
  assert_int_equal(li_output_path(buf, sizeof buf, "/"), 0);
  assert_string_equal(buf, want);
  snprintf(want, sizeof want, "./lockinstr.%ld.json", (long)getpid());
  assert_int_equal(li_output_path(buf, sizeof buf, "."), 0);
  assert_string_equal(buf, want);
  assert_int_equal(li_output_path(buf, sizeof buf, "no/such/%e.json"), 0);
  assert_string_equal(buf, "no/such/test_units.json");
  assert_int_equal(li_output_path(buf, 12, "no/such/"), -ENAMETOOLONG);
}

/* li_env_get reads LOCKINSTR_* names only; outside secure execution (the
 * setuid case is robust_runtime.setuid) li_env_load reads the real
 * environment and adds no note. */
static void env_get(void **state) {
  struct li_config c;
  char *buf = NULL;
  size_t len = 0;
  FILE *f;
  (void)state;
  setenv("LOCKINSTR_SAMPLE_RATE", "7", 1);
  setenv("LI_UNITS_OTHER", "x", 1);
  assert_int_equal(li_env_secure(), 0);
  assert_string_equal(li_env_get("LOCKINSTR_SAMPLE_RATE"), "7");
  assert_null(li_env_get("LI_UNITS_OTHER"));
  f = open_memstream(&buf, &len);
  assert_int_equal(li_env_load(&c, f), 0);
  fclose(f);
  assert_string_equal(buf, "");
  assert_int_equal(c.sample_rate, 7);
  assert_int_equal(c.secure, 0);
  li_env_free(&c);
  free(buf);
  unsetenv("LOCKINSTR_SAMPLE_RATE");
}

static void hist_buckets(void **state) {
  (void)state;
  assert_int_equal(li_hist_bucket(0), 0);
  assert_int_equal(li_hist_bucket(1), 0);
  assert_int_equal(li_hist_bucket(2), 1);
  assert_int_equal(li_hist_bucket(3), 1);
  assert_int_equal(li_hist_bucket(1024), 10);
  assert_int_equal(li_hist_bucket(2047), 10);
  assert_int_equal(li_hist_bucket(~0ull), 63);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_escapes),
      cmocka_unit_test(env_defaults),
      cmocka_unit_test(env_good_values),
      cmocka_unit_test(env_bad_values),
      cmocka_unit_test(env_rate_too_large),
      cmocka_unit_test(signal_names),
      cmocka_unit_test(path_expansion),
      cmocka_unit_test(output_path_directory),
      cmocka_unit_test(hist_buckets),
      cmocka_unit_test(env_get),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
