/* queue.h — a bounded queue guarded by a mutex and two conditions. */
#ifndef QUEUE_H
#define QUEUE_H
#include <pthread.h>
#include "qconf.h"
struct queue {
  pthread_mutex_t mu; /* guards everything below */
  pthread_cond_t not_empty, not_full;
  int items[QUEUE_CAP];
  int head, len;
};
void queue_init(struct queue *q);
void queue_put(struct queue *q, int v);
int queue_get(struct queue *q);
#endif
