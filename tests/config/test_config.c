/*
 * test_config.c — unit tests of tool/rewrite/config.c: the path-glob matcher, the
 * parser's result for a good file, exclusion lookups, merging with the
 * command line's exclusions, and discovery. (Error messages are checked
 * end to end by run.sh errors.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "lockinstr_api.h"
#include "text.h"

static void test_glob(void **state) {
  (void)state;
  static const struct {
    const char *glob, *path;
    int hit;
  } cases[] = {
      {"vendor/**", "vendor/a.c", 1},
      {"vendor/**", "vendor/x/y/z.c", 1},
      {"vendor/**", "src/vendor/a.c", 0}, /* anchored: has a '/' */
      {"vendor", "src/vendor/a.c", 1},    /* a bare name: any depth */
      {"vendor/", "vendor/a.c", 1},       /* a directory */
      {"third_party/*.c", "third_party/t.c", 1},
      {"third_party/*.c", "third_party/sub/t.c", 0}, /* '*' stays in one */
      {"third_party/*.c", "third_party/t.h", 0},
      {"*.c", "a/b/c.c", 1},
      {"**/gen/*.c", "gen/x.c", 1}, /* '**' then '/' may match nothing */
      {"**/gen/*.c", "a/b/gen/x.c", 1},
      {"**/gen/*.c", "a/b/gen/x/y.c", 0},
      {"/src/a.c", "src/a.c", 1}, /* a leading '/' only anchors */
      {"/a.c", "src/a.c", 0},
      {"a?.c", "ab.c", 1},
      {"a?.c", "a/.c", 0},
      {"[ab].c", "b.c", 1},
      {"[!ab].c", "b.c", 0},
      {"src/a.c", "src/a.cc", 0},
      {"**", "anything/at/all.c", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = li_glob_match_path(cases[i].glob, cases[i].path);
    if (got != cases[i].hit)
      fail_msg("glob '%s' on '%s': got %d, want %d", cases[i].glob,
               cases[i].path, got, cases[i].hit);
  }
}

static const char good[] = "# a comment\n"
                           "[exclude]\n"
                           "path = vendor/**   # trailing comment\n"
                           "function = debug_*\n"
                           "\n"
                           "[runtime]\n"
                           "sample_rate = 10\n"
                           "[api spin_lock]\n"
                           "  kind = acquire\n"
                           "try = spin_trylock\r\n"
                           "try_success = nonzero\n"
                           "[api rd]\n"
                           "kind=condwait\n"
                           "lock = 2\n"
                           "mode = read\n"
                           "success = thrd\n";

static void test_parse(void **state) {
  (void)state;
  struct li_config c;
  struct li_buf err = {0};
  assert_int_equal(
      li_config_parse(".lockinstr", "/p", good, strlen(good), &c, &err), 0);
  assert_null(err.s);
  assert_int_equal(c.npaths, 1);
  assert_string_equal(c.paths[0].glob, "vendor/**");
  assert_string_equal(c.paths[0].base, "/p");
  assert_string_equal(c.paths[0].origin, ".lockinstr:3");
  assert_int_equal(c.nfunctions, 1);
  assert_string_equal(c.functions[0].glob, "debug_*");
  assert_int_equal(c.sample_rate, 10);
  assert_int_equal(c.rt_quiet, -1);
  assert_null(c.rt_output);
  assert_int_equal(c.napis, 2);
  const struct li_custom_api *a = &c.apis[0];
  assert_string_equal(a->name, "spin_lock");
  assert_int_equal(a->kind, LOCKINSTR_KIND_ACQUIRE);
  assert_int_equal(a->lock_arg, 0);
  assert_int_equal(a->success, -1); /* from the return type */
  assert_string_equal(a->try_fn, "spin_trylock");
  assert_int_equal(a->try_success, LI_CS_NONZERO);
  assert_string_equal(a->origin, ".lockinstr:8");
  a = &c.apis[1];
  assert_int_equal(a->kind, LOCKINSTR_KIND_CONDWAIT);
  assert_int_equal(a->lock_arg, 1);
  assert_int_equal(a->mode, LOCKINSTR_MODE_READ);
  assert_int_equal(a->success, LI_CS_THRD);
  assert_null(a->try_fn);
  assert_int_equal(li_config_find_api(&c, "rd"), 1);
  assert_int_equal(li_config_find_api(&c, "spin_trylock"), -1);
  assert_true(li_config_is_lock_impl(&c, "spin_trylock"));
  assert_true(li_config_is_lock_impl(&c, "spin_lock"));
  assert_false(li_config_is_lock_impl(&c, "worker"));
  li_config_free(&c);
}

