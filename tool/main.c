/*
 * main.c — the `lockinstr` command: the rewriter's driver, and the
 * dispatcher of `lockinstr report`.
 *
 *   lockinstr [options] FILE... -o OUTDIR [-- COMPILER FLAGS]
 *   lockinstr report ...
 *
 * Works out, for every input, its output path (OUTDIR/<path relative to the
 * root>), its compiler flags (after `--`, or from compile_commands.json with
 * -p), then rewrites the files on N threads (one CXIndex each), writing each
 * output atomically, and finally prints, in input order, the diagnostics,
 * the notes about calls not instrumented, the sites (--list-sites) and a
 * summary. With --depfile (one input only), a Make-syntax dependency file
 * naming every file the rewrite read is written last, and only if
 * everything else was (depfile.h). Exit status: 0 all files written, 1 a
 * file failed, 2 usage.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apis.h"
#include "batch.h"
#include "config.h"
#include "custom.h"
#include "depfile.h"
#include "flags.h"
#include "lockinstr_site.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "rewrite.h"

#ifndef LI_VERSION
#define LI_VERSION "0.0.0"
#endif
#ifndef LI_CLANG_RESOURCE_DIR
#define LI_CLANG_RESOURCE_DIR ""
#endif

enum { EXIT_USAGE = 2 };

#ifndef LI_THREAD_STACK
#define LI_THREAD_STACK (16u << 20) /* bytes of stack per worker thread */
#endif

struct options {
  const char *outdir;
  const char *root;
  const char *builddir; /* -p */
  int jobs;
  int list_sites, verbose, quiet;
  char **files;
  size_t nfiles;
  char **cc_flags; /* after -- */
  size_t ncc_flags;
  char **header_dirs; /* --header-dir DIR (absolute) */
  size_t nheader_dirs;
  int print_include_flags;
  const char *config; /* --config FILE */
  int no_config;      /* --no-config */
  char **excludes;    /* --exclude GLOB, --exclude-function NAME: */
  int *exclude_fn;    /* ... 1 for a function */
  size_t nexcludes;
  const char *depfile;        /* --depfile FILE */
  const char *depfile_target; /* --depfile-target NAME */
};

/* One input file and what happened to it. */
struct input {
  struct li_job job;
  char *abs, *out_abs, *workdir;
  struct li_argv flags;
  char *error; /* set before rewriting: the file is not processed */
  int write_failed;
  int duplicate;               /* the same file as an earlier input: skipped */
  const struct li_config *cfg; /* its configuration (merged with CLI) */
  const struct li_exclude *excl; /* the exclusion matching it, or NULL */
  struct li_result res;
};

/* A configuration file in use, merged with the command line's exclusions;
 * path NULL: no file (the command line's alone). */
struct conf {
  char *abs;
  struct li_config cfg;
};

struct run {
  struct options opt;
  struct input *in;
  size_t n;
  struct input **by_abs; /* sorted by abs, for lookups */
  size_t next;           /* next input to take (under lock) */
  pthread_mutex_t lock;
  struct li_project proj;  /* which headers are the project's */
  struct li_headers hdrs;  /* their copies */
  struct li_progress prog; /* under lock */
  char **db_files;         /* -p without files: the database's C files */
  size_t ndb_files;
  struct conf **confs; /* distinct configurations in use; each allocated
                          alone: inputs point at their cfg */
  size_t nconfs;
};

