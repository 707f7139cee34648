/*
 * cc_rewrite.c — instrumenting a compile's C sources: each is rewritten by
 * `lockinstr` into TMP/<k> (its log and include flags beside it); a source
 * the rewriter cannot handle is compiled unchanged with one warning, or
 * stops the build in strict mode; a rewritten copy the compiler rejects
 * makes the launcher compile the original command instead.
 */
#define _GNU_SOURCE 1 /* strndup in strict C11 mode */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc_launcher.h"
#include "cc_paths.h"
#include "paths.h"

/*
 * Collects the --header-dir arguments for source SRC_ABS compiled with
 * CMD from ROOT (see cc_paths.h): the command's own include directories
 * outside the root (unless $LOCKINSTR_CC_ROOT fixed the project), and
 * $LOCKINSTR_CC_HEADER_DIRS (colon-separated). Returns a vector for
 * li_cc_free_vec.
 */
static char **li_cc_collect_header_dirs(const struct li_cc_env *env,
                                        const struct li_cc_cmd *cmd,
                                        const char *src_abs, const char *root) {
  char **dirs = NULL, *top = NULL;
  const char *skip[4];
  const char *extra = getenv("LOCKINSTR_CC_HEADER_DIRS");
  int n = 0, k = 0;
  if (env->include)
    skip[k++] = env->include;
  if (!li_path_under(src_abs, env->cwd)) {
    /* an out-of-tree build: the working directory is (in) the build tree,
     * whose generated headers are not the project's own */
    skip[k++] = env->cwd;
    top = li_cc_cmake_top(env->cwd);
    if (top)
      skip[k++] = top;
  }
  skip[k] = NULL;
  if (!env->root_env)
    n = li_cc_header_dirs(cmd->argc, cmd->argv, env->cwd, root, skip, &dirs);
  else
    dirs = calloc(1, sizeof *dirs);
  if (n < 0 || !dirs)
    li_cc_die("out of memory");
  while (extra && *extra) {
    size_t len = strcspn(extra, ":");
    char **nd = realloc(dirs, (size_t)(n + 2) * sizeof *dirs);
    char *one = strndup(extra, len);
    if (!nd || !one)
      li_cc_die("out of memory");
    dirs = nd;
    if (len) {
      dirs[n++] = li_path_abs(one, env->cwd);
      if (!dirs[n - 1])
        li_cc_die("out of memory");
    }
    dirs[n] = NULL;
    free(one);
    extra += len + (extra[len] == ':');
  }
  free(top);
  return dirs;
}

/* Sets IN's paths for source SRC_ABS, the K-th of the command, rewritten
 * into TMP/<k>: its root, its directory as written, its output directory
 * and rewritten copy, and its debug-prefix maps. */
static void li_cc_plan_input(const struct li_cc_env *env,
                             const struct li_cc_cmd *cmd, const char *tmp,
                             int k, struct li_cc_input *in,
                             const char *src_abs) {
  const char *src = cmd->argv[in->arg];
  char num[16], *dir = li_path_dir(src_abs), *top = li_cc_project_top(dir);
  snprintf(num, sizeof num, "%d", k);
  in->root = li_cc_pick_root(env->root_env, env->cwd, top, src_abs);
  in->config = env->config ? li_cc_cat(env->config, NULL, NULL, NULL)
                           : li_cc_config_for(dir);
  free(top);
  free(dir);
  in->qdir = li_cc_cat(src, NULL, NULL, NULL);
  if (strrchr(in->qdir, '/') == in->qdir)
    in->qdir[1] = '\0'; /* "/x.c" -> "/" */
  else if (strrchr(in->qdir, '/'))
    *strrchr(in->qdir, '/') = '\0';
  else
    memcpy(in->qdir, ".", 2); /* src has at least one character */
  in->outdir = li_cc_cat(tmp, "/", num, NULL);
  /* the rewriter writes OUTDIR/<source relative to the root> */
  in->out = li_cc_cat(in->outdir, "/",
                      src_abs + strlen(in->root) + (strcmp(in->root, "/") != 0),
                      NULL);
  in->map = li_cc_cat("-fdebug-prefix-map=", in->outdir, "=", in->root);
  in->absmap = li_cc_cat("-fdebug-prefix-map=", in->outdir, "/_abs=", NULL);
}

/* Opens PATH for writing (a log beside the rewritten copy), or dies. */
static int li_cc_open_log(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    li_cc_die(path);
  return fd;
}

