/*
 * cc_main.c — lockinstr-cc, a compiler launcher that instruments C sources
 * on their way to the compiler.
 *
 *   lockinstr-cc [--strict] COMPILER [ARGS...]
 *
 * Used as CC="lockinstr-cc gcc", make CC="lockinstr-cc cc", or
 * CMAKE_C_COMPILER_LAUNCHER / CMAKE_C_LINKER_LAUNCHER=lockinstr-cc. For a
 * compile (-c, or a compile-and-link) of C sources it runs `lockinstr` on
 * each source with that exact command's flags, into a private temporary
 * directory, then runs the compiler on the rewritten copies plus
 * `-isystem <lockinstr include dir>` (the rewriter's #line keeps
 * diagnostics and debug info on the original file), and finally makes the
 * dependency file name the original sources. A link gets the runtime
 * (liblockinstr.a, -lpthread, -lm). The project's own headers are
 * instrumented into the same temporary directory: the rewriter gets a root
 * and header directories (cc_paths.h) and prints the include flags that
 * put the copies first, which the compile gets ahead of the command's own
 * -I flags. Everything else (see cc_args.c) is handed
 * to the compiler untouched with execvp, so exit codes and signals are the
 * compiler's own.
 *
 * Instrumentation never breaks a build: when the rewriter fails on a file,
 * that file is compiled as it is and one warning says so (only if the
 * compile then succeeds: a file with a syntax error gets the compiler's
 * diagnostics alone). When the rewritten file is what the compiler rejects,
 * the original command is run instead, the same way; the instrumented
 * compile's stderr is captured for that and replayed when it succeeds.
 * --strict or LOCKINSTR_STRICT=1 makes a rewrite failure fatal.
 *
 * Where things are: the rewriter is $LOCKINSTR_TOOL, else $LOCKINSTR_PREFIX/
 * bin/lockinstr, else `lockinstr` beside this program, else the build tree's
 * (baked in at configure time), else `lockinstr` on PATH. Headers and the
 * runtime come from $LOCKINSTR_PREFIX, else relative to this program's
 * installed location (bin/../include, bin/../lib), else the build tree.
 */
#define _GNU_SOURCE 1 /* mkdtemp, nftw, readlink in strict C11 mode */
#include "cc_args.h"
#include "cc_config.h"
#include "cc_deps.h"
#include "cc_paths.h"
#include "paths.h"
#define _GNU_SOURCE 1 /* isatty in strict C11 mode */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc_config.h"
#include "cc_launcher.h"

/*
 * Instruments the C inputs of CMD, compiles (and links), fixes the
 * dependency files, and exits like the compiler did. Never returns.
 */
_Noreturn static void li_cc_instrumented(struct li_cc_env *env, char **cc,
                                         int ncc, struct li_cc_cmd *cmd) {
  struct li_cc_input *in = calloc((size_t)cmd->n_c_inputs + 1, sizeof *in);
  char *tmp, **argv, *err_path = NULL;
  int status, ok, color;
  if (!in)
    li_cc_die("out of memory");
  li_cc_locate(env);
  li_cc_catch_signals();
  tmp = li_cc_mktemp();
  ok = li_cc_rewrite_all(env, cmd, tmp, in);
  if (li_cc_signal)
    li_cc_exit_like(env, tmp, 0);
  if (env->strict)
    li_cc_strict_fail(env, cmd, in, cmd->n_c_inputs, tmp);
  color = ok && !env->strict && env->gnu && isatty(2) && li_cc_color_free(cmd);
  argv = li_cc_build(env, cc, ncc, cmd, in, cmd->n_c_inputs, color);
  if (ok && !env->strict) {
    status = li_cc_run_captured(env, argv, tmp, &err_path);
    if (!li_cc_success(status) && !WIFSIGNALED(status) && !li_cc_signal) {
      status = li_cc_retry_original(env, cc, ncc, cmd, in, err_path);
      ok = 0;
    }
  } else {
    if (env->verbose)
      li_cc_trace("compile", argv);
    status = li_cc_run(argv, -1, -1);
  }
  if (li_cc_success(status)) {
    if (cmd->depgen || cmd->depfile)
      li_cc_fix_deps(cmd, in, cmd->n_c_inputs, env->cwd);
    li_cc_warn_failed(cmd, in, cmd->n_c_inputs);
    li_cc_warn_lost(env, cmd, in, cmd->n_c_inputs);
  }
  free(argv);
  free(err_path);
  li_cc_exit_like(env, tmp, status);
}

static void li_cc_usage(FILE *out) {
  fputs("lockinstr-cc " LI_CC_VERSION "\n"
        "usage: lockinstr-cc [--strict] [--config FILE] COMPILER [ARGS...]\n"
        "       lockinstr-cc --help | --version\n"
        "Compiles C sources instrumented by lockinstr and links the "
        "lockinstr runtime.\n"
        "  --strict       a source that cannot be instrumented is an error "
        "(also LOCKINSTR_STRICT=1)\n"
        "  --config FILE  the lockinstr configuration file for every source "
        "(also LOCKINSTR_CONFIG;\n"
        "                 default: the nearest .lockinstr above each "
        "source)\n"
        "Environment: LOCKINSTR_TOOL, LOCKINSTR_PREFIX, LOCKINSTR_STRICT, "
        "LOCKINSTR_CONFIG,\n"
        "  LOCKINSTR_CC_ROOT, LOCKINSTR_CC_HEADER_DIRS, "
        "LOCKINSTR_CC_LINK=static|shared|none,\n"
        "  LOCKINSTR_CC_VERBOSE, LOCKINSTR_CC_KEEP, LOCKINSTR_CC_TMPDIR. "
        "See docs/build-integration.md.\n",
        out);
}

