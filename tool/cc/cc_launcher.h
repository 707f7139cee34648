/*
 * cc_launcher.h — what the parts of lockinstr-cc share: where things were
 * found (struct li_cc_env), each instrumented source (struct li_cc_input),
 * and the functions of cc_util.c, cc_locate.c, cc_proc.c, cc_argv.c,
 * cc_rewrite.c, cc_build.c and cc_deps.c that cc_main.c strings together. The
 * launcher's own failures (out of memory, fork) are fatal: li_cc_die.
 */
#ifndef LI_CC_LAUNCHER_H
#define LI_CC_LAUNCHER_H

#include <signal.h>
#include <stdio.h>

#include "cc_args.h"

#define LI_CC_ME "lockinstr-cc"

/* Where the rewriter, headers and runtime were found. */
struct li_cc_env {
  char *self_dir;   /* directory of this executable, or NULL */
  char *tool;       /* the lockinstr command */
  char *include;    /* directory holding lockinstr_site.h, or NULL */
  char *static_lib; /* liblockinstr.a, or NULL */
  char *shared_lib; /* liblockinstr.so, or NULL */
  int strict;       /* a rewrite failure is an error */
  int verbose;      /* print what is run (LOCKINSTR_CC_VERBOSE) */
  int keep;         /* keep the temporary directory (LOCKINSTR_CC_KEEP) */
  int gnu;          /* gcc or clang: takes -fdebug-prefix-map and
                       -fdiagnostics-color */
  char *config;     /* --config / $LOCKINSTR_CONFIG (absolute), or NULL */
  char *cwd;        /* the compile's working directory (normalised) */
  char *root_env;   /* $LOCKINSTR_CC_ROOT (normalised absolute), or NULL */
};

/* One instrumented input. */
struct li_cc_input {
  int arg;          /* index in cmd.argv */
  char *root;       /* the rewriter's --root (see cc_paths.h) */
  char *qdir;       /* the original's directory as written ("." if none) */
  char *outdir;     /* TMP/<k> */
  char *out;        /* TMP/<k>/<source relative to root>: the rewritten copy */
  char *map;        /* -fdebug-prefix-map=TMP/<k>=<root>: debug info names the
                       original's directory, not the temporary one */
  char *absmap;     /* -fdebug-prefix-map=TMP/<k>/_abs=: header copies from a
                       --header-dir outside the root, named by absolute path */
  char **incflags;  /* --print-include-flags: the instrumented headers'
                       directories, put before the command's own -I */
  int ok;           /* 1 if the rewrite succeeded */
  char *reason;     /* first line of the rewriter's error, if it failed */
  char *config;     /* the configuration file that applies (--config, or
                       the .lockinstr found for the source), or NULL: the
                       dependency file lists it */
  int lost;         /* lock calls the rewrite left uninstrumented */
  char *lost_first; /* the first of them: "FILE:LINE:COL: REASON" */
};

/* A signal received while a child ran (cc_proc.c), or 0. */
extern volatile sig_atomic_t li_cc_signal;

/* ---- cc_util.c (helpers) -------------------------------------------- */

/* Prints a fatal error and exits 1 (the launcher's own failures only). */
_Noreturn void li_cc_die(const char *what);

/* malloc'd concatenation of up to four strings (NULLs skipped). */
char *li_cc_cat(const char *a, const char *b, const char *c, const char *d);

/* Returns 1 if PATH exists (and, if EXEC, is executable). */
int li_cc_exists(const char *path, int exec);

/* Returns 1 if the environment variable NAME is set, non-empty and not 0. */
int li_cc_env_on(const char *name);

/* Returns the basename of PATH (a pointer into it). */
const char *li_cc_base(const char *path);

/* Reads the whole first line of FILE (malloc'd; "" if none). */
char *li_cc_read_line(const char *file);

/* Returns the first "error" line of the rewriter log LOG (malloc'd). */
char *li_cc_log_reason(const char *log);

/* Copies the file LOG to stderr (a rewriter log, captured diagnostics). */
void li_cc_dump_log(const char *log);

