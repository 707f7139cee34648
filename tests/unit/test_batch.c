/*
 * test_batch.c — tool/rewrite/batch.c alone: which headers are the project's and
 * what their copies are called, the include flags that put the copies
 * first, the C files of a compile database, the header copies written only
 * when their bytes change, and the progress line.
 *
 * batch.c builds a copy through headers.c (libclang-free, but with the
 * whole emitter behind it); here li_header_build and friends are stubs
 * that record their calls, so batch.c's own decisions are what is tested.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "batch.h"
#include "headers.h"
#include "paths.h"
#include "text.h"

/* ---- stubs of headers.c ----------------------------------------------- */

static int builds;      /* li_header_build calls */
static int added_sites; /* li_header_add_site calls */
static const char *build_text = "int copy;\n";

int li_header_build(struct li_header *h,
                    char *(*target)(const char *abs, void *arg), void *arg) {
  (void)target;
  (void)arg;
  builds++;
  free(h->output); /* built again by a second li_headers_write */
  h->output = li_xstrdup(build_text);
  h->output_len = strlen(build_text);
  return 0;
}

void li_header_add_site(struct li_header *h, const struct li_hsite *s) {
  (void)h;
  (void)s;
  added_sites++;
}

void li_header_free(struct li_header *h) {
  free(h->abs);
  free(h->name);
  free(h->path);
  free(h->out_abs);
  free(h->output);
  free(h->error);
}

/* ---- a scratch tree ---------------------------------------------------- */

static char top[64]; /* the scratch directory of the running test */

/* Returns top/rel (kept until the next call with the same slot). */
static const char *at(int slot, const char *rel) {
  static char buf[4][256];
  snprintf(buf[slot], sizeof buf[slot], "%s/%s", top, rel);
  return buf[slot];
}

