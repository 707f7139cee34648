/*
 * test_text.c — the rewriter's plain-C helpers: the small C lexer used to
 * find arguments and macro bodies, string escaping for the site table, path
 * arithmetic for output paths and includes, and the compiler-flag filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flags.h"
#include "paths.h"
#include "text.h"

static void arg_end_stops_at_top_level_comma(void **state) {
  (void)state;
  const char *s = "f(&a[g(1, 2)].mu , x)";
  assert_int_equal(li_arg_end(s, strlen(s), 2), 16); /* "&a[g(1, 2)].mu" */
  const char *t = "f(p /* ) , */ , \"),\" )";
  size_t e = li_arg_end(t, strlen(t), 2);
  assert_int_equal(e, 3); /* "p": the comment is skipped, not included */
  e = li_arg_end(t, strlen(t), 16);
  assert_int_equal(e, 20); /* the string "),": one argument */
}

static void skip_space_skips_comments_and_continuations(void **state) {
  (void)state;
  const char *s = "x /* c */ \\\n // line\n (";
  assert_int_equal(li_skip_space(s, strlen(s), 1), strlen(s) - 1);
}

static void define_found_from_continuation_line(void **state) {
  (void)state;
  const char *s = "int a;\n#  define LOCK(m) \\\n  pthread_mutex_lock(m)\n";
  size_t n;
  size_t at =
      li_define_at(s, strlen(s), (size_t)(strstr(s, "pthread") - s), &n);
  assert_int_equal(at, (size_t)(strstr(s, "LOCK") - s));
  assert_int_equal(n, 4);
  assert_int_equal(li_define_at(s, strlen(s), 2, &n), (size_t)-1);
}

static void body_calls_follow_nested_macros(void **state) {
  (void)state;
  const char *s = "#define L(m) pthread_mutex_lock(m)\n"
                  "#define FN pthread_mutex_lock\n"
                  "#define BOTH(a, b) do { L(a); pthread_mutex_lock(b); } "
                  "while (0)\n";
  struct li_macro *ms;
  size_t nm = li_scan_defines(s, strlen(s), &ms);
  assert_int_equal(nm, 3);
  size_t both = li_find_macro(s, ms, nm, "BOTH", 4, strlen(s));
  assert_int_equal(both, 2);
  struct li_body_call *bc;
  size_t n = li_body_calls(s, strlen(s), ms, nm, both, "pthread_mutex_lock",
                           strlen(s), &bc);
  assert_int_equal(n, 2);
  assert_int_equal(bc[0].macro, 0); /* through L */
  assert_int_equal(bc[0].name_off, 13);
  assert_int_equal(bc[1].macro, 2);
  assert_int_equal(s[bc[1].paren_off], '(');
  free(bc);
  size_t fn = li_find_macro(s, ms, nm, "FN", 2, strlen(s));
  n = li_body_calls(s, strlen(s), ms, nm, fn, "pthread_mutex_lock", strlen(s),
                    &bc);
  assert_int_equal(n, 0); /* a name without '(' is not a call */
  free(bc);
  free(ms);
}

/* li_macro_live for the test: the #define at offset *(size_t *)arg is in
 * a skipped #if branch. */
static int not_at(const char *s, size_t name, void *arg) {
  (void)s;
  return name != *(size_t *)arg;
}

static void find_live_macro_skips_inactive_branches(void **state) {
  (void)state;
  const char *s = "#if !defined(NO_THREADS)\n"
                  "#define L(m) pthread_mutex_lock((m))\n"
                  "#else\n"
                  "#define L(m) ((void)(m))\n"
                  "#endif\n";
  struct li_macro *ms;
  size_t nm = li_scan_defines(s, strlen(s), &ms);
  assert_int_equal(nm, 2);
  size_t dead = ms[1].name; /* the #else branch */
  struct li_macro_text t = {s, strlen(s), ms, nm, not_at, &dead};
  assert_int_equal(li_find_live_macro(&t, "L", 1, strlen(s)), 0);
  assert_int_equal(li_find_macro(s, ms, nm, "L", 1, strlen(s)), 1);
  struct li_body_call *bc;
  assert_int_equal(
      li_body_calls_in(&t, 0, "pthread_mutex_lock", strlen(s), NULL, NULL, &bc),
      1);
  free(bc);
  dead = ms[0].name; /* the other branch active */
  assert_int_equal(li_find_live_macro(&t, "L", 1, strlen(s)), 1);
  assert_int_equal(li_find_live_macro(&t, "L", 1, ms[0].name), (size_t)-1);
  free(ms);
}

