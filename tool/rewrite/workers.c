/*
 * workers.c — the rewrite itself: N threads (one CXIndex each) take the
 * next input under the run's lock, rewrite it and write its output
 * atomically (output.h); then the project headers' copies are written.
 *
 * Inputs are taken largest file first: parsing dominates (about 85 % of a
 * file's time) and grows with its size, so starting the long ones first
 * keeps one big file from running alone at the end while the other
 * workers idle (the longest-processing-time rule). Results and
 * diagnostics stay in input order; only the schedule changes.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
    size_t k = r->next++;
    pthread_mutex_unlock(&r->lock);
    if (k >= r->n)
      break;
    size_t i = r->order ? r->order[k] : k;
    if (!r->in[i].error && !r->in[i].duplicate)
      process(index, &r->in[i]);
    pthread_mutex_lock(&r->lock);
    li_progress_step(&r->prog, r->in[i].res.nsites);
    pthread_mutex_unlock(&r->lock);
  }
  clang_disposeIndex(index);
  return NULL;
}

/* An input's place in the schedule: its size, then its index. */
struct slot {
  long long size;
  size_t index;
};

static int larger_first(const void *a, const void *b) {
  const struct slot *x = a, *y = b;
  if (x->size != y->size)
    return x->size < y->size ? 1 : -1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The order of r's inputs for the workers: largest file first (a file
 * that cannot be stat'ed counts as empty). NULL, input order, for one
 * input or out of memory. */
static size_t *schedule(const struct li_run *r) {
  struct slot *s = r->n > 1 ? malloc(r->n * sizeof *s) : NULL;
  size_t *order = s ? malloc(r->n * sizeof *order) : NULL;
  if (!order) {
    free(s);
    return NULL;
  }
  for (size_t i = 0; i < r->n; i++) {
    struct stat st;
    const char *p = r->in[i].abs;
    s[i].size = p && stat(p, &st) == 0 ? (long long)st.st_size : 0;
    s[i].index = i;
  }
  qsort(s, r->n, sizeof *s, larger_first);
  for (size_t i = 0; i < r->n; i++)
    order[i] = s[i].index;
  free(s);
  return order;
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
  r->order = nt > 1 ? schedule(r) : NULL;
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
  free(r->order);
  r->order = NULL;
}

/* Merges the project headers the inputs saw and writes their copies. */
void li_write_headers(struct li_run *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->in[i].res.status == LI_OK && !r->in[i].error)
      li_headers_add(&r->hdrs, &r->proj, &r->in[i].res);
  li_headers_write(&r->hdrs, li_include_target, r);
}
