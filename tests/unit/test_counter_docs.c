/*
 * test_counter_docs.c — docs/profile-format.md's rows of per-site counters
 * are exactly the table they are generated from, LOCKINSTR_SITE_COUNTERS
 * (include/lockinstr_counters.h): same keys, same order, same meaning, and
 * nothing else between the `mode` row and the `wait` row of the site table.
 * Run as: test_counter_docs DOCS_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lockinstr_counters.h"

static const char *docs_dir;

/* The rows the table says the doc must have, one per line. */
static const char expected[] =
#define ROW_(name, field, where, merge, doc)                                   \
  "| `" #name "` | integer | " doc " |\n"
    LOCKINSTR_SITE_COUNTERS(ROW_)
#undef ROW_
    ;

/* Reads the whole file at path into a NUL-terminated buffer (owned). */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  assert_non_null(f);
  assert_int_equal(fseek(f, 0, SEEK_END), 0);
  n = ftell(f);
  assert_true(n > 0);
  rewind(f);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

/* The start of the line that begins with prefix, at or after from; fails
 * the test when there is none. */
static char *line_starting(char *from, const char *prefix) {
  char *p = from;
  size_t n = strlen(prefix);
  while (p && strncmp(p, prefix, n) != 0) {
    p = strchr(p, '\n');
    if (p)
      p++;
  }
  if (!p)
    fail_msg("no line starting with '%s' in docs/profile-format.md", prefix);
  return p;
}

static void doc_rows_are_the_counter_table(void **state) {
  char path[4096], *doc, *mode, *first, *wait;
  (void)state;
  snprintf(path, sizeof path, "%s/profile-format.md", docs_dir);
  doc = slurp(path);
  mode = line_starting(line_starting(doc, "## A site"), "| `mode` |");
  first = strchr(mode, '\n') + 1;
  wait = line_starting(first, "| `wait` |");
  *wait = '\0';
  if (strcmp(first, expected) != 0) {
    fprintf(stderr,
            "docs/profile-format.md: the rows between `mode` and `wait` "
            "are\n%s\nbut include/lockinstr_counters.h says\n%s",
            first, expected);
    fail_msg("docs/profile-format.md's counter rows are stale");
  }
  free(doc);
}

/* The check above compares against rows it built itself: make sure they
 * hold what a reader of the doc relies on (so that an empty or mangled
 * expansion cannot pass). */
static void expected_rows_name_every_counter(void **state) {
  (void)state;
  assert_non_null(strstr(expected, "| `acquisitions` | integer | successful "
                                   "acquisitions (exact) |\n"));
  assert_non_null(strstr(expected, "| `timeouts` | integer | "));
  assert_ptr_equal(strstr(expected, "| `acquisitions`"), expected);
  assert_non_null(strstr(expected, "| `releases` | integer | successful "
                                   "releases (release sites only) |\n"));
}

int main(int argc, char **argv) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(doc_rows_are_the_counter_table),
      cmocka_unit_test(expected_rows_name_every_counter),
  };
  if (argc != 2) {
    fprintf(stderr, "usage: test_counter_docs DOCS_DIR\n");
    return 2;
  }
  docs_dir = argv[1];
  return cmocka_run_group_tests(tests, NULL, NULL);
}
