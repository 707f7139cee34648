/*
 * test_cc_args.c — the command lines lockinstr-cc builds (tool/cc/cc_argv.c)
 * from a classified compiler command (cc_args.c): the rewriter's, one per
 * source, and the compiler's, with the rewritten copies in place of the
 * sources, the instrumented headers' include flags first and the runtime
 * for a link. Each test compares the whole vector, in order.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_args.h"
#include "cc_launcher.h"

/* Classifies the NULL-terminated ARGS into CMD. */
static void classify(struct li_cc_cmd *cmd, const char *const *args) {
  int n = 0;
  while (args[n])
    n++;
  assert_int_equal(li_cc_classify(n, (char **)args, cmd), 0);
}

/* Asserts that the NULL-terminated vector GOT is WANT (NULL-terminated). */
static void want_argv(char **got, const char *const *want) {
  int i;
  for (i = 0; want[i]; i++) {
    assert_non_null(got[i]);
    assert_string_equal(got[i], want[i]);
  }
  assert_null(got[i]);
}

static struct li_cc_env env_for_tests(void) {
  struct li_cc_env env;
  memset(&env, 0, sizeof env);
  env.tool = "/opt/li/bin/lockinstr";
  env.include = "/opt/li/include";
  env.static_lib = "/opt/li/lib/liblockinstr.a";
  env.shared_lib = "/opt/li/lib/liblockinstr.so";
  env.gnu = 1;
  env.cwd = "/p";
  return env;
}

/* One instrumented input: argument ARG, rewritten into /t/K. */
static struct li_cc_input input(int arg, char **incflags) {
  struct li_cc_input in;
  memset(&in, 0, sizeof in);
  in.arg = arg;
  in.root = "/p";
  in.qdir = "src";
  in.outdir = "/t/0";
  in.out = "/t/0/src/a.c";
  in.map = "-fdebug-prefix-map=/t/0=/p";
  in.absmap = "-fdebug-prefix-map=/t/0/_abs=";
  in.incflags = incflags;
  in.ok = 1;
  return in;
}

static void rewriter_gets_the_compile_flags_not_the_driver_ones(void **state) {
  (void)state;
  static const char *const args[] = {"-c",  "-O2", "-Iinc", "src/a.c", "-o",
                                     "a.o", "-MD", "-MF",   "a.d",     NULL};
  struct li_cc_env env = env_for_tests();
  struct li_cc_cmd cmd;
  char *hdirs[] = {"/opt/vendor", NULL};
  classify(&cmd, args);
  struct li_cc_input in = input(3, NULL);
  char **rv = li_cc_rewriter_argv(&env, &cmd, &in, hdirs);
  static const char *const want[] = {"/opt/li/bin/lockinstr",
                                     "--quiet",
                                     "--print-include-flags",
                                     "--root",
                                     "/p",
                                     "--header-dir",
                                     "/opt/vendor",
                                     "-o",
                                     "/t/0",
                                     "src/a.c",
                                     "--",
                                     "-O2",
                                     "-Iinc",
                                     NULL};
  want_argv(rv, want);
  free(rv);
  env.verbose = 1;
  env.config = "/p/.lockinstr";
  rv = li_cc_rewriter_argv(&env, &cmd, &in, NULL);
  static const char *const want_cfg[] = {"/opt/li/bin/lockinstr",
                                         "--verbose",
                                         "--print-include-flags",
                                         "--config",
                                         "/p/.lockinstr",
                                         "--root",
                                         "/p",
                                         "-o",
                                         "/t/0",
                                         "src/a.c",
                                         "--",
                                         "-O2",
                                         "-Iinc",
                                         NULL};
  want_argv(rv, want_cfg);
  free(rv);
  li_cc_cmd_free(&cmd);
}

