/*
 * test_edit.c — the rewriter's edit engine (tool/rewrite/edit.c), alone: ordering,
 * insertions at one offset, replacements, overlap and range errors, and the
 * no-newline rule that keeps every original line where it was.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "edit.h"

/* Applies e to src and checks the result is want. */
static void expect_apply(struct li_edits *e, const char *src,
                         const char *want) {
  char *out = NULL;
  size_t n = 0;
  assert_int_equal(li_edits_apply(e, src, strlen(src), &out, &n), 0);
  assert_string_equal(out, want);
  assert_int_equal(n, strlen(want));
  free(out);
}

static void no_edits_copies(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  expect_apply(&e, "int x;\n", "int x;\n");
  li_edits_free(&e);
}

static void rename_and_insert_site(void **state) {
  (void)state;
  const char *src = "  pthread_mutex_lock(&q->mu);\n";
  struct li_edits e;
  li_edits_init(&e);
  /* added out of order: applied by offset */
  assert_int_equal(li_edits_add(&e, 21, 0, "&LI_SITE[3], "), 0);
  assert_int_equal(li_edits_add(&e, 2, 0, "lockinstr_"), 0);
  expect_apply(&e, src,
               "  lockinstr_pthread_mutex_lock(&LI_SITE[3], &q->mu);\n");
  li_edits_free(&e);
}

static void inserts_at_one_offset_keep_order(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  li_edits_add(&e, 1, 0, "B");
  li_edits_add(&e, 1, 0, "C");
  li_edits_add(&e, 0, 0, "A");
  expect_apply(&e, "xy", "AxBCy");
  li_edits_free(&e);
}

static void insert_goes_before_replacement_at_same_offset(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  li_edits_add(&e, 1, 2, "R"); /* replaces "bc" */
  li_edits_add(&e, 1, 0, "I"); /* added later, still first */
  li_edits_add(&e, 3, 0, "J"); /* right after the replacement: no overlap */
  expect_apply(&e, "abcd", "aIRJd");
  li_edits_free(&e);
}

static void replacement_and_deletion(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  li_edits_add(&e, 0, 3, "");            /* a UTF-8 BOM */
  li_edits_add(&e, 13, 3, "../src/x.h"); /* "x.h" in the include */
  expect_apply(&e, "\xEF\xBB\xBF#include \"x.h\"\n",
               "#include \"../src/x.h\"\n");
  li_edits_free(&e);
}

static void overlap_is_rejected(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  li_edits_add(&e, 0, 3, "X");
  li_edits_add(&e, 2, 0, "Y"); /* inside the replaced range */
  char *out = (char *)0x1;
  size_t n = 7;
  assert_int_equal(li_edits_apply(&e, "abcdef", 6, &out, &n), -EEXIST);
  assert_ptr_equal(out, (char *)0x1); /* nothing returned */
  li_edits_free(&e);

  li_edits_init(&e);
  li_edits_add(&e, 1, 2, "X");
  li_edits_add(&e, 1, 1, "Y"); /* two replacements of the same byte */
  assert_int_equal(li_edits_apply(&e, "abcdef", 6, &out, &n), -EEXIST);
  li_edits_free(&e);
}

static void out_of_range_is_rejected(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  li_edits_add(&e, 5, 2, "X"); /* reaches byte 7 of a 6-byte buffer */
  char *out;
  size_t n;
  assert_int_equal(li_edits_apply(&e, "abcdef", 6, &out, &n), -ERANGE);
  li_edits_free(&e);
  li_edits_init(&e);
  li_edits_add(&e, 6, 0, "end"); /* appending at the end is fine */
  expect_apply(&e, "abcdef", "abcdefend");
  li_edits_free(&e);
}

static void newline_in_text_is_rejected(void **state) {
  (void)state;
  struct li_edits e;
  li_edits_init(&e);
  assert_int_equal(li_edits_add(&e, 0, 0, "a\nb"), -EINVAL);
  assert_int_equal(li_edits_add(&e, 0, 0, "a\rb"), -EINVAL);
  assert_int_equal(e.n, 0);
  li_edits_free(&e);
}

static void many_edits(void **state) {
  (void)state;
  /* 1000 one-byte replacements, added in reverse: every byte doubled */
  char src[1001], want[2001];
  for (int i = 0; i < 1000; i++) {
    src[i] = (char)('a' + i % 26);
    want[2 * i] = want[2 * i + 1] = src[i];
  }
  src[1000] = want[2000] = '\0';
  struct li_edits e;
  li_edits_init(&e);
  for (int i = 999; i >= 0; i--) {
    char t[3] = {src[i], src[i], 0};
    assert_int_equal(li_edits_add(&e, (size_t)i, 1, t), 0);
  }
  expect_apply(&e, src, want);
  li_edits_free(&e);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(no_edits_copies),
      cmocka_unit_test(rename_and_insert_site),
      cmocka_unit_test(inserts_at_one_offset_keep_order),
      cmocka_unit_test(insert_goes_before_replacement_at_same_offset),
      cmocka_unit_test(replacement_and_deletion),
      cmocka_unit_test(overlap_is_rejected),
      cmocka_unit_test(out_of_range_is_rejected),
      cmocka_unit_test(newline_in_text_is_rejected),
      cmocka_unit_test(many_edits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
