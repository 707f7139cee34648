/*
 * test_emit.c — the emitter (tool/rewrite/emit.c): the text lockinstr writes
 * around and into a rewritten file, for .c files and header copies alike.
 *
 * The marker must survive any path (a "*" "/" in a directory name once
 * ended the header copy's comment early), line ends follow the input,
 * the three table forms are exact, the __LINE__ selector numbers the
 * entries it keeps, a second run recognises output of any version, and
 * the emitted text compiles as C89 (gcc -std=c89 and -std=gnu89 with
 * -pedantic-errors, the runtime's headers included as ordinary headers:
 * a strict C89 build must not need them to be system headers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "apis.h"
#include "edit.h"
#include "emit.h"
#include "lockinstr_site.h"

/* A site of API name at line:col (exp_line: the expansion's last line). */
static struct li_site site(const char *api, unsigned line, unsigned exp_line,
                           unsigned flags) {
  struct li_site s = {0};
  s.api = li_api_find(api, strlen(api));
  s.flags = flags;
  s.line = line;
  s.col = 3;
  s.exp_line = exp_line;
  s.file = (char *)"q.h";
  s.function = (char *)"f";
  s.expr = (char *)"m";
  s.lock_class = (char *)"m";
  s.macro = (char *)"";
  return s;
}

static void marker_comment_survives_star_slash_path(void **state) {
  (void)state;
  struct li_emit_file f = {.path = "src/we*/a*/*/x.c", .eol = "\n"};
  struct li_buf b = {0};
  li_emit_prologue(&b, &f);
  assert_string_equal(b.s, "/* lockinstr: instrumented from "
                           "src/we*\\/a*\\/*\\/x.c; do not edit */\n"
                           "#define LOCKINSTR_INSTRUMENTED 1\n"
                           "#line 1 \"src/we*/a*/*/x.c\"\n");
  li_buf_free(&b);
}

static void eol_follows_first_line(void **state) {
  (void)state;
  assert_string_equal(li_emit_eol("a\r\nb\n", 5), "\r\n");
  assert_string_equal(li_emit_eol("a\nb\r\n", 5), "\n");
  assert_string_equal(li_emit_eol("\n", 1), "\n");
  assert_string_equal(li_emit_eol("no newline", 10), "\n");
  assert_int_equal(li_emit_bom("\xEF\xBB\xBFint x;", 9), 3);
  assert_int_equal(li_emit_bom("int x;", 6), 0);
}

static void crlf_file_gets_crlf_everywhere(void **state) {
  (void)state;
  struct li_site s = site("pthread_mutex_lock", 2, 2, 0);
  const struct li_site *v[] = {&s};
  struct li_buf tail = {0};
  li_emit_lines(&tail, "#ifdef X\nint y;\n#endif\n", "\r\n");
  struct li_emit_file f = {.path = "a.c",
                           .eol = "\r\n",
                           .array = "LI_SITE",
                           .sites = v,
                           .nsites = 1,
                           .tail = tail.s};
  const char *text = "int x;\r\nint z;"; /* no final line end */
  size_t n;
  char *out = li_emit_wrap(&f, text, strlen(text), &n);
  assert_int_equal(n, strlen(out));
  for (size_t i = 0; i < n; i++)
    if (out[i] == '\n')
      assert_true(i > 0 && out[i - 1] == '\r');
  assert_non_null(strstr(out, "#line 1 \"a.c\"\r\nint x;\r\nint z;\r\n"
                              "#include <lockinstr_pthread.h>\r\n"
                              "#ifdef X\r\nint y;\r\n#endif\r\n"));
  free(out);
  li_buf_free(&tail);
}

