/* worker.h — a quoted include next to the sources. */
#ifndef WORKER_H
#define WORKER_H
#include <pthread.h>
struct counter {
  pthread_mutex_t mu; /* guards value */
  long value;
};
void *worker(void *arg);
long vendored_total(void);
void vendored_add(long n);
void unprofiled_touch(void);
#endif
