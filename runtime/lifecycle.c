/*
 * lifecycle.c — once-only initialisation, the exit dump, fork handling and
 * the interval thread.
 *
 * The object holding the runtime is pinned (RTLD_NODELETE) at
 * initialisation, so a dlclose never unmaps the code of its handlers.
 *
 * Fork: the prepare handler takes the dump mutex and li_lock so the child
 * inherits consistent runtime state; the child handler re-initialises both,
 * forgets the parent's other threads and zeroes every counter: the child's
 * profile holds only what the child does, under its own pid.
 */
#include "lifecycle.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "control.h"
#include "dump.h"
#include "sample.h"
#include "sigdump.h"
#include "site.h"
#include "thread.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct li_config config;
static char *program;
static char **argv_copy;
static unsigned int argc_copy;
static unsigned long long start_wall, start_mono;

const struct li_config *li_config(void) {
  return &config;
}
const char *li_program(void) {
  return program ? program : "";
}

char *const *li_cmdline(unsigned int *argc) {
  *argc = argc_copy;
  return argv_copy;
}

unsigned long long li_start_wall(void) {
  return start_wall;
}
unsigned long long li_start_mono(void) {
  return start_mono;
}

void li_restart_clock(void) {
  start_wall = li_wall_ns();
  start_mono = li_now_mono();
}

/* Reads /proc/self/cmdline into argv_copy and the program name. */
static void read_cmdline(void) {
  char buf[8192];
  ssize_t n = 0, r;
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  unsigned int i = 0;
  char *p, *base;
  if (fd >= 0) {
    while (n < (ssize_t)sizeof buf - 1 &&
           (r = read(fd, buf + n, sizeof buf - 1 - (size_t)n)) > 0)
      n += r;
    close(fd);
  }
  buf[n] = '\0';
  for (p = buf; p < buf + n; p += strlen(p) + 1)
    argc_copy++;
  argv_copy = calloc(argc_copy + 1, sizeof *argv_copy);
  for (p = buf; argv_copy && p < buf + n; p += strlen(p) + 1)
    argv_copy[i++] = strdup(p);
  base = argc_copy && argv_copy && argv_copy[0] ? strrchr(argv_copy[0], '/')
                                                : NULL;
  program = strdup(base ? base + 1
                        : (argc_copy && argv_copy && argv_copy[0] ? argv_copy[0]
                                                                  : "unknown"));
}

/* The background dumper: one profile every interval_s seconds. */
static void *interval_main(void *arg) {
  struct timespec next;
  double s = config.interval_s;
  (void)arg;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    next.tv_sec += (time_t)s;
    next.tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
    if (next.tv_nsec >= 1000000000L) {
      next.tv_sec++;
      next.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) ==
           EINTR)
      ;
    li_dump_auto("interval");
  }
  return NULL;
}

int li_start_thread(void *(*fn)(void *), void *arg) {
  pthread_t th;
  pthread_attr_t attr;
  sigset_t all, old;
  int rc;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  rc = pthread_create(&th, &attr, fn, arg);
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return rc;
}

/* Starts the interval thread when configured. */
static void start_interval(void) {
  if (config.interval_s <= 0)
    return;
  if (li_start_thread(interval_main, NULL) != 0)
    fputs("lockinstr: warning: cannot start the LOCKINSTR_INTERVAL thread; "
          "no periodic profiles\n",
          stderr);
}

static void at_exit(void) {
  li_dump_exit();
}

static void fork_prepare(void) {
  li_dump_lock();
  li_lock();
}

static void fork_parent(void) {
  li_unlock();
  li_dump_unlock();
}

static void fork_child(void) {
  li_lock_reinit();
  li_dump_reinit();
  li_threads_fork_child();
  li_sites_reset(NULL);
  li_order_global_clear();
  li_dropped_zero();
  li_restart_clock();
  li_reset_gen_bump();
  if (li_tls.ext)
    li_tls.ext->reset_gen = li_reset_gen();
  start_interval();
  li_sigdump_fork_child();
}

/* Keeps the object that holds the runtime (liblockinstr.so, or a shared
 * object that linked liblockinstr.a) loaded until the process ends. It
 * may have been loaded by dlopen, as a dependency of an instrumented
 * plugin: a dlclose that unmapped it would leave its exit handler, its
 * thread-exit destructor and its background threads pointing to unmapped
 * code. For the main program the lookup finds nothing and nothing
 * happens. */
static void pin_self(void) {
  Dl_info info;
  if (dladdr((void *)&li_init, &info) && info.dli_fname && *info.dli_fname)
    dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
}

static void init_once(void) {
  pin_self();
  li_clock_init();
  li_restart_clock();
  read_cmdline();
  li_env_load(&config, stderr);
  /* a rate set by a call before initialisation (a constructor that ran
   * first) is the program's choice: keep it */
  if (!li_sample_rate_called())
    li_sample_init_rate(config.sample_rate);
  if (config.exclude)
    li_site_set_excludes(config.exclude);
  if (config.disable)
    lockinstr_enable(0);
  li_threads_init();
  pthread_atfork(fork_prepare, fork_parent, fork_child);
  atexit(at_exit);
  start_interval();
  if (config.signal)
    li_sigdump_start(config.signal);
}

void li_init(void) {
  pthread_once(&once, init_once);
}

__attribute__((constructor(101))) static void li_constructor(void) {
  li_init();
}
