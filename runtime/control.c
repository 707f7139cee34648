/*
 * control.c — the control word, sample-rate and on/off calls.
 */
#include "control.h"

#include "lockinstr.h"
#include "sample.h"
#include "thread.h"

struct li_shared li_shared = {.control = LI_CTL_EPOCH};
_Static_assert(sizeof(struct li_shared) == 64 &&
                   _Alignof(struct li_shared) == 64,
               "li_shared must fill exactly one cache line");
static unsigned long reset_gen;

void li_control_bump(void) {
  __atomic_fetch_add(&li_shared.control, LI_CTL_EPOCH, __ATOMIC_RELAXED);
}

unsigned long li_reset_gen(void) {
  return __atomic_load_n(&reset_gen, __ATOMIC_RELAXED);
}

void li_reset_gen_bump(void) {
  __atomic_fetch_add(&reset_gen, 1, __ATOMIC_RELAXED);
  li_control_bump();
}

static int rate_called; /* lockinstr_set_sample_rate has been called */

int li_sample_rate_called(void) {
  return __atomic_load_n(&rate_called, __ATOMIC_ACQUIRE);
}

unsigned long lockinstr_set_sample_rate(unsigned long n) {
  unsigned long old = li_sample_set_rate(n);
  __atomic_store_n(&rate_called, 1, __ATOMIC_RELEASE);
  li_control_bump();
  if (li_tls.ext) /* the caller sees the new rate at once */
    li_thread_sync(&li_tls);
  return old;
}

unsigned long lockinstr_get_sample_rate(void) {
  return li_sample_rate();
}

void lockinstr_enable(int on) {
  if (on)
    __atomic_fetch_and(&li_shared.control, ~LI_CTL_OFF, __ATOMIC_RELAXED);
  else
    __atomic_fetch_or(&li_shared.control, LI_CTL_OFF, __ATOMIC_RELAXED);
  li_control_bump();
}

int lockinstr_enabled(void) {
  return !(__atomic_load_n(&li_shared.control, __ATOMIC_RELAXED) & LI_CTL_OFF);
}
