/*
 * cc_build.c — saying once per build, not once per compile, that lock
 * calls were left uninstrumented (issue #24: a build that loses sites says
 * so, without a line per file that includes the same header).
 *
 * lockinstr-cc runs once per compile; a build is recognised by the build
 * tool above it. Walking up the parent processes (/proc/PID/stat), shells
 * and command wrappers (sh, bash, env, time, ...) are passed over, build
 * tools (make, ninja, cmake, meson, ...) are remembered, and anything else
 * ends the walk: the outermost build tool of that chain is the build (the
 * top make of a recursive make, the `cmake --build` over its makes), keyed
 * by its pid and start time (pids are reused). The first compile of that
 * build that loses calls creates STATE/build-<pid>-<start>.txt (O_EXCL)
 * and prints the warning, naming the file; every such compile of the build
 * appends one line to it. A compile with no build tool above it (typed by
 * hand, run from a script), or where /proc or the state directory is not
 * usable, is a build of its own and warns. STATE is
 * $LOCKINSTR_CC_STATE_DIR, else $TMPDIR/lockinstr-cc-<uid> (else /tmp),
 * created mode 0700 and used only if it is ours; lists older than a day are
 * removed when a new one is made. The rewriter's own warnings (a
 * configuration's [exclude] path that matches nothing) are said once per
 * build the same way, each marked by STATE/build-<key>-<hash>.once.
 */
#define _GNU_SOURCE 1 /* openat, fstatat, dirfd in strict C11 mode */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cc_launcher.h"
#include "paths.h"

/* How far up the process tree to look. */
#ifndef LI_CC_MAX_DEPTH
#define LI_CC_MAX_DEPTH 32
#endif

/* Reads /proc/PID/stat: the command name (COMM, N bytes), the parent and
 * the start time. Returns 0, or -1 if it cannot be read. */
static int li_cc_proc(long pid, char *comm, size_t n, long *ppid,
                      unsigned long long *start) {
  char path[64], buf[1024], *open_p, *close_p, *f;
  size_t len;
  int k;
  FILE *fp;
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  fp = fopen(path, "r");
  if (!fp)
    return -1;
  len = fread(buf, 1, sizeof buf - 1, fp);
  fclose(fp);
  buf[len] = '\0';
  open_p = strchr(buf, '(');
  close_p = strrchr(buf, ')'); /* the name may hold ')' */
  if (!open_p || !close_p || close_p < open_p)
    return -1;
  snprintf(comm, n, "%.*s", (int)(close_p - open_p - 1), open_p + 1);
  /* after ") ": state ppid ... the start time is the 20th field */
  f = close_p + 2;
  for (k = 0; k < 19 && f; k++) {
    if (k == 1)
      *ppid = strtol(f, NULL, 10);
    f = strchr(f, ' ');
    f = f ? f + 1 : NULL;
  }
  if (!f)
    return -1;
  *start = strtoull(f, NULL, 10);
  return 0;
}

/* Returns 1 if NAME is one of the NULL-terminated WORDS. */
static int li_cc_in(const char *name, const char *const *words) {
  for (; *words; words++)
    if (strcmp(name, *words) == 0)
      return 1;
  return 0;
}

/*
 * Writes the key of the build this compile belongs to into KEY (N bytes):
 * "<pid>-<start>" of the outermost build tool above us (see the top).
 * Returns 1, or 0 when there is none (a compile of its own).
 */
static int li_cc_build_key(char *key, size_t n) {
  static const char *const pass[] = {
      "sh",   "bash",    "dash", "zsh",   "ksh",    "mksh",   "busybox", "env",
      "time", "timeout", "nice", "nohup", "stdbuf", "ionice", "xargs",   NULL};
  static const char *const tools[] = {"make",   "gmake", "bmake", "pmake",
                                      "remake", "ninja", "samu",  "cmake",
                                      "meson",  NULL};
  long pid = (long)getppid(), ppid = 0;
  unsigned long long start = 0;
  char comm[64];
  int depth, found = 0;
  for (depth = 0; depth < LI_CC_MAX_DEPTH && pid > 1; depth++) {
    if (li_cc_proc(pid, comm, sizeof comm, &ppid, &start) != 0)
      break;
    if (li_cc_in(comm, tools))
      found = snprintf(key, n, "%ld-%llu", pid, start) > 0;
    else if (!li_cc_in(comm, pass))
      break;
    pid = ppid;
  }
  return found;
}

/* Returns the state directory (malloc'd), created if need be, or NULL if
 * it is not a directory of ours. */
