/*
 * plan.c — before any rewrite: every input's absolute path, its output
 * path (OUTDIR/<path relative to the root>), its compiler flags (after
 * `--`, or from compile_commands.json with -p) and its configuration file,
 * and the callbacks with which the rewrite asks which headers are the
 * project's. Errors found here are kept on the input and printed in
 * order by summary.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "run.h"
#include "text.h"

#ifndef LI_CLANG_RESOURCE_DIR
#define LI_CLANG_RESOURCE_DIR ""
#endif

static int abs_cmp(const void *a, const void *b) {
  return strcmp((*(struct li_input *const *)a)->abs,
                (*(struct li_input *const *)b)->abs);
}

static struct li_input *find_input(struct li_run *r, const char *abs) {
  struct li_input key = {.abs = (char *)abs}, *kp = &key;
  struct li_input **hit =
      bsearch(&kp, r->by_abs, r->n, sizeof *r->by_abs, abs_cmp);
  return hit ? *hit : NULL;
}

static int is_input_cb(const char *abs, void *arg) {
  return find_input(arg, abs) != NULL;
}

/* Quoted includes point at an input's output, or a project header's
 * copy. */
static char *project_header_cb(const char *abs, void *arg);

char *li_include_target(const char *header_abs, void *arg) {
  struct li_run *r = arg;
  struct li_input *in = find_input(r, header_abs);
  if (in)
    return li_xstrdup(in->out_abs ? in->out_abs : header_abs);
  /* an excluded header has no copy: the original */
  char *name = r->proj.outdir ? project_header_cb(header_abs, r) : NULL;
  char *t = name ? li_path_abs(name, r->proj.outdir) : li_xstrdup(header_abs);
  free(name);
  return t;
}

/* Returns 1 if header abs matches an exclusion of the configuration in
 * use nearest to it (with --config: that one), or else of the command
 * line. Read-only: safe on the worker threads. */
static int header_excluded(const struct li_run *r, const char *abs) {
  const struct li_config *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < r->nconfs; i++) {
    const struct li_conf *c = r->confs[i];
    char *dir = c->abs ? li_path_dir(c->abs) : NULL;
    size_t n = dir ? strlen(dir) : 0;
    int applies = r->opt.config || !dir || li_path_under(abs, dir);
    if (applies && (!best || n > best_len)) {
      best = &c->cfg;
      best_len = n;
    }
    free(dir);
  }
  if (best)
    return li_config_excluded_path(best, abs) != NULL;
  if (r->nconfs == 0) /* every configuration has the command line's part */
    return 0;
  const struct li_config *any = &r->confs[0]->cfg;
  for (size_t i = 0; i < any->npaths; i++) {
    const struct li_exclude *e = &any->paths[i];
    struct li_config one = {.paths = (struct li_exclude *)e, .npaths = 1};
    if (strcmp(e->origin, "--exclude") == 0 &&
        li_config_excluded_path(&one, abs))
      return 1;
  }
  return 0;
}

static char *project_header_cb(const char *abs, void *arg) {
  struct li_run *r = arg;
  if (find_input(r, abs) || header_excluded(r, abs))
    return NULL;
  return li_project_name(&r->proj, abs);
}

/* -p without files: takes the database's C files as the inputs. */
static void db_inputs(struct li_run *r, const struct li_compdb *db) {
  char **abs;
  size_t n = li_compdb_c_files(db, &abs, stderr, r->opt.quiet);
  r->db_files = li_xmalloc((n + 1) * sizeof *r->db_files);
  for (size_t i = 0; i < n; i++) {
    r->db_files[i] = li_path_display(abs[i]);
    free(abs[i]);
  }
  free(abs);
  r->ndb_files = n;
  r->opt.files = li_xrealloc(r->opt.files, (n + 1) * sizeof *r->opt.files);
  memcpy(r->opt.files, r->db_files, n * sizeof *r->db_files);
  r->opt.nfiles = n;
}

/* Sets in->error if the input is not a regular file (a symlink to one is
 * fine: it is read through, and mirrored under its own name). */
static void check_input(struct li_input *in) {
  struct stat st;
  if (stat(in->abs, &st) != 0)
    in->error = li_xasprintf("lockinstr: %s: error: cannot open: %s\n",
                             in->job.path, strerror(errno));
  else if (S_ISDIR(st.st_mode))
    in->error =
        li_xasprintf("lockinstr: %s: error: is a directory\n", in->job.path);
  else if (!S_ISREG(st.st_mode))
    in->error = li_xasprintf("lockinstr: %s: error: not a regular file\n",
                             in->job.path);
}

