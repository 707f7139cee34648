/*
 * sigdump.h — LOCKINSTR_SIGNAL: write a profile when the process receives
 * a signal (reason "signal"), for long-running servers.
 *
 * The handler only writes one byte to a pipe (async-signal-safe, never
 * blocks: the pipe's write end is non-blocking and a full pipe means a
 * dump is pending anyway); a background thread reads the pipe and writes
 * the profile outside signal context.
 */
#ifndef LI_SIGDUMP_H
#define LI_SIGDUMP_H

/* Installs the handler for signo and starts the dumper thread. Returns 0,
 * or -1 (with a warning on stderr) if it cannot. */
int li_sigdump_start(int signo);

/* In a fork child: a fresh pipe and dumper thread (the handler stays). */
void li_sigdump_fork_child(void);

/* The signal number of a name ("USR2", "SIGUSR2", "usr2") or number
 * ("12"); 0 if it is not a signal a program may catch. */
int li_signal_number(const char *s);

#endif
