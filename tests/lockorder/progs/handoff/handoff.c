/*
 * handoff.c — held-lock records that real programs make untrue (issue #14):
 *   - a binary semaphore used as a lock (gate_lock / gate_unlock, a
 *     configured API): main takes it, a helper releases it, 1,000 times,
 *     each time main then takes g_other; later a third thread takes
 *     g_other -> g_gate. Main never holds g_gate while taking g_other (the
 *     helper released it first), so there is no cycle;
 *   - item locks taken by hash and released by pointer (item_lock(hv),
 *     item_unlock(&item_locks[...])): the one real edge is item -> g_inner,
 *     and the report warns about item_unlock.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>

#define HANDOFFS 1000
#define ITEMS 200

typedef struct {
  sem_t s;
} gate_t;

static gate_t g_gate;
static pthread_mutex_t g_other = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_inner = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t item_locks[16];
static sem_t go, back;

static int gate_lock(gate_t *g) {
  return sem_wait(&g->s);
}
static int gate_trylock(gate_t *g) {
  return sem_trywait(&g->s);
}
static int gate_unlock(gate_t *g) {
  return sem_post(&g->s);
}
static void item_lock(uint32_t hv) {
  pthread_mutex_lock(&item_locks[hv % 16]);
}
static void item_unlock(pthread_mutex_t *m) {
  pthread_mutex_unlock(m);
}

static void *helper(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < HANDOFFS; i++) {
    sem_wait(&go);
    gate_unlock(&g_gate); /* @helper_unlock */
    sem_post(&back);
  }
  return NULL;
}

static void *third(void *arg) {
  (void)arg;
  pthread_mutex_lock(&g_other); /* @third_other */
  gate_lock(&g_gate);           /* @third_gate */
  gate_unlock(&g_gate);
  pthread_mutex_unlock(&g_other);
  return NULL;
}

int main(void) {
  pthread_t h, t;
  uint32_t hv;
  int i;
  sem_init(&g_gate.s, 0, 1);
  sem_init(&go, 0, 0);
  sem_init(&back, 0, 0);
  for (i = 0; i < 16; i++)
    pthread_mutex_init(&item_locks[i], NULL);
  if (pthread_create(&h, NULL, helper, NULL) != 0)
    return 1;
  for (i = 0; i < HANDOFFS; i++) {
    gate_lock(&g_gate); /* @main_gate */
    sem_post(&go);
    sem_wait(&back);
    pthread_mutex_lock(&g_other); /* @main_other */
    pthread_mutex_unlock(&g_other);
  }
  pthread_join(h, NULL);
  if (pthread_create(&t, NULL, third, NULL) != 0)
    return 1;
  pthread_join(t, NULL);
  for (i = 0; i < ITEMS; i++) {
    hv = (uint32_t)i * 2654435761u;
    item_lock(hv);                /* @item_lock */
    pthread_mutex_lock(&g_inner); /* @inner */
    pthread_mutex_unlock(&g_inner);
    item_unlock(&item_locks[hv % 16]); /* @item_unlock */
  }
  return 0;
}
