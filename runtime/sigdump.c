/*
 * sigdump.c — dump on a signal: a self-pipe written by the handler, read
 * by a background thread that writes the profile.
 */
#include "sigdump.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dump.h"
#include "lifecycle.h"

static int pipe_rd = -1, pipe_wr = -1; /* the self-pipe */
static int sig_installed;              /* 0, or the signal handled */

/* The handler: one byte into the pipe. Async-signal-safe. */
static void on_signal(int signo) {
  int e = errno;
  char c = (char)signo;
  if (write(__atomic_load_n(&pipe_wr, __ATOMIC_RELAXED), &c, 1) < 0) {
    /* full (a dump is pending) or closed (fork child): nothing to do */
  }
  errno = e;
}

/* The dumper: one profile per burst of signals. */
static void *sigdump_main(void *arg) {
  int fd = (int)(intptr_t)arg;
  char buf[64];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0)
      li_dump_auto("signal");
    else if (n == 0 || errno != EINTR)
      break;
  }
  return NULL;
}

/* A new self-pipe and the thread reading it. Returns 0 or -1. */
static int start_reader(void) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return -1;
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  pipe_rd = fds[0];
  __atomic_store_n(&pipe_wr, fds[1], __ATOMIC_RELAXED);
  if (li_start_thread(sigdump_main, (void *)(intptr_t)fds[0]) != 0) {
    close(fds[0]);
    close(fds[1]);
    pipe_rd = pipe_wr = -1;
    return -1;
  }
  return 0;
}

int li_sigdump_start(int signo) {
  struct sigaction sa;
  if (start_reader() != 0) {
    fputs("lockinstr: warning: cannot start the LOCKINSTR_SIGNAL thread; "
          "no profiles on signals\n",
          stderr);
    return -1;
  }
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(signo, &sa, NULL) != 0)
    return -1;
  sig_installed = signo;
  return 0;
}

void li_sigdump_fork_child(void) {
  int old_rd = pipe_rd, old_wr = pipe_wr;
  if (!sig_installed)
    return;
  /* The parent's reader shares the old pipe: never use it again here. */
  if (start_reader() != 0)
    __atomic_store_n(&pipe_wr, -1, __ATOMIC_RELAXED);
  close(old_rd);
  close(old_wr);
}

int li_signal_number(const char *s) {
  static const struct {
    const char *name;
    int signo;
  } names[] = {{"HUP", SIGHUP},    {"INT", SIGINT},       {"QUIT", SIGQUIT},
               {"USR1", SIGUSR1},  {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},
               {"ALRM", SIGALRM},  {"TERM", SIGTERM},     {"CHLD", SIGCHLD},
               {"CONT", SIGCONT},  {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},
               {"TTOU", SIGTTOU},  {"URG", SIGURG},       {"XCPU", SIGXCPU},
               {"XFSZ", SIGXFSZ},  {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
               {"WINCH", SIGWINCH}};
  char *end;
  long n;
  size_t i;
  if (strncasecmp(s, "SIG", 3) == 0)
    s += 3;
  for (i = 0; i < sizeof names / sizeof *names; i++)
    if (strcasecmp(s, names[i].name) == 0)
      return names[i].signo;
  if (*s < '0' || *s > '9')
    return 0;
  n = strtol(s, &end, 10);
  if (*end || n < 1 || n > SIGRTMAX || n == SIGKILL || n == SIGSTOP ||
      n == SIGSEGV || n == SIGBUS || n == SIGFPE || n == SIGILL)
    return 0;
  return (int)n;
}
