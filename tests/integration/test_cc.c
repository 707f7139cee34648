/*
 * test_cc.c — unit tests of lockinstr-cc's pure parts: the command-line
 * classification (tool/cc/cc_args.c), the dependency-file fix-up
 * (tool/cc/cc_deps.c), and the project root / header directories /
 * include-flag splitting (tool/cc/cc_paths.c). The end-to-end behaviour is in
 * launcher_*.sh; these pin the corner cases a build system can hand the
 * launcher.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_args.h"
#include "cc_deps.h"
#include "cc_paths.h"
#include "paths.h"

/* Classifies the NULL-terminated argument list ARGS into CMD. */
static void classify(struct li_cc_cmd *cmd, const char *const *args) {
  int n = 0;
  while (args[n])
    n++;
  assert_int_equal(li_cc_classify(n, (char **)args, cmd), 0);
}

static void test_compile_one(void **state) {
  const char *a[] = {"-O2",     "-Iinc", "-DX=1",   "-c",
                     "src/a.c", "-o",    "obj/a.o", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_COMPILE);
  assert_int_equal(c.n_c_inputs, 1);
  assert_int_equal(c.c_inputs[0], 4);
  assert_string_equal(c.output, "obj/a.o");
  /* flags for the rewriter: -O2 -Iinc -DX=1; not -c, the input, -o FILE */
  assert_int_equal(c.driver[0], 0);
  assert_int_equal(c.driver[1], 0);
  assert_int_equal(c.driver[2], 0);
  assert_int_equal(c.driver[3], 1);
  assert_int_equal(c.driver[4], 1);
  assert_int_equal(c.driver[5], 1);
  assert_int_equal(c.driver[6], 1);
  li_cc_cmd_free(&c);
}

static void test_separate_values_are_not_inputs(void **state) {
  const char *a[] = {"-I",  "inc", "-include", "pre.h", "-MF", "x.d",
                     "-MT", "x.o", "-c",       "x.c",   NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_COMPILE);
  assert_int_equal(c.n_c_inputs, 1);
  assert_int_equal(c.c_inputs[0], 9);
  assert_string_equal(c.depfile, "x.d");
  assert_int_equal(c.driver[0], 0); /* -I inc reaches the rewriter */
  assert_int_equal(c.driver[1], 0);
  assert_int_equal(c.driver[4], 1); /* -MF x.d does not */
  assert_int_equal(c.driver[5], 1);
  li_cc_cmd_free(&c);
}

static void test_pass_through(void **state) {
  static const char *const cases[][4] = {{"-E", "a.c", NULL},
                                         {"-S", "a.c", NULL},
                                         {"-M", "a.c", NULL},
                                         {"-MM", "a.c", NULL},
                                         {"--version", NULL},
                                         {"-dumpversion", NULL},
                                         {"-print-search-dirs", NULL},
                                         {"-fsyntax-only", "a.c", NULL},
                                         {NULL}};
  int i;
  (void)state;
  for (i = 0; cases[i][0]; i++) {
    struct li_cc_cmd c;
    classify(&c, cases[i]);
    assert_int_equal(c.mode, LI_CC_PASS);
    assert_int_equal(c.n_c_inputs, 0);
    li_cc_cmd_free(&c);
  }
}

static void test_no_inputs_pass(void **state) {
  const char *a[] = {"-v", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_PASS);
  assert_string_equal(c.why_pass, "no input files");
  li_cc_cmd_free(&c);
}

static void test_languages(void **state) {
  const char *a[] = {"-c", "x.S",  "y.s", "z.i",         "-x",  "c", "w.txt",
                     "-x", "none", "v.c", "-xassembler", "u.c", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_COMPILE);
  assert_int_equal(c.n_c_inputs, 2); /* w.txt (-x c) and v.c */
  assert_int_equal(c.c_inputs[0], 6);
  assert_int_equal(c.c_inputs[1], 9);
  li_cc_cmd_free(&c);
}

static void test_conftest_not_instrumented(void **state) {
  const char *a[] = {"-o", "conftest", "conftest.c", "-lpthread", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_LINK);
  assert_int_equal(c.n_c_inputs, 0);
  li_cc_cmd_free(&c);
}

static void test_link(void **state) {
  const char *a[] = {"-o", "app", "a.o", "b.o", "-L/x", "-lfoo", NULL};
  const char *r[] = {"-nostdlib", "-o", "k", "a.o", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_LINK);
  assert_int_equal(c.n_c_inputs, 0);
  assert_int_equal(c.no_runtime, 0);
  li_cc_cmd_free(&c);
  classify(&c, r);
  assert_int_equal(c.no_runtime, 1);
  li_cc_cmd_free(&c);
}