static void static_table_of_a_c_file(void **state) {
  (void)state;
  struct li_site a = site("pthread_mutex_lock", 4, 4, 0);
  struct li_site b = site("mtx_unlock", 5, 5, 0);
  const struct li_site *v[] = {&a, &b};
  struct li_emit_use u = {(char *)"q_h_40", (char *)"&LI_SITE[1],", 0};
  struct li_emit_file f = {.path = "a.c",
                           .eol = "\n",
                           .array = "LI_SITE",
                           .table = LI_EMIT_STATIC,
                           .sites = v,
                           .nsites = 2,
                           .uses = &u,
                           .nuses = 1};
  struct li_buf p = {0}, e = {0};
  li_emit_prologue(&p, &f);
  li_emit_epilogue(&e, &f);
  assert_string_equal(
      p.s, "/* lockinstr: instrumented from a.c; do not edit */\n"
           "#define LOCKINSTR_INSTRUMENTED 1\n"
           "#define LOCKINSTR_USES_PTHREAD 1\n"
           "#define LOCKINSTR_USES_THREADS 1\n"
           "#include <lockinstr_site.h>\n"
           "static struct lockinstr_site LI_SITE[LOCKINSTR_SITES(2)] "
           "LOCKINSTR_SITE_TABLE = {\n"
           "  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 4, 3, \"q.h\", \"f\", "
           "\"m\", \"m\", \"\"),\n"
           "  LOCKINSTR_SITE_INIT(mtx_unlock, 0, 5, 3, \"q.h\", \"f\", \"m\", "
           "\"m\", \"\"),\n"
           "};\n"
           "#define LI_FN_q_h_40(f) lockinstr_##f\n"
           "#define LI_ARG_q_h_40 &LI_SITE[1],\n"
           "#line 1 \"a.c\"\n");
  assert_string_equal(e.s, "#include <lockinstr_pthread.h>\n"
                           "#include <lockinstr_threads.h>\n");
  li_buf_free(&p);
  li_buf_free(&e);
}

static void weak_table_is_guarded_and_scoped(void **state) {
  (void)state;
  struct li_site a = site("pthread_mutex_lock", 4, 4, 0);
  const struct li_site *v[] = {&a};
  struct li_emit_use u = {(char *)"r_h_7", (char *)"&T[0],", 1};
  char *fb[] = {(char *)"q_h_40"};
  struct li_emit_file f = {.path = "q.h",
                           .eol = "\n",
                           .array = "T",
                           .table = LI_EMIT_WEAK,
                           .sites = v,
                           .nsites = 1,
                           .full = 1,
                           .uses = &u,
                           .nuses = 1,
                           .scoped_uses = 1,
                           .fallbacks = fb,
                           .nfallbacks = 1,
                           .tail = "/* wrappers */\n"};
  struct li_buf p = {0}, e = {0};
  li_emit_prologue(&p, &f);
  li_emit_epilogue(&e, &f);
  assert_string_equal(
      p.s, "/* lockinstr: instrumented from q.h; do not edit */\n"
           "#define LOCKINSTR_INSTRUMENTED 1\n"
           "#define LOCKINSTR_USES_PTHREAD 1\n"
           "#include <lockinstr.h>\n"
           "#ifndef T_DEFINED\n#define T_DEFINED 1\n"
           "__attribute__((weak)) struct lockinstr_site T[LOCKINSTR_SITES(1)] "
           "LOCKINSTR_SITE_TABLE = {\n"
           "  LOCKINSTR_SITE_INIT(pthread_mutex_lock, 0, 4, 3, \"q.h\", \"f\", "
           "\"m\", \"m\", \"\"),\n"
           "};\n#endif\n"
           "#pragma push_macro(\"LI_FN_r_h_7\")\n"
           "#pragma push_macro(\"LI_ARG_r_h_7\")\n"
           "#undef LI_FN_r_h_7\n#undef LI_ARG_r_h_7\n"
           "#define LI_FN_r_h_7(f) lockinstr_custom_##f\n"
           "#define LI_ARG_r_h_7 &T[0],\n"
           "#ifndef LI_FN_q_h_40\n#define LI_FN_q_h_40(f) f\n"
           "#define LI_ARG_q_h_40\n#endif\n"
           "#line 1 \"q.h\"\n");
  assert_string_equal(e.s, "#pragma pop_macro(\"LI_FN_r_h_7\")\n"
                           "#pragma pop_macro(\"LI_ARG_r_h_7\")\n"
                           "#ifndef LI_FN_r_h_7\n#define LI_FN_r_h_7(f) f\n"
                           "#define LI_ARG_r_h_7\n#endif\n"
                           "#include <lockinstr_pthread.h>\n"
                           "/* wrappers */\n");
  li_buf_free(&p);
  li_buf_free(&e);
}

static void guarded_table_of_a_header_input(void **state) {
  (void)state;
  char *name = li_emit_table_name("src/inc/q.h");
  assert_string_equal(name, "LI_SITE_src_inc_q_h");
  assert_true(li_emit_table_guarded(name));
  struct li_site a = site("mtx_lock", 4, 4, 0);
  const struct li_site *v[] = {&a};
  struct li_emit_file f = {.path = "src/inc/q.h",
                           .eol = "\n",
                           .array = name,
                           .table = LI_EMIT_GUARDED,
                           .sites = v,
                           .nsites = 1};
  struct li_buf p = {0};
  li_emit_prologue(&p, &f);
  /* the wrappers are lockinstr_site.h's to declare: never twice */
  assert_non_null(strstr(p.s, "#include <lockinstr_site.h>\n#ifndef "));
  assert_null(strstr(p.s, "lockinstr_mtx_lock"));
  assert_non_null(strstr(p.s, "#ifndef LI_SITE_src_inc_q_h_DEFINED\n"
                              "#define LI_SITE_src_inc_q_h_DEFINED 1\n"
                              "static struct lockinstr_site "
                              "LI_SITE_src_inc_q_h[LOCKINSTR_SITES(1)]"));
  assert_null(strstr(p.s, "weak"));
  li_buf_free(&p);
  free(name);
}

