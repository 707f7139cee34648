/*
 * run_depfile.c — --depfile: a Make-syntax dependency file for the single
 * input (depfile.h writes the text), checked against the input and output
 * before any work and written last, only when everything else was.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "depfile.h"
#include "output.h"
#include "paths.h"
#include "run.h"
#include "text.h"

int li_check_depfile_clash(const struct li_run *r) {
  if (!r->opt.depfile || r->n != 1)
    return 0;
  const struct li_input *in = &r->in[0];
  char *abs = li_path_abs(r->opt.depfile, NULL);
  int input = strcmp(abs, in->abs) == 0 || li_path_same_file(abs, in->abs);
  int output = in->out_abs && strcmp(abs, in->out_abs) == 0;
  free(abs);
  if (!input && !output)
    return 0;
  fprintf(stderr,
          "lockinstr: %s: error: refusing to write the dependency "
          "file over the %s\n",
          r->opt.depfile, input ? "input" : "output");
  return EXIT_USAGE;
}

/* Returns the path of the configuration file cfg was loaded from, or NULL
 * (no file: the command line's alone). */
static const char *config_path(const struct li_run *r,
                               const struct li_config *cfg) {
  for (size_t i = 0; i < r->nconfs; i++)
    if (&r->confs[i]->cfg == cfg)
      return r->confs[i]->abs;
  return NULL;
}

/* Writes the dependency file of the single input (--depfile): target the
 * output's absolute path (or --depfile-target), prerequisites the input,
 * its configuration file and every file its parse read. Call only when
 * the input and the header copies were written. Returns 0, or 1 after
 * printing the error (nothing is written then). */
int li_write_depfile(struct li_run *r) {
  const struct li_input *in = &r->in[0];
  assert(r->n == 1 && in->out_abs && !in->error);
  const char **deps = li_xmalloc((in->res.ndeps + 2) * sizeof *deps);
  size_t n = 0;
  deps[n++] = in->abs;
  if (config_path(r, in->cfg))
    deps[n++] = config_path(r, in->cfg);
  for (size_t i = 0; i < in->res.ndeps; i++)
    deps[n++] = in->res.deps[i];
  const char *target =
      r->opt.depfile_target ? r->opt.depfile_target : in->out_abs;
  char *text, *abs = li_path_abs(r->opt.depfile, NULL);
  size_t len;
  const char *bad;
  int rc = li_depfile_text(target, deps, n, &text, &len, &bad);
  if (rc != 0) {
    struct li_buf b = {0};
    li_buf_cstr(&b, bad, strlen(bad));
    fprintf(stderr,
            "lockinstr: %s: error: cannot write the dependency file %s: "
            "\"%s\" cannot be named in a Make rule (a newline)\n",
            in->job.path, r->opt.depfile, b.s ? b.s : "");
    li_buf_free(&b);
  } else {
    rc = li_write_atomic(abs, text, len);
    if (rc != 0)
      fprintf(stderr, "lockinstr: %s: error: cannot write %s: %s\n",
              in->job.path, r->opt.depfile, strerror(-rc));
  }
  free(text);
  free(abs);
  free(deps);
  return rc != 0;
}