static void test_wp_md(void **state) {
  const char *a[] = {"-Wp,-MD,.a.o.d", "-c", "a.c", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.depgen, 1);
  assert_string_equal(c.depfile, ".a.o.d");
  assert_int_equal(c.driver[0], 1);
  li_cc_cmd_free(&c);
}

static void test_response_file(void **state) {
  char path[] = "/tmp/test_cc_rspXXXXXX";
  char at[64];
  const char *a[] = {at, "-o", "a.o", NULL};
  struct li_cc_cmd c;
  FILE *f;
  int fd = mkstemp(path);
  (void)state;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  fputs("-DMSG=\"hello world\" 'sp ace/a.c'\n-c\n", f);
  fclose(f);
  snprintf(at, sizeof at, "@%s", path);
  classify(&c, a);
  remove(path);
  assert_int_equal(c.argc, 5);
  assert_string_equal(c.argv[0], "-DMSG=hello world");
  assert_string_equal(c.argv[1], "sp ace/a.c");
  assert_int_equal(c.mode, LI_CC_COMPILE);
  assert_int_equal(c.n_c_inputs, 1);
  assert_int_equal(c.c_inputs[0], 1);
  li_cc_cmd_free(&c);
}

static void test_unreadable_response_file(void **state) {
  const char *a[] = {"@/nonexistent/li.rsp", "-c", "a.c", NULL};
  struct li_cc_cmd c;
  (void)state;
  classify(&c, a);
  assert_int_equal(c.mode, LI_CC_PASS);
  li_cc_cmd_free(&c);
}

/* Writes TEXT to a temporary file, fixes it with MAPS, returns the result. */
static char *fix(const char *text, const struct li_cc_map *maps, int n,
                 int expect_rc) {
  char path[] = "/tmp/test_cc_depXXXXXX";
  static char buf[4096];
  int fd = mkstemp(path);
  FILE *f;
  size_t got;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  fputs(text, f);
  fclose(f);
  assert_int_equal(li_cc_fix_depfile(path, maps, n, NULL, 0), expect_rc);
  f = fopen(path, "r");
  got = fread(buf, 1, sizeof buf - 1, f);
  buf[got] = '\0';
  fclose(f);
  remove(path);
  return buf;
}

static void test_depfile_maps_source_and_folds(void **state) {
  const struct li_cc_map maps[] = {
      {"/tmp/li.X/0/a.c", "src/a.c", 0},
      {"/tmp/li.X/0/", "/home/u/p/src/", 1},
  };
  const char *in = "obj/a.o: /tmp/li.X/0/a.c /usr/include/stdio.h \\\n"
                   " /tmp/li.X/0/../../../home/u/p/src/a.h "
                   "/tmp/li.X/0/gen.h\n"
                   "/tmp/li.X/0/gen.h:\n";
  const char *want = "obj/a.o: src/a.c /usr/include/stdio.h \\\n"
                     " /home/u/p/src/a.h /home/u/p/src/gen.h\n"
                     "/home/u/p/src/gen.h:\n";
  (void)state;
  assert_string_equal(fix(in, maps, 2, 1), want);
}

static void test_depfile_escapes(void **state) {
  const struct li_cc_map maps[] = {{"/tmp/li.X/0/a b.c", "my dir/a b.c", 0}};
  const char *in = "a\\ b.o: /tmp/li.X/0/a\\ b.c x.h\n";
  (void)state;
  assert_string_equal(fix(in, maps, 1, 1), "a\\ b.o: my\\ dir/a\\ b.c x.h\n");
}

static void test_depfile_whole_path_only(void **state) {
  const struct li_cc_map maps[] = {{"/tmp/li.X/0/a.c", "src/a.c", 0}};
  const char *in = "a.o: /tmp/li.X/0/a.cc /tmp/li.X/0/a.c\n";
  (void)state;
  assert_string_equal(fix(in, maps, 1, 1), "a.o: /tmp/li.X/0/a.cc src/a.c\n");
}

static void test_depfile_untouched(void **state) {
  const struct li_cc_map maps[] = {{"/tmp/li.X/0/a.c", "src/a.c", 0}};
  const char *in = "a.o: src/a.c\n";
  (void)state;
  assert_string_equal(fix(in, maps, 1, 0), in);
  assert_int_equal(li_cc_fix_depfile("/nonexistent/li.d", maps, 1, NULL, 0), 0);
}

/* Returns li_path_abs(PATH, BASE), kept until the next call. */
static const char *abs_of(const char *path, const char *base) {
  static char *last;
  free(last);
  last = li_path_abs(path, base);
  assert_non_null(last);
  return last;
}