static void test_errors_counted(void **state) {
  (void)state;
  static const char bad[] = "[x]\n[exclude]\nnope = 1\n[api a]\n";
  struct li_config c;
  struct li_buf err = {0};
  assert_int_equal(li_config_parse("c", "/", bad, strlen(bad), &c, &err), 3);
  assert_non_null(strstr(err.s, "lockinstr: c:1: error: unknown section"));
  assert_non_null(strstr(err.s, "lockinstr: c:3: error: unknown key 'nope'"));
  assert_non_null(strstr(err.s, "lockinstr: c:4: error: [api a] has no kind"));
  li_buf_free(&err);
  li_config_free(&c);
}

/* [runtime] output and quiet are parsed into rt_output / rt_quiet and
 * survive the merge with the command line's configuration. */
static void test_runtime_defaults(void **state) {
  static const char text[] = "[runtime]\n"
                             "output = prof/%e.%p.json # comment\n"
                             "quiet = off\n";
  struct li_config c, cli, m;
  struct li_buf err = {0};
  (void)state;
  assert_int_equal(
      li_config_parse(".lockinstr", "/p", text, strlen(text), &c, &err), 0);
  assert_null(err.s);
  assert_string_equal(c.rt_output, "prof/%e.%p.json");
  assert_int_equal(c.rt_quiet, 0);
  assert_int_equal(c.sample_rate, -1);
  memset(&cli, 0, sizeof cli);
  li_config_merge(&c, &cli, &m);
  li_config_free(&c);
  assert_string_equal(m.rt_output, "prof/%e.%p.json");
  assert_int_equal(m.rt_quiet, 0);
  li_config_free(&m);
}

static void test_lookups_and_merge(void **state) {
  (void)state;
  struct li_config file, cli, m;
  struct li_buf err = {0};
  assert_int_equal(li_config_parse("f", "/p", good, strlen(good), &file, &err),
                   0);
  memset(&cli, 0, sizeof cli);
  li_config_add_exclude(&cli, 0, "gen/*.c", "/root", "--exclude");
  li_config_add_exclude(&cli, 1, "slow", NULL, "--exclude-function");
  li_config_merge(&file, &cli, &m);
  li_config_free(&file);
  li_config_free(&cli);
  assert_int_equal(m.napis, 2);
  assert_int_equal(m.sample_rate, 10);
  const struct li_exclude *e = li_config_excluded_path(&m, "/p/vendor/x.c");
  assert_non_null(e);
  assert_string_equal(e->origin, "f:3");
  assert_null(li_config_excluded_path(&m, "/q/vendor/x.c")); /* other base */
  assert_null(li_config_excluded_path(&m, "/p/src/x.c"));
  e = li_config_excluded_path(&m, "/root/gen/y.c");
  assert_non_null(e);
  assert_string_equal(e->origin, "--exclude");
  assert_string_equal(li_config_excluded_function(&m, "debug_dump")->origin,
                      "f:4");
  assert_string_equal(li_config_excluded_function(&m, "slow")->origin,
                      "--exclude-function");
  assert_null(li_config_excluded_function(&m, "slower"));
  assert_null(li_config_excluded_function(&m, "")); /* file scope */
  li_config_free(&m);
}

/* Writes an empty file at path. */
static void touch(const char *path) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fclose(f);
}

static void test_find(void **state) {
  (void)state;
  char tmpl[] = "/tmp/li-config-XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  char *p = li_xasprintf("%s/a/b/c", d);
  char *cmd = li_xasprintf("mkdir -p %s %s/a/.git", p, d);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  char *top = li_xasprintf("%s/.lockinstr", d);
  touch(top); /* above a/.git: never used for a/... */
  assert_null(li_config_find(p));
  char *mid = li_xasprintf("%s/a/.lockinstr", d);
  touch(mid);
  char *got = li_config_find(p);
  assert_string_equal(got, mid);
  free(got);
  char *near = li_xasprintf("%s/a/b/.lockinstr", d);
  assert_int_equal(mkdir(near, 0777), 0); /* a directory is not a config */
  got = li_config_find(p);
  assert_string_equal(got, mid);
  free(got);
  rmdir(near);
  touch(near);
  got = li_config_find(p);
  assert_string_equal(got, near);
  free(got);
  cmd = li_xasprintf("rm -rf %s", d);
  assert_int_equal(system(cmd), 0);
  free(cmd);
  free(p);
  free(top);
  free(mid);
  free(near);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_glob),
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_errors_counted),
      cmocka_unit_test(test_runtime_defaults),
      cmocka_unit_test(test_lookups_and_merge),
      cmocka_unit_test(test_find),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
