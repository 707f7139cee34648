/*
 * main.c — the `lockinstr` command: the rewriter's driver, and the
 * dispatcher of `lockinstr report`.
 *
 *   lockinstr [options] FILE... -o OUTDIR [-- COMPILER FLAGS]
 *   lockinstr report ...
 *   lockinstr diff ...
 *   lockinstr help [report]
 *
 * Works out, for every input, its output path and flags (plan.c), then
 * rewrites the files on N threads, writing each output atomically
 * (workers.c), and finally prints, in input order, the diagnostics, the
 * notes about calls not instrumented, the sites (--list-sites) and a
 * summary (summary.c). With --depfile (one input only), a Make-syntax
 * dependency file naming every file the rewrite read is written last, and
 * only if everything else was (run_depfile.c). Exit status: 0 all files
 * written, 1 a file failed, 2 usage.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"
#include "run.h"

/* Frees everything the run holds. */
static void li_run_free(struct li_run *r) {
  for (size_t i = 0; i < r->n; i++) {
    struct li_input *in = &r->in[i];
    free(in->abs);
    free(in->out_abs);
    free(in->workdir);
    free(in->error);
    li_argv_free(&in->flags);
    li_result_free(&in->res);
  }
  free(r->in);
  free(r->by_abs);
  li_headers_free(&r->hdrs);
  for (size_t i = 0; i < r->ndb_files; i++)
    free(r->db_files[i]);
  free(r->db_files);
  free((char *)r->proj.root);
  free((char *)r->proj.outdir);
  for (size_t i = 0; i < r->nconfs; i++) {
    free(r->confs[i]->abs);
    li_config_free(&r->confs[i]->cfg);
    free(r->confs[i]);
  }
  free(r->confs);
  li_options_free(&r->opt);
}

/* Plans, rewrites, writes, reports (see the top of this file). Returns the
 * exit status. */
static int run(struct li_run *r) {
  li_output_init();
  int rc = li_plan(r);
  if (rc == 0)
    rc = li_check_depfile_clash(r);
  if (rc != 0)
    return rc;
  li_progress_init(&r->prog, stderr, r->n, r->opt.quiet);
  li_run_all(r);
  li_progress_end(&r->prog);
  li_write_headers(r);
  rc = li_summary(r);
  if (rc == 0 && r->opt.depfile) /* last: only when all else is written */
    rc = li_write_depfile(r);
  return rc;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "report") == 0)
    return li_report_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "diff") == 0)
    return li_diff_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "help") == 0) { /* git-style */
    if (argc > 2 && strcmp(argv[2], "report") == 0) {
      char *help[] = {argv[2], "--help", NULL};
      return li_report_main(2, help);
    }
    li_usage(stdout);
    return 0;
  }
  struct li_run r;
  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.lock, NULL);
  int rc = li_parse_options(argc, argv, &r.opt);
  if (rc < 0) { /* not --help and the like: a run, once checked */
    rc = li_check_options(&r.opt);
    if (rc == 0)
      rc = run(&r);
  }
  li_run_free(&r);
  return rc;
}