static void test_path_abs_folds(void **state) {
  (void)state;
  assert_string_equal(abs_of("src/a.c", "/p"), "/p/src/a.c");
  assert_string_equal(abs_of("../include", "/p/src"), "/p/include");
  assert_string_equal(abs_of("./x//y/./z/..", "/p"), "/p/x/y");
  assert_string_equal(abs_of("/a/../../b", "/p"), "/b");
  assert_string_equal(abs_of("..", "/"), "/");
  assert_int_equal(li_path_under("/p/src/a.c", "/p"), 1);
  assert_int_equal(li_path_under("/p", "/p"), 1);
  assert_int_equal(li_path_under("/pq/a.c", "/p"), 0); /* not a prefix */
  assert_int_equal(li_path_under("/x", "/"), 1);
}

/* Returns PATH folded by li_path_fold, kept until the next call. */
static const char *fold(const char *path) {
  static char buf[256];
  size_t n = strlen(path);
  assert_true(n < sizeof buf);
  memcpy(buf, path, n);
  buf[li_path_fold(buf, n)] = '\0';
  return buf;
}

/* The depfile fix-up folds tokens that are not NUL-terminated, and may be
 * relative: only the bytes given are read, and a relative path keeps the
 * ".." it cannot fold. */
static void test_path_fold(void **state) {
  char tok[] = "/t/1/../../src/x.h: y";
  (void)state;
  assert_int_equal(li_path_fold(tok, 18), 8);
  assert_memory_equal(tok, "/src/x.h", 8);
  assert_string_equal(tok + 18, ": y"); /* the rest is not touched */
  assert_string_equal(fold("/a//b/./c/"), "/a/b/c");
  assert_string_equal(fold("/.."), "/");
  assert_string_equal(fold("a/../../b"), "../b");
  assert_string_equal(fold("../../x/.."), "../..");
  assert_string_equal(fold("a/.."), ".");
  assert_string_equal(fold("./a\\ b/c"), "a\\ b/c");
}

static void test_pick_root(void **state) {
  char *r;
  (void)state;
  /* make from the top, and make -C src: the working directory */
  r = li_cc_pick_root(NULL, "/p", NULL, "/p/src/a.c");
  assert_string_equal(r, "/p");
  free(r);
  r = li_cc_pick_root(NULL, "/p/src", NULL, "/p/src/a.c");
  assert_string_equal(r, "/p/src");
  free(r);
  /* an out-of-tree build (cwd is the build dir): the source's directory */
  r = li_cc_pick_root(NULL, "/p/build", NULL, "/p/src/a.c");
  assert_string_equal(r, "/p/src");
  free(r);
  /* the project's top (issue #24): make -C lib/a, and out of tree */
  r = li_cc_pick_root(NULL, "/p/lib/a", "/p", "/p/lib/a/x.c");
  assert_string_equal(r, "/p");
  free(r);
  r = li_cc_pick_root(NULL, "/b", "/p", "/p/lib/a/x.c");
  assert_string_equal(r, "/p");
  free(r);
  /* ... unless the working directory holds the source and is higher */
  r = li_cc_pick_root(NULL, "/w", "/w/p", "/w/p/lib/a/x.c");
  assert_string_equal(r, "/w");
  free(r);
  /* a top that does not hold the source is not the source's project */
  r = li_cc_pick_root(NULL, "/b", "/q", "/p/src/a.c");
  assert_string_equal(r, "/p/src");
  free(r);
  /* LOCKINSTR_CC_ROOT wins when the source is under it ... */
  r = li_cc_pick_root("/p/src", "/p/build", "/p", "/p/src/a.c");
  assert_string_equal(r, "/p/src");
  free(r);
  /* ... and is ignored for a source outside it */
  r = li_cc_pick_root("/q", "/p", NULL, "/p/src/a.c");
  assert_string_equal(r, "/p");
  free(r);
  r = li_cc_pick_root(NULL, "/", NULL, "/a.c");
  assert_string_equal(r, "/");
  free(r);
}

/* Creates FILE (or directory, when DIR) under the test's scratch TOP. */
static void make_entry(const char *top, const char *rel, int dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", top, rel);
  if (dir) {
    assert_int_equal(li_mkdir_p(path), 0);
  } else {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
  }
}

