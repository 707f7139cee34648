/* worker.c — each worker adds to the shared counter under its lock. */
#include "config.h"
#include "worker.h"

void *worker(void *arg) {
  struct counter *c = arg;
  for (int i = 0; i < APP_ROUNDS; i++) {
    pthread_mutex_lock(&c->mu);
    c->value++;
    pthread_mutex_unlock(&c->mu);
    vendored_add(1);
  }
  return NULL;
}