/*
 * Counts the calls the rewriter's (verbose) log LOG says it left
 * uninstrumented; sets *FIRST to the first as "FILE:LINE:COL: REASON"
 * (malloc'd), or NULL when there is none. Returns the count.
 */
int li_cc_log_lost(const char *log, char **first);

/* Copies to stderr each line of the file LOG for which KEEP returns 1. */
void li_cc_print_lines(const char *log, int (*keep)(const char *line));

/* Copies the rewriter's diagnostics in LOG to stderr: what the rewriter
 * prints without --verbose (errors, warnings, the compiler's messages),
 * not its progress, summary or notes on calls not instrumented. */
void li_cc_dump_diags(const char *log);

/* ---- cc_locate.c (locating files) ----------------------------------- */

/* Returns the directory of this executable (malloc'd), or NULL. */
char *li_cc_self_dir(void);

/* Fills ENV->tool, ->include, ->static_lib, ->shared_lib (see the top). */
void li_cc_locate(struct li_cc_env *env);

/* Returns the nearest directory at or above DIR (normalised absolute)
 * that holds CMakeCache.txt: the top of a CMake build tree, whose
 * Makefile generator compiles from a subdirectory (malloc'd, or NULL). */
char *li_cc_cmake_top(const char *dir);

/* Sets ENV->config to FILE made absolute, so that it means the same file
 * whatever directory a recursive make compiles from. */
void li_cc_set_config(struct li_cc_env *env, const char *file);

/* Sets ENV->cwd, ->root_env (from LOCKINSTR_CC_ROOT, with symbolic links
 * resolved like getcwd's) and ->config (from LOCKINSTR_CONFIG). */
void li_cc_init_paths(struct li_cc_env *env);

/* ---- cc_proc.c (processes, signals, the temporary directory) -------- */

/* Catches the signals that end a build (^C, make killing its jobs). */
void li_cc_catch_signals(void);

/* Prints ARGV as one line (LOCKINSTR_CC_VERBOSE). */
void li_cc_trace(const char *what, char *const *argv);

/*
 * Checks that the rewriter TOOL can be run (a path, or a name searched on
 * PATH as execvp would). Returns NULL if so, else the reason (malloc'd),
 * worded for the warning or strict-mode error that quotes it.
 */
char *li_cc_tool_problem(const char *tool);

/*
 * Runs ARGV (searching PATH) and waits for it. OUT_FD / ERR_FD, when >= 0,
 * become the child's stdout / stderr. Returns the wait status; a child
 * that could not be started exits 127 with the reason on its stderr.
 */
int li_cc_run(char *const *argv, int out_fd, int err_fd);

/* Removes the temporary directory TMP (unless kept). */
void li_cc_cleanup(const struct li_cc_env *env, const char *tmp);

/* Exits the way the child with wait STATUS did (or a caught signal). */
_Noreturn void li_cc_exit_like(const struct li_cc_env *env, const char *tmp,
                               int status);

/* Creates the private temporary directory. Returns its path (malloc'd),
 * or NULL with errno set. */
char *li_cc_mktemp(void);

/* Replaces the process with ARGV (the compiler, untouched). */
_Noreturn void li_cc_exec(const struct li_cc_env *env, char **argv);

/* Returns 1 if wait STATUS is a normal exit with status 0. */
int li_cc_success(int status);

/*
 * Runs the instrumented compile ARGV with its stderr captured in TMP, so
 * that if it fails (a rewriter bug the original does not have) the user
 * does not see diagnostics for code they never wrote. On success the
 * captured warnings are replayed. Returns the wait status.
 */
int li_cc_run_captured(const struct li_cc_env *env, char **argv,
                       const char *tmp, char **err_path);

/* ---- cc_argv.c (command lines) -------------------------------------- */

