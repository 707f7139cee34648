/* main.c — one producer, one consumer; checks the sum. */
#include <stdio.h>
#include "queue.h"

static struct queue g_q;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 1; i <= QUEUE_ITEMS; i++)
    queue_put(&g_q, i);
  return NULL;
}

int main(void) {
  pthread_t t;
  long sum = 0;
  queue_init(&g_q);
  pthread_create(&t, NULL, producer, NULL);
  for (int i = 0; i < QUEUE_ITEMS; i++)
    sum += queue_get(&g_q);
  pthread_join(t, NULL);
  printf("app: sum %ld\n", sum);
  return sum == (long)QUEUE_ITEMS * (QUEUE_ITEMS + 1) / 2 ? 0 : 1;
}
