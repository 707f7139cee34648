/*
 * control.h — the control word and the generation counters behind the
 * public control calls (rate, reset, on/off).
 *
 * Every change bumps the epoch in li_shared.control; each thread's fast path
 * compares li_shared.control with its own li_tls.seen and takes the slow path
 * on a difference, where li_thread_sync() catches up (redraws its sampling
 * countdown, drops events buffered before a reset).
 */
#ifndef LI_CONTROL_H
#define LI_CONTROL_H

/* Bumps the epoch of li_shared.control. Thread-safe. */
void li_control_bump(void);

/* 1 once lockinstr_set_sample_rate has been called (initialisation then
 * keeps that rate instead of applying LOCKINSTR_SAMPLE_RATE / the default). */
int li_sample_rate_called(void);

/* Incremented by every lockinstr_reset() (and in a fork child). */
unsigned long li_reset_gen(void);
void li_reset_gen_bump(void);

#endif