/*
 * Checks the output directory ABS (spelled SHOWN on the command line)
 * before any work: an existing path that is not a directory, or a
 * directory this process may not write, is one error instead of one per
 * input. A missing directory is fine (it is created as outputs are
 * written). Returns 0, or 1 after printing the error.
 */
static int check_outdir(const char *abs, const char *shown) {
  struct stat st;
  if (stat(abs, &st) != 0)
    return 0;
  if (!S_ISDIR(st.st_mode)) {
    fprintf(stderr,
            "lockinstr: %s: error: output directory is not a directory\n",
            shown);
    return 1;
  }
  if (access(abs, W_OK | X_OK) != 0) {
    fprintf(stderr,
            "lockinstr: %s: error: cannot write to the output directory: "
            "%s\n",
            shown, strerror(errno));
    return 1;
  }
  return 0;
}

/* Sets in->out_abs, or in->error. */
static void plan_output(struct li_run *r, struct li_input *in, const char *root,
                        const char *outdir) {
  if (!li_path_under(in->abs, root) || strcmp(in->abs, root) == 0) {
    in->error = li_xasprintf("lockinstr: %s: error: not under the root %s "
                             "(use --root)\n",
                             in->job.path, root);
    return;
  }
  char *rel = li_path_rel(root, in->abs);
  in->out_abs = li_xasprintf("%s/%s", outdir, rel);
  free(rel);
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(in->out_abs, r->in[i].abs) == 0 ||
        li_path_same_file(in->out_abs, r->in[i].abs)) {
      in->error = li_xasprintf("lockinstr: %s: error: refusing to write over "
                               "the input %s\n",
                               in->job.path, r->in[i].job.path);
      return;
    }
}

/* Sets the compiler flags and working directory of in, or in->error. */
static void plan_flags(struct li_run *r, struct li_input *in,
                       const struct li_compdb *db) {
  const struct li_options *o = &r->opt;
  if (db) {
    const struct li_compdb_entry *e = li_compdb_find(db, in->abs);
    if (!e) {
      in->error = li_xasprintf("lockinstr: %s: error: no entry in %s/"
                               "compile_commands.json\n",
                               in->job.path, o->builddir);
      return;
    }
    li_filter_flags(e->argv.v + 1, e->argv.n ? e->argv.n - 1 : 0, &in->flags);
    in->workdir = li_xstrdup(e->directory);
  } else {
    in->workdir = li_path_abs(".", NULL);
  }
  li_filter_flags(o->cc_flags, o->ncc_flags, &in->flags);
  li_absolute_flags(&in->flags, in->workdir);
}

/* ---- configuration ----------------------------------------------------- */

/* Makes the command line's own configuration: its exclusions. Path globs
 * are relative to the root (an absolute glob to "/"). */
static void cli_config(const struct li_options *o, const char *root,
                       struct li_config *cli) {
  memset(cli, 0, sizeof *cli);
  cli->sample_rate = -1;
  for (size_t i = 0; i < o->nexcludes; i++) {
    const char *g = o->excludes[i];
    int fn = o->exclude_fn[i];
    li_config_add_exclude(cli, fn, g,
                          fn            ? NULL
                          : g[0] == '/' ? "/"
                                        : root,
                          fn ? "--exclude-function" : "--exclude");
  }
}

/* Returns the configuration of file abs (NULL: none), loading it on first
 * use; parse errors are appended to *err. */
static const struct li_config *conf_get(struct li_run *r, const char *abs,
                                        const struct li_config *cli,
                                        struct li_buf *err) {
  for (size_t i = 0; i < r->nconfs; i++)
    if (abs ? r->confs[i]->abs && strcmp(r->confs[i]->abs, abs) == 0
            : !r->confs[i]->abs)
      return &r->confs[i]->cfg;
  struct li_config file;
  int has_file = abs != NULL;
  if (abs) {
    char *shown =
        r->opt.config ? li_xstrdup(r->opt.config) : li_path_display(abs);
    li_config_load(shown, abs, &file, err);
    free(shown);
  }
  r->confs = li_xrealloc(r->confs, (r->nconfs + 1) * sizeof *r->confs);
  struct li_conf *c = li_xmalloc(sizeof *c);
  r->confs[r->nconfs++] = c;
  c->abs = abs ? li_xstrdup(abs) : NULL;
  li_config_merge(has_file ? &file : NULL, cli, &c->cfg);
  if (has_file)
    li_config_free(&file);
  return &c->cfg;
}

/* Finds, loads and applies the configuration of every input. Returns 0,
 * or EXIT_USAGE after printing the errors of a bad configuration file. */
