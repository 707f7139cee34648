#line 1 "b.c"
/* Uses queue.h's helpers, and odd.h's, whose lock calls are not
 * instrumented (tests/config/hdr). */
#include "odd.h"
#include "queue.h"

extern struct queue g_queue;

int b_run(int k) {
  int n;
  for (int i = 0; i < k; i++)
    queue_push(&g_queue);
  odd_lock(&g_queue.lock); /* not counted: a plain call */
  odd_unlock_fn()(&g_queue.lock);
  n = queue_len(&g_queue);
  queue_clear(&g_queue);
  return n;
}