static char *li_cc_state_dir(void) {
  const char *dir = getenv("LOCKINSTR_CC_STATE_DIR"), *tmp = getenv("TMPDIR");
  char uid[32], *d;
  struct stat st;
  snprintf(uid, sizeof uid, "%lu", (unsigned long)getuid());
  d = dir && dir[0] ? li_cc_cat(dir, NULL, NULL, NULL)
                    : li_cc_cat(tmp && tmp[0] ? tmp : "/tmp", "/lockinstr-cc-",
                                uid, NULL);
  if (mkdir(d, 0700) != 0 && errno != EEXIST)
    li_mkdir_p(d);
  if (lstat(d, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid()) {
    free(d);
    return NULL;
  }
  return d;
}

/* Removes the lists in DIR older than a day (best effort). */
static void li_cc_prune(const char *dir) {
  DIR *dp = opendir(dir);
  struct dirent *e;
  time_t old = time(NULL) - 24 * 60 * 60;
  if (!dp)
    return;
  while ((e = readdir(dp)) != NULL) {
    struct stat st;
    if (strncmp(e->d_name, "build-", 6) == 0 &&
        fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISREG(st.st_mode) && st.st_mtime < old)
      unlinkat(dirfd(dp), e->d_name, 0);
  }
  closedir(dp);
}

/*
 * Opens this build's list for appending. Sets *FIRST to 1 if this compile
 * created it, *PATH to its path (malloc'd). Returns the descriptor, or -1
 * when the compile is a build of its own (no build tool, no state dir).
 */
static int li_cc_open_list(int *first, char **path) {
  char key[96], *dir;
  int fd;
  *first = 0;
  *path = NULL;
  if (!li_cc_build_key(key, sizeof key))
    return -1;
  dir = li_cc_state_dir();
  if (!dir)
    return -1;
  *path = li_cc_cat(dir, "/build-", key, ".txt");
  fd = open(*path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  if (fd >= 0) {
    *first = 1;
    li_cc_prune(dir);
  } else {
    fd = open(*path, O_WRONLY | O_APPEND | O_NOFOLLOW);
  }
  free(dir);
  if (fd < 0) {
    free(*path);
    *path = NULL;
  }
  return fd;
}

/* Returns a hash of S (FNV-1a): names the marker of a warning. */
static unsigned long long li_cc_hash(const char *s) {
  unsigned long long h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* Returns 1 if LINE has not been said in this build yet (and marks it
 * said), or if the compile is a build of its own. */
static int li_cc_first_time(const char *line) {
  char key[96], hash[32], *dir, *path;
  int fd, said;
  if (!li_cc_build_key(key, sizeof key))
    return 1;
  dir = li_cc_state_dir();
  if (!dir)
    return 1;
  snprintf(hash, sizeof hash, "-%016llx.once", li_cc_hash(line));
  path = li_cc_cat(dir, "/build-", key, hash);
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  said = fd < 0 && errno == EEXIST;
  if (fd >= 0)
    close(fd);
  free(path);
  free(dir);
  return !said;
}

/* Returns 1 for a warning of the rewriter's own not yet said in this
 * build (see li_cc_warn_once). */
static int li_cc_new_warning(const char *line) {
  return strncmp(line, "lockinstr: ", 11) == 0 && strstr(line, ": warning: ") &&
         li_cc_first_time(line);
}

void li_cc_warn_once(const char *log) {
  li_cc_print_lines(log, li_cc_new_warning);
}

/* The warning of one input that lost calls; LIST names the build's list
 * (NULL: the compile is a build of its own). */
static void li_cc_say_lost(const char *src, const struct li_cc_input *in,
                           const char *list) {
  fprintf(stderr,
          LI_CC_ME ": warning: %s: %d lock call%s not instrumented (first: "
                   "%s); ",
          src, in->lost, in->lost == 1 ? "" : "s", in->lost_first);
  if (list)
    fprintf(stderr,
            "the files of this build that lose calls are listed in "
            "%s\n",
            list);
  else
    fputs("LOCKINSTR_CC_VERBOSE=1 lists them\n", stderr);
}

void li_cc_warn_lost(const struct li_cc_env *env, const struct li_cc_cmd *cmd,
                     const struct li_cc_input *in, int nin) {
  int j, fd = -1, first = 0, said = 0, tried = 0;
  char *list = NULL;
  for (j = 0; j < nin; j++) {
    const char *src = cmd->argv[in[j].arg];
    char *abs;
    if (!in[j].ok || !in[j].lost)
      continue;
    if (!tried++)
      fd = li_cc_open_list(&first, &list);
    if (fd < 0 || (first && !said)) {
      li_cc_say_lost(src, &in[j], fd < 0 ? NULL : list);
      said = 1;
    }
    if (fd < 0)
      continue;
    abs = li_path_abs(src, env->cwd);
    dprintf(fd, "%s: %d lock call%s not instrumented (first: %s)\n", abs,
            in[j].lost, in[j].lost == 1 ? "" : "s", in[j].lost_first);
    free(abs);
  }
  if (fd >= 0)
    close(fd);
  free(list);
}