/*
 * Runs the rewriter on input IN (cmd->argv[in->arg]) with the command's
 * own flags into IN->outdir, with the root and header directories of
 * cc_paths.h, so that the project's headers are instrumented into
 * IN->outdir too. Sets IN->ok and IN->incflags (the include flags the
 * rewriter printed for the compile), or IN->reason on failure.
 */
static void li_cc_rewrite_one(const struct li_cc_env *env,
                              const struct li_cc_cmd *cmd, const char *tmp,
                              int k, struct li_cc_input *in) {
  char *src_abs = li_path_abs(cmd->argv[in->arg], env->cwd);
  char *log, *flags_file, *line, **hdirs, *why, **rv;
  int fd, ffd, status;
  li_cc_plan_input(env, cmd, tmp, k, in, src_abs);
  hdirs = li_cc_collect_header_dirs(env, cmd, src_abs, in->root);
  rv = li_cc_rewriter_argv(env, cmd, in, hdirs);
  log = li_cc_cat(in->outdir, ".log", NULL, NULL);
  flags_file = li_cc_cat(in->outdir, ".flags", NULL, NULL);
  if (env->verbose)
    li_cc_trace("rewrite", rv);
  fd = li_cc_open_log(log);
  ffd = li_cc_open_log(flags_file);
  why = li_cc_tool_problem(env->tool);
  status = why ? 0 : li_cc_run(rv, ffd, fd);
  close(fd);
  close(ffd);
  in->ok = !why && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           li_cc_exists(in->out, 0);
  if (in->ok) {
    in->lost = li_cc_log_lost(log, &in->lost_first);
    line = li_cc_read_line(flags_file);
    if (li_cc_split_words(line, &in->incflags) < 0)
      li_cc_die("out of memory");
    free(line);
  } else {
    in->reason = why ? why : li_cc_log_reason(log);
  }
  if (!why && env->verbose)
    li_cc_dump_log(log); /* also each call left uninstrumented */
  else if (!why && !in->ok && env->strict)
    li_cc_dump_diags(log);
  else if (!why)
    li_cc_warn_once(log); /* a configuration's warnings */
  li_cc_free_vec(hdirs);
  free(src_abs);
  free(flags_file);
  free(log);
  free(rv);
}

void li_cc_warn_failed(const struct li_cc_cmd *cmd,
                       const struct li_cc_input *in, int nin) {
  int j;
  for (j = 0; j < nin; j++)
    if (!in[j].ok)
      fprintf(stderr,
              LI_CC_ME ": warning: %s: not instrumented, compiled unchanged "
                       "(%s)\n",
              cmd->argv[in[j].arg], in[j].reason);
}

void li_cc_strict_fail(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                       const struct li_cc_input *in, int nin, const char *tmp) {
  int j, failed = 0;
  for (j = 0; j < nin; j++)
    if (!in[j].ok) {
      fprintf(stderr,
              LI_CC_ME ": error: %s: could not be instrumented (strict "
                       "mode): %s\n",
              cmd->argv[in[j].arg], in[j].reason);
      failed = 1;
    }
  if (failed) {
    li_cc_cleanup(env, tmp);
    exit(1);
  }
}

int li_cc_rewrite_all(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                      const char *tmp, struct li_cc_input *in) {
  int j, ok = 0;
  for (j = 0; j < cmd->n_c_inputs && !li_cc_signal; j++) {
    in[j].arg = cmd->c_inputs[j];
    if (!tmp) {
      in[j].reason = li_cc_cat(
          "cannot create a temporary directory: ", strerror(errno), NULL, NULL);
      continue;
    }
    li_cc_rewrite_one(env, cmd, tmp, j, &in[j]);
    if (in[j].ok && !env->include) {
      in[j].ok = 0;
      in[j].reason = li_cc_cat("lockinstr headers not found; set "
                               "LOCKINSTR_PREFIX",
                               NULL, NULL, NULL);
    }
    ok |= in[j].ok;
  }
  return ok;
}

int li_cc_retry_original(const struct li_cc_env *env, char **cc, int ncc,
                         const struct li_cc_cmd *cmd, struct li_cc_input *in,
                         const char *err_path) {
  char **argv;
  int j, status;
  char *reason = li_cc_log_reason(err_path);
  for (j = 0; j < cmd->n_c_inputs; j++)
    if (in[j].ok) {
      in[j].ok = 0;
      in[j].reason = li_cc_cat(
          "the instrumented file did not compile: ", reason, NULL, NULL);
    }
  free(reason);
  argv = li_cc_build(env, cc, ncc, cmd, in, cmd->n_c_inputs, 0);
  if (env->verbose)
    li_cc_trace("retry unchanged", argv);
  status = li_cc_run(argv, -1, -1);
  free(argv);
  return status;
}