static int plan_configs(struct li_run *r, const char *root) {
  struct li_config cli;
  struct li_buf err = {0};
  cli_config(&r->opt, root, &cli);
  char *given = r->opt.config ? li_path_abs(r->opt.config, NULL) : NULL;
  for (size_t i = 0; i < r->n; i++) {
    struct li_input *in = &r->in[i];
    char *abs = NULL;
    if (given)
      abs = li_xstrdup(given);
    else if (!r->opt.no_config) {
      char *dir = li_path_dir(in->abs);
      abs = li_config_find(dir);
      free(dir);
    }
    in->cfg = conf_get(r, abs, &cli, &err);
    in->excl = li_config_excluded_path(in->cfg, in->abs);
    free(abs);
  }
  free(given);
  li_config_free(&cli);
  if (!err.n)
    return 0;
  fputs(err.s, stderr);
  li_buf_free(&err);
  return EXIT_USAGE;
}

/* Fills r->in and r->by_abs from the file list, by_abs sorted by absolute
 * path; a file given twice is marked duplicate (the first is kept for
 * lookups). */
static void index_inputs(struct li_run *r) {
  const struct li_options *o = &r->opt;
  r->n = o->nfiles;
  r->in = calloc(r->n, sizeof *r->in);
  r->by_abs = li_xmalloc((r->n + 1) * sizeof *r->by_abs);
  for (size_t i = 0; i < r->n; i++) {
    r->in[i].job.path = o->files[i];
    r->in[i].abs = li_path_abs(o->files[i], NULL);
    r->by_abs[i] = &r->in[i];
  }
  qsort(r->by_abs, r->n, sizeof *r->by_abs, abs_cmp);
  for (size_t i = 1; i < r->n; i++) /* a file given twice is done once */
    if (strcmp(r->by_abs[i - 1]->abs, r->by_abs[i]->abs) == 0) {
      struct li_input *a = r->by_abs[i - 1], *b = r->by_abs[i];
      (a < b ? b : a)->duplicate = 1;
      if (a < b)
        r->by_abs[i] = a; /* keep the first for lookups */
    }
}

/* Fills the job a worker runs for input in from what was planned. */
static void fill_job(struct li_run *r, struct li_input *in) {
  struct li_job *j = &in->job;
  j->abs = in->abs;
  j->out_abs = in->out_abs;
  j->workdir = in->workdir;
  j->flags = in->flags.v;
  j->nflags = in->flags.n;
  j->resource_dir = LI_CLANG_RESOURCE_DIR;
  j->include_target = li_include_target;
  j->include_arg = r;
  j->is_input = is_input_cb;
  j->project_header = project_header_cb;
  j->config = in->cfg;
  j->excluded = in->excl != NULL;
  j->want_deps = r->opt.depfile != NULL;
}

/* Plans every input under root (absolute) into outdir (absolute, or NULL
 * for a check-only run), with flags from db (NULL without -p). Returns 0
 * or an exit status. */
static int plan_inputs(struct li_run *r, const struct li_compdb *db,
                       const char *root, const char *outdir) {
  if (db && r->opt.nfiles == 0)
    db_inputs(r, db);
  r->proj = (struct li_project){li_xstrdup(root), r->opt.header_dirs,
                                r->opt.nheader_dirs,
                                outdir ? li_xstrdup(outdir) : NULL};
  index_inputs(r);
  int rc = plan_configs(r, root);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < r->n; i++) {
    struct li_input *in = &r->in[i];
    check_input(in);
    if (outdir && !in->error)
      plan_output(r, in, root, outdir);
    if (!in->error)
      plan_flags(r, in, db);
    fill_job(r, in);
  }
  return 0;
}

/* Fills r->in from the options. Returns 0 or an exit status. */
int li_plan(struct li_run *r) {
  const struct li_options *o = &r->opt;
  struct li_compdb db;
  if (o->builddir) {
    char *err;
    if (li_compdb_load(o->builddir, &db, &err) != 0) {
      fprintf(stderr, "lockinstr: %s\n", err);
      free(err);
      return 1;
    }
  }
  char *root = li_path_abs(o->root ? o->root : ".", NULL);
  char *outdir = o->outdir ? li_path_abs(o->outdir, NULL) : NULL;
  int rc = 1;
  if (!outdir || check_outdir(outdir, o->outdir) == 0)
    rc = plan_inputs(r, o->builddir ? &db : NULL, root, outdir);
  if (o->builddir)
    li_compdb_free(&db);
  free(root);
  free(outdir);
  return rc;
}
