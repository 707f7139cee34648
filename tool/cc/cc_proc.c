/*
 * cc_proc.c — lockinstr-cc's processes, signals and temporary directory.
 * Children run with fork + execvp and are waited for; SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT are forwarded to the running child and remembered
 * (li_cc_signal), and the launcher then removes its temporary directory
 * and dies of the same signal (li_cc_exit_like), so a build tool sees the
 * compiler's own exit.
 */
#define _GNU_SOURCE 1 /* mkdtemp, nftw in strict C11 mode */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc_launcher.h"

/* The child being waited for, and a signal received meanwhile. */
static volatile pid_t li_cc_child = -1;
volatile sig_atomic_t li_cc_signal = 0;

/* Forwards a signal to the running child and remembers it. */
static void li_cc_on_signal(int sig) {
  li_cc_signal = sig;
  if (li_cc_child > 0)
    kill(li_cc_child, sig);
}

void li_cc_catch_signals(void) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  struct sigaction sa;
  size_t i;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = li_cc_on_signal;
  sigemptyset(&sa.sa_mask);
  for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    sigaction(sigs[i], &sa, NULL);
}

void li_cc_trace(const char *what, char *const *argv) {
  fprintf(stderr, LI_CC_ME ": %s:", what);
  for (; *argv; argv++)
    fprintf(stderr, " %s", *argv);
  fputc('\n', stderr);
}

char *li_cc_tool_problem(const char *tool) {
  const char *path = getenv("PATH");
  char why[512], *tail, *msg;
  if (strchr(tool, '/')) {
    if (access(tool, X_OK) == 0)
      return NULL;
    snprintf(why, sizeof why, "%s", strerror(errno));
  } else {
    while (path && *path) {
      size_t len = strcspn(path, ":");
      char *dir = li_cc_cat(len ? path : ".", NULL, NULL, NULL);
      char *cand;
      dir[len ? len : 1] = '\0';
      cand = li_cc_cat(dir, "/", tool, NULL);
      free(dir);
      if (li_cc_exists(cand, 1)) {
        free(cand);
        return NULL;
      }
      free(cand);
      path += len + (path[len] == ':');
    }
    snprintf(why, sizeof why, "not found on PATH");
  }
  tail = li_cc_cat(why, "; set LOCKINSTR_TOOL or LOCKINSTR_PREFIX", NULL, NULL);
  msg = li_cc_cat("cannot run the rewriter ", tool, ": ", tail);
  free(tail);
  return msg;
}

int li_cc_run(char *const *argv, int out_fd, int err_fd) {
  int status = 0;
  pid_t pid = fork();
  if (pid < 0)
    li_cc_die("fork");
  if (pid == 0) {
    if (out_fd >= 0)
      dup2(out_fd, 1);
    if (err_fd >= 0)
      dup2(err_fd, 2);
    execvp(argv[0], argv);
    fprintf(stderr, LI_CC_ME ": error: cannot run %s: %s\n", argv[0],
            strerror(errno));
    _exit(127);
  }
  li_cc_child = pid;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      li_cc_die("waitpid");
  li_cc_child = -1;
  return status;
}

/* nftw callback: removes one entry of the temporary tree. */
static int li_cc_rm_one(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (flag == FTW_DP)
    rmdir(path);
  else
    unlink(path);
  return 0;
}

void li_cc_cleanup(const struct li_cc_env *env, const char *tmp) {
  if (!tmp)
    return;
  if (env->keep)
    fprintf(stderr, LI_CC_ME ": kept %s\n", tmp);
  else
    nftw(tmp, li_cc_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

_Noreturn void li_cc_exit_like(const struct li_cc_env *env, const char *tmp,
                               int status) {
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : (int)li_cc_signal;
  li_cc_cleanup(env, tmp);
  if (sig) {
    signal(sig, SIG_DFL);
    raise(sig);
    /* cppcheck-suppress unreachableCode ; raise() returns if sig is blocked */
    exit(128 + sig);
  }
  exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

char *li_cc_mktemp(void) {
  const char *base = getenv("LOCKINSTR_CC_TMPDIR");
  char *tmpl;
  if (!base || !base[0])
    base = getenv("TMPDIR");
  if (!base || !base[0])
    base = "/tmp";
  tmpl = li_cc_cat(base, "/lockinstr-cc.XXXXXX", NULL, NULL);
  if (!mkdtemp(tmpl)) {
    free(tmpl);
    return NULL;
  }
  return tmpl;
}

_Noreturn void li_cc_exec(const struct li_cc_env *env, char **argv) {
  if (env->verbose)
    li_cc_trace("exec", argv);
  execvp(argv[0], argv);
  fprintf(stderr, LI_CC_ME ": error: cannot run %s: %s\n", argv[0],
          strerror(errno));
  exit(127);
}

int li_cc_success(int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int li_cc_run_captured(const struct li_cc_env *env, char **argv,
                       const char *tmp, char **err_path) {
  int fd, status;
  *err_path = li_cc_cat(tmp, "/compile.err", NULL, NULL);
  fd = open(*err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return li_cc_run(argv, -1, -1);
  if (env->verbose)
    li_cc_trace("compile", argv);
  status = li_cc_run(argv, -1, fd);
  close(fd);
  if (li_cc_success(status) || WIFSIGNALED(status))
    li_cc_dump_log(*err_path);
  return status;
}