static void compile_uses_the_copy_and_its_include_flags_first(void **state) {
  (void)state;
  static const char *const args[] = {"-c", "-Iinc", "src/a.c",
                                     "-o", "a.o",   NULL};
  struct li_cc_env env = env_for_tests();
  struct li_cc_cmd cmd;
  char *cc[] = {"ccache", "gcc"};
  char *inc[] = {"-I/t/0/inc", NULL};
  classify(&cmd, args);
  assert_int_equal(cmd.mode, LI_CC_COMPILE);
  struct li_cc_input in = input(2, inc);
  char **argv = li_cc_build(&env, cc, 2, &cmd, &in, 1, 1);
  static const char *const want[] = {"ccache",
                                     "gcc",
                                     "-fdiagnostics-color=always",
                                     "-I/t/0/inc",
                                     "-iquote",
                                     "src",
                                     "-fdebug-prefix-map=/t/0=/p",
                                     "-fdebug-prefix-map=/t/0/_abs=",
                                     "-c",
                                     "-Iinc",
                                     "/t/0/src/a.c",
                                     "-o",
                                     "a.o",
                                     "-isystem",
                                     "/opt/li/include",
                                     NULL};
  want_argv(argv, want);
  free(argv);
  /* not gcc or clang: no -fdebug-prefix-map; a failed input: the original */
  env.gnu = 0;
  argv = li_cc_build(&env, cc + 1, 1, &cmd, &in, 1, 0);
  static const char *const want_other[] = {
      "gcc", "-I/t/0/inc", "-iquote",         "src",
      "-c",  "-Iinc",      "/t/0/src/a.c",    "-o",
      "a.o", "-isystem",   "/opt/li/include", NULL};
  want_argv(argv, want_other);
  free(argv);
  in.ok = 0;
  argv = li_cc_build(&env, cc + 1, 1, &cmd, &in, 1, 0);
  static const char *const want_failed[] = {"gcc", "-c",  "-Iinc", "src/a.c",
                                            "-o",  "a.o", NULL};
  want_argv(argv, want_failed);
  free(argv);
  li_cc_cmd_free(&cmd);
}

static void link_gets_the_runtime_unless_told_not_to(void **state) {
  (void)state;
  static const char *const args[] = {"a.o", "b.o", "-o", "prog", NULL};
  struct li_cc_env env = env_for_tests();
  struct li_cc_cmd cmd;
  char *cc[] = {"cc"};
  classify(&cmd, args);
  assert_int_equal(cmd.mode, LI_CC_LINK);
  unsetenv("LOCKINSTR_CC_LINK");
  char **argv = li_cc_build(&env, cc, 1, &cmd, NULL, 0, 0);
  static const char *const want_static[] = {
      "cc",        "a.o", "b.o", "-o", "prog", "/opt/li/lib/liblockinstr.a",
      "-lpthread", "-lm", NULL};
  want_argv(argv, want_static);
  free(argv);
  setenv("LOCKINSTR_CC_LINK", "shared", 1);
  argv = li_cc_build(&env, cc, 1, &cmd, NULL, 0, 0);
  static const char *const want_shared[] = {"cc",
                                            "a.o",
                                            "b.o",
                                            "-o",
                                            "prog",
                                            "-L/opt/li/lib",
                                            "-Wl,-rpath,/opt/li/lib",
                                            "-llockinstr",
                                            "-lpthread",
                                            "-lm",
                                            NULL};
  want_argv(argv, want_shared);
  free(argv[5]); /* the two made for the shared library */
  free(argv[6]);
  free(argv);
  setenv("LOCKINSTR_CC_LINK", "none", 1);
  argv = li_cc_build(&env, cc, 1, &cmd, NULL, 0, 0);
  static const char *const want_none[] = {"cc", "a.o",  "b.o",
                                          "-o", "prog", NULL};
  want_argv(argv, want_none);
  free(argv);
  unsetenv("LOCKINSTR_CC_LINK");
  li_cc_cmd_free(&cmd);
  static const char *const nostd[] = {"a.o", "-nostdlib", "-o", "p", NULL};
  classify(&cmd, nostd);
  argv = li_cc_build(&env, cc, 1, &cmd, NULL, 0, 0);
  static const char *const want_nostd[] = {"cc", "a.o", "-nostdlib",
                                           "-o", "p",   NULL};
  want_argv(argv, want_nostd); /* -nostdlib: never the runtime */
  free(argv);
  li_cc_cmd_free(&cmd);
}

static void color_only_when_the_command_does_not_say(void **state) {
  (void)state;
  static const char *const plain[] = {"-c", "a.c", NULL};
  static const char *const gcc[] = {"-c", "-fdiagnostics-color=never", "a.c",
                                    NULL};
  static const char *const clang[] = {"-c", "-fno-color-diagnostics", "a.c",
                                      NULL};
  struct li_cc_cmd cmd;
  classify(&cmd, plain);
  assert_int_equal(li_cc_color_free(&cmd), 1);
  li_cc_cmd_free(&cmd);
  classify(&cmd, gcc);
  assert_int_equal(li_cc_color_free(&cmd), 0);
  li_cc_cmd_free(&cmd);
  classify(&cmd, clang);
  assert_int_equal(li_cc_color_free(&cmd), 0);
  li_cc_cmd_free(&cmd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rewriter_gets_the_compile_flags_not_the_driver_ones),
      cmocka_unit_test(compile_uses_the_copy_and_its_include_flags_first),
      cmocka_unit_test(link_gets_the_runtime_unless_told_not_to),
      cmocka_unit_test(color_only_when_the_command_does_not_say),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
