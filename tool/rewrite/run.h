/*
 * run.h — one run of the rewriter (`lockinstr FILE... -o OUTDIR`): the
 * options, the inputs and what happened to each, and the stages main.c
 * runs in order, one file each:
 *
 *   cli.c          the command line (options, usage, their checks)
 *   plan.c         every input's output path, flags and configuration
 *   workers.c      the rewrite on N threads, outputs written atomically
 *   summary.c      diagnostics, notes, --list-sites, the summary line
 *   run_depfile.c  --depfile, written last
 */
#ifndef LI_RUN_H
#define LI_RUN_H

#include <pthread.h>
#include <stdio.h>

#include "batch.h"
#include "config.h"
#include "flags.h"
#include "headers.h"
#include "rewrite.h"

#ifndef LI_VERSION
#define LI_VERSION "0.0.0"
#endif

enum { EXIT_USAGE = 2 };

/* The command line. */
struct li_options {
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
struct li_input {
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
struct li_conf {
  char *abs;
  struct li_config cfg;
};

/* Everything one run holds; inputs in command-line order. */
struct li_run {
  struct li_options opt;
  struct li_input *in;
  size_t n;
  struct li_input **by_abs; /* sorted by abs, for lookups */
  size_t next;              /* next input to take (under lock) */
  size_t *order;            /* inputs in the order workers take them */
  pthread_mutex_t lock;
  struct li_project proj;  /* which headers are the project's */
  struct li_headers hdrs;  /* their copies */
  struct li_progress prog; /* under lock */
  char **db_files;         /* -p without files: the database's C files */
  size_t ndb_files;
  struct li_conf **confs; /* distinct configurations in use; each allocated
                          alone: inputs point at their cfg */
  size_t nconfs;
};

/* Prints the usage text to f. */
void li_usage(FILE *f);

/* Parses the command line into o (zeroed by the caller). Returns -1 to go
 * on, or an exit status (0 after --help, --version, --list-apis). */
int li_parse_options(int argc, char **argv, struct li_options *o);

/* Checks the options that depend on each other (inputs, -o, --depfile).
 * Returns 0, or EXIT_USAGE after printing why and the usage. */
int li_check_options(const struct li_options *o);

/* Frees what li_parse_options allocated. */
void li_options_free(struct li_options *o);

/* Fills r->in from r->opt: output paths, flags, configurations. Returns 0
 * or an exit status (after printing why). */
int li_plan(struct li_run *r);

/* The include-target callback of every job (rewrite.h): a quoted include
 * of header_abs points at an input's output or a project header's copy.
 * arg is the run. Returns a new string. */
char *li_include_target(const char *header_abs, void *arg);

/* Rewrites the inputs on opt.jobs threads, writing each output. */
void li_run_all(struct li_run *r);

/* Merges the project headers the inputs saw and writes their copies. */
void li_write_headers(struct li_run *r);

/* Prints diagnostics, notes, sites and the summary; returns the exit
 * status. */
int li_summary(struct li_run *r);

/* Returns EXIT_USAGE, after printing why, if the dependency file would
 * overwrite the input or its output; else 0. Call after li_plan(). */
int li_check_depfile_clash(const struct li_run *r);

/* Writes the --depfile of the single input. Returns 0, or 1 after printing
 * the error. */
int li_write_depfile(struct li_run *r);

#endif /* LI_RUN_H */