static void names_from_paths(void **state) {
  (void)state;
  char *s = li_emit_ident("src/we*/q-1.h");
  assert_string_equal(s, "src_we__q_1_h");
  free(s);
  s = li_emit_point_id("src/q.h", 120);
  assert_string_equal(s, "src_q_h_120");
  free(s);
  s = li_emit_table_name("dir.c/a.c");
  assert_string_equal(s, "LI_SITE");
  assert_false(li_emit_table_guarded(s));
  free(s);
}

static void weak_table_name_follows_its_entries(void **state) {
  (void)state;
  struct li_site a = site("pthread_mutex_lock", 4, 4, 0);
  struct li_site b = site("pthread_mutex_lock", 5, 5, 0);
  const struct li_site *va[] = {&a}, *vb[] = {&b};
  char *na = li_emit_weak_table_name("src/q.h", va, 1);
  char *na2 = li_emit_weak_table_name("src/q.h", va, 1);
  char *nb = li_emit_weak_table_name("src/q.h", vb, 1);
  assert_int_equal(strlen(na), strlen("LI_SITE_src_q_h_") + 8);
  assert_memory_equal(na, "LI_SITE_src_q_h_", 16);
  assert_string_equal(na, na2);
  assert_string_not_equal(na, nb);
  free(na);
  free(na2);
  free(nb);
}

static void selector_numbers_kept_expansions(void **state) {
  (void)state;
  /* gcc's __LINE__ of an expansion is c->line, clang's c->exp_line */
  struct li_site e1 = site("pthread_mutex_lock", 10, 10, 1);
  struct li_site e2 = site("pthread_mutex_lock", 12, 13, 1);
  struct li_site e3 = site("pthread_mutex_lock", 12, 13, 1); /* same lines */
  struct li_site e4 = site("pthread_mutex_lock", 13, 14, 1); /* 14 is new */
  const struct li_site *v[] = {&e1, &e2, &e3, &e4};
  char keep[4];
  char *ix = li_emit_select(v, 4, 5, keep);
  assert_int_equal(keep[0], 1);
  assert_int_equal(keep[1], 1);
  assert_int_equal(keep[2], 0); /* the same site as e2 */
  assert_int_equal(keep[3], 1);
  /* 13 is e2's under clang and e4's under gcc: the unattributed entry */
  assert_string_equal(ix, "__LINE__ == 10 ? 5 : __LINE__ == 12 ? 6 : "
                          "__LINE__ == 14 ? 7 : 8");
  free(ix);
  /* two different sites on one line: neither gets that line */
  struct li_site f1 = site("pthread_mutex_lock", 20, 20, 1);
  struct li_site f2 = site("pthread_mutex_lock", 20, 20, 1);
  f2.expr = (char *)"n";
  const struct li_site *u[] = {&f1, &f2};
  ix = li_emit_select(u, 2, 0, keep);
  assert_int_equal(keep[0], 0);
  assert_int_equal(keep[1], 0);
  assert_string_equal(ix, "0");
  free(ix);
  struct li_site un;
  li_emit_unattributed(&f1, &un);
  f1.macro = (char *)"WITH";
  li_site_free(&un);
  li_emit_unattributed(&f1, &un);
  assert_int_equal(un.line, 0);
  assert_string_equal(un.expr, "unattributed use of macro WITH");
  assert_string_equal(un.lock_class, "unattributed use of macro WITH @ q.h");
  assert_string_equal(un.function, "");
  li_site_free(&un);
  /* a direct call seen twice (a file included twice) keeps one entry */
  struct li_site d1 = site("pthread_mutex_lock", 3, 3, 0);
  struct li_site d2 = site("pthread_mutex_lock", 30, 30, 0);
  const struct li_site *w[] = {&d1, &d2};
  ix = li_emit_select(w, 2, 0, keep);
  assert_int_equal(keep[0], 1);
  assert_int_equal(keep[1], 0);
  assert_string_equal(ix, "0");
  free(ix);
}

