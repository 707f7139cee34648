/*
 * cc_argv.c — the command lines lockinstr-cc builds: the rewriter's (one
 * per source, with the command's own flags after `--`) and the compiler's
 * (the rewritten copies in place of the sources, the instrumented headers'
 * include flags first, the runtime for a link). Pure: unit-tested in
 * tests/unit/test_cc_args.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc_launcher.h"

/* An argument vector under construction. */
struct li_cc_argv {
  char **v;
  int n;
};

static void li_cc_push(struct li_cc_argv *a, char *s) {
  a->v[a->n++] = s;
}

/* Appends what the link of CMD needs for the runtime (LOCKINSTR_CC_LINK).
 * The archive is an input file: after a `-x c` still in effect the driver
 * would read it as C source, so `-x none` goes first. */
static void li_cc_add_runtime(const struct li_cc_env *env,
                              const struct li_cc_cmd *cmd,
                              struct li_cc_argv *a) {
  const char *how = getenv("LOCKINSTR_CC_LINK");
  if (how && strcmp(how, "none") == 0)
    return;
  if (how && strcmp(how, "shared") == 0 && env->shared_lib) {
    char *dir = li_cc_cat(env->shared_lib, NULL, NULL, NULL);
    *strrchr(dir, '/') = '\0';
    li_cc_push(a, li_cc_cat("-L", dir, NULL, NULL));
    li_cc_push(a, li_cc_cat("-Wl,-rpath,", dir, NULL, NULL));
    free(dir);
    li_cc_push(a, "-llockinstr");
  } else if (env->static_lib) {
    if (cmd->x_lang) {
      li_cc_push(a, "-x");
      li_cc_push(a, "none");
    }
    li_cc_push(a, env->static_lib);
  } else {
    fprintf(stderr,
            LI_CC_ME ": warning: liblockinstr not found (set "
                     "LOCKINSTR_PREFIX); linking without the runtime\n");
    return;
  }
  li_cc_push(a, "-lpthread");
  li_cc_push(a, "-lm");
}

char **li_cc_build(const struct li_cc_env *env, char **cc, int ncc,
                   const struct li_cc_cmd *cmd, const struct li_cc_input *in,
                   int nin, int color) {
  struct li_cc_argv a;
  int i, j, any = 0, nflags = 0;
  char **f;
  for (j = 0; j < nin; j++)
    for (f = in[j].ok ? in[j].incflags : NULL; f && *f; f++)
      nflags++;
  a.v = calloc((size_t)(ncc + cmd->argc + 4 * nin + nflags + 16), sizeof *a.v);
  a.n = 0;
  if (!a.v)
    li_cc_die("out of memory");
  for (i = 0; i < ncc; i++)
    li_cc_push(&a, cc[i]);
  if (color)
    li_cc_push(&a, "-fdiagnostics-color=always");
  /* the instrumented headers' directories first: their copies must win
   * over the originals found through the command's own -I */
  for (j = 0; j < nin; j++)
    for (f = in[j].ok ? in[j].incflags : NULL; f && *f; f++)
      li_cc_push(&a, *f);
  for (j = 0; j < nin; j++)
    if (in[j].ok) {
      li_cc_push(&a, "-iquote");
      li_cc_push(&a, in[j].qdir);
      if (env->gnu) { /* gcc: the last matching map wins; clang: the longest */
        li_cc_push(&a, in[j].map);
        li_cc_push(&a, in[j].absmap);
      }
      any = 1;
    }
  for (i = 0; i < cmd->argc; i++) {
    char *arg = cmd->argv[i];
    for (j = 0; j < nin; j++)
      if (in[j].ok && in[j].arg == i)
        arg = in[j].out;
    li_cc_push(&a, arg);
  }
  if (any) {
    li_cc_push(&a, "-isystem");
    li_cc_push(&a, env->include);
  }
  if (cmd->mode == LI_CC_LINK && !cmd->no_runtime)
    li_cc_add_runtime(env, cmd, &a);
  a.v[a.n] = NULL;
  return a.v;
}

int li_cc_color_free(const struct li_cc_cmd *cmd) {
  int i;
  for (i = 0; i < cmd->argc; i++)
    if (strstr(cmd->argv[i], "diagnostics-color") ||
        strstr(cmd->argv[i], "color-diagnostics"))
      return 0; /* the user decided */
  return 1;
}

char **li_cc_rewriter_argv(const struct li_cc_env *env,
                           const struct li_cc_cmd *cmd,
                           const struct li_cc_input *in, char *const *hdirs) {
  int n = 0, i, nh = 0;
  char **rv;
  while (hdirs && hdirs[nh])
    nh++;
  rv = calloc((size_t)cmd->argc + 16 + 2 * (size_t)nh, sizeof *rv);
  if (!rv)
    li_cc_die("out of memory");
  rv[n++] = env->tool;
  rv[n++] = "--verbose"; /* the notes on calls left uninstrumented */
  rv[n++] = "--print-include-flags";
  if (env->config) {
    rv[n++] = "--config";
    rv[n++] = env->config;
  }
  rv[n++] = "--root";
  rv[n++] = in->root;
  for (i = 0; i < nh; i++) {
    rv[n++] = "--header-dir";
    rv[n++] = hdirs[i];
  }
  rv[n++] = "-o";
  rv[n++] = in->outdir;
  rv[n++] = cmd->argv[in->arg];
  rv[n++] = "--";
  for (i = 0; i < cmd->argc; i++)
    if (!cmd->driver[i])
      rv[n++] = cmd->argv[i];
  if (!li_cc_is_c_suffix(cmd->argv[in->arg])) {
    rv[n++] = "-x"; /* C by `-x c`, not by its name: libclang must know */
    rv[n++] = "c";
  }
  rv[n] = NULL;
  return rv;
}
