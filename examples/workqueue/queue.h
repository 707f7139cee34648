/*
 * queue.h — a bounded FIFO of work items shared by producer and consumer
 * threads: one mutex and two condition variables (not_full, not_empty).
 *
 * Producers block in queue_push while the queue is full; consumers block in
 * queue_pop while it is empty and not closed. queue_close wakes every
 * consumer; once the queue is closed and drained, queue_pop returns false.
 * The queue counts how often its lock was taken and how often each side had
 * to wait, so a profile of the program can be checked against it.
 */
#ifndef WORKQUEUE_QUEUE_H
#define WORKQUEUE_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct item {
  uint64_t id;      /* producer in the high 16 bits, sequence below */
  uint64_t payload; /* the input of the work */
};

/* Counts kept under the queue's lock. */
struct queue_stats {
  uint64_t lock_calls;  /* pthread_mutex_lock(&q->mu) calls */
  uint64_t full_waits;  /* pthread_cond_wait(&q->not_full, ...) calls */
  uint64_t empty_waits; /* pthread_cond_wait(&q->not_empty, ...) calls */
  uint64_t pushed, popped;
};

struct queue {
  pthread_mutex_t mu;       /* guards every field below */
  pthread_cond_t not_full;  /* signalled when a slot frees up */
  pthread_cond_t not_empty; /* signalled when an item arrives or on close */
  struct item *slots;       /* ring of cap items */
  size_t cap, head, len;    /* items are slots[head .. head+len) mod cap */
  bool closed;              /* no more pushes; pops drain what is left */
  struct queue_stats stats;
};

/* Initialises an empty queue of `cap` (> 0) slots. Returns 0 or an errno
 * value (nothing to destroy then). Not thread-safe. */
int queue_init(struct queue *q, size_t cap);

/* Frees the queue. No thread may be using it. */
void queue_destroy(struct queue *q);

/* Appends *it, waiting while the queue is full. Must not be called after
 * queue_close. Thread-safe. */
void queue_push(struct queue *q, const struct item *it);

/* Removes the oldest item into *out, waiting while the queue is empty.
 * Returns false when the queue is closed and empty. Thread-safe. */
bool queue_pop(struct queue *q, struct item *out);

/* Marks the queue closed and wakes every waiting consumer. Thread-safe. */
void queue_close(struct queue *q);

/* A copy of the counters, taken under the lock. Thread-safe. */
struct queue_stats queue_stats(struct queue *q);

#endif /* WORKQUEUE_QUEUE_H */
