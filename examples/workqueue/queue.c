/*
 * queue.c — the bounded work queue (see queue.h).
 *
 * A ring buffer under one mutex. The classic two-condition-variable scheme:
 * a producer waits on not_full, a consumer on not_empty, and each signals
 * the other side after changing the length. Waits are in `while` loops
 * because condition variables wake spuriously. Every counter in q->stats is
 * updated with q->mu held.
 */
#define _POSIX_C_SOURCE 200809L

#include "queue.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

int queue_init(struct queue *q, size_t cap) {
  assert(cap > 0);
  *q = (struct queue){.cap = cap};
  q->slots = calloc(cap, sizeof *q->slots);
  if (!q->slots)
    return ENOMEM;
  int rc = pthread_mutex_init(&q->mu, NULL);
  if (rc == 0)
    rc = pthread_cond_init(&q->not_full, NULL);
  if (rc == 0)
    rc = pthread_cond_init(&q->not_empty, NULL);
  if (rc != 0)
    free(q->slots);
  return rc;
}

void queue_destroy(struct queue *q) {
  pthread_cond_destroy(&q->not_empty);
  pthread_cond_destroy(&q->not_full);
  pthread_mutex_destroy(&q->mu);
  free(q->slots);
}

void queue_push(struct queue *q, const struct item *it) {
  pthread_mutex_lock(&q->mu);
  q->stats.lock_calls++;
  assert(!q->closed);
  while (q->len == q->cap) {
    q->stats.full_waits++;
    pthread_cond_wait(&q->not_full, &q->mu);
  }
  q->slots[(q->head + q->len) % q->cap] = *it;
  q->len++;
  q->stats.pushed++;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

bool queue_pop(struct queue *q, struct item *out) {
  pthread_mutex_lock(&q->mu);
  q->stats.lock_calls++;
  while (q->len == 0 && !q->closed) {
    q->stats.empty_waits++;
    pthread_cond_wait(&q->not_empty, &q->mu);
  }
  bool got = q->len > 0;
  if (got) {
    *out = q->slots[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    q->stats.popped++;
    pthread_cond_signal(&q->not_full);
  }
  pthread_mutex_unlock(&q->mu);
  return got;
}

void queue_close(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  q->stats.lock_calls++;
  q->closed = true;
  pthread_cond_broadcast(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

struct queue_stats queue_stats(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  q->stats.lock_calls++;
  struct queue_stats s = q->stats;
  pthread_mutex_unlock(&q->mu);
  return s;
}