/* li_cc_project_top: the nearest marker; li_cc_config_for stops at .git. */
static void test_project_top(void **state) {
  char top[] = "/tmp/li_cc_top.XXXXXX", want[512], sub[512];
  char *r;
  (void)state;
  assert_non_null(mkdtemp(top));
  make_entry(top, "p/lib/a", 1);
  make_entry(top, "p/.git", 1);
  make_entry(top, ".lockinstr", 0);
  snprintf(sub, sizeof sub, "%s/p/lib/a", top);
  snprintf(want, sizeof want, "%s/p", top);
  r = li_cc_project_top(sub);
  assert_string_equal(r, want); /* the checkout, not the .lockinstr above */
  free(r);
  assert_null(li_cc_config_for(sub)); /* not above the checkout */
  make_entry(top, "p/lib/configure.ac", 0);
  snprintf(want, sizeof want, "%s/p/lib", top);
  r = li_cc_project_top(sub);
  assert_string_equal(r, want); /* a configure script nearer */
  free(r);
  make_entry(top, "p/lib/a/.lockinstr", 0);
  r = li_cc_project_top(sub);
  assert_string_equal(r, sub);
  free(r);
  snprintf(want, sizeof want, "%s/p/lib/a/.lockinstr", top);
  r = li_cc_config_for(sub);
  assert_string_equal(r, want);
  free(r);
  snprintf(want, sizeof want, "rm -rf '%s'", top);
  assert_int_equal(system(want), 0);
}

static void test_header_dirs(void **state) {
  /* /tmp exists everywhere; /usr/include is a system directory; the root
   * and the skip list (build dir) are never header dirs; duplicates and
   * missing directories are dropped; -I- is not a directory */
  const char *a[] = {"-I/tmp",
                     "-I",
                     "/tmp",
                     "-iquote/tmp/.",
                     "-I/usr/include",
                     "-Isrc",
                     "-I/nonexistent-li",
                     "-I-",
                     "-iquote",
                     "/",
                     "-DX",
                     NULL};
  const char *skip[] = {"/", NULL};
  const char *none[] = {NULL};
  char **dirs;
  int n = 0;
  (void)state;
  while (a[n])
    n++;
  assert_int_equal(
      li_cc_header_dirs(n, (char *const *)a, "/p", "/p", none, &dirs), 2);
  assert_string_equal(dirs[0], "/tmp");
  assert_string_equal(dirs[1], "/"); /* "-iquote /" exists, not under /p */
  assert_null(dirs[2]);
  li_cc_free_vec(dirs);
  /* everything under a skipped directory is left out */
  assert_int_equal(
      li_cc_header_dirs(n, (char *const *)a, "/p", "/p", skip, &dirs), 0);
  assert_null(dirs[0]);
  li_cc_free_vec(dirs);
  /* the root itself is not a header dir: /tmp as root */
  assert_int_equal(
      li_cc_header_dirs(3, (char *const *)a, "/p", "/tmp", none, &dirs), 0);
  li_cc_free_vec(dirs);
}

static void test_split_words(void **state) {
  char **w;
  (void)state;
  assert_int_equal(li_cc_split_words("", &w), 0); /* no include flags */
  assert_null(w[0]);
  li_cc_free_vec(w);
  assert_int_equal(li_cc_split_words(" \n", &w), 0);
  li_cc_free_vec(w);
  /* as --print-include-flags quotes: plain, single-quoted, a quote in it */
  assert_int_equal(li_cc_split_words("-I/t/0/include '-I/t/0/_abs/my dir' "
                                     "'-I/t/it'\\''s'\n",
                                     &w),
                   3);
  assert_string_equal(w[0], "-I/t/0/include");
  assert_string_equal(w[1], "-I/t/0/_abs/my dir");
  assert_string_equal(w[2], "-I/t/it's");
  assert_null(w[3]);
  li_cc_free_vec(w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compile_one),
      cmocka_unit_test(test_separate_values_are_not_inputs),
      cmocka_unit_test(test_pass_through),
      cmocka_unit_test(test_no_inputs_pass),
      cmocka_unit_test(test_languages),
      cmocka_unit_test(test_conftest_not_instrumented),
      cmocka_unit_test(test_link),
      cmocka_unit_test(test_wp_md),
      cmocka_unit_test(test_response_file),
      cmocka_unit_test(test_unreadable_response_file),
      cmocka_unit_test(test_depfile_maps_source_and_folds),
      cmocka_unit_test(test_depfile_escapes),
      cmocka_unit_test(test_depfile_whole_path_only),
      cmocka_unit_test(test_depfile_untouched),
      cmocka_unit_test(test_path_abs_folds),
      cmocka_unit_test(test_path_fold),
      cmocka_unit_test(test_pick_root),
      cmocka_unit_test(test_project_top),
      cmocka_unit_test(test_header_dirs),
      cmocka_unit_test(test_split_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