static void kept_spelling_pushes_and_pops(void **state) {
  (void)state;
  const char *src = "int f(void) { return TRACE(pthread_mutex_lock(&g)); }\n";
  size_t use = (size_t)(strstr(src, "TRACE") - src);
  size_t end = (size_t)(strstr(src, ";") - src);
  struct li_edits ed;
  li_edits_init(&ed);
  assert_int_equal(li_emit_spelling_edits(&ed, "pthread_mutex_lock", use, end),
                   0);
  char *out;
  size_t n;
  assert_int_equal(li_edits_apply(&ed, src, strlen(src), &out, &n), 0);
  assert_string_equal(out, "int f(void) { return "
                           "_Pragma(\"pop_macro(\\\"pthread_mutex_lock\\\")\") "
                           "TRACE(pthread_mutex_lock(&g)) "
                           "_Pragma(\"pop_macro(\\\"pthread_mutex_lock\\\")\");"
                           " }\n");
  free(out);
  li_edits_free(&ed);
  /* the first use's definition is pushed last: it is popped first */
  struct li_emit_spell sp[] = {
      {(char *)"pthread_mutex_lock", (char *)"&LI_SITE[0],", 0, 1, 10},
      {(char *)"pthread_mutex_timedlock", (char *)"&LI_SITE[1],", 0, 2, 20}};
  struct li_emit_file f = {
      .path = "a.c", .eol = "\n", .spells = sp, .nspells = 2};
  struct li_buf b = {0};
  li_emit_prologue(&b, &f);
  assert_non_null(
      strstr(b.s, "#pragma push_macro(\"pthread_mutex_timedlock\")\n"
                  "#define pthread_mutex_timedlock(a0, a1) "
                  "lockinstr_pthread_mutex_timedlock(&LI_SITE[1], a0, a1)\n"
                  "#pragma push_macro(\"pthread_mutex_timedlock\")\n"
                  "#undef pthread_mutex_timedlock\n"
                  "#pragma push_macro(\"pthread_mutex_lock\")\n"
                  "#define pthread_mutex_lock(a0) "
                  "lockinstr_pthread_mutex_lock(&LI_SITE[0], a0)\n"
                  "#pragma push_macro(\"pthread_mutex_lock\")\n"
                  "#undef pthread_mutex_lock\n"
                  "#line 1 \"a.c\"\n"));
  li_buf_free(&b);
}

static void call_and_point_edits(void **state) {
  (void)state;
  const char *src = "#define L(m) pthread_mutex_lock(m)\n"
                    "int f(void) { return pthread_mutex_unlock(&g); }\n";
  struct li_edits ed;
  li_edits_init(&ed);
  size_t name = (size_t)(strstr(src, "pthread_mutex_unlock") - src);
  assert_int_equal(li_emit_call_edits(&ed, name, name + 20, 0, "&LI_SITE[0],"),
                   0);
  char *id = li_emit_point_edits(&ed, "q.h", src, 13, 18, 31);
  assert_string_equal(id, "q_h_13");
  char *out;
  size_t n;
  assert_int_equal(li_edits_apply(&ed, src, strlen(src), &out, &n), 0);
  assert_string_equal(out, "#define L(m) LI_FN_q_h_13(pthread_mutex_lock)"
                           "(LI_ARG_q_h_13 m)\nint f(void) { return "
                           "lockinstr_pthread_mutex_unlock(&LI_SITE[0], "
                           "&g); }\n");
  free(out);
  free(id);
  li_edits_free(&ed);
}

static void recognises_output_of_any_version(void **state) {
  (void)state;
  const char *old = "/* lockinstr 0.1.0: instrumented from a.c; do not edit "
                    "*/\n#define LOCKINSTR_INSTRUMENTED 1\n";
  assert_true(li_emit_is_instrumented(old, strlen(old)));
  struct li_emit_file f = {.path = "a.c", .eol = "\r\n"};
  struct li_buf b = {0};
  li_emit_prologue(&b, &f);
  assert_true(li_emit_is_instrumented(b.s, b.n));
  li_buf_free(&b);
  const char *indented = "int x;\n  #define LOCKINSTR_INSTRUMENTED 1\n";
  assert_false(li_emit_is_instrumented(indented, strlen(indented)));
  /* only the first 4 KiB are looked at */
  size_t pad = 4096;
  char *late = malloc(pad + 40);
  memset(late, '\n', pad);
  strcpy(late + pad, "#define LOCKINSTR_INSTRUMENTED 1\n");
  assert_false(li_emit_is_instrumented(late, strlen(late)));
  free(late);
}