static void touch(const char *rel, const char *text) {
  char *dir = li_path_dir(at(3, rel));
  assert_int_equal(li_mkdir_p(dir), 0);
  free(dir);
  FILE *f = fopen(at(3, rel), "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  (void)state;
  strcpy(top, "/tmp/li-test-batch.XXXXXX");
  assert_non_null(mkdtemp(top));
  builds = added_sites = 0;
  return 0;
}

static int teardown(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
  return system(cmd) == 0 ? 0 : -1;
}

/* ---- li_project_name --------------------------------------------------- */

static void project_names(void **state) {
  (void)state;
  char *dirs[] = {"/opt/vendor/inc"};
  struct li_project p = {"/src/proj", dirs, 1, "/src/proj/out"};
  char *n = li_project_name(&p, "/src/proj/inc/q.h");
  assert_string_equal(n, "inc/q.h"); /* relative to the root */
  free(n);
  n = li_project_name(&p, "/opt/vendor/inc/v.h");
  assert_string_equal(n, "_abs/opt/vendor/inc/v.h"); /* a --header-dir */
  free(n);
  assert_null(li_project_name(&p, "/usr/include/stdio.h"));
  assert_null(li_project_name(&p, "/src/proj/out/inc/q.h")); /* a copy */
  assert_null(li_project_name(&p, "/src/projx/a.h")); /* not under: prefix */
}

static void lockinstr_own_headers_are_not_the_projects(void **state) {
  (void)state;
  touch("proj/vendor/lockinstr/lockinstr_site.h", "");
  touch("proj/vendor/lockinstr/lockinstr.h", "");
  struct li_project p = {at(0, "proj"), NULL, 0, NULL};
  assert_null(li_project_name(&p, at(1, "proj/vendor/lockinstr/lockinstr.h")));
  char *n = li_project_name(&p, at(1, "proj/vendor/other.h"));
  assert_string_equal(n, "vendor/other.h");
  free(n);
}

/* ---- li_include_flags -------------------------------------------------- */

static void include_flags_point_at_existing_copies(void **state) {
  (void)state;
  char *root = li_xstrdup(at(0, "proj")), *out = li_xstrdup(at(1, "out"));
  touch("out/inc/q.h", "");     /* a copy of proj/inc */
  touch("out/quoted/r.h", "");  /* a copy of proj/quoted */
  touch("proj/nocopy/s.h", ""); /* no copy: no flag */
  struct li_project p = {root, NULL, 0, out};
  char *flags[] = {"-DX=1",  "-Iinc",         "-I", "nocopy", "-iquote",
                   "quoted", "-I/usr/include"};
  struct li_argv got = {0};
  li_include_flags(&p, flags, 7, root, &got);
  assert_int_equal(got.n, 2);
  char *want = li_xasprintf("-I%s/inc", out);
  assert_string_equal(got.v[0], want);
  free(want);
  want = li_xasprintf("-iquote%s/quoted", out);
  assert_string_equal(got.v[1], want);
  free(want);
  li_argv_free(&got);
  p.outdir = NULL; /* nothing written: no flags */
  li_include_flags(&p, flags, 7, root, &got);
  assert_int_equal(got.n, 0);
  free(root);
  free(out);
}

/* ---- li_compdb_c_files ------------------------------------------------- */

static struct li_compdb_entry entry(const char *file, const char *flag) {
  struct li_compdb_entry e = {li_xstrdup("/b"), li_xstrdup(file), {0}};
  li_argv_push(&e.argv, "cc");
  li_argv_push(&e.argv, flag);
  li_argv_push(&e.argv, file);
  return e;
}

static void compdb_c_files_once_each_with_a_note(void **state) {
  (void)state;
  struct li_compdb_entry v[] = {
      entry("/s/a.c", "-DA"), entry("/s/b.cc", "-DA"), entry("/s/h.h", "-DA"),
      entry("/s/a.c", "-DA"), /* again, same flags: silent */
      entry("/s/c.c", "-DA"), entry("/s/a.c", "-DB"), /* other flags: note */
  };
  struct li_compdb db = {v, 6};
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  char **files;
  size_t n = li_compdb_c_files(&db, &files, f, 0);
  fclose(f);
  assert_int_equal(n, 2);
  assert_string_equal(files[0], "/s/a.c");
  assert_string_equal(files[1], "/s/c.c");
  assert_string_equal(buf, "lockinstr: /s/a.c: note: listed again in "
                           "compile_commands.json with other flags (entry 6); "
                           "instrumented once, with the flags of entry 1\n");
  free(buf);
  for (size_t i = 0; i < n; i++)
    free(files[i]);
  free(files);
  for (size_t i = 0; i < 6; i++) {
    free(v[i].directory);
    free(v[i].file);
    li_argv_free(&v[i].argv);
  }
}

/* ---- li_headers_add / li_headers_write --------------------------------- */

static void headers_merged_and_written_only_when_changed(void **state) {
  (void)state;
  touch("proj/b.h", "");
  touch("proj/a.h", "");
  char *root = li_xstrdup(at(0, "proj")), *out = li_xstrdup(at(1, "out"));
  struct li_project p = {root, NULL, 0, out};
  char *seen[] = {li_xstrdup(at(0, "proj/b.h")), li_xstrdup(at(1, "proj/a.h")),
                  "/usr/include/stdio.h"};
  struct li_result res;
  memset(&res, 0, sizeof res);
  res.headers = seen;
  res.nheaders = 3;
  struct li_headers hs = {0};
  li_headers_add(&hs, &p, &res);
  li_headers_add(&hs, &p, &res); /* a second includer: no new header */
  assert_int_equal(hs.n, 2);
  assert_int_equal(li_headers_write(&hs, NULL, NULL), 0);
  assert_int_equal(builds, 2);
  assert_string_equal(hs.v[0].name, "a.h"); /* sorted by name */
  assert_string_equal(hs.v[1].name, "b.h");
  char *text;
  size_t len;
  assert_int_equal(li_read_file(at(0, "out/a.h"), &text, &len), 0);
  assert_string_equal(text, "int copy;\n");
  free(text);
  /* the same bytes again: the copy is not rewritten (its mtime stays) */
  struct utimbuf old = {1000000000, 1000000000};
  assert_int_equal(utime(at(0, "out/a.h"), &old), 0);
  assert_int_equal(li_headers_write(&hs, NULL, NULL), 0);
  struct stat st;
  assert_int_equal(stat(at(0, "out/a.h"), &st), 0);
  assert_int_equal(st.st_mtime, 1000000000);
  li_headers_free(&hs);
  free(seen[0]);
  free(seen[1]);
  free(root);
  free(out);
}

static void header_copy_over_the_header_is_refused(void **state) {
  (void)state;
  touch("proj/a.h", "");
  char *root = li_xstrdup(at(0, "proj"));
  struct li_project p = {root, NULL, 0, root}; /* -o the root itself */
  struct li_headers hs = {0};
  hs.v = li_xmalloc(sizeof *hs.v);
  memset(hs.v, 0, sizeof *hs.v);
  hs.n = 1;
  hs.v[0].abs = li_xstrdup(at(0, "proj/a.h"));
  hs.v[0].name = li_xstrdup("a.h");
  hs.v[0].path = li_xstrdup("proj/a.h");
  hs.v[0].out_abs = li_path_abs("a.h", p.outdir);
  assert_int_equal(li_headers_write(&hs, NULL, NULL), 1);
  assert_int_equal(builds, 0);
  assert_string_equal(hs.v[0].error, "lockinstr: proj/a.h: error: refusing "
                                     "to write over the header\n");
  li_headers_free(&hs);
  free(root);
}

/* ---- the progress line ------------------------------------------------- */

static void progress_every_hundred_files_when_not_a_tty(void **state) {
  (void)state;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  struct li_progress pr;
  li_progress_init(&pr, f, 250, 0);
  for (int i = 0; i < 250; i++)
    li_progress_step(&pr, 2);
  li_progress_end(&pr);
  fclose(f);
  assert_string_equal(buf, "lockinstr: 100/250 files, 200 sites\n"
                           "lockinstr: 200/250 files, 400 sites\n");
  free(buf);
  buf = NULL;
  f = open_memstream(&buf, &len);
  li_progress_init(&pr, f, 1, 0); /* one file: no progress at all */
  li_progress_step(&pr, 5);
  fclose(f);
  assert_string_equal(buf, "");
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(project_names),
      cmocka_unit_test_setup_teardown(
          lockinstr_own_headers_are_not_the_projects, setup, teardown),
      cmocka_unit_test_setup_teardown(include_flags_point_at_existing_copies,
                                      setup, teardown),
      cmocka_unit_test(compdb_c_files_once_each_with_a_note),
      cmocka_unit_test_setup_teardown(
          headers_merged_and_written_only_when_changed, setup, teardown),
      cmocka_unit_test_setup_teardown(header_copy_over_the_header_is_refused,
                                      setup, teardown),
      cmocka_unit_test(progress_every_hundred_files_when_not_a_tty),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
