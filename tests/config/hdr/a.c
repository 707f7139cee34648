/* Uses queue.h's helper and its macros (tests/config/hdr). */
#include "queue.h"

struct queue g_queue;

void a_run(int k) {
  for (int i = 0; i < k; i++)
    queue_push(&g_queue);
  QUEUE_LOCK(&g_queue);
  g_queue.n--;
  QUEUE_UNLOCK(&g_queue);
}