/* Compiles text (written to a.c in a scratch directory, with header q.h
 * holding hdr if not NULL) with gcc -std=STD -pedantic-errors; returns
 * its exit status. quiet: the compiler's messages are not shown. */
static int compile_c89(const char *std, const char *text, const char *hdr,
                       int quiet) {
  char dir[] = "/tmp/test_emit_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64], cmd[1024];
  snprintf(path, sizeof path, "%s/q.h", dir);
  FILE *f;
  if (hdr) {
    f = fopen(path, "w");
    fputs(hdr, f);
    fclose(f);
  }
  snprintf(path, sizeof path, "%s/a.c", dir);
  f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
  snprintf(cmd, sizeof cmd,
           "%s -std=%s -pedantic-errors -Wall -Wextra -Werror -I%s -I%s "
           "-fsyntax-only %s%s",
           LI_TEST_GCC, std, LI_TEST_INCLUDE, dir, path,
           quiet ? " 2>/dev/null" : "");
  int rc = system(cmd);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", dir);
  return rc;
}

static void output_compiles_as_c89(void **state) {
  (void)state;
  struct li_site a = site("pthread_mutex_lock", 3, 3, 0);
  struct li_site b = site("pthread_mutex_unlock", 4, 4, 0);
  const struct li_site *v[] = {&a, &b};
  struct li_emit_use u = {(char *)"other_h_9", (char *)"&T[1],", 0};
  char *fb[] = {(char *)"q_h_40"};
  struct li_emit_file h = {.path = "we*/q.h",
                           .eol = "\n",
                           .array = "T",
                           .table = LI_EMIT_WEAK,
                           .sites = v,
                           .nsites = 2,
                           .uses = &u,
                           .nuses = 1,
                           .scoped_uses = 1,
                           .fallbacks = fb,
                           .nfallbacks = 1};
  const char *hdr_text =
      "#include <pthread.h>\n"
      "#define Q_LOCK(m) LI_FN_q_h_40(pthread_mutex_lock)(LI_ARG_q_h_40 m)\n"
      "int q_lock(pthread_mutex_t *m) {\n"
      "  return lockinstr_pthread_mutex_lock(&T[0], m);\n"
      "}\n"
      "int q_unlock(pthread_mutex_t *m) {\n"
      "  return LI_FN_other_h_9(pthread_mutex_unlock)(LI_ARG_other_h_9 m);\n"
      "}\n"
      "int q_plain(pthread_mutex_t *m) { return Q_LOCK(m); }\n";
  size_t n;
  char *hdr = li_emit_wrap(&h, hdr_text, strlen(hdr_text), &n);
  struct li_emit_file c = {
      .path = "a.c", .eol = "\n", .array = "LI_SITE", .sites = v, .nsites = 1};
  const char *c_text = "#include \"q.h\"\n"
                       "static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;\n"
                       "int f(void) {\n"
                       "  int rc;\n"
                       "  rc = lockinstr_pthread_mutex_lock(&LI_SITE[0], &m);\n"
                       "  return rc || q_unlock(&m);\n"
                       "}";
  char *out = li_emit_wrap(&c, c_text, strlen(c_text), &n);
  assert_int_equal(compile_c89("c89", out, hdr, 0), 0);
  assert_int_equal(compile_c89("gnu89", out, hdr, 0), 0);
  /* the check can fail: a C99 declaration after a statement, and the
   * keyword inline that C89 does not have */
  assert_int_not_equal(
      compile_c89("gnu89", "int g(void) { g(); int x = 0; return x; }\n", NULL,
                  1),
      0);
  assert_int_not_equal(
      compile_c89("c89", "static inline int h(void) { return 0; }\n", NULL, 1),
      0);
  free(out);
  free(hdr);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(marker_comment_survives_star_slash_path),
      cmocka_unit_test(eol_follows_first_line),
      cmocka_unit_test(crlf_file_gets_crlf_everywhere),
      cmocka_unit_test(static_table_of_a_c_file),
      cmocka_unit_test(weak_table_is_guarded_and_scoped),
      cmocka_unit_test(guarded_table_of_a_header_input),
      cmocka_unit_test(names_from_paths),
      cmocka_unit_test(weak_table_name_follows_its_entries),
      cmocka_unit_test(selector_numbers_kept_expansions),
      cmocka_unit_test(kept_spelling_pushes_and_pops),
      cmocka_unit_test(call_and_point_edits),
      cmocka_unit_test(recognises_output_of_any_version),
      cmocka_unit_test(output_compiles_as_c89),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