static void macro_params_are_replaced_by_the_use_arguments(void **state) {
  (void)state;
  const char *s = "#define AL(a, n) pthread_mutex_lock(&(a)->locks[n])\n"
                  "#define OBJ pthread_mutex_lock(&g)\n"
                  "x = AL( accts[i] , f(1, 2) );\n";
  struct li_macro *ms;
  size_t nm = li_scan_defines(s, strlen(s), &ms);
  assert_int_equal(nm, 2);
  size_t use = (size_t)(strstr(s, "AL( accts") - s);
  char *r = li_macro_subst(s, strlen(s), &ms[0], use, "&(a)->locks[n]");
  assert_string_equal(r, "&(accts[i])->locks[f(1, 2)]");
  free(r);
  /* an object-like macro has no parameters to replace */
  assert_null(li_macro_subst(s, strlen(s), &ms[1], use, "&g"));
  /* stringizing or pasting: left as written */
  assert_null(li_macro_subst(s, strlen(s), &ms[0], use, "a##n"));
  free(ms);
}

static void macro_params_from_another_file(void **state) {
  (void)state;
  const char *h = "#define HL(s) pthread_mutex_lock(&(s)->mu)\n";
  const char *c = "void f(void) { HL(&obj); }\n";
  struct li_macro *ms;
  assert_int_equal(li_scan_defines(h, strlen(h), &ms), 1);
  size_t use = (size_t)(strstr(c, "HL(") - c);
  char *r =
      li_macro_subst_in(h, strlen(h), &ms[0], c, strlen(c), use, "&(s)->mu");
  assert_string_equal(r, "&(&obj)->mu");
  free(r);
  free(ms);
}

static void calls_written_in_a_body(void **state) {
  (void)state;
  const char *s = "#define B(m) do { f(\"g(x)\"); /* h(y) */ (k)(m); L(m); "
                  "#x; } while (0)\n";
  struct li_macro *ms;
  assert_int_equal(li_scan_defines(s, strlen(s), &ms), 1);
  struct li_body_call *bc;
  size_t n = li_body_called(s, &ms[0], &bc);
  /* f, (k), L -- not g or h (a string, a comment), not the while */
  assert_int_equal(n, 4);
  assert_int_equal(strncmp(s + bc[0].name_off, "f(", 2), 0);
  assert_int_equal(strncmp(s + bc[1].name_off, "k)(m)", 5), 0);
  assert_int_equal(s[bc[1].paren_off], '(');
  assert_int_equal(bc[1].paren_off, bc[1].name_off + 2);
  assert_int_equal(strncmp(s + bc[2].name_off, "L(m)", 4), 0);
  assert_int_equal(strncmp(s + bc[3].name_off, "while", 5), 0);
  free(bc);
  free(ms);
}

static void spliced_names(void **state) {
  (void)state;
  const char *s = "pthread_mutex_un\\\nlo\\\r\nck\\\n(m)";
  size_t len = strlen(s);
  /* after "ck" and the splice that follows it: the '(' */
  assert_int_equal(li_spliced_name_end(s, len, 0, "pthread_mutex_unlock", 20),
                   (size_t)(strchr(s, '(') - s));
  assert_int_equal(li_spliced_name_end(s, len, 0, "pthread_mutex_lock", 18),
                   (size_t)-1);
  const char *longer = "pthread_mutex_lockx(m)"; /* not the name */
  assert_int_equal(
      li_spliced_name_end(longer, strlen(longer), 0, "pthread_mutex_lock", 18),
      (size_t)-1);
}

