/* Custom lock APIs from .lockinstr, called in every context the built-in
 * rewrite handles; main() says what it did, run.sh checks the profile. */
#include <pthread.h>
#include <stdio.h>

#include "spin.h"
#include "uvx.h"

unsigned long spin_attempts;
static spinlock_t g_spin;
static uvx_mutex_t g_uvx = {PTHREAD_MUTEX_INITIALIZER};
static volatile int holding;

bool my_trylock(spinlock_t *l) { return spin_trylock(l); }

/* Takes the spinlock and keeps it until the main thread is spinning on it:
 * then the main thread's try has failed (exactly one contention). */
static void *holder(void *arg) {
  unsigned long before;
  (void)arg;
  spin_lock(&g_spin);
  before = __atomic_load_n(&spin_attempts, __ATOMIC_SEQ_CST);
  __atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&spin_attempts, __ATOMIC_SEQ_CST) < before + 2)
    ;
  spin_unlock(&g_spin);
  return NULL;
}

static int counted(int n) {
  int taken = 0;
  for (int i = 0; i < n; i++) {
    spin_lock(&g_spin);
    spin_unlock(&g_spin);
  }
  for (int i = 0; i < n; i++)
    if (my_trylock(&g_spin) && (spin_unlock(&g_spin), 1))
      taken++;
  spin_lock(&g_spin);
  for (int i = 0; i < 3; i++)
    taken += my_trylock(&g_spin) ? 1 : 0; /* busy: never taken */
  spin_unlock(&g_spin);
  return taken;
}

/* Initialises g_uvx again while it is held: its memory now holds a fresh,
 * unlocked mutex, so the runtime forgets the held one, and the spinlock
 * taken next is nested in nothing (no lock-order edge). */
static void reinit_while_held(void) {
  uvx_mutex_lock(&g_uvx);
  uvx_mutex_init(&g_uvx);
  spin_lock(&g_spin); /* no edge from g_uvx */
  spin_unlock(&g_spin); /* after the re-init */
}

int main(void) {
  pthread_t t;
  int taken = counted(1000);
  for (int i = 0; i < 5; i++)
    uvx_mutex_lock(&g_uvx), uvx_mutex_unlock(&g_uvx);
  reinit_while_held();
  pthread_create(&t, NULL, holder, NULL);
  while (!__atomic_load_n(&holding, __ATOMIC_SEQ_CST))
    ;
  spin_lock(&g_spin);
  spin_unlock(&g_spin);
  pthread_join(t, NULL);
  printf("stats: trylock_taken=%d\n", taken);
  return 0;
}
