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
                                     "--verbose",
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

/*
 * Classifies ARGS and asserts the compile command lockinstr-cc builds for
 * it with the static runtime: with no instrumented input when ARG < 0,
 * else with argument ARG rewritten into /t/0/src/a.c.
 */
static void want_build(const char *const *args, int arg,
                       const char *const *want) {
  struct li_cc_env env = env_for_tests();
  struct li_cc_cmd cmd;
  char *cc[] = {"gcc"};
  classify(&cmd, args);
  struct li_cc_input in = input(arg, NULL);
  unsetenv("LOCKINSTR_CC_LINK");
  char **argv = li_cc_build(&env, cc, 1, &cmd, &in, arg >= 0, 0);
  want_argv(argv, want);
  free(argv);
  li_cc_cmd_free(&cmd);
}

/* The probes autoconf and Makefiles run: a program from stdin, linked. The
 * archive after `-x c` was read as C source (400,000 lines of errors). */
static void stdin_probe_links_the_runtime_after_x_none(void **state) {
  (void)state;
  static const char *const probe[] = {"-x", "c", "-", "-o", "/dev/null", NULL};
  static const char *const want[] = {
      "gcc",       "-x",   "c",
      "-",         "-o",   "/dev/null",
      "-x",        "none", "/opt/li/lib/liblockinstr.a",
      "-lpthread", "-lm",  NULL};
  want_build(probe, -1, want);
  /* a Makefile's linker-flag probe: -xc joined, the flag after the input */
  static const char *const zprobe[] = {
      "-Werror", "-xc", "-", "-Wl,-z,noexecstack", "-o", "/dev/null", NULL};
  static const char *const want_z[] = {
      "gcc",       "-Werror",   "-xc", "-",    "-Wl,-z,noexecstack",
      "-o",        "/dev/null", "-x",  "none", "/opt/li/lib/liblockinstr.a",
      "-lpthread", "-lm",       NULL};
  want_build(zprobe, -1, want_z);
}

/* -x c on an instrumented source compiled and linked in one command. */
static void x_c_source_link_restores_the_language(void **state) {
  (void)state;
  static const char *const args[] = {"-MD",     "-MF", "a.d",  "-x", "c",
                                     "src/a.c", "-o",  "prog", NULL};
  static const char *const want[] = {"gcc",
                                     "-iquote",
                                     "src",
                                     "-fdebug-prefix-map=/t/0=/p",
                                     "-fdebug-prefix-map=/t/0/_abs=",
                                     "-MD",
                                     "-MF",
                                     "a.d",
                                     "-x",
                                     "c",
                                     "/t/0/src/a.c",
                                     "-o",
                                     "prog",
                                     "-isystem",
                                     "/opt/li/include",
                                     "-x",
                                     "none",
                                     "/opt/li/lib/liblockinstr.a",
                                     "-lpthread",
                                     "-lm",
                                     NULL};
  want_build(args, 5, want);
  /* the command restored the language itself: nothing to add */
  static const char *const restored[] = {"-x",  "c",  "src/a.c", "-x", "none",
                                         "b.o", "-o", "prog",    NULL};
  static const char *const want_r[] = {"gcc",
                                       "-iquote",
                                       "src",
                                       "-fdebug-prefix-map=/t/0=/p",
                                       "-fdebug-prefix-map=/t/0/_abs=",
                                       "-x",
                                       "c",
                                       "/t/0/src/a.c",
                                       "-x",
                                       "none",
                                       "b.o",
                                       "-o",
                                       "prog",
                                       "-isystem",
                                       "/opt/li/include",
                                       "/opt/li/lib/liblockinstr.a",
                                       "-lpthread",
                                       "-lm",
                                       NULL};
  want_build(restored, 2, want_r);
}

/* Several inputs with different -x: the last one in effect decides. */
static void x_language_in_effect_at_the_end(void **state) {
  (void)state;
  static const char *const args[] = {"-x",  "assembler-with-cpp",
                                     "s.S", "-xnone",
                                     "a.c", "-x",
                                     "c",   "-",
                                     "-o",  "p",
                                     NULL};
  struct li_cc_cmd cmd;
  classify(&cmd, args);
  assert_int_equal(cmd.mode, LI_CC_LINK);
  assert_int_equal(cmd.n_c_inputs, 1); /* a.c; stdin is never instrumented */
  assert_int_equal(cmd.c_inputs[0], 4);
  assert_int_equal(cmd.n_streams, 1);
  assert_string_equal(cmd.x_lang, "c");
  li_cc_cmd_free(&cmd);
  static const char *const restored[] = {"-xc", "-", "-x", "none", NULL};
  classify(&cmd, restored);
  assert_null(cmd.x_lang);
  li_cc_cmd_free(&cmd);
}

/* kbuild's cc-option and friends compile /dev/null as C: a stream, not a
 * source (the rewriter used to be run on it and warned "not a regular
 * file" on every probe). */
static void device_inputs_are_streams(void **state) {
  (void)state;
  static const char *const args[] = {"-Werror",   "-c", "-x",       "c",
                                     "/dev/null", "-o", "/tmp/x.o", NULL};
  struct li_cc_cmd cmd;
  classify(&cmd, args);
  assert_int_equal(cmd.mode, LI_CC_COMPILE);
  assert_int_equal(cmd.n_c_inputs, 0); /* so the compile is passed through */
  assert_int_equal(cmd.n_streams, 1);
  li_cc_cmd_free(&cmd);
  assert_int_equal(li_cc_is_stream("-"), 1);
  assert_int_equal(li_cc_is_stream("/dev/stdin"), 1);
  assert_int_equal(li_cc_is_stream("/dev/fd/0"), 1);
  assert_int_equal(li_cc_is_stream("dev/a.c"), 0);
  assert_int_equal(li_cc_is_stream("-x"), 0);
}

