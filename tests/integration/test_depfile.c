/*
 * test_depfile.c — unit tests of the rewriter's dependency files
 * (tool/common/depfile.c): gcc's escaping of blanks, backslashes before blanks,
 * '$' and '#'; paths a Make rule cannot hold; the rule's layout; and a
 * header entered twice listed once. What the tool writes, and that make,
 * ninja and CMake read it back, is depfile_tool.sh's and dep_project.sh's.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "depfile.h"

/* Asserts that PATH escapes to WANT. */
static void escapes_to(const char *path, const char *want) {
  struct li_buf b = {0};
  assert_int_equal(li_depfile_escape(&b, path), 0);
  assert_string_equal(b.s, want);
  li_buf_free(&b);
}

static void test_plain_path_unchanged(void **state) {
  (void)state;
  escapes_to("/src/include/locks.h", "/src/include/locks.h");
  escapes_to("a:b=c%d*e", "a:b=c%d*e"); /* gcc leaves these alone too */
}

static void test_blanks(void **state) {
  (void)state;
  escapes_to("/my src/a b.h", "/my\\ src/a\\ b.h");
  escapes_to("a\tb", "a\\\tb");
}

static void test_dollar_and_hash(void **state) {
  (void)state;
  escapes_to("/p/$HOME/#1.h", "/p/$$HOME/\\#1.h");
}

/* gcc: a blank after N backslashes gets 2N+1 of them; a backslash
 * anywhere else is copied as it is. */
static void test_backslashes(void **state) {
  (void)state;
  escapes_to("a\\b", "a\\b");
  escapes_to("a\\ b", "a\\\\\\ b");
  escapes_to("a\\\\ b", "a\\\\\\\\\\ b");
  escapes_to("a\\#b", "a\\\\#b");
}

static void test_unwritable_paths(void **state) {
  struct li_buf b = {0};
  (void)state;
  assert_int_equal(li_depfile_escape(&b, "a\nb"), -EINVAL);
  assert_int_equal(li_depfile_escape(&b, "a\rb"), -EINVAL);
  assert_int_equal(li_depfile_escape(&b, ""), -EINVAL);
  assert_int_equal(b.n, 0); /* nothing appended */
  li_buf_free(&b);
}

static void test_rule_layout(void **state) {
  const char *deps[] = {"/s/a.c", "/s/inc/x y.h", "/usr/include/pthread.h"};
  char *text;
  size_t len;
  const char *bad;
  (void)state;
  assert_int_equal(li_depfile_text("/o/a.c", deps, 3, &text, &len, &bad), 0);
  assert_string_equal(text, "/o/a.c: /s/a.c \\\n"
                            "  /s/inc/x\\ y.h \\\n"
                            "  /usr/include/pthread.h\n");
  assert_int_equal(len, strlen(text));
  assert_null(bad);
  free(text);
}

static void test_twice_listed_once(void **state) {
  const char *deps[] = {"/s/a.c", "/s/t.h", "/s/u.h", "/s/t.h", "/s/a.c"};
  char *text;
  size_t len;
  const char *bad;
  (void)state;
  assert_int_equal(li_depfile_text("o", deps, 5, &text, &len, &bad), 0);
  assert_string_equal(text, "o: /s/a.c \\\n  /s/t.h \\\n  /s/u.h\n");
  free(text);
}

static void test_only_input(void **state) {
  const char *deps[] = {"/s/a.c"};
  char *text;
  size_t len;
  const char *bad;
  (void)state;
  assert_int_equal(li_depfile_text("o", deps, 1, &text, &len, &bad), 0);
  assert_string_equal(text, "o: /s/a.c\n");
  free(text);
}

static void test_bad_path_named(void **state) {
  const char *deps[] = {"/s/a.c", "/s/new\nline.h"};
  char *text = (char *)"unchanged";
  size_t len = 1;
  const char *bad = NULL;
  (void)state;
  assert_int_equal(li_depfile_text("o", deps, 2, &text, &len, &bad), -EINVAL);
  assert_null(text);
  assert_int_equal(len, 0);
  assert_ptr_equal(bad, deps[1]);
  assert_int_equal(li_depfile_text("o\n", deps, 1, &text, &len, &bad), -EINVAL);
  assert_string_equal(bad, "o\n");
}

/* add(TEXT, DEP, PHONY, WANT_RC): li_depfile_add's text (static buffer). */
static const char *add(const char *text, const char *dep, int phony,
                       int want_rc) {
  static char out[512];
  struct li_buf b = {0};
  assert_int_equal(li_depfile_add(text, strlen(text), dep, phony, &b), want_rc);
  assert_true(b.n < sizeof out);
  memcpy(out, b.s ? b.s : "", b.n);
  out[b.n] = '\0';
  li_buf_free(&b);
  return out;
}

/* The configuration file joins the first rule (issue #18, item 5). */
static void test_add(void **state) {
  (void)state;
  assert_string_equal(add("x.o: x.c h.h\n", "/p/.lockinstr", 0, 1),
                      "x.o: x.c h.h \\\n /p/.lockinstr\n");
  /* a rule over several lines, and -MP's empty rules after it */
  assert_string_equal(add("x.o: x.c \\\n h.h\nh.h:\n", "/p/c f", 1, 1),
                      "x.o: x.c \\\n h.h \\\n /p/c\\ f\nh.h:\n\n/p/c\\ f:\n");
  /* already listed (twice is once), or no rule at all: unchanged */
  assert_string_equal(add("x.o: x.c /p/.lockinstr\n", "/p/.lockinstr", 1, 0),
                      "x.o: x.c /p/.lockinstr\n");
  assert_string_equal(add("", "/p/.lockinstr", 0, 0), "");
  /* a longer path that starts with it is not it */
  assert_string_equal(add("x.o: /p/.lockinstr2\n", "/p/.lockinstr", 0, 1),
                      "x.o: /p/.lockinstr2 \\\n /p/.lockinstr\n");
  assert_string_equal(add("x.o: x.c\n", "", 0, -EINVAL), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_path_unchanged),
      cmocka_unit_test(test_blanks),
      cmocka_unit_test(test_dollar_and_hash),
      cmocka_unit_test(test_backslashes),
      cmocka_unit_test(test_unwritable_paths),
      cmocka_unit_test(test_rule_layout),
      cmocka_unit_test(test_twice_listed_once),
      cmocka_unit_test(test_only_input),
      cmocka_unit_test(test_bad_path_named),
      cmocka_unit_test(test_add),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