static void utf8_fix_as_the_runtime(void **state) {
  (void)state;
  /* a lone byte, an overlong '/', a surrogate, a cut sequence: one U+FFFD
   * per byte that starts no valid sequence; valid text kept */
  char *f = li_utf8_fix("a\xe9"
                        "b\xc0\xaf\xed\xa0\x80\xc3\xa9\xe2\x82");
  assert_string_equal(f, "a\xef\xbf\xbd"
                         "b\xef\xbf\xbd\xef\xbf\xbd"
                         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                         "\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
  free(f);
}

static void flags_made_absolute(void **state) {
  (void)state;
  struct li_argv a = {0};
  const char *in[] = {
      "-Iinc",   "-I",         "../up", "-I/abs",       "-iquote",
      "q",       "-include",   "cfg.h", "--sysroot=sr", "-isystem=rel",
      "-DX=a/b", "-idirafter", "d"};
  for (size_t i = 0; i < sizeof in / sizeof *in; i++)
    li_argv_push(&a, in[i]);
  li_absolute_flags(&a, "/w/dir");
  const char *want[] = {"-I/w/dir/inc", "-I",           "/w/up",
                        "-I/abs",       "-iquote",      "/w/dir/q",
                        "-include",     "/w/dir/cfg.h", "--sysroot=/w/dir/sr",
                        "-isystem=rel", "-DX=a/b",      "-idirafter",
                        "/w/dir/d"};
  assert_int_equal(a.n, sizeof want / sizeof *want);
  for (size_t i = 0; i < a.n; i++)
    assert_string_equal(a.v[i], want[i]);
  li_argv_free(&a);
}

static void cstr_escapes(void **state) {
  (void)state;
  struct li_buf b = {0};
  const char *s = "a\"b\\c?\?=\n\t d\x01";
  li_buf_cstr(&b, s, strlen(s));
  assert_string_equal(b.s, "a\\\"b\\\\c?\\?= d\\001");
  li_buf_free(&b);
}

static void paths(void **state) {
  (void)state;
  char *p = li_path_abs("../b/./c//d/", "/x/y");
  assert_string_equal(p, "/x/b/c/d");
  free(p);
  p = li_path_rel("/out/src", "/repo/src/x.h");
  assert_string_equal(p, "../../repo/src/x.h");
  free(p);
  p = li_path_rel("/a/b", "/a/b/c/x.h");
  assert_string_equal(p, "c/x.h");
  free(p);
  p = li_path_rel("/", "/x.h");
  assert_string_equal(p, "x.h");
  free(p);
  assert_true(li_path_under("/a/b/c", "/a/b"));
  assert_false(li_path_under("/a/bc", "/a/b"));
}

static void flags_keep_only_what_parsing_needs(void **state) {
  (void)state;
  char *in[] = {"-Iinc",
                "-I",
                "dir",
                "-DX=1",
                "-c",
                "-o",
                "a.o",
                "src/a.c",
                "-fno-tree-vrp",
                "-Wno-stringop-overflow",
                "-fanalyzer",
                "-std=gnu11",
                "-MF",
                "a.d",
                "-include",
                "cfg.h",
                "-O2",
                "-Werror",
                "-pthread",
                "-x",
                "c++"};
  struct li_argv out = {0};
  li_filter_flags(in, sizeof in / sizeof *in, &out);
  const char *want[] = {"-Iinc",      "-I",       "dir",   "-DX=1",
                        "-std=gnu11", "-include", "cfg.h", "-O2",
                        "-pthread",   "-x",       "c"};
  assert_int_equal(out.n, sizeof want / sizeof *want);
  for (size_t i = 0; i < out.n; i++)
    assert_string_equal(out.v[i], want[i]);
  li_argv_free(&out);
}

/* gcc 14 spells C23 -std=gnu23 / c23; libclang 14 rejects those and
 * knows them as gnu2x / c2x. Other -std= values pass unchanged. */
static void flags_std_c23_for_libclang14(void **state) {
  (void)state;
  char *in[] = {"-std=gnu23", "-std=c23",   "-std=c2y",   "-std=gnu2y",
                "-std=gnu11", "-std=gnu2x", "-std=gnu99x"};
  struct li_argv out = {0};
  li_filter_flags(in, sizeof in / sizeof *in, &out);
  const char *want[] = {"-std=gnu2x", "-std=c2x",   "-std=c2x",   "-std=gnu2x",
                        "-std=gnu11", "-std=gnu2x", "-std=gnu99x"};
  assert_int_equal(out.n, sizeof want / sizeof *want);
  for (size_t i = 0; i < out.n; i++)
    assert_string_equal(out.v[i], want[i]);
  li_argv_free(&out);
}

static void split_command(void **state) {
  (void)state;
  struct li_argv a = {0};
  li_split_command("gcc -DS=\"a b\" '-DT=c d' -I\\ x a.c", &a);
  assert_int_equal(a.n, 5);
  assert_string_equal(a.v[1], "-DS=a b");
  assert_string_equal(a.v[2], "-DT=c d");
  assert_string_equal(a.v[3], "-I x");
  li_argv_free(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arg_end_stops_at_top_level_comma),
      cmocka_unit_test(skip_space_skips_comments_and_continuations),
      cmocka_unit_test(define_found_from_continuation_line),
      cmocka_unit_test(body_calls_follow_nested_macros),
      cmocka_unit_test(find_live_macro_skips_inactive_branches),
      cmocka_unit_test(macro_params_are_replaced_by_the_use_arguments),
      cmocka_unit_test(macro_params_from_another_file),
      cmocka_unit_test(calls_written_in_a_body),
      cmocka_unit_test(spliced_names),
      cmocka_unit_test(utf8_fix_as_the_runtime),
      cmocka_unit_test(flags_made_absolute),
      cmocka_unit_test(cstr_escapes),
      cmocka_unit_test(paths),
      cmocka_unit_test(flags_keep_only_what_parsing_needs),
      cmocka_unit_test(flags_std_c23_for_libclang14),
      cmocka_unit_test(split_command),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