/* What build systems pass alongside -x that must leave the command alone. */
static void x_with_pass_through_flags(void **state) {
  (void)state;
  static const char *const cases[][6] = {
      {"-E", "-x", "c", "-", NULL},
      {"-x", "c", "-M", "a.c", NULL},
      {"-xc", "-MM", "a.c", NULL},
      {"-S", "-x", "c", "-", NULL},
      {"-x", "c", "-fsyntax-only", "-", NULL},
      {NULL}};
  int i;
  for (i = 0; cases[i][0]; i++) {
    struct li_cc_cmd cmd;
    classify(&cmd, cases[i]);
    assert_int_equal(cmd.mode, LI_CC_PASS);
    li_cc_cmd_free(&cmd);
  }
  /* -c from stdin: a compile with nothing to instrument (passed through) */
  static const char *const c_stdin[] = {"-c", "-x",  "c", "-",
                                        "-o", "a.o", NULL};
  struct li_cc_cmd cmd;
  classify(&cmd, c_stdin);
  assert_int_equal(cmd.mode, LI_CC_COMPILE);
  assert_int_equal(cmd.n_c_inputs, 0);
  li_cc_cmd_free(&cmd);
}

/* The rewriter is told the language of a source that is C only by -x. */
static void rewriter_gets_x_c_for_a_source_not_named_c(void **state) {
  (void)state;
  static const char *const args[] = {"-c", "-x", "c", "lock.inc", "-O2", NULL};
  struct li_cc_env env = env_for_tests();
  struct li_cc_cmd cmd;
  classify(&cmd, args);
  assert_int_equal(cmd.n_c_inputs, 1);
  struct li_cc_input in = input(3, NULL);
  char **rv = li_cc_rewriter_argv(&env, &cmd, &in, NULL);
  static const char *const want[] = {"/opt/li/bin/lockinstr",
                                     "--verbose",
                                     "--print-include-flags",
                                     "--root",
                                     "/p",
                                     "-o",
                                     "/t/0",
                                     "lock.inc",
                                     "--",
                                     "-O2",
                                     "-x",
                                     "c",
                                     NULL};
  want_argv(rv, want);
  free(rv);
  li_cc_cmd_free(&cmd);
}

/* A response file is read (gcc's rules) and its arguments are what the
 * instrumented command gets: here with -x c inside it. */
static void response_file_expanded_into_the_command(void **state) {
  (void)state;
  char path[] = "/tmp/test_cc_args_rspXXXXXX";
  char at[64];
  int fd = mkstemp(path);
  FILE *f;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  fputs("-x c\n'src/a.c' -o prog\n", f);
  fclose(f);
  snprintf(at, sizeof at, "@%s", path);
  const char *const args[] = {"-O2", at, NULL};
  static const char *const want[] = {"gcc",
                                     "-iquote",
                                     "src",
                                     "-fdebug-prefix-map=/t/0=/p",
                                     "-fdebug-prefix-map=/t/0/_abs=",
                                     "-O2",
                                     "-x",
                                     "c",
                                     "/t/0/src/a.c",
                                     "-o",
                                     "prog",
                                     "-isystem",
                                     "/opt/li/include",
                                     "-x",
                                     "none",
                                     "/opt/li/lib/liblockinstr.a",
                                     "-lpthread",
                                     "-lm",
                                     NULL};
  want_build(args, 3, want);
  remove(path);
}

/* The rewriter's verbose log, read for the calls left uninstrumented: the
 * count of notes and the first one's place and reason. */
static void log_counts_the_calls_not_instrumented(void **state) {
  (void)state;
  char path[] = "/tmp/test_cc_args_logXXXXXX";
  int fd = mkstemp(path);
  FILE *f;
  char *first = NULL;
  assert_true(fd >= 0);
  f = fdopen(fd, "w");
  fputs("lockinstr: x.c: 0 sites -> /t/0/x.c\n"
        "inc/h.h:2:17: note: not instrumented: call to pthread_mutex_lock "
        "in macro 'LOCK' defined in header inc/h.h\n"
        "x.c:9:3: note: not instrumented: address of pthread_mutex_unlock "
        "taken\n"
        "lockinstr: 0 sites in 0 of 1 files; 2 not instrumented\n",
        f);
  fclose(f);
  assert_int_equal(li_cc_log_lost(path, &first), 2);
  assert_string_equal(first, "inc/h.h:2:17: call to pthread_mutex_lock in "
                             "macro 'LOCK' defined in header inc/h.h");
  free(first);
  f = fopen(path, "w");
  fputs("lockinstr: a.c: 2 sites -> /t/0/a.c\n"
        "lockinstr: 2 sites in 1 of 1 files; 0 not instrumented\n",
        f);
  fclose(f);
  assert_int_equal(li_cc_log_lost(path, &first), 0);
  assert_null(first);
  remove(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(rewriter_gets_the_compile_flags_not_the_driver_ones),
      cmocka_unit_test(compile_uses_the_copy_and_its_include_flags_first),
      cmocka_unit_test(link_gets_the_runtime_unless_told_not_to),
      cmocka_unit_test(color_only_when_the_command_does_not_say),
      cmocka_unit_test(stdin_probe_links_the_runtime_after_x_none),
      cmocka_unit_test(x_c_source_link_restores_the_language),
      cmocka_unit_test(x_language_in_effect_at_the_end),
      cmocka_unit_test(device_inputs_are_streams),
      cmocka_unit_test(x_with_pass_through_flags),
      cmocka_unit_test(rewriter_gets_x_c_for_a_source_not_named_c),
      cmocka_unit_test(response_file_expanded_into_the_command),
      cmocka_unit_test(log_counts_the_calls_not_instrumented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
