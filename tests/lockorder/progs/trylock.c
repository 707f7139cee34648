/*
 * trylock.c — the forward thread takes g_alpha then g_beta; the reverse
 * thread holds g_beta and only *tries* g_alpha, backing off (releasing
 * g_beta and retrying) when it is busy. That pattern cannot deadlock, and
 * a trylock creates no lock-order edge: no cycle. The threads run
 * concurrently, so back-offs happen on some runs and not on others; the
 * edges are the same either way.
 */
#include <pthread.h>
#include <sched.h>
#include <stddef.h>

static pthread_mutex_t g_alpha = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_beta = PTHREAD_MUTEX_INITIALIZER;
static long g_moves;

static void *forward(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 2000; i++) {
    pthread_mutex_lock(&g_alpha); /* @fw_first */
    pthread_mutex_lock(&g_beta);  /* @fw_second */
    g_moves++;
    pthread_mutex_unlock(&g_beta);
    pthread_mutex_unlock(&g_alpha);
  }
  return NULL;
}

static void *reverse(void *arg) {
  int i;
  (void)arg;
  for (i = 0; i < 2000; i++) {
    for (;;) {
      pthread_mutex_lock(&g_beta);              /* @rv_first */
      if (pthread_mutex_trylock(&g_alpha) == 0) /* @rv_try */
        break;
      pthread_mutex_unlock(&g_beta); /* back off */
      sched_yield();
    }
    g_moves++;
    pthread_mutex_unlock(&g_alpha);
    pthread_mutex_unlock(&g_beta);
  }
  return NULL;
}

int main(void) {
  pthread_t f, r;
  if (pthread_create(&f, NULL, forward, NULL) != 0 ||
      pthread_create(&r, NULL, reverse, NULL) != 0)
    return 1;
  pthread_join(f, NULL);
  pthread_join(r, NULL);
  return g_moves == 4000 ? 0 : 1;
}