static void usage(FILE *f) {
  fputs(
      "usage: lockinstr [options] FILE... -o OUTDIR [-- COMPILER FLAGS]\n"
      "       lockinstr [options] -p BUILDDIR -o OUTDIR   (every C file)\n"
      "       lockinstr report [options] PROFILE...\n"
      "\n"
      "Rewrites the lock calls of C files so that they go through lockinstr's\n"
      "instrumented wrappers; each FILE is written to OUTDIR at its path\n"
      "relative to the root. Compile the output with -I<lockinstr>/include\n"
      "and link it with liblockinstr.\n"
      "\n"
      "options:\n"
      "  -o OUTDIR        where to write the instrumented files\n"
      "  --root DIR       inputs are mirrored by their path relative to DIR\n"
      "                   (default: the current directory)\n"
      "  -p BUILDDIR      take each file's flags from "
      "BUILDDIR/compile_commands.json\n"
      "  -j N             rewrite N files at a time (default: all cores)\n"
      "  --header-dir DIR headers under DIR are the project's too (besides\n"
      "                   those under the root): instrumented into OUTDIR\n"
      "  --print-include-flags\n"
      "                   print, per input, the -I flags that put the\n"
      "                   instrumented headers first\n"
      "  --config FILE    use this configuration file for every input\n"
      "                   (default: the nearest " LI_CONFIG_NAME " above each "
      "input)\n"
      "  --no-config      use no configuration file\n"
      "  --exclude GLOB   copy matching files unchanged (relative to the "
      "root)\n"
      "  --exclude-function NAME\n"
      "                   leave the lock calls in these functions alone\n"
      "  --depfile FILE   also write a Make-syntax dependency file (like gcc\n"
      "                   -MD -MF FILE): the output depends on the input, its\n"
      "                   configuration file and every header it includes;\n"
      "                   one input file only\n"
      "  --depfile-target NAME\n"
      "                   the rule's target in the dependency file\n"
      "                   (default: the output file's absolute path)\n"
      "  --list-sites     print the sites as JSON on stdout\n"
      "  --list-apis      print the supported lock APIs (markdown) and exit\n"
      "  --verbose        list every call not instrumented, and each file\n"
      "  --quiet          print errors only\n"
      "  --help           this text\n"
      "  --version        the version\n"
      "\n"
      "See docs/rewriter.md. Exit status: 0 ok, 1 a file failed, 2 usage.\n",
      f);
}

/* Records --exclude / --exclude-function. */
static void add_exclude(struct options *o, const char *glob, int fn) {
  o->excludes =
      li_xrealloc(o->excludes, (o->nexcludes + 1) * sizeof *o->excludes);
  o->exclude_fn =
      li_xrealloc(o->exclude_fn, (o->nexcludes + 1) * sizeof *o->exclude_fn);
  o->excludes[o->nexcludes] = (char *)glob;
  o->exclude_fn[o->nexcludes++] = fn;
}

