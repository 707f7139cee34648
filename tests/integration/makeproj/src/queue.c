/* queue.c — the queue's operations; every lock call is instrumented. */
#include "queue.h"

void queue_init(struct queue *q) {
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->not_empty, NULL);
  pthread_cond_init(&q->not_full, NULL);
  q->head = q->len = 0;
}

void queue_put(struct queue *q, int v) {
  pthread_mutex_lock(&q->mu);
  while (q->len == QUEUE_CAP)
    pthread_cond_wait(&q->not_full, &q->mu);
  q->items[(q->head + q->len++) % QUEUE_CAP] = v;
  pthread_cond_signal(&q->not_empty);
  pthread_mutex_unlock(&q->mu);
}

int queue_get(struct queue *q) {
  pthread_mutex_lock(&q->mu);
  while (q->len == 0)
    pthread_cond_wait(&q->not_empty, &q->mu);
  int v = q->items[q->head];
  q->head = (q->head + 1) % QUEUE_CAP;
  q->len--;
  pthread_cond_signal(&q->not_full);
  pthread_mutex_unlock(&q->mu);
  return v;
}
