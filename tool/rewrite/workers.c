/*
 * workers.c — the rewrite itself: N threads (one CXIndex each) take the
 * next input under the run's lock, rewrite it and write its output
 * atomically (output.h); then the project headers' copies are written.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "run.h"
#include "text.h"

#ifndef LI_THREAD_STACK
#define LI_THREAD_STACK (16u << 20) /* bytes of stack per worker thread */
#endif

/* Rewrites and writes one input. */
static void process(CXIndex index, struct li_input *in) {
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
  struct li_run *r = arg;
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
void li_run_all(struct li_run *r) {
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
void li_write_headers(struct li_run *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->in[i].res.status == LI_OK && !r->in[i].error)
      li_headers_add(&r->hdrs, &r->proj, &r->in[i].res);
  li_headers_write(&r->hdrs, li_include_target, r);
}