/* Parses the command line into o. Returns 0, or an exit status. */
static int parse_options(int argc, char **argv, struct options *o) {
  enum {
    O_ROOT = 256,
    O_LIST_SITES,
    O_LIST_APIS,
    O_VERBOSE,
    O_QUIET,
    O_HELP,
    O_VERSION,
    O_HEADER_DIR,
    O_PRINT_INCLUDE_FLAGS,
    O_CONFIG,
    O_NO_CONFIG,
    O_EXCLUDE,
    O_EXCLUDE_FN,
    O_DEPFILE,
    O_DEPFILE_TARGET
  };
  static const struct option longs[] = {
      {"root", required_argument, NULL, O_ROOT},
      {"list-sites", no_argument, NULL, O_LIST_SITES},
      {"list-apis", no_argument, NULL, O_LIST_APIS},
      {"verbose", no_argument, NULL, O_VERBOSE},
      {"quiet", no_argument, NULL, O_QUIET},
      {"help", no_argument, NULL, O_HELP},
      {"version", no_argument, NULL, O_VERSION},
      {"header-dir", required_argument, NULL, O_HEADER_DIR},
      {"print-include-flags", no_argument, NULL, O_PRINT_INCLUDE_FLAGS},
      {"config", required_argument, NULL, O_CONFIG},
      {"no-config", no_argument, NULL, O_NO_CONFIG},
      {"exclude", required_argument, NULL, O_EXCLUDE},
      {"exclude-function", required_argument, NULL, O_EXCLUDE_FN},
      {"depfile", required_argument, NULL, O_DEPFILE},
      {"depfile-target", required_argument, NULL, O_DEPFILE_TARGET},
      {NULL, 0, NULL, 0}};
  for (int i = 1; i < argc; i++) /* everything after -- is the compiler's */
    if (strcmp(argv[i], "--") == 0) {
      o->cc_flags = argv + i + 1;
      o->ncc_flags = (size_t)(argc - i - 1);
      argc = i;
      break;
    }
  int c;
  opterr = 0; /* our own messages */
  while ((c = getopt_long(argc, argv, "+o:p:j:", longs, NULL)) != -1 ||
         optind < argc) {
    if (c == -1) { /* a file; options may follow it */
      o->files = li_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
      o->files[o->nfiles++] = argv[optind++];
      continue;
    }
    switch (c) {
    case 'o':
      o->outdir = optarg;
      break;
    case 'p':
      o->builddir = optarg;
      break;
    case 'j':
      o->jobs = atoi(optarg);
      if (o->jobs < 1) {
        fprintf(stderr, "lockinstr: error: -j needs a positive number\n");
        return EXIT_USAGE;
      }
      break;
    case O_ROOT:
      o->root = optarg;
      break;
    case O_LIST_SITES:
      o->list_sites = 1;
      break;
    case O_VERBOSE:
      o->verbose = 1;
      break;
    case O_QUIET:
      o->quiet = 1;
      break;
    case O_HEADER_DIR:
      o->header_dirs = li_xrealloc(o->header_dirs, (o->nheader_dirs + 1) *
                                                       sizeof *o->header_dirs);
      o->header_dirs[o->nheader_dirs++] = li_path_abs(optarg, NULL);
      break;
    case O_PRINT_INCLUDE_FLAGS:
      o->print_include_flags = 1;
      break;
    case O_CONFIG:
      o->config = optarg;
      break;
    case O_NO_CONFIG:
      o->no_config = 1;
      break;
    case O_EXCLUDE:
    case O_EXCLUDE_FN:
      add_exclude(o, optarg, c == O_EXCLUDE_FN);
      break;
    case O_DEPFILE:
      o->depfile = optarg;
      break;
    case O_DEPFILE_TARGET:
      o->depfile_target = optarg;
      break;
    case O_LIST_APIS:
      li_api_print_markdown(stdout);
      return 0;
    case O_HELP:
      usage(stdout);
      return 0;
    case O_VERSION:
      printf("lockinstr " LI_VERSION "\n");
      return 0;
    default:
      fprintf(stderr, "lockinstr: error: bad option '%s'\n", argv[optind - 1]);
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  return -1;
}

/* ---- inputs ------------------------------------------------------------ */

static int abs_cmp(const void *a, const void *b) {
  return strcmp((*(struct input *const *)a)->abs,
                (*(struct input *const *)b)->abs);
}

static struct input *find_input(struct run *r, const char *abs) {
  struct input key = {.abs = (char *)abs}, *kp = &key;
  struct input **hit =
      bsearch(&kp, r->by_abs, r->n, sizeof *r->by_abs, abs_cmp);
  return hit ? *hit : NULL;
}

static int is_input_cb(const char *abs, void *arg) {
  return find_input(arg, abs) != NULL;
}

/* Quoted includes point at an input's output, or a project header's
 * copy. */
static char *project_header_cb(const char *abs, void *arg);

static char *include_target_cb(const char *header_abs, void *arg) {
  struct run *r = arg;
  struct input *in = find_input(r, header_abs);
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
static int header_excluded(const struct run *r, const char *abs) {
  const struct li_config *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < r->nconfs; i++) {
    const struct conf *c = r->confs[i];
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
  struct run *r = arg;
  if (find_input(r, abs) || header_excluded(r, abs))
    return NULL;
  return li_project_name(&r->proj, abs);
}

/* -p without files: takes the database's C files as the inputs. */
static void db_inputs(struct run *r, const struct li_compdb *db) {
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

/* Returns 1 if a and b are the same existing file. */
static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* Sets in->error if the input is not a regular file (a symlink to one is
 * fine: it is read through, and mirrored under its own name). */
static void check_input(struct input *in) {
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
static void plan_output(struct run *r, struct input *in, const char *root,
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
        same_file(in->out_abs, r->in[i].abs)) {
      in->error = li_xasprintf("lockinstr: %s: error: refusing to write over "
                               "the input %s\n",
                               in->job.path, r->in[i].job.path);
      return;
    }
}

/* Sets the compiler flags and working directory of in, or in->error. */
static void plan_flags(struct run *r, struct input *in,
                       const struct li_compdb *db) {
  const struct options *o = &r->opt;
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
static void cli_config(const struct options *o, const char *root,
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
static const struct li_config *conf_get(struct run *r, const char *abs,
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
  struct conf *c = li_xmalloc(sizeof *c);
  r->confs[r->nconfs++] = c;
  c->abs = abs ? li_xstrdup(abs) : NULL;
  li_config_merge(has_file ? &file : NULL, cli, &c->cfg);
  if (has_file)
    li_config_free(&file);
  return &c->cfg;
}

/* Finds, loads and applies the configuration of every input. Returns 0,
 * or EXIT_USAGE after printing the errors of a bad configuration file. */
static int plan_configs(struct run *r, const char *root) {
  struct li_config cli;
  struct li_buf err = {0};
  cli_config(&r->opt, root, &cli);
  char *given = r->opt.config ? li_path_abs(r->opt.config, NULL) : NULL;
  for (size_t i = 0; i < r->n; i++) {
    struct input *in = &r->in[i];
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

/* Fills r->in from the options. Returns 0 or an exit status. */
static int plan(struct run *r) {
  const struct options *o = &r->opt;
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
  if (outdir && check_outdir(outdir, o->outdir) != 0) {
    if (o->builddir)
      li_compdb_free(&db);
    free(root);
    free(outdir);
    return 1;
  }
  if (o->builddir && o->nfiles == 0)
    db_inputs(r, &db);
  r->proj =
      (struct li_project){li_xstrdup(root), o->header_dirs, o->nheader_dirs,
                          outdir ? li_xstrdup(outdir) : NULL};
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
      struct input *a = r->by_abs[i - 1], *b = r->by_abs[i];
      (a < b ? b : a)->duplicate = 1;
      if (a < b)
        r->by_abs[i] = a; /* keep the first for lookups */
    }
  int rc = plan_configs(r, root);
  if (rc != 0) {
    if (o->builddir)
      li_compdb_free(&db);
    free(root);
    free(outdir);
    return rc;
  }
  for (size_t i = 0; i < r->n; i++) {
    struct input *in = &r->in[i];
    check_input(in);
    if (outdir && !in->error)
      plan_output(r, in, root, outdir);
    if (!in->error)
      plan_flags(r, in, o->builddir ? &db : NULL);
    struct li_job *j = &in->job;
    j->abs = in->abs;
    j->out_abs = in->out_abs;
    j->workdir = in->workdir;
    j->flags = in->flags.v;
    j->nflags = in->flags.n;
    j->resource_dir = LI_CLANG_RESOURCE_DIR;
    j->include_target = include_target_cb;
    j->include_arg = r;
    j->is_input = is_input_cb;
    j->project_header = project_header_cb;
    j->config = in->cfg;
    j->excluded = in->excl != NULL;
    j->want_deps = o->depfile != NULL;
  }
  if (o->builddir)
    li_compdb_free(&db);
  free(root);
  free(outdir);
  return 0;
}

/* ---- work -------------------------------------------------------------- */

/* Rewrites and writes one input. */
static void process(CXIndex index, struct input *in) {
  li_rewrite_file(index, &in->job, &in->res);
  if (in->res.status != LI_OK || !in->out_abs)
    return;
  int rc = li_write_atomic(in->out_abs, in->res.output, in->res.output_len);
  if (rc != 0) {
    li_buf_printf(&in->res.diag, "lockinstr: %s: error: cannot write %s: %s\n",
                  in->job.path, in->out_abs, strerror(-rc));
    in->write_failed = 1;
  }
}

static void *worker(void *arg) {
  struct run *r = arg;
  CXIndex index = clang_createIndex(0, 0);
  for (;;) {
    pthread_mutex_lock(&r->lock);
    size_t i = r->next++;
    pthread_mutex_unlock(&r->lock);
    if (i >= r->n)
      break;
    if (!r->in[i].error && !r->in[i].duplicate)
      process(index, &r->in[i]);
    pthread_mutex_lock(&r->lock);
    li_progress_step(&r->prog, r->in[i].res.nsites);
    pthread_mutex_unlock(&r->lock);
  }
  clang_disposeIndex(index);
  return NULL;
}

/* Runs the inputs on opt.jobs threads. */
static void run_all(struct run *r) {
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  size_t nt = r->opt.jobs ? (size_t)r->opt.jobs : (size_t)(ncpu > 0 ? ncpu : 1);
  if (nt > r->n)
    nt = r->n ? r->n : 1;
  pthread_t *t = li_xmalloc(nt * sizeof *t);
  pthread_attr_t attr; /* clang recurses deeply on deeply nested code */
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, LI_THREAD_STACK);
  size_t started = 0;
  for (size_t i = 1; i < nt; i++)
    if (pthread_create(&t[i], &attr, worker, r) == 0)
      started = i;
    else
      break;
  pthread_attr_destroy(&attr);
  worker(r);
  for (size_t i = 1; i <= started; i++)
    pthread_join(t[i], NULL);
  free(t);
}

/* Merges the project headers the inputs saw and writes their copies. */
static void write_headers(struct run *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->in[i].res.status == LI_OK && !r->in[i].error)
      li_headers_add(&r->hdrs, &r->proj, &r->in[i].res);
  li_headers_write(&r->hdrs, include_target_cb, r);
}

/* ---- reporting --------------------------------------------------------- */

static int note_cmp(const void *pa, const void *pb) {
  const struct li_note *a = *(struct li_note *const *)pa;
  const struct li_note *b = *(struct li_note *const *)pb;
  int c = strcmp(a->file, b->file);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return strcmp(a->reason, b->reason);
}

/* Returns the distinct notes of all inputs, sorted by position (a
 * header's call is seen by every file that includes it, and noted once);
 * *n is their number. The caller frees the array, not the notes. */
static struct li_note **unique_notes(struct run *r, size_t *n) {
  size_t total = 0;
  for (size_t i = 0; i < r->n; i++)
    total += r->in[i].res.nnotes;
  struct li_note **v = li_xmalloc((total + 1) * sizeof *v);
  total = 0;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < r->in[i].res.nnotes; k++)
      v[total++] = &r->in[i].res.notes[k];
  qsort(v, total, sizeof *v, note_cmp);
  size_t u = 0;
  for (size_t i = 0; i < total; i++)
    if (u == 0 || note_cmp(&v[u - 1], &v[i]) != 0)
      v[u++] = v[i];
  *n = u;
  return v;
}

/* Prints the notes if verbose; returns how many distinct ones there are. */
static size_t report_notes(struct run *r) {
  size_t n;
  struct li_note **v = unique_notes(r, &n);
  for (size_t i = 0; r->opt.verbose && i < n; i++)
    fprintf(stderr, "%s:%u:%u: note: not instrumented: %s\n", v[i]->file,
            v[i]->line, v[i]->col, v[i]->reason);
  free(v);
  return n;
}

/* Appends the sites of the project headers' copies to the JSON array. */
static void list_header_sites(struct run *r, json_t *sites) {
  for (size_t i = 0; i < r->hdrs.n; i++) {
    const struct li_header *h = &r->hdrs.v[i];
    for (size_t k = 0; !h->error && k < h->ntable; k++) {
      const struct li_site *s = &h->sites[k].site;
      int kind;
      const char *api = li_hsite_api(&h->sites[k], &kind);
      json_array_append_new(
          sites,
          json_pack("{s:s, s:s?, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, "
                    "s:s, s:s, s:b}",
                    "input", h->path, "output", h->out_abs, "index",
                    (json_int_t)k, "file", s->file, "line", (json_int_t)s->line,
                    "column", (json_int_t)s->col, "function", s->function,
                    "api", api, "kind", li_api_kind_name(kind), "expr", s->expr,
                    "class", s->lock_class, "macro", s->macro, "in_macro",
                    (s->flags & LOCKINSTR_SITE_IN_MACRO) != 0));
    }
  }
}

/* Returns the include flags of input in (see li_include_flags). */
static void input_include_flags(struct run *r, const struct input *in,
                                struct li_argv *out) {
  if (!in->error && !in->duplicate)
    li_include_flags(&r->proj, in->flags.v, in->flags.n, in->workdir, out);
}

/* Returns the JSON array of inputs, with their include flags. */
static json_t *list_inputs(struct run *r) {
  json_t *v = json_array();
  for (size_t i = 0; i < r->n; i++) {
    const struct input *in = &r->in[i];
    struct li_argv f = {0};
    input_include_flags(r, in, &f);
    json_t *flags = json_array();
    for (size_t k = 0; k < f.n; k++)
      json_array_append_new(flags, json_string(f.v[k]));
    li_argv_free(&f);
    json_array_append_new(v, json_pack("{s:s, s:s?, s:o}", "input",
                                       in->job.path, "output", in->out_abs,
                                       "include_flags", flags));
  }
  return v;
}

/* --print-include-flags: one line per input, its include flags separated
 * by blanks (shell-quoted when they need it). */
static void print_include_flags(struct run *r) {
  for (size_t i = 0; i < r->n; i++) {
    struct li_argv f = {0};
    input_include_flags(r, &r->in[i], &f);
    for (size_t k = 0; k < f.n; k++) {
      int plain =
          strspn(f.v[k], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
                         "QRSTUVWXYZ0123456789-_./=+,:@%") == strlen(f.v[k]);
      fputs(k ? " " : "", stdout);
      if (plain)
        fputs(f.v[k], stdout);
      else {
        fputc('\'', stdout);
        for (const char *p = f.v[k]; *p; p++)
          fputs(*p == '\'' ? "'\\''" : (char[2]){*p, 0}, stdout);
        fputc('\'', stdout);
      }
    }
    fputc('\n', stdout);
    li_argv_free(&f);
  }
}

/* Prints the project headers' errors and, if verbose, their copies; adds
 * their sites and the copies holding sites to the counts. Returns 1 if
 * one failed. */
static int report_headers(struct run *r, size_t *sites, size_t *files) {
  int status = 0;
  for (size_t i = 0; i < r->hdrs.n; i++) {
    const struct li_header *h = &r->hdrs.v[i];
    if (h->error) {
      fputs(h->error, stderr);
      status = 1;
      continue;
    }
    *sites += h->ntable;
    *files += h->ntable > 0;
    if (r->opt.verbose && h->out_abs) {
      char *out = li_path_display(h->out_abs);
      fprintf(stderr, "lockinstr: %s: %zu sites -> %s\n", h->path, h->ntable,
              out);
      free(out);
    }
  }
  return status;
}

/* Prints every site as JSON on stdout (--list-sites). */
static void list_sites(struct run *r) {
  json_t *sites = json_array(), *notes = json_array();
  for (size_t i = 0; i < r->n; i++) {
    const struct input *in = &r->in[i];
    for (size_t k = 0; k < in->res.nsites; k++) {
      const struct li_site *s = &in->res.sites[k];
      const char *api = li_site_api_name(in->cfg, s->api);
      int kind = li_site_api_kind(in->cfg, s->api);
      json_array_append_new(
          sites,
          json_pack("{s:s, s:s?, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, "
                    "s:s, s:s, s:b}",
                    "input", in->job.path, "output", in->out_abs, "index",
                    (json_int_t)k, "file", s->file, "line", (json_int_t)s->line,
                    "column", (json_int_t)s->col, "function", s->function,
                    "api", api, "kind", li_api_kind_name(kind), "expr", s->expr,
                    "class", s->lock_class, "macro", s->macro, "in_macro",
                    (s->flags & LOCKINSTR_SITE_IN_MACRO) != 0));
    }
  }
  list_header_sites(r, sites);
  size_t nn;
  struct li_note **v = unique_notes(r, &nn);
  for (size_t k = 0; k < nn; k++)
    json_array_append_new(
        notes, json_pack("{s:s, s:I, s:I, s:s}", "file", v[k]->file, "line",
                         (json_int_t)v[k]->line, "column",
                         (json_int_t)v[k]->col, "reason", v[k]->reason));
  free(v);
  json_t *doc = json_pack("{s:i, s:o, s:o, s:o}", "version", 1, "sites", sites,
                          "not_instrumented", notes, "inputs", list_inputs(r));
  json_dumpf(doc, stdout, JSON_INDENT(2));
  fputc('\n', stdout);
  json_decref(doc);
}

/* Prints diagnostics, notes, sites and the summary; returns the exit
 * status. */
static int report(struct run *r) {
  int status = 0;
  size_t sites = 0, files = 0;
  for (size_t i = 0; i < r->n; i++) {
    struct input *in = &r->in[i];
    if (in->duplicate)
      continue;
    if (in->error) {
      fputs(in->error, stderr);
      status = 1;
      continue;
    }
    fputs(in->res.diag.s ? in->res.diag.s : "", stderr);
    if (in->res.status != LI_OK || in->write_failed) {
      status = 1;
      continue;
    }
    files++;
    sites += in->res.nsites;
    if (in->res.already && !r->opt.quiet)
      fprintf(stderr,
              "lockinstr: %s: note: already instrumented; copied "
              "unchanged\n",
              in->job.path);
    if (r->opt.verbose && in->excl)
      fprintf(stderr, "lockinstr: %s: excluded by %s; copied unchanged\n",
              in->job.path, in->excl->origin);
    if (r->opt.verbose && in->out_abs) {
      char *out = li_path_display(in->out_abs);
      fprintf(stderr, "lockinstr: %s: %zu sites -> %s\n", in->job.path,
              in->res.nsites, out);
      free(out);
    }
  }
  status |= report_headers(r, &sites, &files);
  size_t notes = r->opt.quiet ? 0 : report_notes(r);
  if (r->opt.list_sites)
    list_sites(r);
  if (r->opt.print_include_flags)
    print_include_flags(r);
  if (!r->opt.quiet)
    fprintf(stderr,
            "lockinstr: %zu sites in %zu files; %zu not "
            "instrumented\n",
            sites, files, notes);
  return status;
}

/* ---- --depfile --------------------------------------------------------- */

/* Checks the --depfile options against the rest of the command line.
 * Returns 0, or EXIT_USAGE after printing why. */
static int check_depfile_usage(const struct options *o) {
  const char *err = NULL;
  if (o->depfile_target && !o->depfile)
    err = "--depfile-target needs --depfile";
  else if (!o->depfile)
    return 0;
  else if (!*o->depfile || (o->depfile_target && !*o->depfile_target))
    err = "--depfile and --depfile-target need a non-empty name";
  else if (o->nfiles != 1)
    err = "--depfile needs exactly one input file (a dependency file has "
          "one target)";
  else if (!o->outdir)
    err = "--depfile needs an output file (-o OUTDIR)";
  if (!err)
    return 0;
  fprintf(stderr, "lockinstr: error: %s\n", err);
  usage(stderr);
  return EXIT_USAGE;
}

/* Returns EXIT_USAGE, after printing why, if the dependency file would
 * overwrite the input or its output; else 0. Call after plan(). */
static int check_depfile_clash(const struct run *r) {
  if (!r->opt.depfile || r->n != 1)
    return 0;
  const struct input *in = &r->in[0];
  char *abs = li_path_abs(r->opt.depfile, NULL);
  int input = strcmp(abs, in->abs) == 0 || same_file(abs, in->abs);
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
static const char *config_path(const struct run *r,
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
static int write_depfile(struct run *r) {
  const struct input *in = &r->in[0];
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

static void free_run(struct run *r) {
  for (size_t i = 0; i < r->n; i++) {
    struct input *in = &r->in[i];
    free(in->abs);
    free(in->out_abs);
    free(in->workdir);
    free(in->error);
    li_argv_free(&in->flags);
    li_result_free(&in->res);
  }
  free(r->in);
  free(r->by_abs);
  free(r->opt.files);
  li_headers_free(&r->hdrs);
  for (size_t i = 0; i < r->ndb_files; i++)
    free(r->db_files[i]);
  free(r->db_files);
  for (size_t i = 0; i < r->opt.nheader_dirs; i++)
    free(r->opt.header_dirs[i]);
  free(r->opt.header_dirs);
  free((char *)r->proj.root);
  free((char *)r->proj.outdir);
  for (size_t i = 0; i < r->nconfs; i++) {
    free(r->confs[i]->abs);
    li_config_free(&r->confs[i]->cfg);
    free(r->confs[i]);
  }
  free(r->confs);
  free(r->opt.excludes);
  free(r->opt.exclude_fn);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "report") == 0)
    return li_report_main(argc - 1, argv + 1);
  struct run r;
  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.lock, NULL);
  int rc = parse_options(argc, argv, &r.opt);
  if (rc >= 0) {
    free(r.opt.files);
    free(r.opt.excludes);
    free(r.opt.exclude_fn);
    return rc;
  }
  if ((r.opt.nfiles == 0 && !r.opt.builddir) ||
      (!r.opt.outdir && !r.opt.list_sites)) {
    fprintf(stderr, "lockinstr: error: %s\n",
            r.opt.nfiles || r.opt.builddir ? "no output directory (-o OUTDIR)"
                                           : "no input files");
    usage(stderr);
    free(r.opt.files);
    free(r.opt.excludes);
    free(r.opt.exclude_fn);
    return EXIT_USAGE;
  }
  if (check_depfile_usage(&r.opt) != 0) {
    for (size_t i = 0; i < r.opt.nheader_dirs; i++)
      free(r.opt.header_dirs[i]);
    free(r.opt.header_dirs);
    free(r.opt.files);
    free(r.opt.excludes);
    free(r.opt.exclude_fn);
    return EXIT_USAGE;
  }
  li_output_init();
  rc = plan(&r);
  if (rc == 0)
    rc = check_depfile_clash(&r);
  if (rc == 0) {
    li_progress_init(&r.prog, stderr, r.n, r.opt.quiet);
    run_all(&r);
    li_progress_end(&r.prog);
    write_headers(&r);
    rc = report(&r);
    if (rc == 0 && r.opt.depfile) /* last: only when all else is written */
      rc = write_depfile(&r);
  }
  free_run(&r);
  return rc;
}