/*
 * Builds the compile command: the compiler command CC[0..ncc), the include
 * flags the rewriter printed for each instrumented source, -iquote for
 * each instrumented source's own directory as written (quoted includes
 * resolve as from the original, and dependency files list them the same
 * way) and, for gcc/clang, -fdebug-prefix-map from its temporary directory
 * to the original's, the arguments with each instrumented source replaced by
 * its rewritten copy, -isystem <lockinstr include>, and the runtime for a
 * link (after `-x none` when a -x language is still in effect); COLOR adds
 * -fdiagnostics-color=always (the compiler's stderr is captured, but the user's
 * is a terminal). Returns a NULL-terminated vector (malloc'd; strings
 * borrowed).
 */
char **li_cc_build(const struct li_cc_env *env, char **cc, int ncc,
                   const struct li_cc_cmd *cmd, const struct li_cc_input *in,
                   int nin, int color);

/* Returns 1 unless the command already says how to colour diagnostics. */
int li_cc_color_free(const struct li_cc_cmd *cmd);

/*
 * Builds the rewriter's command for input IN (cmd->argv[in->arg]): the
 * tool, --verbose (its log is read: see li_cc_log_lost), --print-include-flags,
 * --config, --root IN->root, --header-dir for each of the NULL-terminated
 * HDIRS, -o IN->outdir, the source, then `--` and the command's arguments that
 * are not driver-only (cmd->driver), and `-x c` for a source C only by -x (not
 * named .c). Returns a NULL-terminated vector
 * (malloc'd; strings borrowed).
 */
char **li_cc_rewriter_argv(const struct li_cc_env *env,
                           const struct li_cc_cmd *cmd,
                           const struct li_cc_input *in, char *const *hdirs);

/* ---- cc_rewrite.c (instrumenting sources) --------------------------- */

/* Prints one warning per source that was compiled without
 * instrumentation. */
void li_cc_warn_failed(const struct li_cc_cmd *cmd,
                       const struct li_cc_input *in, int nin);

/* In strict mode: reports the sources that failed and exits 1. */
void li_cc_strict_fail(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                       const struct li_cc_input *in, int nin, const char *tmp);

/* Rewrites every C input of CMD into TMP (or marks them all failed with
 * REASON when TMP could not be made). Returns 1 if any input succeeded. */
int li_cc_rewrite_all(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                      const char *tmp, struct li_cc_input *in);

/*
 * The instrumented compile failed: compiles the original command instead.
 * If that succeeds, the rewriter produced something the compiler rejects:
 * one warning per instrumented file with the first error. If it fails
 * too, the compiler's own diagnostics (of the original) are what the user
 * sees. Returns the wait status of the original compile.
 */
int li_cc_retry_original(const struct li_cc_env *env, char **cc, int ncc,
                         const struct li_cc_cmd *cmd, struct li_cc_input *in,
                         const char *err_path);

/* ---- cc_build.c (once per build) ------------------------------------ */

/*
 * For the instrumented sources of CMD that have lock calls left
 * uninstrumented: the first such compile of a build prints one warning
 * (the count, the first call's place and reason, and the file listing
 * every such source of the build), later ones of the same build only add
 * their line to that file; a compile outside any build tool warns itself.
 * See the top of cc_build.c.
 */
void li_cc_warn_lost(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                     const struct li_cc_input *in, int nin);

/* Prints the rewriter's own warnings in its log LOG ("lockinstr: ...:
 * warning: ..."), each once per build (see the top of cc_build.c). */
void li_cc_warn_once(const char *log);

/* ---- cc_deps.c (dependency files) ----------------------------------- */

/*
 * Makes the dependency file(s) the compiler wrote name the original
 * sources, and list the configuration files of the inputs (so that
 * editing one re-instruments under make). The file is -MF's, else (gcc's and
 * clang's rule for -MD) the -o path with its suffix replaced by .d, else each
 * input's basename + .d; gcc 11+ names a compile-and-link's files
 * OUTPUT-INPUT.d. Every candidate that exists is fixed; one without our paths
 * is left untouched.
 */
void li_cc_fix_deps(const struct li_cc_cmd *cmd, const struct li_cc_input *in,
                    int nin, const char *env_cwd);

#endif /* LI_CC_LAUNCHER_H */