/* Prints the usage for --help or the launcher's version for --version
 * given before any compiler name (as ccache does: `lockinstr-cc gcc
 * --version` is gcc's, which build systems probe), frees env's paths and
 * returns 1; returns 0 for any other argument. */
static int li_cc_own_info(struct li_cc_env *env, const char *arg) {
  int help = strcmp(arg, "--help") == 0;
  if (!help && strcmp(arg, "--version") != 0)
    return 0;
  if (help)
    li_cc_usage(stdout);
  else
    puts(LI_CC_ME " " LI_CC_VERSION);
  free(env->cwd);
  free(env->root_env);
  free(env->config);
  return 1;
}

/* Returns 1 if NAME's basename is a compiler wrapper that takes the
 * compiler as its first argument (ccache gcc ...). */
static int li_cc_is_wrapper(const char *name) {
  const char *b = li_cc_base(name);
  return strcmp(b, "ccache") == 0 || strcmp(b, "sccache") == 0 ||
         strcmp(b, "distcc") == 0 || strcmp(b, "icecc") == 0;
}

/* Returns 1 if the driver NAME is gcc or clang (cc is gcc on Debian). */
static int li_cc_is_gnu(const char *name) {
  const char *b = li_cc_base(name);
  return strstr(b, "gcc") || strstr(b, "clang") || strcmp(b, "cc") == 0;
}

/* Returns 1 if the driver NAME compiles .c files as C++ (g++, clang++). */
static int li_cc_is_cxx(const char *name) {
  const char *b = li_cc_base(name);
  return strstr(b, "++") != NULL;
}

int main(int argc, char **argv) {
  struct li_cc_env env;
  struct li_cc_cmd cmd;
  char *cc[3];
  int first = 1, ncc = 0, nargs;
  char **all;
  memset(&env, 0, sizeof env);
  li_cc_init_paths(&env);
  for (;;) { /* the launcher's own options, before the compiler */
    if (argc > first && strcmp(argv[first], "--strict") == 0) {
      env.strict = 1;
      first++;
    } else if (argc > first + 1 && strcmp(argv[first], "--config") == 0) {
      li_cc_set_config(&env, argv[first + 1]);
      first += 2;
    } else if (argc > first && strncmp(argv[first], "--config=", 9) == 0) {
      li_cc_set_config(&env, argv[first] + 9);
      first++;
    } else {
      break;
    }
  }
  if (argc > first && li_cc_own_info(&env, argv[first]))
    return 0;
  env.strict |= li_cc_env_on("LOCKINSTR_STRICT");
  env.verbose = li_cc_env_on("LOCKINSTR_CC_VERBOSE");
  env.keep = li_cc_env_on("LOCKINSTR_CC_KEEP");
  env.self_dir = li_cc_self_dir();
  while (argc > first && strcmp(li_cc_base(argv[first]), LI_CC_ME) == 0)
    first++; /* lockinstr-cc lockinstr-cc gcc: once is enough */
  if (argc <= first || argv[first][0] == '-') {
    const char *dflt = getenv("LOCKINSTR_CC");
    cc[ncc++] = (char *)(dflt && dflt[0] ? dflt : "cc");
  } else {
    cc[ncc++] = argv[first++];
    if (li_cc_is_wrapper(cc[0]) && argc > first && argv[first][0] != '-')
      cc[ncc++] = argv[first++];
  }
  env.gnu = li_cc_is_gnu(cc[ncc - 1]);
  nargs = argc - first;
  all = calloc((size_t)(ncc + nargs + 1), sizeof *all);
  if (!all)
    li_cc_die("out of memory");
  memcpy(all, cc, (size_t)ncc * sizeof *all);
  memcpy(all + ncc, argv + first, (size_t)nargs * sizeof *all);
  if (li_cc_classify(nargs, argv + first, &cmd) != 0)
    li_cc_die("out of memory");
  if (li_cc_is_cxx(cc[ncc - 1]))
    cmd.n_c_inputs = 0; /* g++ compiles a .c file as C++: not ours */
  if (cmd.mode == LI_CC_PASS ||
      (cmd.mode == LI_CC_COMPILE && cmd.n_c_inputs == 0)) {
    if (env.verbose && cmd.why_pass)
      fprintf(stderr, LI_CC_ME ": passing through (%s)\n", cmd.why_pass);
    li_cc_exec(&env, all);
  }
  if (cmd.n_c_inputs == 0) { /* a link of objects: add the runtime */
    li_cc_locate(&env);
    li_cc_exec(&env, li_cc_build(&env, cc, ncc, &cmd, NULL, 0, 0));
  }
  free(all); /* only the pass-through paths above use it */
  li_cc_instrumented(&env, cc, ncc, &cmd);
}
