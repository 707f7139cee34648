/*
 * lifecycle.h — initialisation, exit, fork, and the interval dumper.
 *
 * li_init() runs once (from a high-priority constructor, or from the first
 * slow path if an instrumented lock is taken earlier): it picks the clock,
 * reads the environment, and registers the exit handler (the profile and
 * the stderr summary), the fork handlers (the child starts a fresh profile)
 * and, with LOCKINSTR_INTERVAL, a background thread that dumps
 * periodically (with LOCKINSTR_SIGNAL, another that dumps on a signal).
 */
#ifndef LI_LIFECYCLE_H
#define LI_LIFECYCLE_H

#include "env.h"

/* Initialises the runtime once. Thread-safe (pthread_once). */
void li_init(void);

/* The configuration read at initialisation. */
const struct li_config *li_config(void);

/* The program name (basename of argv[0]) and its arguments. */
const char *li_program(void);
char *const *li_cmdline(unsigned int *argc);

/* Starts a detached runtime thread running fn(arg) with every signal
 * blocked (so the program's signals go to its own threads). Returns 0 or
 * an error number. */
int li_start_thread(void *(*fn)(void *), void *arg);

/* When the current profile began: wall clock and CLOCK_MONOTONIC, ns.
 * li_restart_clock() starts it again (reset, fork child); li_lock held. */
unsigned long long li_start_wall(void);
unsigned long long li_start_mono(void);
void li_restart_clock(void);

#endif
